"""The state machine: given a form, a nomination's state and an event, the next state and effects.

Pure: no I/O, no clock, no randomness. The same inputs always give the same outputs, which is what
lets the store save exactly what changed and the tests replay any sequence of events.

`handle` is the single entry point; it sends each event to the part of the engine whose subject
it is: moving between positions (flows.navigation), answering (flows.answering), edits of sent
messages (flows.revising), the yes/no questions (flows.confirming), the email code
(flows.checking), and a nomination once sent (flows.withdrawing).
"""

from __future__ import annotations

from flows import answering, checking, confirming, navigation, revising, withdrawing
from flows.effects import Hints, Paused, Problem, Reprompt, Review, Submitted
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
from flows.form import Form

# The engine's vocabulary in one import for callers: where a nomination is, and answer checks.
from flows.journey import as_asked as as_asked
from flows.journey import asked_field
from flows.journey import first_position as first_position
from flows.journey import nominee_name as nominee_name
from flows.journey import outstanding as outstanding
from flows.journey import progress as progress
from flows.journey import visible_fields as visible_fields
from flows.navigation import show_position
from flows.navigation import state_field_id as state_field_id
from flows.state import Confirmation, NominationState, Status
from flows.transition import Transition as Transition
from flows.transition import with_notes
from flows.validation import validate as validate
from flows.validation import word_count as word_count


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
    replied = confirming.reply(form, state, pending, event)
    if isinstance(replied, Transition):
        return replied
    return with_notes(_handle(form, replied.state, replied.event), replied.notes)


def _handle(form: Form, state: NominationState, event: Event) -> Transition:
    match event:
        case Start():
            return Transition(state, (show_position(form, state),))
        case Answer(text=text, source=source):
            if state.at_review:
                return confirming.offer_typed(form, state, text, source)
            return answering.answer(form, state, text, source)
        case AddTo():
            return answering.add_to(form, state)
        case Revise(source=source, text=text):
            return revising.revise(form, state, source, text)
        case Clear():
            return confirming.ask_to_clear(form, state)
        case Delete():
            return confirming.ask_to_delete(state)
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
