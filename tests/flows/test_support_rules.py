"""The rules of a colleague's supporting statement (flows.support): steps in order, limits, a
change from the review coming back to it, and text typed at the review changing nothing."""

from __future__ import annotations

from flows.support import Problem, Step, change, next_step, ready, write

FULL = {"name": "Kim Lee", "role": "Matron", "relationship": "Her manager", "statement": "Yes."}


def test_the_steps_go_in_order_then_to_the_review() -> None:
    answers: dict[str, str] = {}
    step = next_step(answers, None)
    for expected, text in zip(
        (Step.NAME, Step.ROLE, Step.RELATIONSHIP, Step.STATEMENT), FULL.values(), strict=True
    ):
        assert step is expected
        written = write(answers, step, text, max_words=300)
        assert written.problem is None
        answers, step = written.answers, written.step
    assert step is Step.REVIEW and answers == FULL and ready(answers)


def test_limits_refuse_and_keep_the_answers() -> None:
    over = write({}, Step.STATEMENT, "word " * 11, max_words=10)
    assert over.problem is Problem.TOO_MANY_WORDS and over.answers == {}
    assert write({}, Step.STATEMENT, "word " * 10, max_words=10).problem is None
    assert write({}, Step.NAME, "x" * 201, max_words=10).problem is Problem.TOO_LONG
    assert write({}, Step.NAME, " \n\x07 ", max_words=10).problem is Problem.EMPTY
    assert not ready({**FULL, "statement": ""})


def test_a_change_from_the_review_comes_back_to_it() -> None:
    asked = change(FULL, Step.ROLE)
    assert asked.step is Step.ROLE and asked.answers == FULL
    written = write(FULL, Step.ROLE, "Senior Matron", max_words=300)
    assert written.step is Step.REVIEW and written.answers["role"] == "Senior Matron"
    at_review = write(FULL, Step.REVIEW, "hello", max_words=300)
    assert at_review.answers == FULL and at_review.step is Step.REVIEW
