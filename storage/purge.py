"""Erasing nominations for good: idle drafts past DRAFT_RETENTION_DAYS, and organisers' purges.

Idle drafts go through NominationStore.delete_draft (so the bot's draft cache forgets them, and
the trigger of migration 5 takes their code emails from the outbox) after EvidenceStore.delete_for
has taken their files; this module finds them and remembers each draft's warning. Submitted
nominations are erased here, with every row that refers to them (`_DEPENDENTS`: add a new table
that refers to nominations there) and their files' blobs, in one transaction that empties the WAL
afterwards (`write(erases=True)`), so no copy of the text is left in the database's files.

Nothing here logs: the caller logs references and counts, never content.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import aiosqlite

from storage import judging, shortlist
from storage.db import SharedConnection, utc_text

# A draft with versions is a sent nomination being amended (migration 8): it is not purged as
# an idle draft (that would erase the version the organisers have), nor warned about.
_NOT_AMENDING = "NOT EXISTS (SELECT 1 FROM nomination_versions AS v WHERE v.nomination_id = n.id)"
# Drafts idle since before :idle_since, oldest first.
_IDLE = f"""
    SELECT reference, nominator FROM nominations AS n
    WHERE status = 'draft' AND updated_at <= :idle_since AND {_NOT_AMENDING}
    ORDER BY updated_at, id LIMIT :limit
"""  # noqa: S608
# Drafts idle since before :warn_since (and not yet due for the purge) with no warning since
# their last change.
_TO_WARN = f"""
    SELECT n.id, n.reference, n.nominator FROM nominations AS n
    LEFT JOIN retention_warnings AS w ON w.nomination_id = n.id
    WHERE n.status = 'draft' AND n.updated_at <= :warn_since AND n.updated_at > :idle_since
      AND (w.warned_at IS NULL OR w.warned_at < n.updated_at) AND {_NOT_AMENDING}
    ORDER BY n.updated_at, n.id LIMIT :limit
"""  # noqa: S608
_STILL_TO_WARN = """
    SELECT 1 FROM nominations AS n LEFT JOIN retention_warnings AS w ON w.nomination_id = n.id
    WHERE n.id = :id AND n.status = 'draft' AND n.updated_at <= :warn_since
      AND (w.warned_at IS NULL OR w.warned_at < n.updated_at)
"""
_WARNED = """
    INSERT INTO retention_warnings (nomination_id, warned_at) VALUES (?, ?)
    ON CONFLICT (nomination_id) DO UPDATE SET warned_at = excluded.warned_at
"""
_SUBMITTED_BEFORE = """
    SELECT id, reference FROM nominations
    WHERE status != 'draft' AND submitted_at < ? ORDER BY submitted_at, id
"""
_SHAS = "SELECT DISTINCT sha256 FROM evidence WHERE nomination_id = ?"
_COUNT_FILES = "SELECT count(*) FROM evidence WHERE nomination_id = ?"
_COUNT_EMAILS = "SELECT count(*) FROM outbox WHERE nomination_id = ?"
# Every table that refers to a nomination, emptied of its rows before the nomination goes (the
# outbox's key has no ON DELETE CASCADE, on purpose: a draft's delete must not drop a sent email).
_DEPENDENTS = (
    "DELETE FROM outbox WHERE nomination_id = ?",
    "DELETE FROM evidence WHERE nomination_id = ?",
    "DELETE FROM answer_parts WHERE nomination_id = ?",
    "DELETE FROM reminders WHERE nomination_id = ?",
    "DELETE FROM retention_warnings WHERE nomination_id = ?",
    "DELETE FROM nomination_versions WHERE nomination_id = ?",
    *judging.OF_NOMINATION,
    *shortlist.OF_NOMINATION,
)
_FORGET_CURRENT = "DELETE FROM nominators WHERE current_reference = ?"
_DELETE = "DELETE FROM nominations WHERE id = ?"
_STILL_USED = "SELECT 1 FROM evidence WHERE sha256 = ? LIMIT 1"
# The email codes' hashes and refused sends outlive a deleted draft (the limits count them), but
# not the retention period: the privacy notice promises as much.
_OLD_CODES = "DELETE FROM email_codes WHERE created_at < ?"
_OLD_REFUSALS = "DELETE FROM submit_refusals WHERE at < ?"
_ANY_OLD = """
    SELECT 1 FROM email_codes WHERE created_at < ?
    UNION ALL SELECT 1 FROM submit_refusals WHERE at < ? LIMIT 1
