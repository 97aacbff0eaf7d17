"""A colleague's supporting statement on screen. Its steps are the nomination's own screens for
the statement's form, in the statement's voice (bot.screens.wording.STATEMENT): the heading names
the nominee it supports ("Supporting statement for Priya Shah · Step 2 of 4"), not the writer,
and the review is the statement's, with Send statement for Submit. Around them: the introduction
when the link is opened, the one reply for a link that does nothing, and the thanks once sent."""

from __future__ import annotations

from collections.abc import Iterable

from bot.screens import texts
from bot.screens.actions import FrontEnd
from bot.screens.builder import ScreenBuilder
from bot.screens.parts import Screen, statement_about, text_screen
from bot.screens.wording import STATEMENT
from flows import engine
from flows.effects import Effect
from flows.events import Start
from flows.form import Form
from flows.state import NominationState
from flows.statement import Introduction, LinkRefusal

REFUSED = {
    LinkRefusal.UNKNOWN: texts.SUPPORT_UNKNOWN_LINK,
    LinkRefusal.OWN_LINK: texts.SUPPORT_OWN_LINK,
    LinkRefusal.OWN_LINK_TAKEN: texts.SUPPORT_OWN_LINK_TAKEN,
    LinkRefusal.OWN_LINK_SENT: texts.SUPPORT_OWN_LINK_SENT,
    LinkRefusal.OWN_LINK_CANCELLED: texts.SUPPORT_OWN_LINK_CANCELLED,
    LinkRefusal.FULL: texts.SUPPORT_LIMIT_COLLEAGUE,
}


class StatementScreens:
    """Screens for a statement's engine effects, naming the nominee it supports."""

    def __init__(self, form: Form, front_end: FrontEnd = FrontEnd.TELEGRAM) -> None:
        self.form = form
        self.builder = ScreenBuilder(form, front_end=front_end, voice=STATEMENT)

    def render(
        self,
        token: str,
        state: NominationState,
        effects: Iterable[Effect],
        *,
        nominee: str | None,
    ) -> list[Screen]:
        named = nominee or texts.NOMINEE_NOT_NAMED
        about = statement_about(self.form, token, state)
        return [
            screen.shown_for(about) for screen in self.builder.render(state, effects, named=named)
        ]

    def position(self, token: str, state: NominationState, *, nominee: str | None) -> Screen:
        """Where the colleague is: their current step (or a question waiting), or the review."""
        effects = engine.handle(self.form, state, Start()).effects
        return self.render(token, state, effects, nominee=nominee)[0]

    def opened(
        self, token: str, state: NominationState, introduction: Introduction
    ) -> list[Screen]:
        """The link just opened: what they are asked, then where they are."""
        intro = texts.SUPPORT_INTRO.format(
            nominator=introduction.nominator_first_name or texts.SUPPORT_SOMEONE,
            nominee=introduction.nominee or texts.NOMINEE_NOT_NAMED,
            role=introduction.role or texts.NOT_GIVEN_SHORT,
            organisation=introduction.organisation or texts.NOT_GIVEN_SHORT,
        )
        here = self.position(token, state, nominee=introduction.nominee)
        return [text_screen(intro), here]

    def stale(self, token: str, state: NominationState, *, nominee: str | None) -> list[Screen]:
        return [text_screen(texts.STALE_BUTTON), self.position(token, state, nominee=nominee)]

    def refused(self, refusal: LinkRefusal) -> Screen:
        return text_screen(REFUSED[refusal])

    def sent(self, nominee: str | None) -> Screen:
        return text_screen(texts.SUPPORT_SENT.format(nominee=nominee or texts.NOMINEE_NOT_NAMED))

    def arrived(self, nominee: str | None, reference: str) -> Screen:
        """For the nominator: a statement arrived (its text is never theirs to see)."""
        named = nominee or texts.NOMINEE_NOT_NAMED
        return text_screen(texts.SUPPORT_ARRIVED.format(nominee=named, reference=reference))
