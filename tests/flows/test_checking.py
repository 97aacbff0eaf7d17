"""The code step after the nominator's email address (flows.checking), through engine.handle."""

from __future__ import annotations

from flows import engine
from flows.effects import Ask, AskCode, CheckCode, CodeProblem, EmailChecked, Review, SendCode
from flows.events import (
    Answer,
    Back,
    ChangeEmail,
    CheckEmail,
    CodeOutcome,
    CodeResult,
    Done,
    Edit,
    Event,
    GoToReview,
    ResendCode,
    SkipCode,
    Start,
)
from flows.form import Form
from flows.state import Confirmation, NominationState

ADDRESS = "sam@nhs.example"


def run(form: Form, *events: Event) -> tuple[NominationState, tuple[object, ...]]:
    state = NominationState(
        form_id=form.id, form_version=form.version, reference="TY-1", position="who"
    )
    effects: tuple[object, ...] = ()
    for event in events:
        transition = engine.handle(form, state, event)
        state, effects = transition.state, transition.effects
    return state, effects


ANSWERED = (Answer("colleague"), Answer("Alex"), Answer("Sam"), Answer(ADDRESS))
WAITING = (*ANSWERED, CheckEmail("your_email"))


def test_checking_an_address_asks_for_a_code_to_be_sent_and_waits(tiny_form: Form) -> None:
    state, effects = run(tiny_form, *WAITING)
    assert effects == (SendCode(ADDRESS),)
    assert state.pending is not None and state.pending.about is Confirmation.EMAIL_CODE
    assert state.position == "story"  # where the nominator goes once the step is done


def test_six_digits_typed_with_spaces_or_a_dash_are_handed_over_to_be_checked(
    tiny_form: Form,
) -> None:
    for typed in ("123456", "123 456", " 123-456 "):
        _, effects = run(tiny_form, *WAITING, Answer(typed))
        assert effects == (CheckCode("123456"),)


def test_anything_else_typed_is_not_a_code(tiny_form: Form) -> None:
    for typed in ("12345", "1234567", "abcdef", "yes"):
        state, effects = run(tiny_form, *WAITING, Answer(typed))
        assert effects == (AskCode(ADDRESS, problem=CodeProblem.NOT_A_CODE),)
        assert state.pending is not None and state.answer("your_email") == ADDRESS


def test_a_wrong_code_says_how_many_tries_are_left_and_none_left_needs_a_new_code(
    tiny_form: Form,
) -> None:
    _, effects = run(tiny_form, *WAITING, CodeResult(CodeOutcome.WRONG, 3))
    assert effects == (AskCode(ADDRESS, problem=CodeProblem.WRONG, attempts_left=3),)
    for result in (CodeResult(CodeOutcome.WRONG, 0), CodeResult(CodeOutcome.EXPIRED)):
        state, effects = run(tiny_form, *WAITING, result)
        assert effects == (AskCode(ADDRESS, problem=CodeProblem.EXPIRED),)
        assert state.pending is not None


def test_the_right_code_confirms_and_carries_on_to_the_next_question(tiny_form: Form) -> None:
    state, effects = run(tiny_form, *WAITING, CodeResult(CodeOutcome.CONFIRMED))
    assert state.pending is None
    assert effects[0] == EmailChecked(confirmed=True)
    assert isinstance(effects[1], Ask) and effects[1].field_id == "story"


def test_skip_carries_on_unconfirmed_and_resend_asks_for_another_code(tiny_form: Form) -> None:
    state, effects = run(tiny_form, *WAITING, SkipCode())
    assert state.pending is None and effects[0] == EmailChecked(confirmed=False)
    assert isinstance(effects[1], Ask) and effects[1].field_id == "story"
    _, effects = run(tiny_form, *WAITING, ResendCode())
    assert effects == (SendCode(ADDRESS),)
    _, effects = run(tiny_form, *WAITING, Start())
    assert effects == (AskCode(ADDRESS),)


def test_change_or_back_asks_for_the_address_again(tiny_form: Form) -> None:
    for event in (ChangeEmail(), Back()):
        state, effects = run(tiny_form, *WAITING, event)
        assert state.pending is None and state.position == "your_email"
        assert isinstance(effects[0], Ask) and effects[0].current == ADDRESS


def test_going_to_the_review_leaves_the_step_and_the_address_unconfirmed(
    tiny_form: Form,
) -> None:
    state, effects = run(tiny_form, *WAITING, GoToReview())
    assert state.pending is None and state.at_review
    assert [type(e) for e in effects] == [Review]


def test_change_from_the_review_comes_back_to_the_review(tiny_form: Form) -> None:
    reviewed = (*ANSWERED, Answer("Kind"), Done(), Edit("your_email"))
    state, _ = run(tiny_form, *reviewed, Answer("new@nhs.example"), CheckEmail("your_email"))
    assert state.at_review and state.pending is not None
    state, effects = run(
        tiny_form,
        *reviewed,
        Answer("new@nhs.example"),
        CheckEmail("your_email"),
        CodeResult(CodeOutcome.CONFIRMED),
    )
    assert state.pending is None and isinstance(effects[1], Review)


def test_code_events_without_a_waiting_step_just_show_where_the_nominator_is(
    tiny_form: Form,
) -> None:
    for event in (ResendCode(), SkipCode(), ChangeEmail(), CodeResult(CodeOutcome.CONFIRMED)):
        state, effects = run(tiny_form, *ANSWERED, event)
        assert state.pending is None
        assert isinstance(effects[0], Ask) and effects[0].field_id == "story"
