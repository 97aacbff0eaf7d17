"""A colleague's supporting statement on screen: the nomination's own screens (bot.screens, for
the statement's form), so its questions, receipts, problems, confirmations and review read
exactly as a nominator's do; only the words that would be wrong for a statement are changed.

Those are the heading ("Supporting statement for Priya Shah · Step 2 of 4", not the writer's
own name), the review's title and last line, and its Submit button, which sends the statement.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.screens import texts
from bot.screens.builder import Action, Button, Paragraph, Screen, ScreenBuilder, Span, Style
from bot.screens.wording import progress_text
from flows import engine
from flows.effects import Effect, Review
from flows.events import Start
from flows.form import Form
from flows.journey import asked_field
from flows.state import NominationState


class StatementScreens:
    """Screens for a statement's engine effects, naming the nominee it supports."""

    def __init__(self, form: Form) -> None:
        self.form = form
        self.builder = ScreenBuilder(form)

    def render(
        self, state: NominationState, effects: Iterable[Effect], *, nominee: str
    ) -> list[Screen]:
        screens = []
        for effect in effects:
            screen = self.builder.screen(state, effect)
            if isinstance(effect, Review):
                screen = self._review(screen, nominee)
            screens.append(self._headed(state, screen, nominee))
        return screens

    def position(self, state: NominationState, *, nominee: str) -> Screen:
        """Where the colleague is: their current step (or a question waiting), or the review."""
        effects = engine.handle(self.form, state, Start()).effects
        return self.render(state, effects, nominee=nominee)[0]

    def _headed(self, state: NominationState, screen: Screen, nominee: str) -> Screen:
        """The step's heading names the nominee, whatever the statement's own "nominee" role
        (the writer's name) says."""
        here = asked_field(self.form, state)
        if here is None:
            return screen
        where = progress_text(engine.progress(self.form, state, here))
        writer = engine.nominee_name(self.form, state)
        headings = {where, texts.NOMINATION_FOR.format(nominee=writer, progress=where)}
        heading = (Span(texts.STATEMENT_FOR.format(nominee=nominee, progress=where), Style.ITALIC),)
        return Screen(
            tuple(heading if _text(p) in headings else p for p in screen.paragraphs),
            screen.buttons,
        )

    def _review(self, screen: Screen, nominee: str) -> Screen:
        title = (Span(texts.STATEMENT_REVIEW.format(nominee=nominee), Style.BOLD),)
        words = {
            texts.REVIEW_READY: (Span(texts.STATEMENT_READY),),
            texts.REVIEW_BLOCKED: (Span(texts.STATEMENT_BLOCKED, Style.BOLD),),
        }
        paragraphs = (title, *(words.get(_text(p), p) for p in screen.paragraphs[1:]))
        rows = tuple(
            tuple(
                Button(texts.SUPPORT_SEND_BUTTON, b.action, b.arg, b.ref)
                if b.action is Action.SUBMIT
                else b
                for b in row
            )
            for row in screen.buttons
        )
        return Screen(paragraphs, rows)


def _text(paragraph: Paragraph) -> str:
    return "".join(span.text for span in paragraph)
