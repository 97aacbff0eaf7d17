"""The leaderboard's arithmetic, checked against figures worked out by hand, and its properties."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flows.leaderboard import Scale, Score, Standing, leaderboard, ranks

FIVE = Scale(1, 5)


def one_criterion(judge: str, marks: dict[str, int]) -> list[Score]:
    return [Score(judge, nomination, "c", value) for nomination, value in marks.items()]


def by_reference(board: list[Standing]) -> dict[str, Standing]:
    return {s.nomination: s for s in board}


def test_weights_count_in_each_judges_mean() -> None:
    weights = {"impact": 2.0}  # "reach" is not listed: weight 1
    scores = [
        Score("A", "N1", "impact", 5),
        Score("A", "N1", "reach", 2),
        Score("B", "N1", "impact", 3),
        Score("B", "N1", "reach", 3),
    ]
    (n1,) = leaderboard(scores, scale=FIVE, weights=weights)
    # A: (2 x 5 + 1 x 2) / (2 + 1) = 12 / 3 = 4.0; B: (2 x 3 + 1 x 3) / 3 = 3.0
    # raw = (4.0 + 3.0) / 2 = 3.5; spread 4.0 - 3.0 = 1.0, under 2: no flag
    assert n1.raw == pytest.approx(3.5)
    assert n1.spread == pytest.approx(1.0)
    assert not n1.disagreement
    assert (n1.received, n1.assigned) == (2, 2)  # none said assigned: those who scored


# A is lenient, B harsh; C scored two nominations only, so C's raw marks stand.
HAND = [
    *one_criterion("A", {"N1": 5, "N2": 4, "N3": 4, "N4": 3}),
    *one_criterion("B", {"N1": 2, "N2": 3, "N3": 1}),
    *one_criterion("C", {"N3": 4, "N4": 5}),
]


def test_raw_and_normalised_figures_worked_out_by_hand() -> None:
    board = leaderboard(
        HAND, scale=FIVE, assigned={f"N{i}": 3 for i in range(1, 6)}, recusals={"N2": 1}
    )
    lines = by_reference(board)
    # Raw: the mean of the judges' means.
    #   N1 (5 + 2) / 2 = 3.5,  N2 (4 + 3) / 2 = 3.5,  N3 (4 + 1 + 4) / 3 = 3.0,  N4 (3 + 5) / 2 = 4
    assert [lines[n].raw for n in ("N1", "N2", "N3", "N4")] == pytest.approx([3.5, 3.5, 3.0, 4.0])
    # Raw ranks: N4 first; N1 and N2 tie for second; N3 fourth (competition ranking).
    assert [lines[n].raw_rank for n in ("N1", "N2", "N3", "N4")] == [2, 2, 4, 1]

    # Every judge's mean on every nomination: 5, 4, 4, 3, 2, 3, 1, 4, 5 (nine figures).
    #   G = 31 / 9; squares 25+16+16+9+4+9+1+16+25 = 121, so variance = 121/9 - (31/9)^2
    #   = (1089 - 961) / 81 = 128 / 81 and S = sqrt(128) / 9 = 8 sqrt(2) / 9.
    g, s = 31 / 9, 8 * math.sqrt(2) / 9
    # A: mean 4, deviations 1, 0, 0, -1, variance 2/4 = 1/2, sd sqrt(1/2):
    #   z = sqrt(2), 0, 0, -sqrt(2).
    # B: mean 2, deviations 0, 1, -1, variance 2/3: z = 0, sqrt(3/2), -sqrt(3/2).
    # A judge's figure is G + z S: sqrt(2) S = 16/9 and sqrt(3/2) S = 8 sqrt(3) / 9.
    #   N1: A G + 16/9, B G          -> G + 8/9 = 39/9
    #   N2: A G, B G + 8 sqrt(3)/9   -> G + 4 sqrt(3)/9
    #   N3: A G, B G - 8 sqrt(3)/9, C 4 (raw) -> (2G - 8 sqrt(3)/9 + 4) / 3 = (98 - 8 sqrt(3)) / 27
    #   N4: A G - 16/9 = 15/9, C 5 (raw)      -> (15/9 + 45/9) / 2 = 10/3
    assert s == pytest.approx(math.sqrt(128 / 81))
    assert lines["N1"].normalised == pytest.approx(39 / 9)
    assert lines["N2"].normalised == pytest.approx(g + 4 * math.sqrt(3) / 9)
    assert lines["N3"].normalised == pytest.approx((98 - 8 * math.sqrt(3)) / 27)
    assert lines["N4"].normalised == pytest.approx(10 / 3)
    # 4.333 > 4.214 > 3.333 > 3.116: normalising lifts N1 and N2 over N4, B's harshness undone.
    assert [s.nomination for s in board] == ["N1", "N2", "N4", "N3", "N5"]
    assert [s.normalised_rank for s in board] == [1, 2, 3, 4, None]

    # Spreads between judges' means: N1 5-2 = 3, N2 4-3 = 1, N3 4-1 = 3, N4 5-3 = 2 (flagged: >= 2).
    assert [lines[n].spread for n in ("N1", "N2", "N3", "N4")] == pytest.approx([3, 1, 3, 2])
    assert [lines[n].disagreement for n in ("N1", "N2", "N3", "N4")] == [True, False, True, True]
    assert [(lines[n].received, lines[n].assigned) for n in ("N1", "N3")] == [(2, 3), (3, 3)]
    assert lines["N2"].recusals == 1

    n5 = lines["N5"]  # assigned, scored by nobody: no figures, no rank, last
    assert (n5.raw, n5.normalised, n5.raw_rank, n5.received, n5.spread) == (
        None,
        None,
        None,
        0,
        None,
    )


def test_a_judge_with_fewer_than_three_counts_raw() -> None:
    scores = one_criterion("A", {"N1": 5, "N2": 1})
    board = by_reference(leaderboard(scores, scale=FIVE))
    # Two nominations only: no z-scores; the figures are A's own marks.
    assert board["N1"].normalised == 5
    assert board["N2"].normalised == 1


def test_a_judge_who_gives_everything_the_same_mark_moves_nobody() -> None:
    scores = [
        *one_criterion("A", {"N1": 4, "N2": 4, "N3": 4}),
        *one_criterion("B", {"N1": 5, "N2": 3, "N3": 1}),
    ]
    board = by_reference(leaderboard(scores, scale=FIVE))
    # A's standard deviation is 0: every z is 0, so A adds G to each; B alone orders them.
    assert [board[n].normalised_rank for n in ("N1", "N2", "N3")] == [1, 2, 3]
    assert board["N2"].normalised == pytest.approx(board["N2"].raw)  # G = 21/6 = 3.5 = raw of N2


def test_the_normalised_score_stays_on_the_scale() -> None:
    # One nomination far above the rest: G + z S passes 5, and is shown as 5.
    scores = one_criterion("A", {"N1": 5, **{f"N{i}": 1 for i in range(2, 12)}})
    board = leaderboard(scores, scale=FIVE)
    assert board[0].nomination == "N1"
    assert board[0].normalised == 5


def test_ties_rank_together_in_reference_order() -> None:
    assert ranks({"B": 2.0, "A": 2.0, "C": 3.0, "D": None, "E": 1.0}) == {
        "A": 2,
        "B": 2,
        "C": 1,
        "D": None,
        "E": 4,
    }
    # Float noise (0.1 + 0.2 is not 0.3) does not split a tie.
    assert ranks({"X": 0.1 + 0.2, "Y": 0.3})["X"] == 1


# Properties --------------------------------------------------------------------------------

NOMINATIONS = [f"N{i}" for i in range(1, 7)]


@st.composite
def panels(draw: st.DrawFn) -> list[Score]:
    """Two to four judges, each scoring at least three nominations on two criteria."""
    scores = []
    for judge in ("A", "B", "C", "D")[: draw(st.integers(2, 4))]:
        chosen = draw(st.lists(st.sampled_from(NOMINATIONS), min_size=3, max_size=6, unique=True))
        for nomination in chosen:
            for criterion in ("c1", "c2"):
                scores.append(Score(judge, nomination, criterion, draw(st.integers(1, 5))))
    return scores


def normalised_ranks(scores: list[Score]) -> dict[str, int | None]:
    return {
        s.nomination: s.normalised_rank
        for s in leaderboard(scores, scale=FIVE, weights={"c1": 2.0})
    }


@settings(max_examples=150, deadline=None)
@given(panels(), st.integers(-3, 3))
def test_a_judge_marking_everything_higher_changes_no_normalised_rank(
    scores: list[Score], shift: int
) -> None:
    judge = scores[0].judge
    shifted = [
        Score(s.judge, s.nomination, s.criterion, s.value + shift) if s.judge == judge else s
        for s in scores
    ]
    assert normalised_ranks(shifted) == normalised_ranks(scores)


@settings(max_examples=150, deadline=None)
@given(panels(), st.randoms(use_true_random=False))
def test_the_order_scores_arrive_in_changes_nothing(
    scores: list[Score], rng: random.Random
) -> None:
    shuffled = list(scores)
    rng.shuffle(shuffled)
    assert leaderboard(shuffled, scale=FIVE) == leaderboard(scores, scale=FIVE)


@settings(max_examples=150, deadline=None)
@given(panels())
def test_every_figure_is_on_the_scale_and_every_scored_nomination_ranked(
    scores: list[Score],
) -> None:
    board = leaderboard(scores, scale=FIVE)
    assert {s.nomination for s in board} == {s.nomination for s in scores}
    for line in board:
        assert line.raw is not None and 1 <= line.raw <= 5
        assert line.normalised is not None and 1 <= line.normalised <= 5
        assert line.raw_rank is not None and line.normalised_rank is not None
    # Competition ranks: a line ranked r has exactly r - 1 lines ranked above it.
    for attribute in ("raw_rank", "normalised_rank"):
        taken = [getattr(s, attribute) for s in board]
        assert all(sum(t < r for t in taken) == r - 1 for r in taken)
