"""The buttons of a sent nomination in /mynominations: Amend (and Cancel changes), Withdraw and
its question's Yes and No. Each carries the nomination's reference and acts on it alone."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot import texts
from bot.screens import Action, text_screen
from flows.effects import AskConfirm, Kept, Withdrawn
from flows.events import Confirm, Decline, Event, Withdraw
from flows.state import Confirmation, Status
from storage.nominations import join_reference

if TYPE_CHECKING:
    from bot.telegram.handlers import NominationHandlers

# Withdraw, and its question's Yes and No, as the engine's events.
_WITHDRAW_EVENTS: dict[Action, Event] = {
    Action.WITHDRAW: Withdraw(),
    Action.WITHDRAW_YES: Confirm(),
    Action.WITHDRAW_NO: Decline(),
}
SENT_BUTTONS = frozenset({*_WITHDRAW_EVENTS, Action.AMEND, Action.CANCEL_AMEND})


class SentButtons:
    """Answers the buttons of a sent nomination, through the handlers' service and output."""

    def __init__(self, handlers: NominationHandlers) -> None:
        self.h = handlers

    async def press(self, chat_id: int, key: str, action: Action, code: str) -> None:
        if action in _WITHDRAW_EVENTS:
            await self.withdraw(chat_id, key, action, code)
        else:
            await self.amend(chat_id, key, action, code)

    async def withdraw(self, chat_id: int, key: str, action: Action, code: str) -> None:
        """Withdraw, and the Yes or No of its question, for the nomination the button names."""
        outcome = await self.h.service.withdraw(key, code, _WITHDRAW_EVENTS[action])
        reference = join_reference(self.h.form.reference_prefix, code)
        asked = [e for e in outcome.effects if isinstance(e, AskConfirm)]
        if outcome.refused:
            closed = texts.WITHDRAW_CLOSED.format(closed=outcome.notice or "", reference=reference)
            screen = text_screen(closed)
        elif asked:
            screen = self.h.listing.withdraw_question(reference, again=asked[0].again)
        elif any(isinstance(e, Withdrawn) for e in outcome.effects):
            screen = text_screen(texts.WITHDRAWN_DONE.format(reference=reference))
        elif any(isinstance(e, Kept) for e in outcome.effects):
            screen = text_screen(texts.KEPT[Confirmation.WITHDRAW])
        elif outcome.state is not None and outcome.state.status is Status.WITHDRAWN:
            screen = text_screen(texts.ALREADY_WITHDRAWN.format(reference=reference))
        else:
            screen = text_screen(texts.STALE_GONE)
        await self.h.output.show(chat_id, None, screen)

    async def amend(self, chat_id: int, key: str, action: Action, code: str) -> None:
        """Amend a sent nomination (it opens at the review), or Cancel changes to it."""
        reference = join_reference(self.h.form.reference_prefix, code)
        if action is Action.CANCEL_AMEND:
            cancelled = await self.h.service.cancel_changes(key, code)
            done = texts.AMEND_CANCELLED.format(reference=reference)
            await self.h.output.show(
                chat_id, None, text_screen(done if cancelled else texts.STALE_GONE)
            )
            return
        outcome = await self.h.service.amend(key, code)
        if outcome.refused:
            closed = texts.AMEND_CLOSED.format(closed=outcome.notice or "", reference=reference)
            await self.h.output.show(chat_id, None, text_screen(closed))
        elif outcome.state is None:
            await self.withdraw(chat_id, key, Action.WITHDRAW_NO, code)  # says what it is now
        else:
            await self.h.reply(chat_id, outcome)
