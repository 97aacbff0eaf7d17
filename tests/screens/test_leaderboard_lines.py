"""The leaderboard as lines (bot/screens/leaderboard.py), as /leaderboard and nomination-bot
scores show it: figures to two places, the flags, and a chat's list cut to its first lines."""

from __future__ import annotations

from bot.screens import texts
from bot.screens.leaderboard import board_lines
from flows.form import load_form
from flows.judging.criteria import judging_of
from flows.leaderboard import BoardLine, Scale, Score, leaderboard

JUDGING = judging_of(load_form())


def board(count: int) -> list[BoardLine]:
    scores = [Score("A", f"LSI-{n:06d}", "q1", 1 + n % 5) for n in range(count)]
    scores += [Score("B", "LSI-000004", "q1", 1)]  # A gave it 5: judges 4 points apart
    standings = leaderboard(scores, scale=Scale(1, 5), assigned={"LSI-UNSEEN": 2})
    return [
        BoardLine(s, f"Nominee {s.nomination}", s.nomination == "LSI-000004") for s in standings
    ]


def test_each_nomination_reads_on_two_lines() -> None:
    assert JUDGING is not None
    lines = board_lines(board(5), JUDGING)
    assert lines[0] == texts.LEADERBOARD_TITLE.format(low=1, high=5)
    # A's 1 to 5 put LSI-000003 (A's 4) first: G + z S = 8/3 + (1/sqrt 2)(sqrt 20 / 3) = 3.72.
    assert lines[3] == "1. LSI-000003 Nominee LSI-000003"
    assert lines[4] == "   normalised 3.72 · raw 4.00 (rank 1) · scored 1 of 1"
    # LSI-000004: A's 5 (8/3 + sqrt 2 x sqrt 20 / 3 = 4.77) and B's raw 1 (B scored one), so
    # (4.77 + 1) / 2 = 2.89 normalised and (5 + 1) / 2 = 3 raw, 4 points apart: flagged.
    starred = lines.index("2. LSI-000004 Nominee LSI-000004 ★")  # over A's 3 at G = 2.67
    assert lines[starred + 1] == (
        "   normalised 2.89 · raw 3.00 (rank 2) · scored 2 of 2" + texts.LEADERBOARD_DISAGREE
    )
    unseen = lines.index("– LSI-UNSEEN Nominee LSI-UNSEEN")
    assert lines[unseen + 1] == texts.LEADERBOARD_UNSCORED.format(
        received=0, assigned=2, recusals=""
    )


def test_a_chat_shows_the_first_lines_and_says_how_many_more() -> None:
    assert JUDGING is not None
    lines = board_lines(board(40), JUDGING, shown=30)
    assert sum(line.startswith("   ") for line in lines) == 30
    assert lines[-1] == texts.LEADERBOARD_MORE.format(shown=30, count=41)
    assert texts.LEADERBOARD_MORE.split("{")[0] not in "\n".join(board_lines(board(5), JUDGING))
