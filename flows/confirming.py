"""The yes/no questions a draft asks before a step that cannot be undone: clearing a long answer
(Start again), deleting the draft, and saving text typed at the review as the answer to the
question it was offered to.

While a question waits (`state.pending`), a yes or no, by button or typed, answers it; anything
else typed, or asking the same question again, asks it again. Other events are not replies: they
come back to the engine as NotAReply, and all but an edit of a sent message leave the question
unanswered. (The email-code step and withdrawing a sent nomination ask their own questions, in
flows.checking and flows.withdrawing.)
"""

from __future__ import annotations

from dataclasses import dataclass

from flows.answering import answer
from flows.effects import AskConfirm, Deleted, Effect, Kept, Paused, Problem, Reprompt
from flows.events import Answer, Cancel, Clear, Confirm, Decline, Delete, Event, Revise, Start
from flows.form import FieldKind, Form, FormField
from flows.journey import asked_field, outstanding
from flows.navigation import moved, show_position, state_field_id
from flows.state import Confirmation, NominationState, Pending
from flows.transition import Transition
from flows.validation import validate, word_count, yes_or_no


@dataclass(frozen=True, slots=True)
class NotAReply:
    """An event that does not answer the waiting question: the engine handles it as usual, in
    `state`, showing `notes` first."""

    state: NominationState
    event: Event
    notes: tuple[Effect, ...] = ()


def ask_to_delete(state: NominationState) -> Transition:
    """Delete asks first: the whole draft would be erased."""
    return _ask(state, Pending(about=Confirmation.DELETE), AskConfirm(Confirmation.DELETE))


def ask_to_clear(form: Form, state: NominationState) -> Transition:
    """Start again on a long answer asks first, saying how many words would go."""
    current = asked_field(form, state)
    if current is None or not current.is_long:
        return Transition(state, (Reprompt(state_field_id(state), Problem.NOT_LONG_ANSWER),))
    if state.answer(current.id) is None:
        return Transition(state, (Reprompt(current.id, Problem.NOTHING_TO_CLEAR),))
    pending = Pending(about=Confirmation.CLEAR, field_id=current.id)
    return _ask(state, pending, _asking(state, pending, again=False))


def offer_typed(form: Form, state: NominationState, text: str, source: str | None) -> Transition:
    """Text typed at the review is kept: offered to the first outstanding question it could
    answer (a yes or a no only to a yes/no question, a name never "yes"); refused, saying what
    the review expects, when none fits."""
    fits = [
        p.field_id for p in outstanding(form, state) if _could_answer(form.field(p.field_id), text)
    ]
    if not fits:
        return Transition(state, (Reprompt(None, Problem.USE_REVIEW_BUTTONS),))
    target = fits[0]
    pending = Pending(about=Confirmation.SAVE_TYPED, field_id=target, text=text, source=source)
    return _ask(state, pending, AskConfirm(Confirmation.SAVE_TYPED, target))


def _could_answer(form_field: FormField, text: str) -> bool:
    """Whether `text` typed at the review plainly belongs to this question."""
    if not text.strip():
        return False
    a_yes_or_no = yes_or_no(text) is not None
    match form_field.kind:
        case FieldKind.YES_NO:
            return a_yes_or_no
        case FieldKind.LONG_TEXT:
            return not a_yes_or_no
        case FieldKind.SHORT_TEXT | FieldKind.EMAIL:
            return not a_yes_or_no and not isinstance(validate(form_field, text), Reprompt)
        case _:  # a choice is made with its buttons
            return False


def _ask(state: NominationState, pending: Pending, question: AskConfirm) -> Transition:
    return Transition(state.model_copy(update={"pending": pending}), (question,))


def _asking(state: NominationState, pending: Pending, *, again: bool) -> AskConfirm:
    words = word_count(state.answer(pending.field_id)) if pending.field_id else 0
    return AskConfirm(pending.about, pending.field_id, words, again)


def reply(
    form: Form, state: NominationState, pending: Pending, event: Event
) -> Transition | NotAReply:
    """An event while the yes/no question `pending` waits."""
    answered = state.model_copy(update={"pending": None})
    match event:
        case Confirm():
            return _confirm(form, answered, pending)
        case Decline():
            return _decline(form, answered, pending)
        case Answer(text=text):
            match yes_or_no(text):
                case "yes":
                    return _confirm(form, answered, pending)
                case "no":
                    return _decline(form, answered, pending)
            return Transition(state, (_asking(state, pending, again=True),))
        case Start() | Clear() | Delete() if _same_question(pending, event):
            return Transition(state, (_asking(state, pending, again=False),))
        case Cancel():
            return Transition(state, (Paused(),))
        case Revise():
            # An edit of a message sent earlier revises its answer; the question still waits.
            return NotAReply(state, event)
        case _:
            # Any other step leaves the question unanswered: drop it, saying so if it held typed
            # text, so that nothing typed is lost without a word.
            notes: tuple[Effect, ...] = (Kept(pending.about),) if pending.text is not None else ()
            return NotAReply(answered, event, notes)


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
            # Saved as if typed at that question, from the review: so back to the review after.
            there = moved(state, pending.field_id, returning_to_review=True)
            return answer(form, there, pending.text, pending.source)
        case _:
            return _decline(form, state, pending)


def _decline(form: Form, state: NominationState, pending: Pending) -> Transition:
    return Transition(state, (Kept(pending.about), show_position(form, state)))
