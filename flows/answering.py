"""An answer typed at the field being asked, short or long.

A short answer is checked, saved, and the draft moves on. A long answer (an award question) may
come in several messages: each is saved as a part (after Change the first one replaces the
answer, after Add to it they add), and Done checks its word limits before moving on.
"""

from __future__ import annotations

from flows.effects import Effect, Note, PartSaved, Problem, Reprompt, Review
from flows.form import YES, Form, FormField
from flows.journey import asked_field, outstanding
from flows.navigation import advance, show_position
from flows.state import NominationState, Part
from flows.transition import Transition
from flows.validation import too_long, validate, word_count


def answer(form: Form, state: NominationState, text: str, source: str | None) -> Transition:
    """`text` as the answer to the field being asked, from the message `source`."""
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
        return _add_part(state, current, part)
    saved = state.with_answer(current.id, (part,))
    notes: tuple[Effect, ...] = ()
    if current.must_be_yes and value != YES:
        notes = (Note(current.id, Problem.CONSENT_REFUSED),)
    return advance(form, saved, current, notes)


def _add_part(state: NominationState, current: FormField, part: Part) -> Transition:
    """One more message of a long answer: it stays at the question until Done."""
    # After Change from the review, the first message replaces the answer; later ones add.
    earlier = () if state.replacing else state.answers.get(current.id, ())
    parts = (*earlier, part)
    if too_long(current, parts):
        return Transition(state, (Reprompt(current.id, Problem.TOO_LONG, current.char_limit),))
    saved = state.model_copy(update={"replacing": False}).with_answer(current.id, parts)
    words = word_count(saved.answer(current.id))
    return Transition(saved, (PartSaved(current.id, words, current.max_words),))


def add_to(form: Form, state: NominationState) -> Transition:
    """After Change on a long answer: the next messages add to it instead of replacing it."""
    adding = state.model_copy(update={"replacing": False})
    return Transition(adding, (show_position(form, adding),))


def done(form: Form, state: NominationState) -> Transition:
    """Finished with the answer being asked: on, once it has the words it needs. An answer over
    its word limit is let through with a note (the review holds it back from sending)."""
    current = asked_field(form, state)
    if current is None:
        return Transition(state, (Review(outstanding(form, state)),))
    answer = state.answer(current.id)
    if answer is None:
        if current.required:
            return Transition(state, (Reprompt(current.id, Problem.EMPTY),))
        return advance(form, state, current)
    words = word_count(answer)
    if current.min_words is not None and words < current.min_words:
        return Transition(state, (Reprompt(current.id, Problem.TOO_SHORT, current.min_words),))
    notes: tuple[Effect, ...] = ()
    if current.max_words is not None and words > current.max_words:
        notes = (Note(current.id, Problem.OVER_LIMIT),)
    return advance(form, state, current, notes)
