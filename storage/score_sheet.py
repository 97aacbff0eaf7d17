"""The judges' scores of some nominations as the panel meeting's sheet reads them (issue 18):
the judge's name, each criterion's score, the comment and when it was submitted. Read a page of
nominations at a time beside storage.sent's pages, so the scores CSV is streamed too."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from storage.db import SharedConnection, from_utc_text

_ROWS = """
    SELECT n.reference, j.name, s.criterion_id, s.value, a.comment, a.scored_at
    FROM judge_scores AS s
    JOIN judges AS j ON j.id = s.judge_id
    JOIN nominations AS n ON n.id = s.nomination_id
    JOIN judge_assignments AS a ON a.judge_id = s.judge_id AND a.nomination_id = s.nomination_id
    WHERE j.form_id = ? AND a.scored_at IS NOT NULL
      AND n.reference IN (SELECT value FROM json_each(?))
    ORDER BY n.submitted_at, n.id, j.id, s.criterion_id
"""


@dataclass(frozen=True, slots=True)
class SheetRow:
    reference: str
    judge: str
    criterion_id: str
    value: int
    comment: str
    scored_at: datetime


async def sheet_rows(
    db: SharedConnection, form_id: str, references: Sequence[str]
) -> list[SheetRow]:
    """Every submitted score of these nominations, by nomination, judge and criterion."""
    async with db.read() as conn:
        rows = await conn.execute_fetchall(_ROWS, (form_id, json.dumps(list(references))))
    return [
        SheetRow(str(ref), str(judge), str(c), int(v), str(comment or ""), from_utc_text(str(at)))
        for ref, judge, c, v, comment, at in rows
    ]
