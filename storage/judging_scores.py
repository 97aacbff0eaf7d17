"""Judging's scoring side (issue 18): who judges which nomination, recusals with their reason,
and each judge's scores and comment; and the plain records the leaderboard and the panel read.
Nominations are named by reference outside this module."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage.db import SharedConnection, from_utc_text, utc_text


@dataclass(frozen=True, slots=True)
class Assignment:
    """One nomination a judge is to score, and how far they have got."""

    judge_id: int
    reference: str
    state: str | None  # their scoring in progress, as JSON (flows.judging.scoring)
    comment: str | None
    scores: Mapping[str, int]  # as submitted, by criterion id; empty until then
    scored_version: int | None
    scored_at: datetime | None
    latest_version: int | None

    @property
    def scored(self) -> bool:
        return self.scored_at is not None

    @property
    def changed_since_scored(self) -> bool:
        """Amended (sent again) after the judge submitted their scores."""
        if self.scored_version is None or self.latest_version is None:
            return False
        return self.latest_version > self.scored_version


@dataclass(frozen=True, slots=True)
class ScoreRecord:
    """One score, as the leaderboard reads it: a judge, a nomination, a criterion, a value."""

    judge_id: int
    reference: str
    criterion_id: str
    value: int


@dataclass(frozen=True, slots=True)
class NominationProgress:
    """How judging of one nomination stands: judges assigned, scores received, recusals."""

    reference: str
    assigned: int
    scored: int
    recusals: int


@dataclass(frozen=True, slots=True)
class Recusal:
    judge_id: int
    reference: str
    reason: str
    at: datetime


_ID_OF = "(SELECT id FROM nominations WHERE reference = :ref)"
_ASSIGNMENT = """
    SELECT a.judge_id, n.reference, a.state, a.comment, a.scored_version, a.scored_at,
        (SELECT max(v.version) FROM nomination_versions AS v WHERE v.nomination_id = n.id),
        (SELECT json_group_object(s.criterion_id, s.value) FROM judge_scores AS s
            WHERE s.judge_id = a.judge_id AND s.nomination_id = a.nomination_id)
    FROM judge_assignments AS a JOIN nominations AS n ON n.id = a.nomination_id
"""
_ACTIVE = "JOIN judges AS j ON j.id = a.judge_id AND j.removed_at IS NULL"
_PROGRESS = f"""
    SELECT n.reference,
        (SELECT count(*) FROM judge_assignments AS a {_ACTIVE} WHERE a.nomination_id = n.id),
        (SELECT count(a.scored_at) FROM judge_assignments AS a {_ACTIVE}
            WHERE a.nomination_id = n.id),
        (SELECT count(*) FROM judge_recusals AS r WHERE r.nomination_id = n.id)
    FROM nominations AS n
    WHERE n.form_id = ? AND n.submitted_at IS NOT NULL AND n.status != 'withdrawn'
    ORDER BY n.submitted_at, n.id
"""  # noqa: S608
_ALL_SCORES = """
    SELECT s.judge_id, n.reference, s.criterion_id, s.value FROM judge_scores AS s
    JOIN nominations AS n ON n.id = s.nomination_id JOIN judges AS j ON j.id = s.judge_id
    WHERE j.form_id = ? ORDER BY n.submitted_at, n.id, s.judge_id, s.criterion_id
"""


_ASSIGNMENTS_OF_FORM = f"""
    SELECT a.judge_id, n.reference FROM judge_assignments AS a {_ACTIVE}
    JOIN nominations AS n ON n.id = a.nomination_id
    WHERE j.form_id = ? ORDER BY n.submitted_at, n.id, a.judge_id
"""  # noqa: S608
_OF_JUDGE = f"{_ASSIGNMENT} WHERE a.judge_id = ? ORDER BY n.submitted_at, n.id"
_ONE = f"{_ASSIGNMENT} WHERE a.judge_id = ? AND n.reference = ?"
_STILL_JUDGING = "EXISTS (SELECT 1 FROM judges WHERE id = :judge AND removed_at IS NULL)"
_SAVE_STATE = f"""
    UPDATE judge_assignments SET state = :state
    WHERE judge_id = :judge AND nomination_id = {_ID_OF} AND {_STILL_JUDGING}
"""  # noqa: S608
_SUBMIT = f"""
    UPDATE judge_assignments SET comment = :comment, scored_version = :version,
        scored_at = :at, state = NULL
    WHERE judge_id = :judge AND nomination_id = {_ID_OF} AND {_STILL_JUDGING}
