"""Moving a draft between its positions: the fields it asks, and the review.

Where each move leads (on past an answer, Back, Skip, Change from the review and back to it),
what is shown on arrival, and where a draft saved under an older version of the form carries on.
"""

from __future__ import annotations

from flows.effects import Ask, Effect, Problem, Reprompt, Review
from flows.form import Form, FormField
from flows.journey import asked_field, is_visible, outstanding, progress, visible_fields
from flows.state import REVIEW, NominationState
from flows.transition import Transition, with_notes


def state_field_id(state: NominationState) -> str | None:
    """The field being asked, or None on the review screen."""
    return None if state.at_review else state.position


def moved(
    state: NominationState,
    position: str,
    *,
    returning_to_review: bool,
    replacing: bool = False,
    filling_gaps: bool = False,
) -> NominationState:
    """The state at another position: whatever the old one was doing (replacing, filling the
    gaps) ends there unless it is said again."""
    update = {
        "position": position,
        "returning_to_review": returning_to_review,
        "replacing": replacing,
        "filling_gaps": filling_gaps and position != REVIEW,
    }
    return state.model_copy(update=update)


def show_position(form: Form, state: NominationState) -> Effect:
    """What to show where the draft stands: its field asked, or the review."""
    current = asked_field(form, state)
    if current is None:
        return Review(outstanding(form, state))
    current_answer = state.answer(current.id)
    replacing = state.replacing and current_answer is not None
    return Ask(current.id, progress(form, state, current), current_answer, replacing)


def review(form: Form, state: NominationState) -> Transition:
    """To the review, which ends any Change made from it; before any answer there is nothing
    to look at, so the question is asked again (one line, not a page of blanks)."""
    if not state.answers:
        return Transition(state, (Reprompt(state_field_id(state), Problem.NOTHING_TO_REVIEW),))
    there = moved(state, REVIEW, returning_to_review=False)
    return Transition(there, (Review(outstanding(form, there)),))


def advance(
    form: Form, state: NominationState, after: FormField, notes: tuple[Effect, ...] = ()
) -> Transition:
    """Move past `after`: to the next field, or, when editing from the review, back to it once
    the fields this answer newly asks (a team's name after switching to a team) are answered.
    Nothing else is asked on the way back: other unanswered fields wait on the review."""
    later = _fields_after(form, state, after)
    if state.filling_gaps:
        return _next_gap(form, state, after, notes)
    if state.returning_to_review:
        newly = _conditional_run(later)
        needed = next((f for f in newly if f.required and state.answer(f.id) is None), None)
        if needed is None:
            return with_notes(review(form, state), notes)
        there = moved(state, needed.id, returning_to_review=True)
        return Transition(there, (*notes, show_position(form, there)))
    if not later:
        return with_notes(review(form, state), notes)
    there = moved(state, later[0].id, returning_to_review=False)
    return Transition(there, (*notes, show_position(form, there)))


def _next_gap(
    form: Form, state: NominationState, after: FormField, notes: tuple[Effect, ...]
) -> Transition:
    """After Go to a field that stops submission, from the review: on through the form in its
    order to the next unanswered field or one that still stops submission (too short, say), then
    round to any such before it, and to the review only once there is none (GOV.UK's "check
    answers")."""
    order = [f.id for f in form.fields]
    index = order.index(after.id)
    fields = visible_fields(form, state)
    blocking = {o.field_id for o in outstanding(form, state)}
    later = [f for f in fields if order.index(f.id) > index]
    earlier = [f for f in fields if order.index(f.id) < index]
    gap = next(
        (
            f
            for f in (*later, *earlier)
            if f.id in blocking or (f in later and not _answered(state, f))
        ),
        None,
    )
    if gap is None:
        return with_notes(review(form, state), notes)
    there = moved(state, gap.id, returning_to_review=False, filling_gaps=True)
    return Transition(there, (*notes, show_position(form, there)))