"""


@dataclass(frozen=True, slots=True)
class Erased:
    """What went with one nomination: counts only, for the log."""

    reference: str
    files: int
    emails: int


class PurgeStore:
    """Finding what is due for erasure, and erasing submitted nominations."""

    def __init__(self, db: SharedConnection, blob_path: Callable[[str], Path]) -> None:
        self._db = db
        self._blob_path = blob_path

    async def idle_drafts(self, idle_since: datetime, limit: int = 50) -> list[tuple[str, str]]:
        """(reference, nominator) of drafts unchanged since `idle_since`, oldest first."""
        async with self._db.read() as conn:
            rows = await conn.execute_fetchall(
                _IDLE, {"idle_since": utc_text(idle_since), "limit": limit}
            )
        return [(str(ref), str(who)) for ref, who in rows]

    async def to_warn(
        self, warn_since: datetime, idle_since: datetime, limit: int = 50
    ) -> list[tuple[int, str, str]]:
        """(id, reference, nominator) of drafts due for their warning, oldest first."""
        params = {
            "warn_since": utc_text(warn_since),
            "idle_since": utc_text(idle_since),
            "limit": limit,
        }
        async with self._db.read() as conn:
            rows = await conn.execute_fetchall(_TO_WARN, params)
        return [(int(i), str(ref), str(who)) for i, ref, who in rows]

    async def claim_warning(self, nomination_id: int, warn_since: datetime, at: datetime) -> bool:
        """Record the draft's warning as sent, if it is still due (at most once: a send that
        fails is not retried, since the purge comes a week later whatever happens)."""
        async with self._db.write() as conn:
            params = {"id": nomination_id, "warn_since": utc_text(warn_since)}
            if not list(await conn.execute_fetchall(_STILL_TO_WARN, params)):
                return False
            await conn.execute(_WARNED, (nomination_id, utc_text(at)))
        return True

    async def forget_old_limits(self, before: datetime) -> int:
        """Erase email-code hashes and refused sends older than `before`; how many went."""
        async with self._db.read() as conn:
            old = list(await conn.execute_fetchall(_ANY_OLD, (utc_text(before),) * 2))
        if not old:
            return 0  # the usual case: no write, and no checkpoint
        async with self._db.write(erases=True) as conn:
            codes = await conn.execute(_OLD_CODES, (utc_text(before),))
            refusals = await conn.execute(_OLD_REFUSALS, (utc_text(before),))
            return codes.rowcount + refusals.rowcount

    async def submitted_before(self, cutoff: datetime) -> list[str]:
        """References of nominations submitted before `cutoff`, for the organisers' purge."""
        async with self._db.read() as conn:
            rows = await conn.execute_fetchall(_SUBMITTED_BEFORE, (utc_text(cutoff),))
        return [str(ref) for _id, ref in rows]

    async def erase_submitted_before(self, cutoff: datetime) -> list[Erased]:
        """Erase every nomination submitted before `cutoff`: answers, files, outbox rows."""
        async with self._db.write(erases=True) as conn:
            rows = list(await conn.execute_fetchall(_SUBMITTED_BEFORE, (utc_text(cutoff),)))
            erased: list[Erased] = []
            shas: set[str] = set()
            for nomination_id, reference in rows:
                shas.update(str(r[0]) for r in await conn.execute_fetchall(_SHAS, (nomination_id,)))
                files = await _count(conn, _COUNT_FILES, nomination_id)
                emails = await _count(conn, _COUNT_EMAILS, nomination_id)
                for statement in _DEPENDENTS:
                    await conn.execute(statement, (nomination_id,))
                await conn.execute(_FORGET_CURRENT, (reference,))
                await conn.execute(_DELETE, (nomination_id,))
                erased.append(Erased(str(reference), files, emails))
        await self._drop_unused(shas)
        return erased

    async def _drop_unused(self, shas: set[str]) -> None:
        for sha256 in sorted(shas):
            async with self._db.read() as conn:
                used = list(await conn.execute_fetchall(_STILL_USED, (sha256,)))
            if not used:
                with contextlib.suppress(FileNotFoundError):
                    self._blob_path(sha256).unlink()


async def _count(conn: aiosqlite.Connection, query: str, nomination_id: int) -> int:
    rows = list(await conn.execute_fetchall(query, (nomination_id,)))
    return int(rows[0][0])
