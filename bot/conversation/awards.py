"""Choosing an award, for every front end (issue 19): with several awards open, /start and Start
another nomination show the programme's choice; an award's button starts a draft for it; More
about this award shows its introduction; and after a sending, Nominate them for another award
starts one for the same nominee. With one award open, none of this is shown: the start is as it
was before programmes."""

from __future__ import annotations

from datetime import datetime

from bot.screens import awards, texts
from bot.screens.actions import Action
from bot.screens.parts import Screen, text_screen
from bot.services.nominating import NominationService, Outcome
from flows.effects import Submitted
from flows.programme import Award
from flows.references import reference_code


class AwardChoice:
    """The programme's side of the conversation: which award a new nomination is for."""

    def __init__(self, service: NominationService) -> None:
        self.service = service
        self.programme = service.programme

    @property
    def several(self) -> bool:
        return len(self.programme) > 1

    def only_open(self) -> Award | None:
        """The one award open now, if exactly one is."""
        open_now = self.service.open_awards()
        return open_now[0] if len(open_now) == 1 else None

    def choice(self) -> Screen | None:
        """The choice of award for a new nomination: None when there is none to make (one award
        in the programme, or one open), so that the start is as it was."""
        if not self.several or self.only_open() is not None:
            return None
        return awards.choice(self.programme.title, self.programme.awards, self.service.now())

    async def press(
        self, nominator: str, action: Action, arg: str, ref: str | None
    ) -> Outcome | Screen:
        """An award's button, More about this award, or Nominate them for another award."""
        now = self.service.now()
        if action is Action.AWARD_ABOUT:
            award = self.programme.award(arg)
            if award is None:
                return awards.choice(self.programme.title, self.programme.awards, now)
            return awards.more_about(award, now, about=ref)
        if action is Action.AWARD:
            award = self.programme.award(arg)
            if award is None or not award.round.is_open(now):  # says when it opens, or closed
                return self._closed(award, now)
            return await self.service.start_another(nominator, arg, about=ref)
        return await self._another_award(nominator, ref)

    def _closed(self, award: Award | None, now: datetime) -> Screen:
        if award is None:
            return awards.choice(self.programme.title, self.programme.awards, now)
        return awards.more_about(award, now)

    async def _another_award(self, nominator: str, code: str | None) -> Outcome | Screen:
        """The same nominee for another open award: straight to it if there is one, a choice if
        there are several."""
        record = await self.service.own(nominator, code) if code is not None else None
        if code is None or record is None:
            return text_screen(texts.ANOTHER_AWARD_NONE)
        own = self.service.award_of(record.state)
        others = [a for a in self.service.open_awards() if a.id != own.id]
        if not others:
            return text_screen(texts.ANOTHER_AWARD_NONE)
        if len(others) == 1:
            return await self.service.start_another(nominator, others[0].id, about=code)
        return awards.choice(self.programme.title, others, self.service.now(), about=code)

    def after(self, outcome: Outcome) -> list[Screen]:
        """After a sending, with another award open: the offer to nominate them for it too."""
        state = outcome.state
        if state is None or not self.several:
            return []
        if not any(isinstance(e, Submitted) for e in outcome.effects):
            return []
        own = self.service.award_of(state)
        if not any(a.id != own.id for a in self.service.open_awards()):
            return []
        return [awards.another_award(reference_code(state.reference))]
