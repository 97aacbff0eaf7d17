"""Inline buttons: a screen's buttons as Telegram's keyboard, what their callback data carries
(a press, for the conversation), and telling a double tap from a first one.

A nomination's button is "ref:pos:action:arg", at most 6+1+3+1+2+1+32 = 46 bytes, within
Telegram's 64; a colleague's statement's is "sup:w:token:pos:action:arg" (a 16-character token).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.conversation import Press, press_of
from bot.screens.actions import Action
from bot.screens.parts import ANY_POSITION, Screen, Subject

STATEMENT_PREFIX = "sup:w:"
# How many messages whose buttons already acted to remember, to recognise a double tap.
ACTED_REMEMBERED = 4096


def encode(press: Press) -> str:
    ref = press.ref if press.ref is not None else ANY_POSITION
    if press.subject is Subject.STATEMENT:
        return f"{STATEMENT_PREFIX}{ref}:{press.position}:{press.action.value}:{press.arg}"
    return f"{ref}:{press.position}:{press.action.value}:{press.arg}"


def decode(data: str) -> Press | None:
    """The press a button's callback data stands for; None if it is not one of ours."""
    subject = Subject.NOMINATION
    if data.startswith(STATEMENT_PREFIX):
        subject, data = Subject.STATEMENT, data.removeprefix(STATEMENT_PREFIX)
    parts = data.split(":", 3)
    if len(parts) != 4:
        return None
    try:
        action = Action(parts[2])
    except ValueError:
        return None
    ref = None if parts[0] == ANY_POSITION else parts[0]
    return Press(action, parts[3], ref, parts[1], subject)


def keyboard(screen: Screen) -> InlineKeyboardMarkup | None:
    """A screen's buttons, each carrying what it acts on (the screen's nomination or statement,
    at the position it was shown at, or the nomination the button names itself)."""
    if not screen.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(b.label, callback_data=encode(press_of(b, screen))) for b in row]
            for row in screen.buttons
        ]
    )


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
