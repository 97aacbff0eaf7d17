"""The buttons of a sent nomination in the list of nominations: Amend (and Cancel changes),
Withdraw and its question's Yes and No. Each carries the nomination's reference and acts on it
alone; the answer is screens to show, or an outcome (the review, on Amend)."""

from __future__ import annotations

from bot.screens import confirm, nominations
from bot.screens.actions import Action
from bot.screens.builder import ScreenBuilder
from bot.screens.parts import Screen
from bot.services.nominating import NominationService, Outcome
from flows.effects import AskConfirm, Kept, Withdrawn
from flows.events import Confirm, Decline, Event, Withdraw
from flows.state import Status

# Withdraw, and its question's Yes and No, as the engine's events.
WITHDRAW_EVENTS: dict[Action, Event] = {
    Action.WITHDRAW: Withdraw(),
    Action.WITHDRAW_YES: Confirm(),
    Action.WITHDRAW_NO: Decline(),
}


class SentActions:
    """What a sent nomination's buttons do, through the service."""

    def __init__(self, service: NominationService, screens: ScreenBuilder) -> None:
        self.service = service
        self.screens = screens

    async def press(self, nominator: str, action: Action, code: str) -> Screen | Outcome:
        if action in WITHDRAW_EVENTS:
            return await self.withdraw(nominator, WITHDRAW_EVENTS[action], code)
        reference = await self.service.reference_of(nominator, code)
        if action is Action.CANCEL_AMEND:
            if await self.service.cancel_changes(nominator, code):
                return nominations.changes_cancelled(reference)
            return self.screens.gone_nomination(sent=False)
        outcome = await self.service.amend(nominator, code)
        if outcome.refused:
            return nominations.closed(self.screens.of(outcome.state).wording, reference)
        if outcome.state is None:
            return await self.withdraw(nominator, Decline(), code)  # says what it is now
        return outcome

    async def withdraw(self, nominator: str, event: Event, code: str) -> Screen:
        """Withdraw, or the Yes or No of its question, for the nomination the button names."""
        reference = await self.service.reference_of(nominator, code)
        outcome = await self.service.withdraw(nominator, code, event)
        asked = [e for e in outcome.effects if isinstance(e, AskConfirm)]
        if outcome.refused:
            return nominations.closed(self.screens.of(outcome.state).wording, reference)
        if asked:
            return confirm.withdraw(reference, again=asked[0].again)
        if any(isinstance(e, Withdrawn) for e in outcome.effects):
            return nominations.withdrawn(reference)
        if any(isinstance(e, Kept) for e in outcome.effects):
            return nominations.not_withdrawn()
        if outcome.state is not None and outcome.state.status is Status.WITHDRAWN:
            return nominations.already_withdrawn(reference)
        return self.screens.gone_nomination(sent=False)
