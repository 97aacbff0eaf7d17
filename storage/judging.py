"""Judging (issue 18), per award (form id): judges and the links that invite them, who judges
which nomination, recusals, and each judge's scores and comment, each change one transaction.

Nominations are named by reference outside this module. Only a hash of an invitation's token is
kept. Assignments, recusals and scores are `ScoringStore`'s (storage/judging_scores.py),
reached as `JudgingStore.scoring`. The judging data of a nomination goes with it:
`OF_NOMINATION` is what the purge (storage/purge.py) and a withdrawal (storage/versions.py)
delete.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage.db import SharedConnection, from_utc_text, utc_text
from storage.judging_scores import ScoreRecord, ScoringStore

# Every row of judging that belongs to one nomination (by its id).
OF_NOMINATION = (
    "DELETE FROM judge_scores WHERE nomination_id = ?",
    "DELETE FROM judge_assignments WHERE nomination_id = ?",
    "DELETE FROM judge_recusals WHERE nomination_id = ?",
)
__all__ = ["OF_NOMINATION", "JudgingStore", "ScoreRecord", "ScoringStore"]
REGISTERED = ""  # a judge's registration step once they have given name, role and organisation


@dataclass(frozen=True, slots=True)
class Judge:
    id: int
    form_id: str
    telegram_id: int
    name: str
    role: str
    organisation: str
    step: str  # where their registration stands: name, role, organisation, or REGISTERED
    joined_at: datetime
    removed_at: datetime | None
    current: str | None = None  # the nomination they opened last, which their typing is for

    @property
    def registered(self) -> bool:
        return self.step == REGISTERED


@dataclass(frozen=True, slots=True)
class PanelMember:
    """A judge on the panel, with how many nominations they have scored of those assigned."""

    judge: Judge
    assigned: int
    scored: int


@dataclass(frozen=True, slots=True)
class JudgingRound:
    """When an organiser opened and closed judging, and when the reminder before the close went."""

    opened_at: datetime | None = None
    closed_at: datetime | None = None
    reminded_at: datetime | None = None


_JUDGE = (
    "SELECT id, form_id, telegram_id, name, role, organisation, step, joined_at, removed_at,"
    " current FROM judges"
)
_PANEL = """
    SELECT j.id, count(a.nomination_id), count(a.scored_at) FROM judges AS j
    LEFT JOIN judge_assignments AS a ON a.judge_id = j.id
    WHERE j.form_id = ? AND j.removed_at IS NULL GROUP BY j.id ORDER BY j.id
"""


_OF_PERSON = f"{_JUDGE} WHERE telegram_id = ? ORDER BY id"
_ACTIVE_JUDGE = f"{_JUDGE} WHERE form_id = ? AND telegram_id = ? AND removed_at IS NULL"
_BY_ID = f"{_JUDGE} WHERE id = ?"
_LET_GO = """
    UPDATE judges SET current = NULL WHERE current IS NOT NULL AND id != :id
    AND telegram_id = (SELECT telegram_id FROM judges WHERE id = :id)
"""
_REGISTER = {
    column: f"UPDATE judges SET {column} = :value, step = :step WHERE id = :id"  # noqa: S608
    " AND removed_at IS NULL"
    for column in ("name", "role", "organisation")
}
_OPEN = """
    INSERT INTO judging_rounds (form_id, opened_at) VALUES (?, ?)
    ON CONFLICT (form_id) DO UPDATE SET opened_at = excluded.opened_at, closed_at = NULL
"""
_CLOSE = """
    INSERT INTO judging_rounds (form_id, closed_at) VALUES (?, ?)
    ON CONFLICT (form_id) DO UPDATE SET closed_at = excluded.closed_at
