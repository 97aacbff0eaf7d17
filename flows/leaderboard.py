"""The judging leaderboard's arithmetic: plain score records in, each nomination's standing out.

For each nomination:
- **raw**: each judge's weighted mean over the criteria they scored (weights from the form
  file, default 1), then the mean of those over the judges who scored it;
- **normalised**: corrects lenient and harsh judges. Each judge's weighted means are turned into
  z-scores over the nominations that judge scored, z = (mean - judge's average) / judge's
  standard deviation (population; 0 when every mean of theirs is the same). A z-score is put back
  on the scale as G + z * S, where G and S are the average and standard deviation of every
  judge's weighted mean on every nomination, so a typical judge's figures barely move. A judge who
  scored fewer than `MIN_FOR_NORMALISING` nominations has too few for a z-score: their raw means
  stand. The nomination's normalised score is the average of its judges' figures, kept within the
  scale;
- scores received (judges who scored it) of those assigned, and recusals;
- **disagreement**: the spread between its judges' means is `DISAGREEMENT_SPREAD` points or more.

Ranks are competition ranks (1, 2, 2, 4): nominations whose scores agree to nine decimal places
share a rank, and are listed in the order of their references. Ranking uses the normalised score
before it is kept within the scale, so two nominations both past the top still rank apart. A
nomination nobody has scored has no scores and no rank, and comes last.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

MIN_FOR_NORMALISING = 3
DISAGREEMENT_SPREAD = 2.0
_PLACES = 9  # scores equal to this many decimal places are a tie: float noise never splits one


@dataclass(frozen=True, slots=True)
class Score:
    """One judge's score for one criterion of one nomination."""

    judge: str
    nomination: str
    criterion: str
    value: float


@dataclass(frozen=True, slots=True)
class Scale:
    """The lowest and highest score a judge can give."""

    low: float
    high: float

    def keep(self, value: float) -> float:
        return min(max(value, self.low), self.high)


@dataclass(frozen=True, slots=True)
class Standing:
    """One nomination's line of the leaderboard."""

    nomination: str
    raw: float | None
    normalised: float | None
    received: int
    assigned: int
    recusals: int
    spread: float | None  # highest judge's mean less the lowest; None with fewer than two judges
    disagreement: bool
    raw_rank: int | None
    normalised_rank: int | None


@dataclass(frozen=True, slots=True)
class BoardLine:
    """A standing with what organisers read it by: the nominee, and whether it is shortlisted."""

    standing: Standing
    nominee: str
    shortlisted: bool

    @property
    def reference(self) -> str:
        return self.standing.nomination


JudgeMeans = dict[str, dict[str, float]]  # {judge: {nomination: weighted mean}}


def judge_means(scores: Iterable[Score], weights: Mapping[str, float]) -> JudgeMeans:
    """Each judge's weighted mean of each nomination they scored."""
    totals: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for score in scores:
        weight = weights.get(score.criterion, 1.0)
        total = totals[score.judge, score.nomination]
        total[0] += weight * score.value
        total[1] += weight
    means: JudgeMeans = defaultdict(dict)
    for (judge, nomination), (weighted, weight) in totals.items():
        means[judge][nomination] = weighted / weight
    return means


def _average_and_spread(values: list[float]) -> tuple[float, float]:
    """The mean and population standard deviation."""
    mean = math.fsum(values) / len(values)
    variance = math.fsum((v - mean) ** 2 for v in values) / len(values)
    return mean, math.sqrt(variance)


def normalised_figures(means: JudgeMeans) -> dict[str, list[float]]:
    """{nomination: each of its judges' figures on the scale}: G + z * S, or the raw mean for a
    judge with too few nominations scored."""
    every = [m for by_nomination in means.values() for m in by_nomination.values()]
    if not every:
        return {}
    grand, grand_spread = _average_and_spread(every)
    figures: dict[str, list[float]] = defaultdict(list)
    for by_nomination in means.values():
        if len(by_nomination) < MIN_FOR_NORMALISING:
            for nomination, mean in by_nomination.items():
                figures[nomination].append(mean)
            continue
        average, spread = _average_and_spread(list(by_nomination.values()))
        for nomination, mean in by_nomination.items():
            z = (mean - average) / spread if spread > 0 else 0.0
            figures[nomination].append(grand + z * grand_spread)
    return figures


def ranks(values: Mapping[str, float | None]) -> dict[str, int | None]:
    """Competition ranks, highest first; ties (to _PLACES decimals) share a rank."""
    scored = sorted(
        ((round(v, _PLACES), key) for key, v in values.items() if v is not None),
        key=lambda pair: (-pair[0], pair[1]),
    )
    ranked: dict[str, int | None] = dict.fromkeys(values)
    previous: float | None = None
    rank = 0
    for position, (value, key) in enumerate(scored, start=1):
        if value != previous:
            rank, previous = position, value
        ranked[key] = rank
    return ranked


def _mean(values: list[float] | None) -> float | None:
    return math.fsum(values) / len(values) if values else None


def leaderboard(
    scores: Iterable[Score],
    *,
    scale: Scale,
    weights: Mapping[str, float] | None = None,
    assigned: Mapping[str, int] | None = None,
    recusals: Mapping[str, int] | None = None,
) -> list[Standing]:
    """Every nomination that was scored, assigned or recused, best normalised score first."""
    means = judge_means(scores, weights or {})
    assigned, recusals = assigned or {}, recusals or {}
    by_nomination: dict[str, list[float]] = defaultdict(list)
    for by_judge in means.values():
        for nomination, mean in by_judge.items():
            by_nomination[nomination].append(mean)
    figures = normalised_figures(means)
    nominations = sorted({*by_nomination, *assigned, *recusals})
    raw = {n: _mean(by_nomination.get(n)) for n in nominations}
    unkept = {n: _mean(figures.get(n)) for n in nominations}
    raw_ranks, normalised_ranks = ranks(raw), ranks(unkept)
    board = [
        _standing(n, by_nomination.get(n, []), raw[n], unkept[n], scale, assigned, recusals)
        for n in nominations
    ]
    board = [
        replace(s, raw_rank=raw_ranks[s.nomination], normalised_rank=normalised_ranks[s.nomination])
        for s in board
    ]
    return sorted(board, key=_board_order)


def _standing(
    nomination: str,
    means: list[float],
    raw: float | None,
    unkept: float | None,
    scale: Scale,
    assigned: Mapping[str, int],
    recusals: Mapping[str, int],
) -> Standing:
    spread = max(means) - min(means) if len(means) >= 2 else None
    return Standing(
        nomination=nomination,
        raw=raw,
        normalised=None if unkept is None else scale.keep(unkept),
        received=len(means),
        assigned=assigned.get(nomination, len(means)),
        recusals=recusals.get(nomination, 0),
        spread=spread,
        disagreement=spread is not None and round(spread, _PLACES) >= DISAGREEMENT_SPREAD,
        raw_rank=None,
        normalised_rank=None,
    )


def _board_order(standing: Standing) -> tuple[float, float, str]:
    """Best normalised rank first, then raw rank; the unscored last, by reference."""
    normalised = math.inf if standing.normalised_rank is None else standing.normalised_rank
    raw = math.inf if standing.raw_rank is None else standing.raw_rank
    return normalised, raw, standing.nomination
