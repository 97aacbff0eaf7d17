"""The leaderboard and the shortlist as short lines of plain text, the same for `/leaderboard`
and `/shortlist` in Telegram and `nomination-bot scores` (each front end escapes and joins them
its own way)."""

from __future__ import annotations

from bot.screens import texts
from flows.judging.criteria import Judging
from flows.leaderboard import DISAGREEMENT_SPREAD, BoardLine

IN_A_CHAT = 30
"""Nominations /leaderboard shows: more is a long scroll on a phone."""


def figure(value: float | None) -> str:
    return texts.NOT_RANKED if value is None else f"{value:.2f}"


def board_lines(board: list[BoardLine], judging: Judging, shown: int | None = None) -> list[str]:
    """A title and key, then two lines a nomination: the first `shown` of them, if given, and
    a line saying how many more there are."""
    lines = [
        texts.LEADERBOARD_TITLE.format(low=judging.lowest, high=judging.highest),
        texts.LEADERBOARD_KEY.format(spread=DISAGREEMENT_SPREAD),
        "",
    ]
    if not board:
        return [*lines, texts.LEADERBOARD_NONE]
    for line in board[:shown]:
        s = line.standing
        lines.append(
            texts.LEADERBOARD_LINE.format(
                rank=texts.LEADERBOARD_RANK.format(rank=s.normalised_rank)
                if s.normalised_rank is not None
                else texts.NOT_RANKED,
                reference=s.nomination,
                nominee=line.nominee,
                star=" ★" if line.shortlisted else "",
            )
        )
        recusals = texts.LEADERBOARD_RECUSALS.format(count=s.recusals) if s.recusals else ""
        if s.raw is None:
            lines.append(
                texts.LEADERBOARD_UNSCORED.format(
                    received=s.received, assigned=s.assigned, recusals=recusals
                )
            )
            continue
        lines.append(
            texts.LEADERBOARD_FIGURES.format(
                normalised=figure(s.normalised),
                raw=figure(s.raw),
                raw_rank=s.raw_rank,
                received=s.received,
                assigned=s.assigned,
                recusals=recusals,
                flag=texts.LEADERBOARD_DISAGREE if s.disagreement else "",
            )
        )
    if shown is not None and len(board) > shown:
        lines += ["", texts.LEADERBOARD_MORE.format(shown=shown, count=len(board))]
    return lines


def shortlist_line(references: list[str]) -> str:
    if not references:
        return texts.SHORTLIST_EMPTY
    return texts.SHORTLIST_LIST.format(count=len(references), references=", ".join(references))
