"""The state machine: given a form, a nomination's state and an event, the next state and effects.

Pure: no I/O, no clock, no randomness. The same inputs always give the same outputs, which is what
lets the store save exactly what changed and the tests replay any sequence of events.
"""

from __future__ import annotations

from dataclasses import dataclass

from flows import checking, withdrawing
from flows.effects import (
    Ask,
    AskConfirm,
    Deleted,
    Effect,
    Hints,
    Kept,
    Note,
    PartSaved,
    Paused,
    Problem,
    Reprompt,
    Review,
    Revised,
    Submitted,
)
from flows.events import (
    AddTo,
    Answer,
    Back,
    Cancel,
    ChangeEmail,
    CheckEmail,
    Clear,
    CodeResult,
    Confirm,
    Decline,
    Delete,
    Done,
    Edit,
    Event,
    GoToReview,
    ResendCode,
    Revise,
    ShowHints,
    Skip,
    SkipCode,
    Start,
    Submit,
    Withdraw,
)
from flows.form import YES, FieldKind, Form, FormField

# The engine's vocabulary in one import for callers: where a nomination is, and answer checks.
from flows.journey import as_asked as as_asked
from flows.journey import asked_field, is_visible
from flows.journey import first_position as first_position
from flows.journey import nominee_name as nominee_name
from flows.journey import outstanding as outstanding
from flows.journey import progress as progress
from flows.journey import visible_fields as visible_fields
from flows.state import REVIEW, Confirmation, NominationState, Part, Pending, Status
from flows.validation import too_long, yes_or_no
from flows.validation import validate as validate
from flows.validation import word_count as word_count


@dataclass(frozen=True, slots=True)
class Transition:
    """The engine's answer to one event."""

    state: NominationState
    effects: tuple[Effect, ...]


def handle(form: Form, state: NominationState, event: Event) -> Transition:
    """Apply one event to a nomination: the single entry point of the engine."""
    if not state.is_draft:
        return Transition(*withdrawing.after_sending(state, event))
    state = _fit_to_form(form, state)
    pending = state.pending
    if pending is not None and pending.about is Confirmation.EMAIL_CODE:
        step = checking.while_code(state, pending, event, lambda s: _show_position(form, s))
        if step is not None:
            return Transition(*step)
        state, pending = state.model_copy(update={"pending": None}), None  # left unconfirmed
    if pending is None:
        return _handle(form, state, event)
    answered = _while_pending(form, state, pending, event)
    if answered is not None:
        return answered
    # Any other step leaves the question unanswered: drop it, saying so if it held typed text.
    notes: tuple[Effect, ...] = (Kept(pending.about),) if pending.text is not None else ()
    return _with_notes(_handle(form, state.model_copy(update={"pending": None}), event), notes)


def _handle(form: Form, state: NominationState, event: Event) -> Transition:
    match event:
        case Start():
            return Transition(state, (_show_position(form, state),))
        case Answer(text=text, source=source):
            if state.at_review:
                return _typed_at_review(form, state, text, source)
            return _answer(form, state, text, source)
        case AddTo():
            adding = state.model_copy(update={"replacing": False})
            return Transition(adding, (_show_position(form, adding),))
        case Revise(source=source, text=text):
            return _revise(form, state, source, text)
        case Clear():
            return _clear(form, state)
        case Delete():
            return _ask(state, Pending(about=Confirmation.DELETE), AskConfirm(Confirmation.DELETE))
        case Confirm() | Decline() | Withdraw():  # a draft is deleted, not withdrawn
            return Transition(state, (Reprompt(state_field_id(state), Problem.NOTHING_TO_CONFIRM),))
        case Done():
            return _done(form, state)
        case Back():
            return _back(form, state)
        case Skip():
            return _skip(form, state)
        case ShowHints():
            current = asked_field(form, state)
            if current is None or not current.hints:
                return Transition(state, (Reprompt(state_field_id(state), Problem.NO_HINTS),))
            return Transition(state, (Hints(current.id),))
        case GoToReview():
            return _review(form, state)
        case Edit(field_id=field_id):
            return _edit(form, state, field_id)
        case Submit():
            return _submit(form, state)
        case Cancel():
            return Transition(state, (Paused(),))
        case CheckEmail():
            return Transition(*checking.start(state, event))
        case CodeResult() | ResendCode() | ChangeEmail() | SkipCode():
            return Transition(state, (_show_position(form, state),))  # no code step waits


