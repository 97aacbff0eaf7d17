"""The Telegram front end (python-telegram-bot 22), the only package that imports `telegram`.

- `buttons`: callback data, keyboards, and stale, forged or double-tapped buttons;
- `handlers`: each update becomes an engine event, each outcome screens;
- `evidence`: supporting files (documents and photos), listing and removing them;
- `output`: the one object that sends (screens, texts, answers to presses), with retries;
- `alerts`: the error handler and the organisers' alerts (failed emails, errors once an hour);
- `organisers`: the organisers' commands (/stats, /export, /nomination, /resend, /organiser);
- `support`: supporting statements from colleagues (/support, their links and answers);
- `reminders`: reminders for unfinished drafts, their buttons and /stop_reminders;
- `html`: screens as Telegram HTML messages, split to Telegram's limits;
- `runtime`: the Application, per-user ordering, polling and webhook.

The wiring (which handler gets which service) is bot.app's.
"""

from bot.telegram.alerts import ErrorReporter, OrganiserAlerts
from bot.telegram.buttons import ANY_POSITION, REVIEW_POSITION, CallbackData
from bot.telegram.evidence import EvidenceHandlers
from bot.telegram.handlers import NominationHandlers, nominator_key
from bot.telegram.output import ChatOutput, TelegramOutput
from bot.telegram.runtime import build_application, serving
from bot.telegram.statements import SupportHandlers

__all__ = [
    "ANY_POSITION",
    "REVIEW_POSITION",
    "CallbackData",
    "ChatOutput",
    "ErrorReporter",
    "EvidenceHandlers",
    "NominationHandlers",
    "OrganiserAlerts",
    "SupportHandlers",
    "TelegramOutput",
    "build_application",
    "nominator_key",
    "serving",
]
