"""The state machine: given a form, a nomination's state and an event, the next state and effects.

Pure: no I/O, no clock, no randomness. The same inputs always give the same outputs, which is what
lets the store save exactly what changed and the tests replay any sequence of events.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic.networks import validate_email
from pydantic_core import PydanticCustomError

from flows.effects import (
    Ask,
    Effect,
    Hints,
    Note,
    Outstanding,
    PartSaved,
    Paused,
    Problem,
    Progress,
    Reprompt,
    Review,
    Revised,
    Submitted,
)
from flows.events import (
    Answer,
    Back,
    Cancel,
    Clear,
    Done,
    Edit,
    Event,
    GoToReview,
    Replace,
    Revise,
    ShowHints,
    Skip,
    Start,
    Submit,
)
from flows.form import NO, YES, FieldKind, Form, FormField
from flows.state import REVIEW, NominationState, Part, Status


def word_count(text: str | None) -> int:
    """Words as a reader counts them: runs of non-space characters."""
    return len(text.split()) if text else 0


def is_visible(form: Form, form_field: FormField, state: NominationState) -> bool:
    """Whether this nomination asks the field (see visible_fields)."""
    return any(f.id == form_field.id for f in visible_fields(form, state))


def visible_fields(form: Form, state: NominationState) -> tuple[FormField, ...]:
    """The fields this nomination asks, in order (e.g. team name only for a team).

    A field is asked when each field it depends on (show_if) is itself asked and has the named
    answer: an answer left behind in a field that is no longer asked decides nothing.
    """
    shown: dict[str, FormField] = {}
    for f in form.fields:
        if all(dep in shown and state.answer(dep) == value for dep, value in f.show_if.items()):
            shown[f.id] = f
    return tuple(shown.values())


def nominee_name(form: Form, state: NominationState) -> str | None:
    """What to call the nominee: the first asked and answered of the form's nominee fields."""
    for field_id in form.roles.nominee:
        if is_visible(form, form.field(field_id), state):
            answer = state.answer(field_id)
            if answer:
                return answer
    return None


@dataclass(frozen=True, slots=True)
class Transition:
    """The engine's answer to one event."""

    state: NominationState
    effects: tuple[Effect, ...]


def new_nomination(form: Form, reference: str) -> NominationState:
    """A fresh draft, positioned at the first question."""
    blank = NominationState(
        form_id=form.id, form_version=form.version, reference=reference, position=REVIEW
    )
    return blank.model_copy(update={"position": visible_fields(form, blank)[0].id})


def first_position(form: Form) -> str:
    """Where a new nomination starts."""
    return visible_fields(
        form,
        NominationState(form_id=form.id, form_version=form.version, reference="", position=REVIEW),
    )[0].id


def progress(form: Form, state: NominationState, form_field: FormField) -> Progress:
    """Where a field sits: "Step 6 of 14", and "Question 3 of 4" for the award questions."""
    fields = visible_fields(form, _assume_first_options(form, state))
    questions = [f for f in fields if f.is_question]
    step = next(i for i, f in enumerate(fields, 1) if f.id == form_field.id)
    if form_field.is_question:
        question = next(i for i, f in enumerate(questions, 1) if f.id == form_field.id)
        return Progress(step, len(fields), question, len(questions))
    return Progress(step, len(fields))


def _assume_first_options(form: Form, state: NominationState) -> NominationState:
    """For counting steps before a choice is made (individual or team?), assume its first option,
    so the count does not jump when the choice is made the expected way."""
    answers = dict(state.answers)
    for f in form.fields:
        for dep in f.show_if:
            target = form.field(dep)
            if dep not in answers and target.options:
                answers[dep] = (Part(text=target.options[0].value),)
    return state.model_copy(update={"answers": answers})


def outstanding(form: Form, state: NominationState) -> tuple[Outstanding, ...]:
    """What stops this nomination being submitted, in form order."""
    found: list[Outstanding] = []
    for f in visible_fields(form, state):
        answer = state.answer(f.id)
        if answer is None:
            if f.required:
                found.append(Outstanding(f.id, Problem.MISSING))
        elif f.must_be_yes and answer != YES:
            found.append(Outstanding(f.id, Problem.CONSENT_REFUSED))
        elif f.max_words is not None and word_count(answer) > f.max_words:
            found.append(Outstanding(f.id, Problem.OVER_LIMIT, word_count(answer) - f.max_words))
    return tuple(found)


def validate(form_field: FormField, text: str) -> str | Reprompt:
    """The answer to store for `text`, normalised, or why it can't be accepted."""
    # One-line answers: newlines and runs of spaces from a paste become single spaces.
    value = text.strip() if form_field.is_long else " ".join(text.split())
    if not value:
        return Reprompt(form_field.id, Problem.EMPTY)
    if len(value) > form_field.char_limit:
        return Reprompt(form_field.id, Problem.TOO_LONG, form_field.char_limit)
    match form_field.kind:
        case FieldKind.EMAIL:
            try:
                _, value = validate_email(value)
            except PydanticCustomError:
                return Reprompt(form_field.id, Problem.BAD_EMAIL)
        case FieldKind.CHOICE:
            chosen = _choose(form_field, value)
            if chosen is None:
                return Reprompt(form_field.id, Problem.NOT_AN_OPTION)
            value = chosen
        case FieldKind.YES_NO:
            word = value.casefold().rstrip(".!")
            if word in _YES_WORDS:
                value = YES
            elif word in _NO_WORDS:
                value = NO
            else:
                return Reprompt(form_field.id, Problem.NOT_YES_NO)
        case FieldKind.SHORT_TEXT:
            if form_field.pattern is not None and not re.fullmatch(form_field.pattern, value):
                return Reprompt(form_field.id, Problem.BAD_PATTERN)
        case FieldKind.LONG_TEXT:
            pass
    return value


