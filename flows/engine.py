"""The state machine: given a form, a nomination's state and an event, the next state and effects.

Pure: no I/O, no clock, no randomness. The same inputs always give the same outputs, which is what
lets the store save exactly what changed and the tests replay any sequence of events.

`handle` is the single entry point; it sends each event to the part of the engine whose subject
it is: moving between positions (flows.navigation), answering (flows.answering), edits of sent
messages (flows.revising), the email code (flows.checking), and a nomination once sent
(flows.withdrawing); the yes/no questions are here, below.
"""

from __future__ import annotations

from flows import answering, checking, navigation, revising, withdrawing
from flows.effects import (
    AskConfirm,
    Deleted,
    Effect,
    Hints,
    Kept,
    Paused,
    Problem,
    Reprompt,
    Review,
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
from flows.form import FieldKind, Form

# The engine's vocabulary in one import for callers: where a nomination is, and answer checks.
from flows.journey import as_asked as as_asked
from flows.journey import asked_field
from flows.journey import first_position as first_position
from flows.journey import nominee_name as nominee_name
from flows.journey import outstanding as outstanding
from flows.journey import progress as progress
from flows.journey import visible_fields as visible_fields
from flows.navigation import moved, show_position
from flows.navigation import state_field_id as state_field_id
from flows.state import Confirmation, NominationState, Pending, Status
from flows.transition import Transition as Transition
from flows.transition import with_notes
from flows.validation import validate as validate
from flows.validation import word_count as word_count
from flows.validation import yes_or_no


def handle(form: Form, state: NominationState, event: Event) -> Transition:
    """Apply one event to a nomination: the single entry point of the engine."""
    if not state.is_draft:
        return Transition(*withdrawing.after_sending(state, event))
    state = navigation.fit_to_form(form, state)
    pending = state.pending
    if pending is not None and pending.about is Confirmation.EMAIL_CODE:
        step = checking.while_code(state, pending, event, lambda s: show_position(form, s))
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
    return with_notes(_handle(form, state.model_copy(update={"pending": None}), event), notes)


def _handle(form: Form, state: NominationState, event: Event) -> Transition:
    match event:
        case Start():
            return Transition(state, (show_position(form, state),))
        case Answer(text=text, source=source):
            if state.at_review:
                return _typed_at_review(form, state, text, source)
            return answering.answer(form, state, text, source)
        case AddTo():
            return answering.add_to(form, state)
        case Revise(source=source, text=text):
            return revising.revise(form, state, source, text)
        case Clear():
            return _clear(form, state)
        case Delete():
            return _ask(state, Pending(about=Confirmation.DELETE), AskConfirm(Confirmation.DELETE))
        case Confirm() | Decline() | Withdraw():  # a draft is deleted, not withdrawn
            return Transition(state, (Reprompt(state_field_id(state), Problem.NOTHING_TO_CONFIRM),))
        case Done():
            return answering.done(form, state)
        case Back():
            return navigation.back(form, state)
        case Skip():
            return navigation.skip(form, state)
        case ShowHints():
            current = asked_field(form, state)
            if current is None or not current.hints:
                return Transition(state, (Reprompt(state_field_id(state), Problem.NO_HINTS),))
            return Transition(state, (Hints(current.id),))
        case GoToReview():
            return navigation.review(form, state)
        case Edit(field_id=field_id):
            return navigation.edit(form, state, field_id)
        case Submit():
            return _submit(form, state)
        case Cancel():
            return Transition(state, (Paused(),))
        case CheckEmail():
            return Transition(*checking.start(state, event))
        case CodeResult() | ResendCode() | ChangeEmail() | SkipCode():
            return Transition(state, (show_position(form, state),))  # no code step waits


def _submit(form: Form, state: NominationState) -> Transition:
    """Send a draft from its review, once nothing outstanding stops it."""
    if not state.at_review:
        return navigation.review(form, state)
    problems = outstanding(form, state)
    if problems:
        return Transition(state, (Review(problems),))
    sent = state.model_copy(update={"status": Status.SUBMITTED})
    return Transition(sent, (Submitted(sent.reference),))


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
            return revising.revise(form, state, source, text)
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
            return Transition(cleared, (show_position(form, cleared),))
        case Confirmation.DELETE:
            return Transition(state, (Deleted(),))
        case Confirmation.SAVE_TYPED if pending.field_id is not None and pending.text is not None:
            there = moved(state, pending.field_id, returning_to_review=True)
            return answering.answer(form, there, pending.text, pending.source)
        case _:
            return _decline(form, state, pending)


def _decline(form: Form, state: NominationState, pending: Pending) -> Transition:
    return Transition(state, (Kept(pending.about), show_position(form, state)))


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


def _clear(form: Form, state: NominationState) -> Transition:
    current = asked_field(form, state)
    if current is None or not current.is_long:
        return Transition(state, (Reprompt(state_field_id(state), Problem.NOT_LONG_ANSWER),))
    if state.answer(current.id) is None:
        return Transition(state, (Reprompt(current.id, Problem.NOTHING_TO_CLEAR),))
    pending = Pending(about=Confirmation.CLEAR, field_id=current.id)
    return _ask(state, pending, _asking(form, state, pending, again=False))