"""  # noqa: S608
_DROP_SCORES = f"DELETE FROM judge_scores WHERE judge_id = :judge AND nomination_id = {_ID_OF}"  # noqa: S608
_INSERT_SCORE = f"""
    INSERT INTO judge_scores (judge_id, nomination_id, criterion_id, value)
    VALUES (:judge, {_ID_OF}, :criterion, :value)
"""  # noqa: S608
_DROP_ASSIGNMENT = f"""
    DELETE FROM judge_assignments WHERE judge_id = :judge AND nomination_id = {_ID_OF}
"""  # noqa: S608
_RECUSAL = f"""
    INSERT OR REPLACE INTO judge_recusals (judge_id, nomination_id, reason, at)
    VALUES (:judge, {_ID_OF}, :reason, :at)
"""  # noqa: S608
_REASSIGN = f"""
    INSERT OR IGNORE INTO judge_assignments (judge_id, nomination_id, assigned_at)
    VALUES (:instead, {_ID_OF}, :at)
"""  # noqa: S608


_ENTRIES = """
    SELECT n.reference, coalesce((
        SELECT p.text FROM answer_parts AS p
        WHERE p.nomination_id = n.id AND p.field_id = :organisation ORDER BY p.seq LIMIT 1
    ), '')
    FROM nominations AS n
    WHERE n.form_id = :form AND n.submitted_at IS NOT NULL AND n.status != 'withdrawn'
    ORDER BY n.submitted_at, n.id
"""


# What assignment depends on, in one cheap read: the nominations sent (how many, the last one),
# the judges on the panel with their details given, and the recusals.
_FINGERPRINT = """
    SELECT
        (SELECT count(*) || ':' || coalesce(max(n.id), 0) FROM nominations AS n
            WHERE n.form_id = :form AND n.submitted_at IS NOT NULL AND n.status != 'withdrawn'),
        (SELECT count(*) || ':' || coalesce(sum(j.id), 0) FROM judges AS j
            WHERE j.form_id = :form AND j.removed_at IS NULL AND j.step = ''),
        (SELECT count(*) FROM judge_recusals AS r JOIN judges AS j ON j.id = r.judge_id
            WHERE j.form_id = :form),
        -- Nominees' approvals (issue 19): where an award asks, judging takes only the approved.
        (SELECT count(*) FROM nominee_approvals AS a WHERE a.status = 'approved')
