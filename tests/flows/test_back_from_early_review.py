"""Back from a review looked at half way through goes back to where the nominator was, not to
the form's last question (found walking the terminal trial: at step 8, `review`, then `back`,
landed on the declaration, step 14)."""

from __future__ import annotations

from flows.engine import handle
from flows.events import Back, GoToReview
from flows.form import load_form
from flows.state import REVIEW
from tests.flows.test_engine_table import ANSWERS, answered_before, ask, state_at

FORM = load_form()


def test_back_from_an_early_review_is_where_the_nominator_was() -> None:
    at_phone = state_at("nominator_phone", answered_before("nominator_phone"))
    looked = handle(FORM, at_phone, GoToReview()).state
    assert looked.position == REVIEW
    back = handle(FORM, looked, Back())
    assert back.state.position == "nominator_phone"
    assert back.effects == (ask("nominator_phone"),)


def test_back_from_the_review_of_a_whole_nomination_is_its_last_question() -> None:
    whole = state_at(REVIEW, ANSWERS)
    assert handle(FORM, whole, Back()).state.position == "consent"
