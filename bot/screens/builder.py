"""Effects become screens: what to say and which buttons to offer, independent of front end.

A screen is made of paragraphs of styled spans of *raw* text; each front end escapes and formats
it at its own edge (HTML for Telegram, plain text for the terminal). Buttons name an action from
the one table in bot/actions.py, which also turns an action back into an engine event.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.screens import email_code as limit_screens
from bot.screens import texts
from bot.screens.actions import Action as Action
from bot.screens.actions import event_for as event_for
from bot.screens.actions import how_to_start
from bot.screens.parts import Button as Button
from bot.screens.parts import Paragraph as Paragraph
from bot.screens.parts import Screen as Screen
from bot.screens.parts import Span as Span
from bot.screens.parts import Style as Style
from bot.screens.parts import text_screen as text_screen
from bot.screens.wording import REVIEW_FULL_CHARS, opening, progress_text, question_title
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
    Problem,
    Reprompt,
    Review,
    Revised,
    SendCode,
    SubmitRefused,
    Submitted,
    Withdrawn,
)
from flows.form import NO, YES, FieldKind, Form, FormField
from flows.journey import asked_field, nominator_email
from flows.state import Confirmation, NominationState


class ScreenBuilder:
    """Turns engine effects into screens for one form, in one front end's words for starting
    again ("send /start" on Telegram, "type start" at a terminal)."""

    def __init__(
        self, form: Form, *, telegram: bool = True, allowed_domains: Sequence[str] = ()
    ) -> None:
        self.form = form
        self.start = how_to_start(telegram=telegram)
        self.allowed_domains = tuple(allowed_domains)  # ALLOWED_EMAIL_DOMAINS, for its problem

    def for_terminal(self) -> ScreenBuilder:
        """The same screens, worded for the terminal."""
        return ScreenBuilder(self.form, telegram=False)

    def render(self, state: NominationState | None, effects: Iterable[Effect]) -> list[Screen]:
        """The screens for an outcome. With no draft left (it was deleted, or there never was
        one), what the effects say about that, or else the welcome."""
        if state is None:
            gone = [self.gone(effect) for effect in effects]
            screens = [screen for screen in gone if screen is not None]
            return screens or [self.welcome(None)]
        return [self.screen(state, effect) for effect in effects]

    def gone(self, effect: Effect) -> Screen | None:
        """An effect that needs no draft to show."""
        match effect:
            case Deleted():
                return text_screen(texts.DELETED_TO.format(start=self.start))
            case Kept(about=about):
                return text_screen(texts.KEPT[about])
        return None

    def screen(self, state: NominationState, effect: Effect) -> Screen:
        match effect:
            case Ask():
                return self.ask(state, effect)
            case Hints(field_id=field_id):
                return self.hints(self.form.field(field_id))
            case Reprompt():
                return self.reprompt(state, effect)
            case Note(field_id=field_id, problem=problem):
                return self.note(state, field_id, problem)
            case PartSaved():
                return self.part_saved(effect)
            case Revised(field_id=field_id, words=words):
                label = self.form.field(field_id).label
                return text_screen(
                    texts.REVISED.format(field=label, words=words, word_s=texts.plural(words))
                )
            case Review(outstanding=problems):
                return self.review(state, problems)
            case AskConfirm():
                return self.confirm(state, effect)
            case Kept(about=about):
                return text_screen(texts.KEPT[about])
            case Deleted():
                return text_screen(texts.DELETED_TO.format(start=self.start))
            case Withdrawn(reference=reference):
                return text_screen(texts.WITHDRAWN_DONE.format(reference=reference))
            case Submitted(reference=reference, copy_sent=copy_sent):
                return self.submitted(state, reference, copy_sent=copy_sent)
            case Paused():
                return text_screen(texts.PAUSED_TO.format(start=self.start))
            case SubmitRefused() | AskCode() | EmailChecked() | SendCode() | CheckCode():
                return limit_screens.screen(effect, self._review_button())

    def welcome(self, state: NominationState | None) -> Screen:
        """The award's whole introduction, word for word, then how this works or where the
        nominator's draft stands."""
        intro = [
            (Span(self.form.title, Style.BOLD),),
            (Span(self.form.organiser, Style.ITALIC),),
            *((Span(paragraph),) for paragraph in self.form.introduction),
        ]
        if state is None or state.is_submitted:
            questions = sum(1 for f in self.form.fields if f.is_question)
            intro.append((Span(texts.WELCOME_NEW.format(questions=questions)),))
            return Screen(tuple(intro), ((Button(texts.START_BUTTON, Action.START),),))
        where = self.where(state)
        nominee = engine.nominee_name(self.form, state)
        back = texts.WELCOME_BACK_FOR if nominee else texts.WELCOME_BACK
        intro.append(
            (Span(back.format(reference=state.reference, nominee=nominee, progress=where)),)
        )
        attention = [
            p for p in engine.outstanding(self.form, state) if p.problem in texts.ATTENTION
        ]
        if attention:
            intro.append((Span(texts.WELCOME_ATTENTION, Style.BOLD),))
            intro.extend((Span("• " + self._outstanding_text(p)),) for p in attention)
        button = Button(texts.CONTINUE_BUTTON.format(progress=where), Action.START)
        return Screen(tuple(intro), ((button,), (Button(texts.LIST_BUTTON, Action.LIST),)))

    def where(self, state: NominationState) -> str:
        """ "Step 6 of 14" for a draft's position, or the review (also for a draft from an older
        form standing at a field this form lacks: continuing will find its place)."""
        form_field = asked_field(self.form, state)
        if form_field is None:
            return texts.AT_REVIEW
        return progress_text(engine.progress(self.form, state, form_field))

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

    def status(self, state: NominationState) -> Screen:
        fields = engine.visible_fields(self.form, state)
        answered = sum(1 for f in fields if state.answer(f.id) is not None)
        return text_screen(
            texts.STATUS_DRAFT.format(
                reference=state.reference,
                progress=self.where(state),
                answered=answered,
                total=len(fields),
            )
        )

    def ask(self, state: NominationState, effect: Ask, reason: str | None = None) -> Screen:
        """A question, in this nomination's words; after an error, `reason` comes first (and the
        award's guidance, already shown, does not)."""
        f = engine.as_asked(self.form, state, effect.field_id)
        paragraphs: list[Paragraph] = []
        if reason is not None:
            paragraphs.append((Span(reason, Style.BOLD),))
        elif effect.progress.question == 1:
            paragraphs.append((Span(self.form.guidance),))
        # With several drafts, each question names whose nomination it is (once that is known).
        nominee, where = engine.nominee_name(self.form, state), progress_text(effect.progress)
        heading = texts.NOMINATION_FOR.format(nominee=nominee, progress=where) if nominee else where
        paragraphs.append((Span(heading, Style.ITALIC),))
        paragraphs.append((Span(question_title(f), Style.BOLD),))
        if f.in_short:
            paragraphs.append((Span(f.in_short, Style.ITALIC),))
        if f.help:
            paragraphs.append((Span(f.help),))
        if f.is_long:
            paragraphs.extend(self._long_answer(f, effect))
            rows = self._long_rows(f, effect)
        else:
            rows = self._option_rows(f)
            if effect.current is not None:
                shown = f.display(effect.current)
                paragraphs.append((Span(texts.CURRENT_SHORT.format(answer=shown)),))
                if f.kind in (FieldKind.SHORT_TEXT, FieldKind.EMAIL):
                    paragraphs.append((Span(texts.KEEP_TIP),))
                    rows.append((Button(texts.BUTTON_KEEP, Action.KEEP),))
        if not f.required:
            rows.append((Button(texts.BUTTON_SKIP, Action.SKIP),))
        nav = [Button(texts.BUTTON_REVIEW, Action.REVIEW)]
        if effect.progress.step > 1 or state.returning_to_review:
            nav.insert(0, Button(texts.BUTTON_BACK, Action.BACK))
        rows.append(tuple(nav))
        return Screen(tuple(paragraphs), tuple(rows))

    def _long_answer(self, f: FormField, effect: Ask) -> list[Paragraph]:
        if effect.current is not None and effect.replacing:
            return [(Span(texts.REPLACING, Style.BOLD),), (Span(effect.current, Style.QUOTE),)]
        tip = texts.LONG_ANSWER_TIP
        if f.max_words:
            tip = f"{tip} {texts.LONG_ANSWER_LIMIT.format(max_words=f.max_words)}"
        paragraphs: list[Paragraph] = [(Span(tip),)]
        if effect.current is not None:
            paragraphs.append((Span(texts.CURRENT_ANSWER),))
            paragraphs.append((Span(effect.current, Style.QUOTE),))
        return paragraphs

    def _long_rows(self, f: FormField, effect: Ask) -> list[tuple[Button, ...]]:
        hints = [Button(texts.BUTTON_HINTS, Action.HINTS)] if f.hints else []
        if effect.current is not None and effect.replacing:
            return [(*hints, Button(texts.BUTTON_ADD_TO, Action.ADD_TO))]
        rows: list[tuple[Button, ...]] = [(*hints, Button(texts.BUTTON_DONE, Action.DONE))]
        if effect.current is not None:
            rows.append((Button(texts.BUTTON_CLEAR, Action.CLEAR),))
        return rows

    def _option_rows(self, f: FormField) -> list[tuple[Button, ...]]:
        if f.kind is FieldKind.CHOICE:
            return [(Button(o.label, Action.ANSWER, o.value),) for o in f.options]
        if f.kind is FieldKind.YES_NO:
            return [
                (
                    Button(texts.BUTTON_YES, Action.ANSWER, YES),
                    Button(texts.BUTTON_NO, Action.ANSWER, NO),
                )
            ]
        return []

    def hints(self, f: FormField) -> Screen:
        paragraphs: list[Paragraph] = [
            (Span(texts.HINTS_TITLE.format(number=f.number or f.label), Style.BOLD),),
        ]
        if f.hints_intro:
            paragraphs.append((Span(f.hints_intro),))
        paragraphs.extend((Span(f"• {hint}"),) for hint in f.hints)
        paragraphs.append((Span(texts.HINTS_FOOTER, Style.ITALIC),))
        return Screen(tuple(paragraphs))

    def reprompt(self, state: NominationState, effect: Reprompt) -> Screen:
        """What is wrong and how to fix it, then where the nominator is, with its buttons."""
        reason = self._reason(state, effect)
        if state.is_submitted:
            return text_screen(reason)
        here = asked_field(self.form, state)
        if here is None:
            return Screen(((Span(reason, Style.BOLD),),), self._review_button())
        where = Ask(
            here.id,
            engine.progress(self.form, state, here),
            state.answer(here.id),
            state.replacing,
        )
        return self.ask(state, where, reason)

    def _reason(self, state: NominationState, effect: Reprompt) -> str:
        f = engine.as_asked(self.form, state, effect.field_id) if effect.field_id else None
        label = (f.number or f.label) if f else ""
        if f is not None and effect.problem is Problem.EMPTY and f.is_long:
            return texts.EMPTY_LONG.format(label=label)
        if f is not None and effect.problem is Problem.BAD_PATTERN and f.pattern_error:
            return f.pattern_error
        words = engine.word_count(state.answer(f.id)) if f else 0
        options = ", ".join(o.label for o in f.options) if f else ""
        domains = texts.DOMAINS_JOIN.join(f"@{d}" for d in self.allowed_domains)
        return texts.PROBLEMS[effect.problem].format(
            limit=effect.limit,
            options=options,
            words=words,
            word_s=texts.plural(words),
            domains=domains,
        )

    def _review_button(self) -> tuple[tuple[Button, ...], ...]:
        return ((Button(texts.BUTTON_REVIEW, Action.REVIEW),),)

    def confirm(self, state: NominationState, effect: AskConfirm) -> Screen:
        """A yes/no question that waits for its answer (clear, delete, save typed text)."""
        label = ""
        if effect.field_id is not None and self.form.has_field(effect.field_id):
            f = engine.as_asked(self.form, state, effect.field_id)
            label = f.number or f.label
        nominee = engine.nominee_name(self.form, state)
        named = texts.RETENTION_FOR_NOMINEE.format(nominee=nominee) if nominee else ""
        question = texts.CONFIRM[effect.about].format(
            words=effect.words, label=label, reference=state.reference, for_nominee=named
        )
        paragraphs: list[Paragraph] = []
        if effect.again:
            paragraphs.append((Span(texts.CONFIRM_AGAIN, Style.BOLD),))
        paragraphs.append((Span(question),))
        typed = state.pending.text if state.pending is not None else None
        if effect.about is Confirmation.SAVE_TYPED and typed is not None:
            paragraphs.append((Span(typed, Style.QUOTE),))
        buttons = (
            Button(texts.CONFIRM_YES[effect.about], Action.CONFIRM),
            Button(texts.CONFIRM_NO[effect.about], Action.DECLINE),
        )
        return Screen(tuple(paragraphs), (buttons,))

    def note(self, state: NominationState, field_id: str, problem: Problem) -> Screen:
        if problem is Problem.CONSENT_REFUSED:
            return text_screen(texts.CONSENT_REFUSED_NOTE)
        return text_screen(texts.OVER_LIMIT_NOTE)

    def part_saved(self, effect: PartSaved) -> Screen:
        if effect.max_words:
            saved = texts.PART_SAVED_LIMIT.format(words=effect.words, max_words=effect.max_words)
        else:
            saved = texts.PART_SAVED.format(words=effect.words, word_s=texts.plural(effect.words))
        if effect.words_over:
            more = texts.OVER_LIMIT_BY.format(
                over=effect.words_over,
                word_s=texts.plural(effect.words_over),
                max_words=effect.max_words,
            )
        else:
            more = texts.PART_SAVED_NEXT
        rows = ((Button(texts.BUTTON_DONE, Action.DONE), Button(texts.BUTTON_CLEAR, Action.CLEAR)),)
        return Screen(((Span(f"{saved} {more}"),),), rows)

    def review(self, state: NominationState, problems: Sequence[Outstanding]) -> Screen:
        visible = {f.id for f in engine.visible_fields(self.form, state)}
        paragraphs: list[Paragraph] = [
            (Span(texts.REVIEW_TITLE.format(reference=state.reference), Style.BOLD),)
        ]
        edit_buttons: list[Button] = []
        full_buttons: list[Button] = []
        for section in self.form.sections:
            # In this nomination's words: "Team lead and role" for a team.
            fields = [
                engine.as_asked(self.form, state, f.id) for f in section.fields if f.id in visible
            ]
            if not fields:
                continue
            paragraphs.append((Span(section.title.upper(), Style.BOLD),))
            details: list[Span] = []
            for f in fields:
                edit_buttons.append(
                    Button(texts.CHANGE_BUTTON.format(label=f.number or f.label), Action.EDIT, f.id)
                )
                answer = state.answer(f.id)
                if not f.is_long:
                    if details:
                        details.append(Span("\n"))
                    details.append(Span(f"{f.label}: ", Style.BOLD))
                    details.append(Span(f.display(answer)))
                    continue
                if details:
                    paragraphs.append(tuple(details))
                    details = []
                paragraphs.extend(self._long_answer_review(f, answer, full_buttons))
            if details:
                paragraphs.append(tuple(details))
        rows: list[tuple[Button, ...]] = [(b,) for b in full_buttons]
        rows += [tuple(edit_buttons[i : i + 2]) for i in range(0, len(edit_buttons), 2)]
        if problems:
            paragraphs.append((Span(texts.REVIEW_BLOCKED, Style.BOLD),))
            for problem in problems:
                paragraphs.append((Span("• " + self._outstanding_text(problem)),))
            first = self.form.field(problems[0].field_id)
            label = first.number or first.label
            rows.insert(0, (Button(texts.FIX_BUTTON.format(label=label), Action.EDIT, first.id),))
        else:
            paragraphs.append((Span(texts.REVIEW_READY),))
            rows.insert(0, (Button(texts.SUBMIT_BUTTON, Action.SUBMIT),))
        return Screen(tuple(paragraphs), tuple(rows))

    def _long_answer_review(
        self, f: FormField, answer: str | None, full_buttons: list[Button]
    ) -> list[Paragraph]:
        """An award answer on the review: its question, the answer (only its opening if very
        long, with a button added to `full_buttons` to read it all) and its word count."""
        paragraphs: list[Paragraph] = [(Span(question_title(f), Style.BOLD),)]
        if answer is None:
            return [*paragraphs, (Span(texts.REVIEW_NOT_GIVEN, Style.ITALIC),)]
        label = f.number or f.label
        if len(answer) > REVIEW_FULL_CHARS:
            paragraphs.append((Span(opening(answer), Style.QUOTE),))
            paragraphs.append((Span(texts.REVIEW_SHORTENED.format(label=label), Style.ITALIC),))
            full_buttons.append(
                Button(texts.FULL_BUTTON.format(label=label), Action.FULL_ANSWER, f.id)
            )
        else:
            paragraphs.append((Span(answer, Style.QUOTE),))
        return [*paragraphs, (Span(self._word_count(f, answer), Style.ITALIC),)]

    def _word_count(self, f: FormField, answer: str) -> str:
        words = engine.word_count(answer)
        if f.max_words:
            return texts.REVIEW_WORDS_LIMIT.format(words=words, max_words=f.max_words)
        return texts.REVIEW_WORDS.format(words=words, word_s=texts.plural(words))

    def full_answer(self, state: NominationState, field_id: str) -> Screen:
        """One answer in full, asked for from the review; then back to the review."""
        f = engine.as_asked(self.form, state, field_id)
        answer = state.answer(field_id)
        paragraphs: list[Paragraph] = [(Span(question_title(f), Style.BOLD),)]
        if answer is None:
            paragraphs.append((Span(texts.REVIEW_NOT_GIVEN, Style.ITALIC),))
        else:
            paragraphs.append((Span(answer, Style.QUOTE),))
            paragraphs.append((Span(self._word_count(f, answer), Style.ITALIC),))
        return Screen(tuple(paragraphs), self._review_button())

    def _outstanding_text(self, problem: Outstanding) -> str:
        f = self.form.field(problem.field_id)
        return texts.OUTSTANDING[problem.problem].format(
            label=f.number or f.label,
            over=problem.words_over,
            word_s=texts.plural(problem.words_over),
        )

    def submitted(
        self, state: NominationState, reference: str, *, copy_sent: bool = True
    ) -> Screen:
        email = nominator_email(self.form, state) or ""
        copy = texts.SUBMITTED_COPY if copy_sent else texts.SUBMITTED_NO_COPY
        return Screen(
            (
                (Span(texts.SUBMITTED, Style.BOLD),),
                (
                    Span(texts.SUBMITTED_REFERENCE.split("{reference}")[0]),
                    Span(reference, Style.BOLD),
                    Span(texts.SUBMITTED_REFERENCE.split("{reference}")[1]),
                ),
                (Span(copy.format(email=email)),),
                (Span(self.form.next_steps),),
                (Span(texts.SUBMITTED_AGAIN_TO.format(start=self.start)),),
            )
        )
