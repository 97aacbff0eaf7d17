"""Inline buttons: what their callback data carries, drawing a screen's keyboard, and telling a
current button from a stale, forged or double-tapped one."""

from __future__ import annotations

from dataclasses import dataclass, field

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.screens.builder import Action, Button
from flows.form import Form
from flows.state import NominationState
from storage.nominations import reference_code

ANY_POSITION = "-"
REVIEW_POSITION = "R"
# How many messages whose buttons were taken off to remember, to recognise a double tap.
ACTED_REMEMBERED = 4096
# Buttons that act wherever the nominator is in the form: they need no position check.
POSITION_FREE = frozenset(
    {
        Action.START,
        Action.CANCEL,
        Action.FULL_ANSWER,
        Action.LIST,
        Action.OPEN,
        Action.VIEW,
        Action.ANOTHER,
        Action.WITHDRAW,
        Action.WITHDRAW_YES,
        Action.WITHDRAW_NO,
        Action.AMEND,
        Action.CANCEL_AMEND,
    }
)


@dataclass(frozen=True, slots=True)
class CallbackData:
    """What a button carries: which nomination and position it was shown for, and its action.

    Encoded as "ref:pos:action:arg", at most 6+1+3+1+2+1+32 = 46 bytes, within Telegram's 64.
    """

    ref: str
    pos: str
    action: Action
    arg: str = ""

    def encode(self) -> str:
        return f"{self.ref}:{self.pos}:{self.action.value}:{self.arg}"

    @classmethod
    def decode(cls, data: str) -> CallbackData | None:
        parts = data.split(":", 3)
        if len(parts) != 4:
            return None
        try:
            action = Action(parts[2])
        except ValueError:
            return None
        return cls(parts[0], parts[1], action, parts[3])


def short_ref(state: NominationState | None) -> str:
    return reference_code(state.reference) if state is not None else ANY_POSITION


def position_token(form: Form, state: NominationState | None) -> str:
    if state is None:
        return ANY_POSITION
    if state.at_review:
        return REVIEW_POSITION
    # A draft from an older form may stand at a field this form lacks: no button matches it.
    return str(next((i for i, f in enumerate(form.fields) if f.id == state.position), "?"))


def is_current(form: Form, data: CallbackData, draft: NominationState) -> bool:
    """Whether a button was shown for this draft, at this position (where that matters)."""
    return data.ref == short_ref(draft) and (
        data.action in POSITION_FREE or data.pos == position_token(form, draft)
    )


def keyboard(
    form: Form, state: NominationState | None, rows: tuple[tuple[Button, ...], ...]
) -> InlineKeyboardMarkup | None:
    """A screen's buttons, each carrying the draft and position it was shown for (a button
    naming its own nomination, as in the list of them, carries that one, at no position)."""
    if not rows:
        return None
    ref, pos = short_ref(state), position_token(form, state)
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    b.label,
                    callback_data=(
                        CallbackData(ref, pos, b.action, b.arg)
                        if b.ref is None
                        else CallbackData(b.ref, ANY_POSITION, b.action, b.arg)
                    ).encode(),
                )
                for b in row
            ]
            for row in rows
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