def _edit(form: Form, state: NominationState, field_id: str) -> Transition:
    """Change (or Go to) one answer from the review: afterwards, come back to the review. The
    first message after Change on a long answer replaces it."""
    if not form.has_field(field_id) or not is_visible(form, form.field(field_id), state):
        return Transition(state, (Reprompt(state_field_id(state), Problem.UNKNOWN_FIELD),))
    replacing = form.field(field_id).is_long and state.answer(field_id) is not None
    moved = _moved(state, field_id, returning_to_review=True, replacing=replacing)
    return Transition(moved, (_show_position(form, moved),))


def _submit(form: Form, state: NominationState) -> Transition:
    if not state.at_review:
        return _review(form, state)
    problems = outstanding(form, state)
    if problems:
        return Transition(state, (Review(problems),))
    sent = state.model_copy(update={"status": Status.SUBMITTED})
    return Transition(sent, (Submitted(sent.reference),))


def _moved(
    state: NominationState, position: str, *, returning_to_review: bool, replacing: bool = False
) -> NominationState:
    """The state at another position: whatever the old one was doing (replacing) ends there."""
    update = {
        "position": position,
        "returning_to_review": returning_to_review,
        "replacing": replacing,
    }
    return state.model_copy(update=update)


# Pending yes/no questions ------------------------------------------------------------------


def _ask(state: NominationState, pending: Pending, question: AskConfirm) -> Transition:
    return Transition(state.model_copy(update={"pending": pending}), (question,))


def _asking(form: Form, state: NominationState, pending: Pending, *, again: bool) -> AskConfirm:
    words = word_count(state.answer(pending.field_id)) if pending.field_id else 0
    return AskConfirm(pending.about, pending.field_id, words, again)


def _while_pending(
    form: Form, state: NominationState, pending: Pending, event: Event
) -> Transition | None:
    """An event while a yes/no question waits: its answer, or None for an event that leaves it."""
    match event:
        case Confirm():
            return _confirm(form, state.model_copy(update={"pending": None}), pending)
        case Decline():
            return _decline(form, state.model_copy(update={"pending": None}), pending)
        case Answer(text=text):
            match yes_or_no(text):
                case "yes":
                    return _confirm(form, state.model_copy(update={"pending": None}), pending)
                case "no":
                    return _decline(form, state.model_copy(update={"pending": None}), pending)
            return Transition(state, (_asking(form, state, pending, again=True),))
        case Start() | Clear() | Delete() if _same_question(pending, event):
            return Transition(state, (_asking(form, state, pending, again=False),))
        case Cancel():
            return Transition(state, (Paused(),))
        case Revise(source=source, text=text):
            return _revise(form, state, source, text)
        case _:
            return None


def _same_question(pending: Pending, event: Event) -> bool:
    """Start shows the waiting question again, as does asking the same question twice."""
    match event:
        case Clear():
            return pending.about is Confirmation.CLEAR
        case Delete():
            return pending.about is Confirmation.DELETE
        case _:
            return True


def _confirm(form: Form, state: NominationState, pending: Pending) -> Transition:
    match pending.about:
        case Confirmation.CLEAR:
            field_id = state.position
            cleared = state.model_copy(update={"replacing": False}).with_answer(field_id, ())
            return Transition(cleared, (_show_position(form, cleared),))
        case Confirmation.DELETE:
            return Transition(state, (Deleted(),))
        case Confirmation.SAVE_TYPED if pending.field_id is not None and pending.text is not None:
            there = _moved(state, pending.field_id, returning_to_review=True)
            return _answer(form, there, pending.text, pending.source)
        case _:
            return _decline(form, state, pending)


