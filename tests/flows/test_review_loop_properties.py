"""An early look at the review never traps the nominator in it (issue 16).

Any sequence of what a nominator does (answers, Done, Back, Skip, Review answers, Go to an
outstanding question, Change an answered one) shows the review at most once more than it was
asked for: asked for by Review answers, or by Change, which comes back to it by design. Go to an
unanswered question is not a request to see the review again: it carries on through the form.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from flows.effects import AskConfirm, Review
from flows.engine import handle
from flows.events import Answer, Back, Decline, Done, Edit, Event, GoToReview, Skip
from flows.form import FieldKind, Form
from flows.state import NominationState
from tests.flows.drafts import new_nomination
from tests.flows.test_engine_properties import BOOLEANS, FORMS, good_text


def outstanding_ids(form: Form, state: NominationState) -> list[str]:
    """What the review offers Go to for, as the engine reports it."""
    shown = handle(form, state, GoToReview()).effects
    return [
        o.field_id for effect in shown if isinstance(effect, Review) for o in effect.outstanding
    ]


# Each list of moves' strategy, built once (see test_engine_properties.once).
MOVES: dict[tuple[str, ...], st.SearchStrategy[str]] = {}


def next_event(data: st.DataObject, form: Form, state: NominationState) -> tuple[Event, bool]:
    """A nominator's next move, and whether it asks to see the review."""
    if state.pending is not None:
        return Decline(), False
    if state.at_review:
        choices = outstanding_ids(form, state)
        if not choices or data.draw(BOOLEANS):
            return GoToReview(), True
        field_id = data.draw(st.sampled_from(choices))
        return Edit(field_id), state.answer(field_id) is not None  # Change, or Go to
    current = form.field(state.position)
    moves: list[str] = ["answer", "answer", "answer", "back", "review"]
    if current.kind is FieldKind.LONG_TEXT and state.answer(current.id) is not None:
        moves += ["done", "done", "done"]
    if not current.required:
        moves.append("skip")
    key = tuple(moves)
    if key not in MOVES:
        MOVES[key] = st.sampled_from(moves)
    match data.draw(MOVES[key]):
        case "answer":
            return Answer(data.draw(good_text(current))), False
        case "done":
            return Done(), False
        case "back":
            return Back(), False
        case "skip":
            return Skip(), False
        case _:
            return GoToReview(), True


def check_reviews_stay_within_requests(form: Form, data: st.DataObject) -> None:
    state = new_nomination(form, "LSI-LOOP16")
    requests = reviews = 0
    for _ in range(data.draw(st.integers(20, 120))):
        event, asks = next_event(data, form, state)
        transition = handle(form, state, event)
        requests += asks
        reviews += sum(isinstance(e, Review) for e in transition.effects)
        confirm = [e for e in transition.effects if isinstance(e, AskConfirm)]
        assert reviews <= requests + 1, (event, state.position, confirm)
        state = transition.state


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_an_early_review_is_shown_no_more_than_asked_on_the_award_form(data: st.DataObject) -> None:
    check_reviews_stay_within_requests(FORMS["shipped"], data)


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_an_early_review_is_shown_no_more_than_asked_on_chained_forms(data: st.DataObject) -> None:
    check_reviews_stay_within_requests(FORMS["chained"], data)
