"""The engine on a sent or withdrawn nomination: Withdraw asks first, yes (button or typed)
withdraws, no keeps it, anything else is refused; a withdrawn one only says so; a draft has
nothing to withdraw."""

from __future__ import annotations

from flows import engine
from flows.effects import AskConfirm, Kept, Problem, Reprompt, Submitted, Withdrawn
from flows.events import Answer, Confirm, Decline, GoToReview, Start, Withdraw
from flows.form import Form
from flows.state import REVIEW, Confirmation, NominationState, Pending, Status
from tests.flows.drafts import new_nomination

ASKED = Pending(about=Confirmation.WITHDRAW)


def sent(form: Form) -> NominationState:
    draft = new_nomination(form, "LSI-ABC234")
    return draft.model_copy(update={"status": Status.SUBMITTED, "position": REVIEW})


def test_withdraw_asks_first(form: Form) -> None:
    step = engine.handle(form, sent(form), Withdraw())
    assert step.state.pending == ASKED
    assert step.effects == (AskConfirm(Confirmation.WITHDRAW),)


def test_yes_by_button_or_typed_withdraws(form: Form) -> None:
    asking = sent(form).model_copy(update={"pending": ASKED})
    for event in (Confirm(), Answer("yes")):
        step = engine.handle(form, asking, event)
        assert step.effects == (Withdrawn("LSI-ABC234"),)
        assert step.state.pending is None


def test_no_keeps_it_and_anything_else_asks_again(form: Form) -> None:
    asking = sent(form).model_copy(update={"pending": ASKED})
    for event in (Decline(), Answer("no")):
        step = engine.handle(form, asking, event)
        assert step.effects == (Kept(Confirmation.WITHDRAW),)
        assert step.state.status is Status.SUBMITTED and step.state.pending is None
    again = engine.handle(form, asking, Answer("perhaps"))
    assert again.effects == (AskConfirm(Confirmation.WITHDRAW, again=True),)
    assert again.state.pending == ASKED


def test_a_sent_nomination_is_otherwise_unchanged(form: Form) -> None:
    state = sent(form)
    assert engine.handle(form, state, Start()).effects == (Submitted("LSI-ABC234"),)
    assert engine.handle(form, state, Confirm()).effects == (
        Reprompt(None, Problem.ALREADY_SUBMITTED),
    )
    left = engine.handle(form, state.model_copy(update={"pending": ASKED}), GoToReview())
    assert left.state.pending is None
    assert left.effects == (Reprompt(None, Problem.ALREADY_SUBMITTED),)


def test_a_withdrawn_nomination_only_says_so(form: Form) -> None:
    gone = sent(form).model_copy(update={"status": Status.WITHDRAWN})
    for event in (Start(), Withdraw(), Confirm(), Answer("yes")):
        step = engine.handle(form, gone, event)
        assert step == engine.Transition(gone, (Reprompt(None, Problem.WITHDRAWN),))


def test_a_draft_has_nothing_to_withdraw(form: Form) -> None:
    draft = new_nomination(form, "LSI-ABC234")
    step = engine.handle(form, draft, Withdraw())
    assert step.state == draft
    assert step.effects == (Reprompt(draft.position, Problem.NOTHING_TO_CONFIRM),)
