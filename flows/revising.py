"""An edit of a message already sent (Telegram lets a nominator edit one).

The part of an answer that came from the message follows the edit, checked as a new answer to
its field would be, wherever the draft now stands. An edit of any other message changes nothing.
"""

from __future__ import annotations

from flows.effects import Problem, Reprompt, Revised
from flows.form import Form
from flows.navigation import settle
from flows.state import NominationState, Part
from flows.transition import Transition
from flows.validation import too_long, validate, word_count


def revise(form: Form, state: NominationState, source: str, text: str) -> Transition:
    """The message `source` now reads `text`."""
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
        # A revised choice may hide the field being asked: the draft moves on from it.
        revised = settle(form, state.with_answer(field_id, revised_parts))
        words = word_count(revised.answer(field_id))
        return Transition(revised, (Revised(field_id, words, form_field.max_words),))
    # An edit of a message that was not an answer (a command, say) changes nothing.
    return Transition(state, ())