_YES_WORDS = frozenset({"yes", "y", "yeah", "yep", "1", "true"})
_NO_WORDS = frozenset({"no", "n", "nope", "2", "false"})


def _choose(form_field: FormField, value: str) -> str | None:
    wanted = value.casefold()
    for number, option in enumerate(form_field.options, 1):
        if wanted in (option.value, option.label.casefold(), str(number)):
            return option.value
    return None


def handle(form: Form, state: NominationState, event: Event) -> Transition:
    """Apply one event to a nomination: the single entry point of the engine."""
    if state.is_submitted:
        if isinstance(event, Start):
            return Transition(state, (Submitted(state.reference),))
        return Transition(state, (Reprompt(None, Problem.ALREADY_SUBMITTED),))
    state = _fit_to_form(form, state)
    match event:
        case Start():
            return Transition(state, (_show_position(form, state),))
        case Answer(text=text, source=source):
            return _answer(form, state, text, source, replace=False)
        case Replace(text=text, source=source):
            return _answer(form, state, text, source, replace=True)
        case Revise(source=source, text=text):
            return _revise(form, state, source, text)
        case Clear():
            return _clear(form, state)
        case Done():
            return _done(form, state)
        case Back():
            return _back(form, state)
        case Skip():
            return _skip(form, state)
        case ShowHints():
            current = _current_field(form, state)
            if current is None or not current.hints:
                return Transition(state, (Reprompt(state_field_id(state), Problem.NO_HINTS),))
            return Transition(state, (Hints(current.id),))
        case GoToReview():
            return _review(form, state)
        case Edit(field_id=field_id):
            if not form.has_field(field_id) or not is_visible(form, form.field(field_id), state):
                return Transition(state, (Reprompt(state_field_id(state), Problem.UNKNOWN_FIELD),))
            moved = state.model_copy(update={"position": field_id, "returning_to_review": True})
            return Transition(moved, (_show_position(form, moved),))
        case Submit():
            if not state.at_review:
                return _review(form, state)
            problems = outstanding(form, state)
            if problems:
                return Transition(state, (Review(problems),))
            sent = state.model_copy(update={"status": Status.SUBMITTED})
            return Transition(sent, (Submitted(sent.reference),))
        case Cancel():
            return Transition(state, (Paused(),))


def state_field_id(state: NominationState) -> str | None:
    """The field being asked, or None on the review screen."""
    return None if state.at_review else state.position


def _current_field(form: Form, state: NominationState) -> FormField | None:
    field_id = state_field_id(state)
    return form.field(field_id) if field_id is not None else None


def _show_position(form: Form, state: NominationState) -> Effect:
    current = _current_field(form, state)
    if current is None:
        return Review(outstanding(form, state))
    return Ask(current.id, progress(form, state, current), state.answer(current.id))


def _review(form: Form, state: NominationState) -> Transition:
    moved = state.model_copy(update={"position": REVIEW, "returning_to_review": False})
    return Transition(moved, (Review(outstanding(form, moved)),))


def _with_answer(state: NominationState, field_id: str, parts: tuple[Part, ...]) -> NominationState:
    answers = dict(state.answers)
    if parts:
        answers[field_id] = parts
    else:
        answers.pop(field_id, None)
    return state.model_copy(update={"answers": answers})


def _answer(
    form: Form, state: NominationState, text: str, source: str | None, *, replace: bool
) -> Transition:
    current = _current_field(form, state)
    if current is None:
        return Transition(state, (Reprompt(None, Problem.USE_REVIEW_BUTTONS),))
    value = validate(current, text)
    if isinstance(value, Reprompt):
        return Transition(state, (value,))
    part = Part(text=value, source=source)
    if current.is_long:
        earlier = () if replace else state.answers.get(current.id, ())
        joined_length = sum(len(p.text) + 2 for p in earlier) + len(value)
        if joined_length > current.char_limit:
            return Transition(state, (Reprompt(current.id, Problem.TOO_LONG, current.char_limit),))
        saved = _with_answer(state, current.id, (*earlier, part))
        words = word_count(saved.answer(current.id))
        return Transition(saved, (PartSaved(current.id, words, current.max_words),))
    saved = _with_answer(state, current.id, (part,))
    notes: tuple[Effect, ...] = ()
    if current.must_be_yes and value != YES:
        notes = (Note(current.id, Problem.CONSENT_REFUSED),)
    return _advance(form, saved, current, notes)


