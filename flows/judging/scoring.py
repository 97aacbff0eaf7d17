"""A judge scoring one nomination, as a small state machine of its own: a state and an event in,
the next state and what to show out.

The steps, in order: the conflict-of-interest question (yes: the reason, then recused); each
criterion's score on the form's scale; an optional comment for the panel; the check-your-scores
screen, with Change per criterion and for the comment; Submit scores. A change made from the
check comes back to it. A judge who opens a nomination they have scored starts at the check.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from flows.judging.criteria import Judging
from flows.text import typed

REASON_CHARS = 300
COMMENT_CHARS = 1500


class Step(StrEnum):
    CONFLICT = "conflict"  # "Do you have a conflict of interest?"
    REASON = "reason"  # what the conflict is
    CRITERION = "criterion"  # a score for the criterion at `index`
    COMMENT = "comment"
    CHECK = "check"  # check your scores
    SUBMITTED = "submitted"
    RECUSED = "recused"


class ScoringState(BaseModel):
    """Where a judge stands with one nomination: plain data, kept as JSON by the store."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    reference: str
    step: Step = Step.CONFLICT
    index: int = 0  # the criterion being scored, at Step.CRITERION
    scores: dict[str, int] = Field(default_factory=dict)
    comment: str | None = None
    reason: str | None = None
    changing: bool = False  # came from the check: go back to it after this step


# Events: what a judge can do -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Conflict:
    """The answer to the conflict question."""

    has_conflict: bool


@dataclass(frozen=True, slots=True)
class Typed:
    """Text typed: a conflict's reason, or a comment."""

    text: str


@dataclass(frozen=True, slots=True)
class Score:
    """A score pressed for a criterion (named, so a stale button is known)."""

    criterion_id: str
    value: int


@dataclass(frozen=True, slots=True)
class SkipComment:
    pass


@dataclass(frozen=True, slots=True)
class Change:
    """From the check: change one criterion's score (its id) or, with "", the comment."""

    criterion_id: str


@dataclass(frozen=True, slots=True)
class SubmitScores:
    pass


@dataclass(frozen=True, slots=True)
class Show:
    """Show the current step again (opening the nomination, /judge)."""


ScoringEvent = Conflict | Typed | Score | SkipComment | Change | SubmitScores | Show


# Effects: what to show ------------------------------------------------------------------------


class Refusal(StrEnum):
    NOT_NOW = "not_now"  # the event does not belong to this step (a stale button, say)
    OFF_SCALE = "off_scale"
    REASON_NEEDED = "reason_needed"
    TOO_LONG = "too_long"
    UNSCORED = "unscored"  # Submit with a criterion unscored


@dataclass(frozen=True, slots=True)
class AskConflict:
    pass


@dataclass(frozen=True, slots=True)
class AskReason:
    pass


@dataclass(frozen=True, slots=True)
class AskScore:
    criterion_id: str
    index: int  # 0-based
    count: int
    current: int | None  # the score given before, if any


@dataclass(frozen=True, slots=True)
class AskComment:
    current: str | None


@dataclass(frozen=True, slots=True)
class CheckScores:
    scores: dict[str, int]
    comment: str | None


@dataclass(frozen=True, slots=True)
class Recused:
    reason: str


@dataclass(frozen=True, slots=True)
class ScoresSubmitted:
    scores: dict[str, int]
    comment: str | None


@dataclass(frozen=True, slots=True)
class Refused:
    why: Refusal


ScoringEffect = (
    AskConflict
    | AskReason
    | AskScore
    | AskComment
    | CheckScores
    | Recused
    | ScoresSubmitted
    | Refused
)


@dataclass(frozen=True, slots=True)
class Scoring:
    """The machine's answer to one event."""

    state: ScoringState
    effects: tuple[ScoringEffect, ...]


def begin(
    reference: str, scored: dict[str, int] | None = None, comment: str | None = None
) -> ScoringState:
    """A nomination opened for scoring: at the conflict question, or, with scores already
    submitted, at the check (to change them)."""
    if scored:
        return ScoringState(reference=reference, step=Step.CHECK, scores=scored, comment=comment)
    return ScoringState(reference=reference)