def _decline(form: Form, state: NominationState, pending: Pending) -> Transition:
    return Transition(state, (Kept(pending.about), _show_position(form, state)))


# Fields whose answer is typed text: text typed at the review may be offered to them.
_TYPED_KINDS = frozenset({FieldKind.SHORT_TEXT, FieldKind.EMAIL, FieldKind.LONG_TEXT})


def _typed_at_review(
    form: Form, state: NominationState, text: str, source: str | None
) -> Transition:
    """Text typed at the review is kept: offered to the first outstanding typed question."""
    typed = [
        p.field_id for p in outstanding(form, state) if form.field(p.field_id).kind in _TYPED_KINDS
    ]
    if not typed or not text.strip():
        return Transition(state, (Reprompt(None, Problem.USE_REVIEW_BUTTONS),))
    target = typed[0]
    pending = Pending(about=Confirmation.SAVE_TYPED, field_id=target, text=text, source=source)
    return _ask(state, pending, AskConfirm(Confirmation.SAVE_TYPED, target))


def state_field_id(state: NominationState) -> str | None:
    """The field being asked, or None on the review screen."""
    return None if state.at_review else state.position


def _show_position(form: Form, state: NominationState) -> Effect:
    current = asked_field(form, state)
    if current is None:
        return Review(outstanding(form, state))
    current_answer = state.answer(current.id)
    replacing = state.replacing and current_answer is not None
    return Ask(current.id, progress(form, state, current), current_answer, replacing)


def _review(form: Form, state: NominationState) -> Transition:
    moved = _moved(state, REVIEW, returning_to_review=False)
    return Transition(moved, (Review(outstanding(form, moved)),))


def _answer(form: Form, state: NominationState, text: str, source: str | None) -> Transition:
    current = asked_field(form, state)
    if current is None:
        return Transition(state, (Reprompt(None, Problem.USE_REVIEW_BUTTONS),))
    value = validate(current, text)
    if isinstance(value, Reprompt):
        if value.problem is Problem.EMPTY and state.answer(current.id) is not None:
            return Transition(state, (Reprompt(current.id, Problem.EMPTY_PART),))
        return Transition(state, (value,))
    part = Part(text=value, source=source)
    if current.is_long:
        # After Change from the review, the first message replaces the answer; later ones add.
        earlier = () if state.replacing else state.answers.get(current.id, ())
        parts = (*earlier, part)
        if too_long(current, parts):
            return Transition(state, (Reprompt(current.id, Problem.TOO_LONG, current.char_limit),))
        saved = state.model_copy(update={"replacing": False}).with_answer(current.id, parts)
        words = word_count(saved.answer(current.id))
        return Transition(saved, (PartSaved(current.id, words, current.max_words),))
    saved = state.with_answer(current.id, (part,))
    notes: tuple[Effect, ...] = ()
    if current.must_be_yes and value != YES:
        notes = (Note(current.id, Problem.CONSENT_REFUSED),)
    return _advance(form, saved, current, notes)


def _advance(
    form: Form, state: NominationState, after: FormField, notes: tuple[Effect, ...] = ()
) -> Transition:
    """Move past `after`: to the next field, or, when editing from the review, back to it once
    the fields this answer newly asks (a team's name after switching to a team) are answered.
    Nothing else is asked on the way back: other unanswered fields wait on the review."""
    later = _fields_after(form, state, after)
    if state.returning_to_review:
        newly = _conditional_run(later)
        needed = next((f for f in newly if f.required and state.answer(f.id) is None), None)
        if needed is None:
            return _with_notes(_review(form, state), notes)
        moved = _moved(state, needed.id, returning_to_review=True)
        return Transition(moved, (*notes, _show_position(form, moved)))
    if not later:
        return _with_notes(_review(form, state), notes)
    moved = _moved(state, later[0].id, returning_to_review=False)
    return Transition(moved, (*notes, _show_position(form, moved)))


def _conditional_run(later: list[FormField]) -> list[FormField]:
    """The asked fields straight after a field that are asked only on a condition: those that an
    answer just now may have brought in."""
    run: list[FormField] = []
    for f in later:
        if not f.show_if:
            break
        run.append(f)
    return run


