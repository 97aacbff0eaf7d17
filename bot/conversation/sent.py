"""The buttons of a sent nomination in the list of nominations, for both front ends: Amend (and
Cancel changes), Withdraw and its question's Yes and No. Each carries the nomination's reference
and acts on it alone; the answer is a screen to show, or an outcome (the review, on Amend)."""

from __future__ import annotations

from bot.screens import texts
from bot.screens.builder import Action, Screen, text_screen
from bot.screens.nominations import NominationsList
from bot.services.nominating import NominationService, Outcome
from flows.effects import AskConfirm, Kept, Withdrawn
from flows.events import Confirm, Decline, Event, Withdraw
from flows.state import Confirmation, Status
from storage.nominations import join_reference

# Withdraw, and its question's Yes and No, as the engine's events.
WITHDRAW_EVENTS: dict[Action, Event] = {
    Action.WITHDRAW: Withdraw(),
    Action.WITHDRAW_YES: Confirm(),
    Action.WITHDRAW_NO: Decline(),
}
SENT_BUTTONS = frozenset({*WITHDRAW_EVENTS, Action.AMEND, Action.CANCEL_AMEND})


class SentActions:
    """What a sent nomination's buttons do, through the service."""

    def __init__(self, service: NominationService, listing: NominationsList) -> None:
        self.service = service
        self.listing = listing

    async def press(self, nominator: str, action: Action, code: str) -> Screen | Outcome:
        if action in WITHDRAW_EVENTS:
            return await self.withdraw(nominator, WITHDRAW_EVENTS[action], code)
        reference = self._reference(code)
        if action is Action.CANCEL_AMEND:
            cancelled = await self.service.cancel_changes(nominator, code)
            done = texts.AMEND_CANCELLED.format(reference=reference)
            return text_screen(done if cancelled else texts.STALE_GONE)
        outcome = await self.service.amend(nominator, code)
        if outcome.refused:
            closed = texts.AMEND_CLOSED.format(closed=outcome.notice or "", reference=reference)
            return text_screen(closed)
        if outcome.state is None:
            return await self.withdraw(nominator, Decline(), code)  # says what it is now
        return outcome

    async def withdraw(self, nominator: str, event: Event, code: str) -> Screen:
        """Withdraw, or the Yes or No of its question, for the nomination the button names."""
        outcome = await self.service.withdraw(nominator, code, event)
        reference = self._reference(code)
        asked = [e for e in outcome.effects if isinstance(e, AskConfirm)]
        if outcome.refused:
            closed = texts.WITHDRAW_CLOSED.format(closed=outcome.notice or "", reference=reference)
            return text_screen(closed)
        if asked:
            return self.listing.withdraw_question(reference, again=asked[0].again)
        if any(isinstance(e, Withdrawn) for e in outcome.effects):
            return text_screen(texts.WITHDRAWN_DONE.format(reference=reference))
        if any(isinstance(e, Kept) for e in outcome.effects):
            return text_screen(texts.KEPT[Confirmation.WITHDRAW])
        if outcome.state is not None and outcome.state.status is Status.WITHDRAWN:
            return text_screen(texts.ALREADY_WITHDRAWN.format(reference=reference))
        return text_screen(texts.STALE_GONE)

    def _reference(self, code: str) -> str:
        return join_reference(self.service.form.reference_prefix, code)