def _advance(
    form: Form, state: NominationState, after: FormField, notes: tuple[Effect, ...] = ()
) -> Transition:
    """Move past `after`: to the next field, or, when editing from the review, back to it once
    nothing it newly needs (e.g. a team's name after switching to a team) is missing."""
    fields = visible_fields(form, state)
    if state.returning_to_review:
        needed = next((f for f in fields if f.required and state.answer(f.id) is None), None)
        if needed is None or needed.id == after.id:
            moved = state.model_copy(update={"position": REVIEW, "returning_to_review": False})
            return Transition(moved, (*notes, Review(outstanding(form, moved))))
        moved = state.model_copy(update={"position": needed.id})
        return Transition(moved, (*notes, _show_position(form, moved)))
    later = _fields_after(form, state, after)
    if not later:
        return _with_notes(_review(form, state), notes)
    moved = state.model_copy(update={"position": later[0].id})
    return Transition(moved, (*notes, _show_position(form, moved)))


def _with_notes(transition: Transition, notes: tuple[Effect, ...]) -> Transition:
    return Transition(transition.state, (*notes, *transition.effects))


def _fields_after(form: Form, state: NominationState, after: FormField) -> list[FormField]:
    """Visible fields that come after `after` in the form (which may itself now be hidden)."""
    order = [f.id for f in form.fields]
    index = order.index(after.id)
    return [f for f in visible_fields(form, state) if order.index(f.id) > index]


def _settle(form: Form, state: NominationState) -> NominationState:
    """Keep the position on a visible field after an answer changed what is visible."""
    current = _current_field(form, state)
    if current is None or is_visible(form, current, state):
        return state
    later = _fields_after(form, state, current)
    return state.model_copy(update={"position": later[0].id if later else REVIEW})


def _fit_to_form(form: Form, state: NominationState) -> NominationState:
    """A draft saved under an older version of the form may stand at a field the form no longer
    has: carry on at the first unanswered required field, or the review. (Answers to removed
    fields are kept, and ignored.)"""
    if state.at_review or form.has_field(state.position):
        return state
    fields = visible_fields(form, state)
    needed = next((f for f in fields if f.required and state.answer(f.id) is None), None)
    return state.model_copy(update={"position": needed.id if needed else REVIEW})


def _revise(form: Form, state: NominationState, source: str, text: str) -> Transition:
    for field_id, parts in state.answers.items():
        index = next((i for i, p in enumerate(parts) if p.source == source), None)
        if index is None or not form.has_field(field_id):
            continue
        form_field = form.field(field_id)
        value = validate(form_field, text)
        if isinstance(value, Reprompt):
            return Transition(state, (value,))
        revised_parts = (*parts[:index], Part(text=value, source=source), *parts[index + 1 :])
        if len("\n\n".join(p.text for p in revised_parts)) > form_field.char_limit:
            return Transition(state, (Reprompt(field_id, Problem.TOO_LONG, form_field.char_limit),))
        revised = _settle(form, _with_answer(state, field_id, revised_parts))
        words = word_count(revised.answer(field_id))
        return Transition(revised, (Revised(field_id, words, form_field.max_words),))
    # An edit of a message that was not an answer (a command, say) changes nothing.
    return Transition(state, ())


def _clear(form: Form, state: NominationState) -> Transition:
    current = _current_field(form, state)
    if current is None or not current.is_long:
        return Transition(state, (Reprompt(state_field_id(state), Problem.NOT_LONG_ANSWER),))
    if state.answer(current.id) is None:
        return Transition(state, (Reprompt(current.id, Problem.NOTHING_TO_CLEAR),))
    cleared = _with_answer(state, current.id, ())
    return Transition(cleared, (_show_position(form, cleared),))


def _done(form: Form, state: NominationState) -> Transition:
    current = _current_field(form, state)
    if current is None:
        return Transition(state, (Review(outstanding(form, state)),))
    answer = state.answer(current.id)
    if answer is None:
        if current.required:
            return Transition(state, (Reprompt(current.id, Problem.EMPTY),))
        return _advance(form, state, current)
    notes: tuple[Effect, ...] = ()
    if current.max_words is not None and word_count(answer) > current.max_words:
        notes = (Note(current.id, Problem.OVER_LIMIT),)
    return _advance(form, state, current, notes)


def _back(form: Form, state: NominationState) -> Transition:
    if state.returning_to_review:
        return _review(form, state)
    fields = visible_fields(form, state)
    if state.at_review:
        moved = state.model_copy(update={"position": fields[-1].id})
        return Transition(moved, (_show_position(form, moved),))
    index = next(i for i, f in enumerate(fields) if f.id == state.position)
    if index == 0:
        return Transition(state, (Reprompt(state.position, Problem.NOTHING_BEFORE),))
    moved = state.model_copy(update={"position": fields[index - 1].id})
    return Transition(moved, (_show_position(form, moved),))


def _skip(form: Form, state: NominationState) -> Transition:
    current = _current_field(form, state)
    if current is None or current.required:
        return Transition(state, (Reprompt(state_field_id(state), Problem.CANNOT_SKIP),))
    return _advance(form, _with_answer(state, current.id, ()), current)
