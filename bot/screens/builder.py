"""Effects become screens: which screen each engine effect is, for one form in one front end's
words. The screens themselves are built by subject (question, review, confirm, welcome,
email_code); this is where an effect finds its builder, and where each screen shown for a
nomination is marked as being about it, so that its buttons act on that nomination alone."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from bot.screens import confirm, email_code, question, review, texts, welcome
from bot.screens.actions import FrontEnd
from bot.screens.parts import Screen, about, text_screen
from bot.screens.wording import NOMINATION, Voice, Wording
from flows import engine
from flows.effects import (
    Ask,
    AskCode,
    AskConfirm,
    CheckCode,
    Deleted,
    Effect,
    EmailChecked,
    Hints,
    Kept,
    Note,
    Outstanding,
    PartSaved,
    Paused,
    Reprompt,
    Review,
    Revised,
    SendCode,
    SubmitRefused,
    Submitted,
    Withdrawn,
)
from flows.form import Form
from flows.round import Round, RoundNotice
from flows.state import NominationState


class ScreenBuilder:
    """Turns engine effects into screens for one form, in one front end's words."""

    def __init__(
        self,
        form: Form,
        *,
        front_end: FrontEnd = FrontEnd.TELEGRAM,
        allowed_domains: Sequence[str] = (),
        round_dates: Round | None = None,
        voice: Voice = NOMINATION,
        emails_saved_in: Path | None = None,
        email_codes: bool = True,
        nominee_approval: bool = False,
    ) -> None:
        folder = None if emails_saved_in is None else str(emails_saved_in)
        self.wording = Wording(
            form,
            front_end,
            tuple(allowed_domains),
            round_dates or Round(),
            voice,
            folder,
            email_codes,
            nominee_approval,
        )
        self.form = form

    def in_(self, front_end: FrontEnd) -> ScreenBuilder:
        """The same screens, in another front end's words."""
        w = self.wording
        return ScreenBuilder(
            w.form,
            front_end=front_end,
            allowed_domains=w.allowed_domains,
            round_dates=w.round,
            voice=w.voice,
            emails_saved_in=None if w.emails_saved_in is None else Path(w.emails_saved_in),
            email_codes=w.email_codes,
            nominee_approval=w.nominee_approval,
        )

    def for_terminal(self) -> ScreenBuilder:
        return self.in_(FrontEnd.TERMINAL)

    def render(
        self, state: NominationState | None, effects: Iterable[Effect], *, named: str | None = None
    ) -> list[Screen]:
        """The screens for an outcome. With no draft left (it was deleted, or there never was
        one), what the effects say about that, or else the welcome. `named` is the nominee a
        colleague's statement is for (its screens name them, not the statement's writer)."""
        if state is None:
            gone = [self.gone(effect) for effect in effects]
            screens = [screen for screen in gone if screen is not None]
            return screens or [self.welcome(None)]
        return [self.screen(state, effect, named=named) for effect in effects]

    def gone(self, effect: Effect) -> Screen | None:
        """An effect that needs no draft to show."""
        match effect:
            case Deleted():
                return welcome.deleted(self.wording)
            case Kept(about=kept):
                return text_screen(texts.KEPT[kept])
        return None

    def screen(self, state: NominationState, effect: Effect, *, named: str | None = None) -> Screen:
        """One effect's screen, its buttons acting on `state`'s nomination."""
        return self._screen(state, effect, named).shown_for(about(self.form, state))

    def _screen(self, state: NominationState, effect: Effect, named: str | None) -> Screen:
        w = self.wording
        match effect:
            case Ask():
                return question.ask(w, state, effect, named=named)
            case Hints(field_id=field_id):
                return question.hints(self.form.field(field_id))
            case Reprompt():
                return question.reprompt(w, state, effect, named)
            case Note(problem=problem):
                return question.note(problem)
            case PartSaved():
                return question.part_saved(effect)
            case Revised(field_id=field_id, words=words):
                return question.revised(w, field_id, words)
            case Review(outstanding=problems):
                return review.review(w, state, problems, named)
            case AskConfirm():
                return confirm.confirm(w, state, effect)
            case Kept(about=kept):
                return text_screen(texts.KEPT[kept])
            case Deleted():
                return welcome.deleted(w)
            case Withdrawn(reference=reference):
                return text_screen(texts.WITHDRAWN_DONE.format(reference=reference))
            case Submitted(reference=reference, copy_sent=copy_sent):
                return welcome.submitted(w, state, reference, copy_sent=copy_sent)
            case Paused():
                return welcome.paused(w)
            case SubmitRefused() | AskCode() | EmailChecked() | SendCode() | CheckCode():
                return email_code.screen(effect)
        raise ValueError(f"no screen for {effect!r}")

    def welcome(self, state: NominationState | None) -> Screen:
        return welcome.welcome(self.wording, state).shown_for(about(self.form, state))

    def where(self, state: NominationState) -> str:
        return welcome.where(self.wording, state)

    def status(self, state: NominationState | None) -> Screen:
        return welcome.status(self.wording, state)

    def no_draft(self) -> Screen:
        return welcome.no_draft(self.wording)

    def gone_nomination(self, *, sent: bool) -> Screen:
        return welcome.gone(self.wording, sent=sent)

    def notice(self, news: RoundNotice | None) -> Screen | None:
        return welcome.notice(self.wording, news)

    def review(
        self, state: NominationState, problems: Sequence[Outstanding], page: int = 1
    ) -> Screen:
        screen = review.review(self.wording, state, problems, page=page)
        return screen.shown_for(about(self.form, state))

    def full_answer(self, state: NominationState, field_id: str) -> Screen:
        screen = review.full_answer(self.wording, state, field_id)
        return screen.shown_for(about(self.form, state))

    def field_named(self, state: NominationState, name: str) -> str | None:
        """The visible field a nominator means by "Q2", "q2", "3" (its step) or its label."""
        wanted = name.strip().casefold()
        fields = engine.visible_fields(self.form, state)
        for step, f in enumerate(fields, 1):
            names = {f.id, f.label.casefold(), str(step)}
            if f.number:
                names.add(f.number.casefold())
            if wanted in names:
                return f.id
        return None