"""


class ScoringStore:
    """Assignments, recusals and scores, over the nomination store's connection."""

    def __init__(self, db: SharedConnection) -> None:
        self._db = db

    async def entries(self, form_id: str, organisation_field: str) -> list[tuple[str, str]]:
        """(reference, nominee's organisation) of each sent nomination of the award, in the
        order sent: what is judged (amended ones too; withdrawn ones never)."""
        params = {"form": form_id, "organisation": organisation_field}
        async with self._db.read() as conn:
            rows = await conn.execute_fetchall(_ENTRIES, params)
        return [(str(reference), str(organisation)) for reference, organisation in rows]

    async def fingerprint(self, form_id: str) -> tuple[str, ...]:
        """Changes whenever what assignment depends on does (see _FINGERPRINT)."""
        async with self._db.read() as conn:
            rows = list(await conn.execute_fetchall(_FINGERPRINT, {"form": form_id}))
        return tuple(str(value) for value in rows[0])

    # Assignments -------------------------------------------------------------------------

    async def assign(self, pairs: Iterable[tuple[int, str]], *, at: datetime) -> int:
        """Assign (judge id, reference) pairs; those already assigned are left as they are.
        How many were new."""
        rows = [(judge_id, reference, utc_text(at)) for judge_id, reference in pairs]
        async with self._db.write() as conn:
            before = conn.total_changes
            await conn.executemany(
                "INSERT OR IGNORE INTO judge_assignments (judge_id, nomination_id, assigned_at)"
                " SELECT ?, id, ? FROM nominations WHERE reference = ?",
                [(j, stamp, ref) for j, ref, stamp in rows],
            )
            return conn.total_changes - before

    async def assignments(self, form_id: str) -> list[tuple[int, str]]:
        """Every (judge id, reference) assigned to the award's judges still on the panel."""
        async with self._db.read() as conn:
            rows = await conn.execute_fetchall(_ASSIGNMENTS_OF_FORM, (form_id,))
        return [(int(judge_id), str(reference)) for judge_id, reference in rows]

    async def assigned_to(self, judge_id: int) -> list[Assignment]:
        """A judge's nominations, in the order they were submitted."""
        async with self._db.read() as conn:
            rows = list(await conn.execute_fetchall(_OF_JUDGE, (judge_id,)))
            return [_assignment(row) for row in rows]

    async def assignment(self, judge_id: int, reference: str) -> Assignment | None:
        async with self._db.read() as conn:
            rows = list(await conn.execute_fetchall(_ONE, (judge_id, reference)))
            return _assignment(rows[0]) if rows else None

    async def save_state(self, judge_id: int, reference: str, state: str) -> bool:
        """The judge's scoring in progress, after one step. False if no longer theirs."""
        async with self._db.write() as conn:
            params = {"state": state, "judge": judge_id, "ref": reference}
            cursor = await conn.execute(_SAVE_STATE, params)
            return cursor.rowcount == 1

    async def submit(
        self,
        judge_id: int,
        reference: str,
        scores: Mapping[str, int],
        comment: str | None,
        *,
        version: int | None,
        at: datetime,
    ) -> bool:
        """Record a judge's scores and comment for a nomination, replacing any before, with the
        version they read. False if it is no longer theirs to score."""
        async with self._db.write() as conn:
            key = {"judge": judge_id, "ref": reference}
            row = {**key, "comment": comment, "version": version, "at": utc_text(at)}
            cursor = await conn.execute(_SUBMIT, row)
            if cursor.rowcount != 1:
                return False
            await conn.execute(_DROP_SCORES, key)
            await conn.executemany(
                _INSERT_SCORE, [{**key, "criterion": c, "value": v} for c, v in scores.items()]
            )
            return True

    async def recuse(
        self, judge_id: int, reference: str, reason: str, *, at: datetime, instead: int | None
    ) -> bool:
        """The judge declares a conflict: their assignment goes, the recusal is kept with its
        reason, and the nomination goes to judge `instead` if there is one."""
        async with self._db.write() as conn:
            key = {"judge": judge_id, "ref": reference}
            cursor = await conn.execute(_DROP_ASSIGNMENT, key)
            if cursor.rowcount != 1:
                return False
            await conn.execute(_DROP_SCORES, key)
            await conn.execute(_RECUSAL, {**key, "reason": reason, "at": utc_text(at)})
            if instead is not None:
                await conn.execute(
                    _REASSIGN, {"instead": instead, "ref": reference, "at": utc_text(at)}
                )
            return True

    async def recusals(self, form_id: str) -> list[Recusal]:
        async with self._db.read() as conn:
            rows = await conn.execute_fetchall(
                "SELECT r.judge_id, n.reference, r.reason, r.at FROM judge_recusals AS r"
                " JOIN nominations AS n ON n.id = r.nomination_id"
                " JOIN judges AS j ON j.id = r.judge_id WHERE j.form_id = ? ORDER BY r.at",
                (form_id,),
            )
        return [Recusal(int(j), str(ref), str(why), from_utc_text(at)) for j, ref, why, at in rows]

    # What the leaderboard and the panel read ----------------------------------------------

    async def scores(self, form_id: str) -> list[ScoreRecord]:
        """Every submitted score of the award, as plain records."""
        async with self._db.read() as conn:
            rows = await conn.execute_fetchall(_ALL_SCORES, (form_id,))
        return [ScoreRecord(int(j), str(ref), str(c), int(v)) for j, ref, c, v in rows]

    async def comments(self, form_id: str) -> list[tuple[int, str, str]]:
        """(judge id, reference, comment) of every comment submitted with scores."""
        async with self._db.read() as conn:
            rows = await conn.execute_fetchall(
                "SELECT a.judge_id, n.reference, a.comment FROM judge_assignments AS a"
                " JOIN nominations AS n ON n.id = a.nomination_id"
                " JOIN judges AS j ON j.id = a.judge_id"
                " WHERE j.form_id = ? AND a.comment IS NOT NULL AND a.scored_at IS NOT NULL"
                " ORDER BY n.submitted_at, n.id, a.judge_id",
                (form_id,),
            )
        return [(int(j), str(ref), str(text)) for j, ref, text in rows]

    async def progress(self, form_id: str) -> list[NominationProgress]:
        """Each sent nomination of the award: judges assigned, scores received, recusals."""
        async with self._db.read() as conn:
            rows = await conn.execute_fetchall(_PROGRESS, (form_id,))
        return [NominationProgress(str(r), int(a), int(s), int(x)) for r, a, s, x in rows]


def _assignment(row: Any) -> Assignment:
    judge_id, reference, state, comment, scored_version, scored_at, latest, scores = row
    return Assignment(
        judge_id=int(judge_id),
        reference=str(reference),
        state=None if state is None else str(state),
        comment=None if comment is None else str(comment),
        scores={str(c): int(v) for c, v in json.loads(scores or "{}").items()},
        scored_version=None if scored_version is None else int(scored_version),
        scored_at=None if scored_at is None else from_utc_text(str(scored_at)),
        latest_version=None if latest is None else int(latest),
    )
