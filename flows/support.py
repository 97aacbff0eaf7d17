"""The rules of a colleague's supporting statement: its steps, what each accepts, and when it
may be sent. Pure: the state is a mapping of answers and a step, handed in and handed back."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from flows.text import typed
from flows.validation import word_count

SHORT_MAX_CHARS = 200  # a name, a role or a relationship


class Step(StrEnum):
    """Where a colleague is in their statement: its four answers, then the review."""

    NAME = "name"
    ROLE = "role"
    RELATIONSHIP = "relationship"
    STATEMENT = "statement"
    REVIEW = "review"


ANSWER_STEPS: tuple[Step, ...] = (Step.NAME, Step.ROLE, Step.RELATIONSHIP, Step.STATEMENT)


class Problem(StrEnum):
    EMPTY = "empty"
    TOO_LONG = "too_long"
    TOO_MANY_WORDS = "too_many_words"


@dataclass(frozen=True, slots=True)
class Written:
    """What typing one message at a step does: the answers and step after it, or a problem
    (and nothing changes)."""

    answers: dict[str, str]
    step: Step
    problem: Problem | None = None


def next_step(answers: dict[str, str], after: Step | None) -> Step:
    """The first unanswered step after `after` (from the start if None), else the review."""
    start = 0 if after is None else ANSWER_STEPS.index(after) + 1
    return next((s for s in ANSWER_STEPS[start:] if not answers.get(s.value)), Step.REVIEW)


def write(answers: dict[str, str], step: Step, text: str, *, max_words: int) -> Written:
    """A message typed at `step`: saved as that step's answer, then on to the next unanswered
    step (or the review). At the review, typed text is not an answer: nothing changes."""
    if step is Step.REVIEW:
        return Written(answers, step)
    clean = typed(text).strip()
    if not clean:
        return Written(answers, step, Problem.EMPTY)
    if step is Step.STATEMENT:
        if word_count(clean) > max_words:
            return Written(answers, step, Problem.TOO_MANY_WORDS)
    elif len(clean) > SHORT_MAX_CHARS:
        return Written(answers, step, Problem.TOO_LONG)
    new = {**answers, step.value: clean}
    return Written(new, next_step(new, step))


def change(answers: dict[str, str], step: Step) -> Written:
    """Change one answer from the review: it is asked again (the old one stays until replaced)."""
    return Written(answers, step)


def ready(answers: dict[str, str]) -> bool:
    """Every answer given: the statement may be sent."""
    return all(answers.get(s.value) for s in ANSWER_STEPS)