def prompt(judging: Judging, state: ScoringState) -> ScoringEffect:
    """What the current step shows."""
    match state.step:
        case Step.CONFLICT:
            return AskConflict()
        case Step.REASON:
            return AskReason()
        case Step.CRITERION:
            criterion = judging.criteria[state.index]
            count = len(judging.criteria)
            return AskScore(criterion.id, state.index, count, state.scores.get(criterion.id))
        case Step.COMMENT:
            return AskComment(state.comment)
        case Step.CHECK:
            return CheckScores(dict(state.scores), state.comment)
        case Step.SUBMITTED:
            return ScoresSubmitted(dict(state.scores), state.comment)
        case Step.RECUSED:
            return Recused(state.reason or "")


def handle(judging: Judging, state: ScoringState, event: ScoringEvent) -> Scoring:
    """The next state and what to show, for one event."""
    match event:
        case Show():
            return _at(judging, state)
        case Conflict(has_conflict) if state.step is Step.CONFLICT:
            if has_conflict:
                return _at(judging, _with(state, step=Step.REASON))
            return _at(judging, _with(state, step=Step.CRITERION, index=0))
        case Typed(text) if state.step is Step.REASON:
            return _reason(judging, state, typed(text).strip())
        case Typed(text) if state.step is Step.COMMENT:
            return _comment(judging, state, typed(text).strip())
        case Score(criterion_id, value) if _scoring(judging, state, criterion_id):
            return _score(judging, state, criterion_id, value)
        case SkipComment() if state.step is Step.COMMENT:
            return _at(judging, _with(state, step=Step.CHECK, changing=False))
        case Change(criterion_id) if state.step is Step.CHECK:
            return _change(judging, state, criterion_id)
        case SubmitScores() if state.step is Step.CHECK:
            missing = [c for c in judging.criteria if c.id not in state.scores]
            if missing:
                index = judging.criteria.index(missing[0])
                again = _with(state, step=Step.CRITERION, index=index)
                return Scoring(again, (Refused(Refusal.UNSCORED), prompt(judging, again)))
            done = _with(state, step=Step.SUBMITTED)
            return Scoring(done, (ScoresSubmitted(dict(done.scores), done.comment),))
    return Scoring(state, (Refused(Refusal.NOT_NOW), prompt(judging, state)))


def reopened(state: ScoringState) -> ScoringState:
    """A submitted scoring opened again to change it (until judging closes): at the check."""
    if state.step is Step.SUBMITTED:
        return _with(state, step=Step.CHECK)
    return state


def _at(judging: Judging, state: ScoringState) -> Scoring:
    return Scoring(state, (prompt(judging, state),))


def _with(state: ScoringState, **changes: object) -> ScoringState:
    return state.model_copy(update=changes)


def _scoring(judging: Judging, state: ScoringState, criterion_id: str) -> bool:
    """Whether a score for this criterion belongs to the current step."""
    if state.step is not Step.CRITERION:
        return False
    return judging.criteria[state.index].id == criterion_id


def _reason(judging: Judging, state: ScoringState, text: str) -> Scoring:
    if not text:
        return Scoring(state, (Refused(Refusal.REASON_NEEDED), AskReason()))
    if len(text) > REASON_CHARS:
        return Scoring(state, (Refused(Refusal.TOO_LONG), AskReason()))
    recused = _with(state, step=Step.RECUSED, reason=text, scores={}, comment=None)
    return Scoring(recused, (Recused(text),))


def _comment(judging: Judging, state: ScoringState, text: str) -> Scoring:
    if len(text) > COMMENT_CHARS:
        return Scoring(state, (Refused(Refusal.TOO_LONG), prompt(judging, state)))
    checked = _with(state, step=Step.CHECK, comment=text or None, changing=False)
    return _at(judging, checked)


def _score(judging: Judging, state: ScoringState, criterion_id: str, value: int) -> Scoring:
    if value not in judging.values:
        return Scoring(state, (Refused(Refusal.OFF_SCALE), prompt(judging, state)))
    scores = {**state.scores, criterion_id: value}
    if state.changing:
        return _at(judging, _with(state, scores=scores, step=Step.CHECK, changing=False))
    following = state.index + 1
    if following < len(judging.criteria):
        return _at(judging, _with(state, scores=scores, index=following))
    return _at(judging, _with(state, scores=scores, step=Step.COMMENT))


def _change(judging: Judging, state: ScoringState, criterion_id: str) -> Scoring:
    if not criterion_id:
        return _at(judging, _with(state, step=Step.COMMENT, changing=True))
    criterion = judging.criterion(criterion_id)
    if criterion is None:
        return Scoring(state, (Refused(Refusal.NOT_NOW), prompt(judging, state)))
    index = judging.criteria.index(criterion)
    return _at(judging, _with(state, step=Step.CRITERION, index=index, changing=True))