def _conditional_run(later: list[FormField]) -> list[FormField]:
    """The asked fields straight after a field that are asked only on a condition: those that an
    answer just now may have brought in."""
    run: list[FormField] = []
    for f in later:
        if not f.show_if:
            break
        run.append(f)
    return run


def _fields_after(form: Form, state: NominationState, after: FormField) -> list[FormField]:
    """Visible fields that come after `after` in the form (which may itself now be hidden)."""
    order = [f.id for f in form.fields]
    index = order.index(after.id)
    return [f for f in visible_fields(form, state) if order.index(f.id) > index]


def settle(form: Form, state: NominationState) -> NominationState:
    """Keep the position on a visible field after an answer changed what is visible."""
    current = asked_field(form, state)
    if current is None or is_visible(form, current, state):
        return state
    later = _fields_after(form, state, current)
    position = later[0].id if later else REVIEW
    return moved(state, position, returning_to_review=False, filling_gaps=state.filling_gaps)


def fit_to_form(form: Form, state: NominationState) -> NominationState:
    """A draft saved under an older version of the form may stand at a field the form no longer
    has: carry on at the first unanswered required field, or the review. (Answers to removed
    fields are kept, and ignored.)"""
    if state.at_review or asked_field(form, state) is not None:
        return state
    fields = visible_fields(form, state)
    needed = next((f for f in fields if f.required and state.answer(f.id) is None), None)
    return moved(state, needed.id if needed else REVIEW, returning_to_review=False)


def edit(form: Form, state: NominationState, field_id: str) -> Transition:
    """Change an answer from the review: afterwards, come back to the review. The first message
    after Change on a long answer replaces it. Go to a field that stops submission (unanswered,
    or too short) instead carries on through the form from there, to each such field in turn,
    then the review."""
    if not form.has_field(field_id) or not is_visible(form, form.field(field_id), state):
        return Transition(state, (Reprompt(state_field_id(state), Problem.UNKNOWN_FIELD),))
    answered = state.answer(field_id) is not None
    replacing = form.field(field_id).is_long and answered
    # Unanswered, or answered in a way that stops submission (too short, consent refused).
    gap = not answered or any(o.field_id == field_id for o in outstanding(form, state))
    there = moved(
        state,
        field_id,
        returning_to_review=not gap,
        replacing=replacing,
        filling_gaps=gap,
    )
    return Transition(there, (show_position(form, there),))


def back(form: Form, state: NominationState) -> Transition:
    """The previous question; but Back from Change on an answer goes back to the review."""
    if state.returning_to_review and state.answer(state.position) is not None:
        return review(form, state)
    fields = visible_fields(form, state)
    if state.at_review:
        there = moved(state, _back_from_review(state, fields), returning_to_review=False)
        return Transition(there, (show_position(form, there),))
    index = next(i for i, f in enumerate(fields) if f.id == state.position)
    if index == 0:
        return Transition(state, (Reprompt(state.position, Problem.NOTHING_BEFORE),))
    # Back while filling the gaps keeps filling them: the answer after it goes on to the next gap.
    there = moved(
        state, fields[index - 1].id, returning_to_review=False, filling_gaps=state.filling_gaps
    )
    return Transition(there, (show_position(form, there),))


def _back_from_review(state: NominationState, fields: tuple[FormField, ...]) -> str:
    """Back from the review goes where the nominator was: the field after the last one
    answered, when they looked at the review half way through; the last field once all are."""
    answered = [i for i, f in enumerate(fields) if _answered(state, f)]
    if not answered or answered[-1] == len(fields) - 1:
        return fields[-1].id
    return fields[answered[-1] + 1].id


def skip(form: Form, state: NominationState) -> Transition:
    """Leave an optional field unanswered (forgetting any answer it had) and move on."""
    current = asked_field(form, state)
    if current is None or current.required:
        return Transition(state, (Reprompt(state_field_id(state), Problem.CANNOT_SKIP),))
    return advance(form, state.with_answer(current.id, ()), current)


def _answered(state: NominationState, form_field: FormField) -> bool:
    return state.answer(form_field.id) is not None
