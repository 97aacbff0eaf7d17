"""A judge scoring one nomination (flows/judging/scoring.py): the conflict question first (yes:
a reason, then recused), each criterion on the form's scale, an optional comment, the check with
Change coming back to it, Submit scores; stale and off-scale presses refused; the same machine
judges a second form on its own criteria."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows.form import load_form
from flows.judging.criteria import Judging, judging_of
from flows.judging.scoring import (
    COMMENT_CHARS,
    AskComment,
    AskConflict,
    AskReason,
    AskScore,
    Change,
    CheckScores,
    Conflict,
    Recused,
    Refusal,
    Refused,
    Score,
    ScoresSubmitted,
    ScoringEvent,
    ScoringState,
    Show,
    SkipComment,
    Step,
    SubmitScores,
    Typed,
    begin,
    handle,
    reopened,
)

REF = "LSI-7K3Q9M"
JUDGED = Path(__file__).resolve().parent.parent / "forms" / "judged.toml"


def award() -> Judging:
    judging = judging_of(load_form())
    assert judging is not None
    return judging


def run(
    judging: Judging, state: ScoringState, *events: ScoringEvent
) -> tuple[ScoringState, list[object]]:
    effects: list[object] = []
    for event in events:
        result = handle(judging, state, event)
        state, effects = result.state, list(result.effects)
    return state, effects


ALL_FOURS = (Score("q1", 4), Score("q2", 3), Score("q3", 5), Score("q4", 2))


def test_the_conflict_question_comes_first_then_each_criterion_in_order() -> None:
    judging = award()
    state = begin(REF)
    assert handle(judging, state, Show()).effects == (AskConflict(),)
    state, effects = run(judging, state, Conflict(has_conflict=False))
    assert effects == [AskScore("q1", 0, 4, None)]
    state, effects = run(judging, state, Score("q1", 4))
    assert effects == [AskScore("q2", 1, 4, None)]
    state, effects = run(judging, state, Score("q2", 3), Score("q3", 5), Score("q4", 2))
    assert effects == [AskComment(None)]
    state, effects = run(judging, state, Typed("  Strong on data.  "))
    scores = {"q1": 4, "q2": 3, "q3": 5, "q4": 2}
    assert effects == [CheckScores(scores, "Strong on data.")]
    state, effects = run(judging, state, SubmitScores())
    assert effects == [ScoresSubmitted(scores, "Strong on data.")]
    assert state.step is Step.SUBMITTED


def test_a_conflict_asks_its_reason_and_recuses() -> None:
    judging = award()
    state, effects = run(judging, begin(REF), Conflict(has_conflict=True))
    assert effects == [AskReason()]
    state, effects = run(judging, state, Typed("   "))
    assert effects == [Refused(Refusal.REASON_NEEDED), AskReason()]
    state, effects = run(judging, state, Typed("I manage the nominee"))
    assert effects == [Recused("I manage the nominee")]
    assert state.step is Step.RECUSED and state.reason == "I manage the nominee"
    # Nothing more can be done with it.
    assert run(judging, state, Score("q1", 3))[1][0] == Refused(Refusal.NOT_NOW)


def test_the_comment_can_be_skipped_and_is_capped() -> None:
    judging = award()
    state, _ = run(judging, begin(REF), Conflict(has_conflict=False), *ALL_FOURS)
    _, effects = run(judging, state, Typed("x" * (COMMENT_CHARS + 1)))
    assert effects == [Refused(Refusal.TOO_LONG), AskComment(None)]
    state, effects = run(judging, state, SkipComment())
    assert effects == [CheckScores({"q1": 4, "q2": 3, "q3": 5, "q4": 2}, None)]


def test_change_from_the_check_comes_back_to_it() -> None:
    judging = award()
    state, _ = run(judging, begin(REF), Conflict(has_conflict=False), *ALL_FOURS, SkipComment())
    state, effects = run(judging, state, Change("q3"))
    assert effects == [AskScore("q3", 2, 4, 5)]  # the score given before, shown
    state, effects = run(judging, state, Score("q3", 1))
    assert effects == [CheckScores({"q1": 4, "q2": 3, "q3": 1, "q4": 2}, None)]
    state, effects = run(judging, state, Change(""))
    assert effects == [AskComment(None)]
    state, effects = run(judging, state, Typed("Revised"))
    assert effects == [CheckScores({"q1": 4, "q2": 3, "q3": 1, "q4": 2}, "Revised")]


def test_a_stale_or_off_scale_press_is_refused_and_the_step_shown_again() -> None:
    judging = award()
    state, _ = run(judging, begin(REF), Conflict(has_conflict=False), Score("q1", 4))
    assert run(judging, state, Score("q1", 5))[1] == [
        Refused(Refusal.NOT_NOW),
        AskScore("q2", 1, 4, None),
    ]
    assert run(judging, state, Score("q2", 9))[1] == [
        Refused(Refusal.OFF_SCALE),
        AskScore("q2", 1, 4, None),
    ]
    assert run(judging, state, SubmitScores())[1][0] == Refused(Refusal.NOT_NOW)
    assert run(judging, state, Conflict(has_conflict=True))[1][0] == Refused(Refusal.NOT_NOW)


def test_scores_submitted_before_open_at_the_check_to_change() -> None:
    judging = award()
    state = begin(REF, {"q1": 1, "q2": 2, "q3": 3, "q4": 4}, "Before")
    assert handle(judging, state, Show()).effects == (CheckScores(state.scores, "Before"),)
    done, _ = run(judging, state, SubmitScores())
    assert reopened(done).step is Step.CHECK


def test_submit_with_a_criterion_unscored_goes_to_it() -> None:
    judging = award()
    state = begin(REF, {"q1": 1, "q2": 2, "q4": 4})
    state, effects = run(judging, state, SubmitScores())
    assert effects == [Refused(Refusal.UNSCORED), AskScore("q3", 2, 4, None)]


def test_a_second_form_is_judged_on_its_own_criteria_and_scale() -> None:
    judging = judging_of(load_form(JUDGED))
    assert judging is not None
    state, effects = run(judging, begin("JTY-7K3Q9M"), Conflict(has_conflict=False))
    assert effects == [AskScore("impact", 0, 2, None)]
    assert run(judging, state, Score("impact", 3))[1][0] == Refused(Refusal.OFF_SCALE)
    state, effects = run(judging, state, Score("impact", 0), Score("story", 2), SkipComment())
    assert effects == [CheckScores({"impact": 0, "story": 2}, None)]


def test_the_state_survives_its_json() -> None:
    judging = award()
    state, _ = run(judging, begin(REF), Conflict(has_conflict=False), Score("q1", 4))
    assert ScoringState.model_validate_json(state.model_dump_json()) == state


EVENTS = st.one_of(
    st.builds(Conflict, st.booleans()),
    st.builds(Typed, st.text(max_size=20)),
    st.builds(Score, st.sampled_from(["q1", "q2", "q3", "q4", "zz"]), st.integers(0, 6)),
    st.just(SkipComment()),
    st.builds(Change, st.sampled_from(["", "q1", "q4", "zz"])),
    st.just(SubmitScores()),
    st.just(Show()),
)


@given(st.lists(EVENTS, max_size=40))
def test_any_run_keeps_scores_on_the_scale_and_submits_only_complete(
    events: list[ScoringEvent],
) -> None:
    judging = award()
    state = begin(REF)
    for event in events:
        result = handle(judging, state, event)
        state = result.state
        assert set(state.scores.values()) <= judging.values
        assert result.effects  # every event shows something
        if any(isinstance(e, ScoresSubmitted) for e in result.effects):
            assert set(state.scores) == {c.id for c in judging.criteria}
        if state.step is Step.RECUSED:
            assert state.reason and not state.scores


@pytest.mark.parametrize("step", list(Step))
def test_every_step_shows_something(step: Step) -> None:
    state = ScoringState(reference=REF, step=step, reason="r")
    assert handle(award(), state, Show()).effects
