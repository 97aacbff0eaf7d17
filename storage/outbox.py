"""The email outbox: rows queued with a submission, and what the mail worker records about them."""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

import aiosqlite

from storage.db import SharedConnection, from_utc_text, utc_text
from storage.errors import OutboxRowNotPending, UnknownNomination
from storage.types import EmailKind, NewEmail, OutboxRow, OutboxStatus

_DUE = """
    SELECT o.id, n.reference, o.kind, o.recipients, o.message_id, o.message, o.status,
           o.attempts, o.next_attempt_at, o.last_error, o.created_at, o.sent_at
    FROM outbox AS o JOIN nominations AS n ON n.id = o.nomination_id
    WHERE o.status = 'pending' AND o.next_attempt_at <= ?
    ORDER BY o.next_attempt_at, o.id
    LIMIT ?
"""
_ALL = """
    SELECT o.id, n.reference, o.kind, o.recipients, o.message_id, o.message, o.status,
           o.attempts, o.next_attempt_at, o.last_error, o.created_at, o.sent_at
    FROM outbox AS o JOIN nominations AS n ON n.id = o.nomination_id
    ORDER BY o.id
"""
_WITH_STATUS = """
    SELECT o.id, n.reference, o.kind, o.recipients, o.message_id, o.message, o.status,
           o.attempts, o.next_attempt_at, o.last_error, o.created_at, o.sent_at
    FROM outbox AS o JOIN nominations AS n ON n.id = o.nomination_id
    WHERE o.status IN (SELECT value FROM json_each(?))
    ORDER BY o.id
"""
_NEXT_DUE = "SELECT min(next_attempt_at) FROM outbox WHERE status = 'pending'"
_INSERT = """
    INSERT INTO outbox (nomination_id, kind, recipients, message_id, message,
                        status, attempts, next_attempt_at, created_at)
    VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?)
"""
# attempts counts every try, the one that succeeded too; last_error keeps the last failure's story.
_MARK_SENT = """
    UPDATE outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1
    WHERE id = ? AND status = 'pending'
"""
_MARK_RETRY = """
    UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ?
    WHERE id = ? AND status = 'pending'
"""
_MARK_FAILED = """
    UPDATE outbox SET status = 'failed', attempts = ?, last_error = ?
    WHERE id = ? AND status = 'pending'
"""
_REQUEUE_FAILED = """
    UPDATE outbox SET status = 'pending', next_attempt_at = ? WHERE status = 'failed'
"""


async def insert_emails(
    conn: aiosqlite.Connection, nomination_id: int, emails: Sequence[NewEmail], *, at: datetime
) -> None:
    """Queue `emails` for a nomination, inside the caller's transaction."""
    stamp = utc_text(at)
    await conn.executemany(
        _INSERT,
        [
            (
                nomination_id,
                email.kind.value,
                json.dumps(list(email.recipients)),
                email.message_id,
                email.message,
                stamp,
                stamp,
            )
            for email in emails
        ],
    )


class Outbox:
    """The outbox rows, over the store's shared connection (reach it as `store.outbox`)."""

    def __init__(self, db: SharedConnection) -> None:
        self._db = db

    async def due(self, now: datetime, limit: int) -> list[OutboxRow]:
        """Pending rows whose next attempt is due by `now`, longest-waiting first."""
        async with self._db.read() as conn:
            rows = await conn.execute_fetchall(_DUE, (utc_text(now), limit))
        return [_outbox_row(row) for row in rows]

    async def rows(self, statuses: Collection[OutboxStatus] | None = None) -> list[OutboxRow]:
        """Every row (or those with one of `statuses`), in the order they were queued."""
        async with self._db.read() as conn:
            if statuses is None:
                rows = await conn.execute_fetchall(_ALL)
            else:
                wanted = json.dumps([OutboxStatus(s).value for s in statuses])
                rows = await conn.execute_fetchall(_WITH_STATUS, (wanted,))
        return [_outbox_row(row) for row in rows]

    async def next_due_at(self) -> datetime | None:
        """When the earliest pending row is due, so a worker can sleep until then; None if none."""
        async with self._db.read() as conn:
            rows = list(await conn.execute_fetchall(_NEXT_DUE))
        earliest = rows[0][0]
        return None if earliest is None else from_utc_text(earliest)

    async def mark_sent(self, row_id: int, at: datetime) -> None:
        await self._mark(row_id, _MARK_SENT, (utc_text(at), row_id))

    async def mark_retry(
        self, row_id: int, *, attempts: int, next_attempt_at: datetime, error: str
    ) -> None:
        """Record a failed attempt; the row stays pending until `next_attempt_at`."""
        await self._mark(row_id, _MARK_RETRY, (attempts, utc_text(next_attempt_at), error, row_id))

    async def mark_failed(self, row_id: int, *, attempts: int, error: str) -> None:
        """Give up on a row: it is no longer due, and stays listed as failed."""
        await self._mark(row_id, _MARK_FAILED, (attempts, error, row_id))

    async def requeue_failed(self, at: datetime) -> int:
        """Make every failed row pending again, due at `at` (after the cause was fixed, e.g. the
        SMTP password). Returns how many."""
        async with self._db.write() as conn:
            cursor = await conn.execute(_REQUEUE_FAILED, (utc_text(at),))
            return cursor.rowcount

    async def _mark(self, row_id: int, sql: str, params: tuple[Any, ...]) -> None:
        async with self._db.write() as conn:
            cursor = await conn.execute(sql, params)
            if cursor.rowcount != 1:
                raise OutboxRowNotPending(row_id)


def _outbox_row(row: Any) -> OutboxRow:
    (
        row_id,
        reference,
        kind,
        recipients,
        message_id,
        message,
        status,
        attempts,
        next_attempt_at,
        last_error,
        created_at,
        sent_at,
    ) = row
    return OutboxRow(
        id=row_id,
        reference=reference,
        kind=EmailKind(kind),
        recipients=tuple(json.loads(recipients)),
        message_id=message_id,
        message=bytes(message),
        status=OutboxStatus(status),
        attempts=attempts,
        next_attempt_at=from_utc_text(next_attempt_at),
        last_error=last_error,
        created_at=from_utc_text(created_at),
        sent_at=None if sent_at is None else from_utc_text(sent_at),
    )


_SUBMITTED_ID = "SELECT id FROM nominations WHERE reference = ? AND status = 'submitted'"


async def queue_for_submitted(
    db: SharedConnection, reference: str, email: NewEmail, *, at: datetime
) -> None:
    """Queue one more email for a submitted nomination, outside its submission (a resend).

    Raises UnknownNomination if no submitted nomination has this reference.
    """
    async with db.write() as conn:
        rows = list(await conn.execute_fetchall(_SUBMITTED_ID, (reference,)))
        if not rows:
            raise UnknownNomination(reference)
        await insert_emails(conn, int(rows[0][0]), [email], at=at)
