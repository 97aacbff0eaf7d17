"""Versions of a sent nomination (migration 8), and withdrawing one.

Each submission records the answers as sent, numbered from 1, inside the submission's own
transaction. Withdrawing erases a nomination's answers, versions, and every earlier email of it
in the outbox (they hold its text), leaving a tombstone row: reference, status withdrawn, dates.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

import aiosqlite

from flows.state import NominationState
from storage.db import SharedConnection, utc_text
from storage.outbox import insert_emails
from storage.types import NewEmail

_NEXT_VERSION = """
    INSERT INTO nomination_versions (nomination_id, version, submitted_at, answers)
    VALUES (?1, (SELECT coalesce(max(version), 0) + 1 FROM nomination_versions
                 WHERE nomination_id = ?1), ?2, ?3)
"""
_LATEST = """
    SELECT n.reference, max(v.version) FROM nomination_versions AS v
    JOIN nominations AS n ON n.id = v.nomination_id GROUP BY v.nomination_id
"""
LATEST_BY_ID = """
    SELECT nomination_id, max(version) FROM nomination_versions GROUP BY nomination_id
"""
_WITHDRAW = """
    UPDATE nominations SET status = 'withdrawn', withdrawn_at = ?, updated_at = ?, pending = NULL
    WHERE reference = ? AND status = 'submitted'
    RETURNING id
"""


async def record_version(
    conn: aiosqlite.Connection, nomination_id: int, state: NominationState, *, at: datetime
) -> None:
    """The answers as sent, as the next version, inside the caller's transaction."""
    answers = {field_id: [p.text for p in parts] for field_id, parts in state.answers.items()}
    await conn.execute(_NEXT_VERSION, (nomination_id, utc_text(at), json.dumps(answers)))


async def latest_versions(db: SharedConnection) -> dict[str, int]:
    """{reference: the number of its latest version} for every nomination with one."""
    async with db.read() as conn:
        rows = await conn.execute_fetchall(_LATEST)
    return {str(reference): int(version) for reference, version in rows}


async def withdraw(
    db: SharedConnection, reference: str, *, at: datetime, outbox: Sequence[NewEmail]
) -> bool:
    """Withdraw a sent nomination: erase its answers, versions and earlier emails, queue
    `outbox` (the short "was withdrawn" emails), and checkpoint the log so the text is gone
    from the files. False if it is not a sent nomination (already withdrawn, say)."""
    stamp = utc_text(at)
    async with db.write(erases=True) as conn:
        rows = list(await conn.execute_fetchall(_WITHDRAW, (stamp, stamp, reference)))
        if not rows:
            return False
        nomination_id = int(rows[0][0])
        await conn.execute("DELETE FROM answer_parts WHERE nomination_id = ?", (nomination_id,))
        await conn.execute(
            "DELETE FROM nomination_versions WHERE nomination_id = ?", (nomination_id,)
        )
        await conn.execute("DELETE FROM outbox WHERE nomination_id = ?", (nomination_id,))
        if outbox:
            await insert_emails(conn, nomination_id, outbox, at=at)
    return True
