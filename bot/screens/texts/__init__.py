"""Every word the bot says that is not in the form file, one module a subject, all read as
`texts.NAME` (this package gathers them).

Written for a busy nurse on a phone: short, plain UK English, and every button has a typed
equivalent. Placeholders are filled by the screens (bot/screens/); nothing here is escaped or
formatted.
"""

from bot.screens.texts.approvals import *  # noqa: F403
from bot.screens.texts.awards import *  # noqa: F403
from bot.screens.texts.conversation import *  # noqa: F403
from bot.screens.texts.data import *  # noqa: F403
from bot.screens.texts.delivery import *  # noqa: F403
from bot.screens.texts.files import *  # noqa: F403
from bot.screens.texts.judging import *  # noqa: F403
from bot.screens.texts.leaderboard import *  # noqa: F403
from bot.screens.texts.limits import *  # noqa: F403
from bot.screens.texts.notices import *  # noqa: F403
from bot.screens.texts.organisers import *  # noqa: F403
from bot.screens.texts.pages import *  # noqa: F403
from bot.screens.texts.panels import *  # noqa: F403
from bot.screens.texts.statements import *  # noqa: F403
from flows.form import plural as plural
