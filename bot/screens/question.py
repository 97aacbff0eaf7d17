"""A question on screen: its heading and progress ("Nomination for Priya Shah · Question 2 of 4"),
its text and buttons, its examples, what was wrong with an answer, and the receipts for a part of
a long answer or an edited message."""

from __future__ import annotations

from bot.screens import texts
from bot.screens.actions import Action
from bot.screens.parts import Button, Paragraph, Rows, Screen, Span, Style, text_screen
from bot.screens.wording import Wording
from flows import engine
from flows.effects import Ask, PartSaved, Problem, Progress, Reprompt
from flows.form import NO, YES, FieldKind, FormField
from flows.journey import asked_field
from flows.state import NominationState


def progress_text(p: Progress) -> str:
    if p.question is not None and p.questions is not None:
        return texts.QUESTION.format(question=p.question, questions=p.questions)
    return texts.STEP.format(step=p.step, steps=p.steps)


def question_title(form_field: FormField) -> str:
    return f"{form_field.number} {form_field.prompt}" if form_field.number else form_field.prompt


def heading(w: Wording, state: NominationState, progress: Progress, named: str | None) -> str:
    """Where the question sits, naming whose nomination (or statement) it is once known: with
    several drafts, nobody types into the wrong one. `named` is the nominee a statement is for."""
    nominee = named if named is not None else engine.nominee_name(w.form, state)
    where = progress_text(progress)
    return w.voice.heading.format(nominee=nominee, progress=where) if nominee else where


def review_button() -> Rows:
    return ((Button(texts.BUTTON_REVIEW, Action.REVIEW),),)


def ask(
    w: Wording,
    state: NominationState,
    effect: Ask,
    reason: str | None = None,
    named: str | None = None,
) -> Screen:
    """A question, in this nomination's words; after an error, `reason` comes first (and the
    award's guidance, already shown, does not)."""
    f = engine.as_asked(w.form, state, effect.field_id)
    paragraphs: list[Paragraph] = []
    if reason is not None:
        paragraphs.append((Span(reason, Style.BOLD),))
    elif effect.progress.question == 1:
        paragraphs.append((Span(w.form.guidance),))
    paragraphs.append((Span(heading(w, state, effect.progress, named), Style.ITALIC),))
    paragraphs.append((Span(question_title(f), Style.BOLD),))
    if f.in_short:
        paragraphs.append((Span(f.in_short, Style.ITALIC),))
    if f.help:
        paragraphs.append((Span(f.help),))
    if f.is_long:
        paragraphs.extend(_long_answer(f, effect))
        rows = _long_rows(f, effect)
    else:
        rows = _option_rows(f)
        if effect.current is not None:
            shown = f.display(effect.current)
            paragraphs.append((Span(texts.CURRENT_SHORT.format(answer=shown)),))
            if f.kind in (FieldKind.SHORT_TEXT, FieldKind.EMAIL):
                paragraphs.append((Span(texts.KEEP_TIP),))
                rows.append((Button(texts.BUTTON_KEEP, Action.KEEP),))
    if not f.required:
        rows.append((Button(texts.BUTTON_SKIP, Action.SKIP),))
    # No review to look at before anything is answered: it would only list empty questions.
    nav = [Button(texts.BUTTON_REVIEW, Action.REVIEW)] if state.answers else []
    if effect.progress.step > 1 or state.returning_to_review:
        nav.insert(0, Button(texts.BUTTON_BACK, Action.BACK))
    rows.append(tuple(nav))
    return Screen(tuple(paragraphs), tuple(rows))


def _long_answer(f: FormField, effect: Ask) -> list[Paragraph]:
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


def _long_rows(f: FormField, effect: Ask) -> list[tuple[Button, ...]]:
    hints = [Button(texts.BUTTON_HINTS, Action.HINTS)] if f.hints else []
    if effect.current is not None and effect.replacing:
        return [(*hints, Button(texts.BUTTON_ADD_TO, Action.ADD_TO))]
    rows: list[tuple[Button, ...]] = [(*hints, Button(texts.BUTTON_DONE, Action.DONE))]
    if effect.current is not None:
        rows.append((Button(texts.BUTTON_CLEAR, Action.CLEAR),))
    return rows


def _option_rows(f: FormField) -> list[tuple[Button, ...]]:
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


def hints(f: FormField) -> Screen:
    paragraphs: list[Paragraph] = [
        (Span(texts.HINTS_TITLE.format(number=f.number or f.label), Style.BOLD),),
    ]
    if f.hints_intro:
        paragraphs.append((Span(f.hints_intro),))
    paragraphs.extend((Span(f"• {hint}"),) for hint in f.hints)
    paragraphs.append((Span(texts.HINTS_FOOTER, Style.ITALIC),))
    return Screen(tuple(paragraphs))


def reprompt(
    w: Wording, state: NominationState, effect: Reprompt, named: str | None = None
) -> Screen:
    """What is wrong and how to fix it, then where the nominator is, with its buttons."""
    why = reason(w, state, effect)
    if state.is_submitted:
        return text_screen(why)
    here = asked_field(w.form, state)
    if here is None:
        return Screen(((Span(why, Style.BOLD),),), review_button())
    where = Ask(
        here.id, engine.progress(w.form, state, here), state.answer(here.id), state.replacing
    )
    return ask(w, state, where, why, named)


def reason(w: Wording, state: NominationState, effect: Reprompt) -> str:
    f = engine.as_asked(w.form, state, effect.field_id) if effect.field_id else None
    label = (f.number or f.label) if f else ""
    if f is not None and effect.problem is Problem.EMPTY and f.is_long:
        return texts.EMPTY_LONG.format(label=label)
    if f is not None and effect.problem is Problem.BAD_PATTERN and f.pattern_error:
        return f.pattern_error
    words = engine.word_count(state.answer(f.id)) if f else 0
    options = ", ".join(o.label for o in f.options) if f else ""
    domains = texts.DOMAINS_JOIN.join(f"@{d}" for d in w.allowed_domains)
    return texts.PROBLEMS[effect.problem].format(
        limit=effect.limit,
        options=options,
        words=words,
        word_s=texts.plural(words),
        domains=domains,
        typed=glimpse(effect.typed),
        asks=f.prompt if f else "",
    )


def glimpse(typed: str, most: int = 40) -> str:
    """What was typed, as a reason quotes it: a long paste is cut, and says so."""
    return typed if len(typed) <= most else typed[: most - 1].rstrip() + "…"


def note(problem: Problem) -> Screen:
    if problem is Problem.CONSENT_REFUSED:
        return text_screen(texts.CONSENT_REFUSED_NOTE)
    return text_screen(texts.OVER_LIMIT_NOTE)


def part_saved(effect: PartSaved) -> Screen:
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


def revised(w: Wording, field_id: str, words: int) -> Screen:
    label = w.form.field(field_id).label
    return text_screen(texts.REVISED.format(field=label, words=words, word_s=texts.plural(words)))
