"""The Telegram front end (python-telegram-bot 22), the only package that imports `telegram`.
It reads updates and draws screens; what they mean is the conversation's (bot.conversation).

- `chats`: nominators' keys, their private chats, and the check every handler starts with;
- `buttons`: a screen's keyboard, callback data as a press, and double taps;
- `handlers`: the nominators' commands, typed answers, edits and buttons;
- `evidence`: documents and photos sent as supporting files;
- `statements`: a colleague's supporting statement, from their link to sending it;
- `approvals`: a nominee's approval, from their link to their answer;
- `output`: the one object that sends (screens, links, files, answers to presses), with retries;
- `alerts`: the error handler and the organisers' alerts (failed emails, errors once an hour);
- `organisers`: the organisers' commands (/stats, /export, /nomination, /resend, /organiser);
- `reminders`: reminders for unfinished drafts, /stop_reminders;
- `mydata`: /privacy, /mydata and the warning before an idle draft is erased;
- `html`: screens as Telegram HTML messages, split to Telegram's limits;
- `runtime`: the Application, per-user ordering, polling and webhook.

The wiring (which handler gets which service) is bot.app's.
"""

from bot.telegram.alerts import ErrorReporter, OrganiserAlerts
from bot.telegram.approvals import ApprovalHandlers, ApprovalReminderLoop, wire_approvals
from bot.telegram.chats import nominator_key
from bot.telegram.evidence import EvidenceHandlers
from bot.telegram.handlers import NominationHandlers
from bot.telegram.output import ChatOutput, TelegramOutput
from bot.telegram.runtime import (
    PerUserUpdateProcessor,
    build_application,
    handle_once,
    serving,
)
from bot.telegram.statements import StatementHandlers

__all__ = [
    "ApprovalHandlers",
    "ApprovalReminderLoop",
    "ChatOutput",
    "ErrorReporter",
    "EvidenceHandlers",
    "NominationHandlers",
    "OrganiserAlerts",
    "PerUserUpdateProcessor",
    "StatementHandlers",
    "TelegramOutput",
    "build_application",
    "handle_once",
    "nominator_key",
    "serving",
    "wire_approvals",
]