def _with_notes(transition: Transition, notes: tuple[Effect, ...]) -> Transition:
    return Transition(transition.state, (*notes, *transition.effects))


def _fields_after(form: Form, state: NominationState, after: FormField) -> list[FormField]:
    """Visible fields that come after `after` in the form (which may itself now be hidden)."""
    order = [f.id for f in form.fields]
    index = order.index(after.id)
    return [f for f in visible_fields(form, state) if order.index(f.id) > index]


def _settle(form: Form, state: NominationState) -> NominationState:
    """Keep the position on a visible field after an answer changed what is visible."""
    current = asked_field(form, state)
    if current is None or is_visible(form, current, state):
        return state
    later = _fields_after(form, state, current)
    return _moved(state, later[0].id if later else REVIEW, returning_to_review=False)


def _fit_to_form(form: Form, state: NominationState) -> NominationState:
    """A draft saved under an older version of the form may stand at a field the form no longer
    has: carry on at the first unanswered required field, or the review. (Answers to removed
    fields are kept, and ignored.)"""
    if state.at_review or asked_field(form, state) is not None:
        return state
    fields = visible_fields(form, state)
    needed = next((f for f in fields if f.required and state.answer(f.id) is None), None)
    return _moved(state, needed.id if needed else REVIEW, returning_to_review=False)


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
        if too_long(form_field, revised_parts):
            return Transition(state, (Reprompt(field_id, Problem.TOO_LONG, form_field.char_limit),))
        revised = _settle(form, state.with_answer(field_id, revised_parts))
        words = word_count(revised.answer(field_id))
        return Transition(revised, (Revised(field_id, words, form_field.max_words),))
    # An edit of a message that was not an answer (a command, say) changes nothing.
    return Transition(state, ())


def _clear(form: Form, state: NominationState) -> Transition:
    current = asked_field(form, state)
    if current is None or not current.is_long:
        return Transition(state, (Reprompt(state_field_id(state), Problem.NOT_LONG_ANSWER),))
    if state.answer(current.id) is None:
        return Transition(state, (Reprompt(current.id, Problem.NOTHING_TO_CLEAR),))
    pending = Pending(about=Confirmation.CLEAR, field_id=current.id)
    return _ask(state, pending, _asking(form, state, pending, again=False))


def _done(form: Form, state: NominationState) -> Transition:
    current = asked_field(form, state)
    if current is None:
        return Transition(state, (Review(outstanding(form, state)),))
    answer = state.answer(current.id)
    if answer is None:
        if current.required:
            return Transition(state, (Reprompt(current.id, Problem.EMPTY),))
        return _advance(form, state, current)
    words = word_count(answer)
    if current.min_words is not None and words < current.min_words:
        return Transition(state, (Reprompt(current.id, Problem.TOO_SHORT, current.min_words),))
    notes: tuple[Effect, ...] = ()
    if current.max_words is not None and words > current.max_words:
        notes = (Note(current.id, Problem.OVER_LIMIT),)
    return _advance(form, state, current, notes)


def _back(form: Form, state: NominationState) -> Transition:
    """The previous question; but Back from Change on an answer goes back to the review."""
    if state.returning_to_review and state.answer(state.position) is not None:
        return _review(form, state)
    fields = visible_fields(form, state)
    if state.at_review:
        moved = _moved(state, fields[-1].id, returning_to_review=False)
        return Transition(moved, (_show_position(form, moved),))
    index = next(i for i, f in enumerate(fields) if f.id == state.position)
    if index == 0:
        return Transition(state, (Reprompt(state.position, Problem.NOTHING_BEFORE),))
    moved = _moved(state, fields[index - 1].id, returning_to_review=False)
    return Transition(moved, (_show_position(form, moved),))


def _skip(form: Form, state: NominationState) -> Transition:
    current = asked_field(form, state)
    if current is None or current.required:
        return Transition(state, (Reprompt(state_field_id(state), Problem.CANNOT_SKIP),))
    return _advance(form, state.with_answer(current.id, ()), current)
