"""The judges' scores as CSV for the panel meeting (`nomination-bot scores --format csv`).

One row per judge, nomination and criterion, with the judge's comment on that nomination on each
of its rows (so a row filtered out in Excel keeps its comment). Safe to open in Excel as the
nominations' CSV is: every typed cell goes through `exports.neutralised`, and the file is written
with a byte-order mark (`organisers.encoding`). Rows are written as they come, a batch at a time,
so a large round's scores never sit in memory at once.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TextIO

from bot.services.exports import REFERENCE, neutralised

NOMINEE = "Nominee"
JUDGE = "Judge"
CRITERION = "Criterion"
WEIGHT = "Weight"
SCORE = "Score"
SCORE_MEANS = "Score means"
COMMENT = "Comment for the panel"
SCORED_UTC = "Scored (ISO 8601, UTC)"
COLUMNS = (REFERENCE, NOMINEE, JUDGE, CRITERION, WEIGHT, SCORE, SCORE_MEANS, COMMENT, SCORED_UTC)
AWARD = "Award"  # first, in a programme's every-award CSV only (one award's keeps COLUMNS)


@dataclass(frozen=True, slots=True)
class ScoreLine:
    """One judge's score for one criterion of one nomination, as the panel reads it."""

    reference: str
    nominee: str
    judge: str  # the judge's name
    criterion: str  # the criterion's short wording, from the form file
    weight: float
    score: int
    score_means: str  # the scale point's label, e.g. "outstanding evidence"
    comment: str  # the judge's comment on the nomination; "" for none
    scored_at: datetime | None


class ScoresCsv:
    """The scores CSV written as it goes: the header at once, then each batch of lines. With
    `awards`, several awards' scores share the file and each row begins with its award's name,
    `award`, set before that award's lines are written."""

    def __init__(self, out: TextIO, *, awards: bool = False) -> None:
        self._out = out
        self._awards = awards
        self.award = ""
        self._rows([[AWARD, *COLUMNS] if awards else list(COLUMNS)])

    def write(self, lines: Iterable[ScoreLine]) -> int:
        """Write a batch of lines; how many."""
        first = [neutralised(self.award)] if self._awards else []
        rows = [first + _cells(line) for line in lines]
        self._rows(rows)
        return len(rows)

    def _rows(self, rows: list[list[str]]) -> None:
        batch = io.StringIO()
        csv.writer(batch).writerows(rows)
        self._out.write(batch.getvalue())


def _cells(line: ScoreLine) -> list[str]:
    scored = (
        "" if line.scored_at is None else line.scored_at.astimezone(UTC).isoformat("T", "seconds")
    )
    typed = (line.nominee, line.judge, line.criterion, line.score_means, line.comment)
    nominee, judge, criterion, means, comment = (neutralised(cell) for cell in typed)
    weight = f"{line.weight:g}"
    return [
        line.reference,
        nominee,
        judge,
        criterion,
        weight,
        str(line.score),
        means,
        comment,
        scored,
    ]


def scores_csv_text(lines: Iterable[ScoreLine]) -> str:
    """The whole CSV as text (without its byte-order mark), for a small round or a test."""
    out = io.StringIO()
    ScoresCsv(out).write(lines)
    return out.getvalue()
