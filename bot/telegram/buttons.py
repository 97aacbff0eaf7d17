"""Inline buttons: a screen's buttons as Telegram's keyboard, what their callback data carries
(a press, for the conversation), and telling a double tap from a first one.

A nomination's button is "ref:pos:action:arg", at most 6+1+3+1+2+1+32 = 46 bytes, within
Telegram's 64; a colleague's statement's is "sup:w:token:pos:action:arg" (a 16-character token).

Telegram refuses a whole message whose keyboard has more than 100 buttons (Bad Request:
REPLY_MARKUP_TOO_LONG), and clients show at most 8 in a row. Screens page their listings
(bot.screens.paging) so that none comes near; `keyboard` is the last line of defence: a screen
past a limit is a bug, logged as one, and its keyboard is cut to fit rather than losing the
whole message (and, before, locking a nominator out of /review and /submit).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.conversation import Press, press_of
from bot.screens.actions import Action
from bot.screens.parts import ANY_POSITION, Rows, Screen, Subject

logger = logging.getLogger(__name__)

STATEMENT_PREFIX = "sup:w:"
APPROVAL_PREFIX = "nee:"  # a nominee's approval (issue 19): "nee:LSI-7K3Q9M:pos:action:arg"
MAX_BUTTONS = 100  # on one message's inline keyboard (Telegram's limit)
MAX_ROW = 8  # in one row, as Telegram's clients show them
# How many messages whose buttons already acted to remember, to recognise a double tap.
ACTED_REMEMBERED = 4096


def encode(press: Press) -> str:
    ref = press.ref if press.ref is not None else ANY_POSITION
    if press.subject is Subject.STATEMENT:
        return f"{STATEMENT_PREFIX}{ref}:{press.position}:{press.action.value}:{press.arg}"
    if press.subject is Subject.APPROVAL:
        return f"{APPROVAL_PREFIX}{ref}:{press.position}:{press.action.value}:{press.arg}"
    return f"{ref}:{press.position}:{press.action.value}:{press.arg}"


def decode(data: str) -> Press | None:
    """The press a button's callback data stands for; None if it is not one of ours."""
    subject = Subject.NOMINATION
    if data.startswith(STATEMENT_PREFIX):
        subject, data = Subject.STATEMENT, data.removeprefix(STATEMENT_PREFIX)
    elif data.startswith(APPROVAL_PREFIX):
        subject, data = Subject.APPROVAL, data.removeprefix(APPROVAL_PREFIX)
    parts = data.split(":", 3)
    if len(parts) != 4:
        return None
    try:
        action = Action(parts[2])
    except ValueError:
        return None
    ref = None if parts[0] == ANY_POSITION else parts[0]
    return Press(action, parts[3], ref, parts[1], subject)


def fits(screen: Screen) -> bool:
    """Whether a screen's buttons are within Telegram's limits for one message."""
    rows = screen.buttons
    return sum(len(row) for row in rows) <= MAX_BUTTONS and all(len(r) <= MAX_ROW for r in rows)


def keyboard(screen: Screen) -> InlineKeyboardMarkup | None:
    """A screen's buttons, each carrying what it acts on (the screen's nomination or statement,
    at the position it was shown at, or the nomination the button names itself). Cut to
    Telegram's limits, and logged as the bug it is, if a screen ever passes them."""
    if not screen.buttons:
        return None
    rows = screen.buttons
    if not fits(screen):
        count = sum(len(row) for row in rows)
        logger.error(
            "a screen has %d buttons in %d rows: cut to Telegram's limits", count, len(rows)
        )
        rows = _cut(rows)
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(b.label, callback_data=encode(press_of(b, screen))) for b in row]
            for row in rows
        ]
    )


def _cut(rows: Rows) -> Rows:
    """The first rows that fit, each at most MAX_ROW wide, MAX_BUTTONS in all; the last row (a
    listing's Previous and Next, or its Another) is kept."""
    last, kept, count = rows[-1][:MAX_ROW], [], 0
    for row in rows[:-1]:
        row = row[:MAX_ROW]
        if count + len(row) > MAX_BUTTONS - len(last):
            break
        kept.append(row)
        count += len(row)
    return (*kept, last)


@dataclass
class ActedMessages:
    """Messages whose button already acted. The buttons stay on screen (taking them off would
    cost a request per tap); a second tap is recognised here instead. A bounded memory: after a
    restart, an old button is still caught by the position check."""

    limit: int = ACTED_REMEMBERED
    # (chat id, message id), oldest first.
    _acted: dict[tuple[int, int], None] = field(default_factory=dict)

    def remember(self, message: object) -> None:
        if not isinstance(message, Message):
            return
        self._acted[(message.chat.id, message.message_id)] = None
        if len(self._acted) > self.limit:
            del self._acted[next(iter(self._acted))]

    def acted_on(self, message: object) -> bool:
        return isinstance(message, Message) and (message.chat.id, message.message_id) in (
            self._acted
        )