"""


class JudgingStore:
    """Judges, assignments and scores, over the nomination store's connection."""

    def __init__(self, db: SharedConnection) -> None:
        self._db = db
        self.scoring = ScoringStore(db)

    # Judges and their invitations ---------------------------------------------------------

    async def invite(self, form_id: str, token_hash: str, *, at: datetime) -> int:
        """A new single-use invitation; its id (for a Revoke button)."""
        async with self._db.write() as conn:
            cursor = await conn.execute(
                "INSERT INTO judge_invitations (form_id, token_hash, created_at) VALUES (?, ?, ?)",
                (form_id, token_hash, utc_text(at)),
            )
            return int(cursor.lastrowid or 0)

    async def revoke(self, form_id: str, invitation_id: int) -> bool:
        async with self._db.write() as conn:
            cursor = await conn.execute(
                "UPDATE judge_invitations SET status = 'revoked'"
                " WHERE id = ? AND form_id = ? AND status = 'open'",
                (invitation_id, form_id),
            )
            return cursor.rowcount == 1

    async def claim(self, token_hash: str, telegram_id: int, *, at: datetime) -> Judge | None:
        """Whoever opens an open invitation first becomes a judge of its award (or stays the one
        they are, the link unused). None for a used, revoked or unknown link: alike."""
        async with self._db.write() as conn:
            rows = list(
                await conn.execute_fetchall(
                    "SELECT id, form_id FROM judge_invitations"
                    " WHERE token_hash = ? AND status = 'open'",
                    (token_hash,),
                )
            )
            if not rows:
                return None
            invitation_id, form_id = int(rows[0][0]), str(rows[0][1])
            found = await _active(conn, form_id, telegram_id)
            if found is not None:
                return found
            cursor = await conn.execute(
                "INSERT INTO judges (form_id, telegram_id, joined_at) VALUES (?, ?, ?)",
                (form_id, telegram_id, utc_text(at)),
            )
            judge_id = int(cursor.lastrowid or 0)
            await conn.execute(
                "UPDATE judge_invitations SET status = 'used', used_at = ?, judge_id = ?"
                " WHERE id = ?",
                (utc_text(at), judge_id, invitation_id),
            )
            return await _judge_by_id(conn, judge_id)

    async def judge(self, form_id: str, telegram_id: int) -> Judge | None:
        """The person's place on this award's panel, unless they were removed."""
        async with self._db.read() as conn:
            return await _active(conn, form_id, telegram_id)

    async def judge_by_id(self, judge_id: int) -> Judge | None:
        async with self._db.read() as conn:
            return await _judge_by_id(conn, judge_id)

    async def telegram_ids(self, form_id: str) -> set[int]:
        """Everyone on the award's panel now."""
        async with self._db.read() as conn:
            rows = await conn.execute_fetchall(
                "SELECT telegram_id FROM judges WHERE form_id = ? AND removed_at IS NULL",
                (form_id,),
            )
        return {int(row[0]) for row in rows}

    async def judges_of(self, telegram_id: int) -> list[Judge]:
        """Every panel place this person has held, removed ones too (for /mydata)."""
        async with self._db.read() as conn:
            rows = await conn.execute_fetchall(_OF_PERSON, (telegram_id,))
        return [_judge(row) for row in rows]

    async def register(self, judge_id: int, answer: str, value: str, *, then: str) -> bool:
        """Save one registration answer (name, role or organisation) and the step after it."""
        params = {"value": value, "step": then, "id": judge_id}
        async with self._db.write() as conn:
            cursor = await conn.execute(_REGISTER[answer], params)
            return cursor.rowcount == 1

    async def set_current(self, judge_id: int, reference: str) -> None:
        """The nomination the judge has open: what they type next is for it. A person on two
        awards' panels has one nomination open at a time: their other places' are let go."""
        async with self._db.write() as conn:
            await conn.execute(
                "UPDATE judges SET current = ? WHERE id = ? AND current IS NOT ?",
                (reference, judge_id, reference),
            )
            await conn.execute(_LET_GO, {"id": judge_id})

    async def remove(self, judge_id: int, *, at: datetime) -> list[str]:
        """Take a judge off the panel. Their submitted scores stay; the nominations they had
        not scored are let go, and returned (references) for assigning again."""
        async with self._db.write() as conn:
            cursor = await conn.execute(
                "UPDATE judges SET removed_at = ? WHERE id = ? AND removed_at IS NULL",
                (utc_text(at), judge_id),
            )
            if cursor.rowcount != 1:
                return []
            rows = await conn.execute_fetchall(
                "DELETE FROM judge_assignments WHERE judge_id = ? AND scored_at IS NULL"
                " RETURNING (SELECT reference FROM nominations WHERE id = nomination_id)",
                (judge_id,),
            )
        return sorted(str(row[0]) for row in rows)

    async def panel(self, form_id: str) -> list[PanelMember]:
        """The award's judges, in the order they joined, with their counts."""
        async with self._db.snapshot() as conn:
            counts = list(await conn.execute_fetchall(_PANEL, (form_id,)))
            members = []
            for judge_id, assigned, scored in counts:
                judge = await _judge_by_id(conn, int(judge_id))
                if judge is not None:
                    members.append(PanelMember(judge, int(assigned), int(scored)))
        return members

    # Opening, closing, the reminder -------------------------------------------------------

    async def round(self, form_id: str) -> JudgingRound:
        async with self._db.read() as conn:
            rows = list(
                await conn.execute_fetchall(
                    "SELECT opened_at, closed_at, reminded_at FROM judging_rounds"
                    " WHERE form_id = ?",
                    (form_id,),
                )
            )
        if not rows:
            return JudgingRound()
        return JudgingRound(*(None if t is None else from_utc_text(str(t)) for t in rows[0]))

    async def set_open(self, form_id: str, *, opened: bool, at: datetime) -> None:
        """An organiser opens judging (clearing a close) or closes it."""
        async with self._db.write() as conn:
            await conn.execute(_OPEN if opened else _CLOSE, (form_id, utc_text(at)))

    async def claim_reminder(self, form_id: str, *, at: datetime) -> bool:
        """Record the reminder before the close as sent, if it has not been (at most once)."""
        async with self._db.write() as conn:
            await conn.execute(
                "INSERT OR IGNORE INTO judging_rounds (form_id) VALUES (?)", (form_id,)
            )
            cursor = await conn.execute(
                "UPDATE judging_rounds SET reminded_at = ? WHERE form_id = ?"
                " AND reminded_at IS NULL",
                (utc_text(at), form_id),
            )
            return cursor.rowcount == 1


async def _active(conn: Any, form_id: str, telegram_id: int) -> Judge | None:
    rows = list(
        await conn.execute_fetchall(
            _ACTIVE_JUDGE,
            (form_id, telegram_id),
        )
    )
    return _judge(rows[0]) if rows else None


async def _judge_by_id(conn: Any, judge_id: int) -> Judge | None:
    rows = list(await conn.execute_fetchall(_BY_ID, (judge_id,)))
    return _judge(rows[0]) if rows else None


def _judge(row: Any) -> Judge:
    judge_id, form_id, telegram_id, name, role, organisation, step, joined, removed, current = row
    return Judge(
        id=int(judge_id),
        form_id=str(form_id),
        telegram_id=int(telegram_id),
        name=str(name),
        role=str(role),
        organisation=str(organisation),
        step=str(step),
        joined_at=from_utc_text(str(joined)),
        removed_at=None if removed is None else from_utc_text(str(removed)),
        current=None if current is None else str(current),
    )
