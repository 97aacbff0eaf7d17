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

# A row is free for a sender when no one holds it, or the holder's lease has run out (it crashed,
# or hung past any send's deadline): `claimed_until IS NULL OR claimed_until <= :now`, in
# _DUE and _CLAIM. Text comparison is time order: see utc_text.
_DUE = """
    SELECT o.id, n.reference, o.kind, o.recipients, o.message_id, o.message, o.status,
           o.attempts, o.next_attempt_at, o.last_error, o.created_at, o.sent_at,
           o.claimed_by, o.claimed_until
    FROM outbox AS o JOIN nominations AS n ON n.id = o.nomination_id
    WHERE o.status = 'pending' AND o.next_attempt_at <= :now
      AND (o.claimed_until IS NULL OR o.claimed_until <= :now)
    ORDER BY o.next_attempt_at, o.id
    LIMIT :limit
"""
_ALL = """
    SELECT o.id, n.reference, o.kind, o.recipients, o.message_id, o.message, o.status,
           o.attempts, o.next_attempt_at, o.last_error, o.created_at, o.sent_at,
           o.claimed_by, o.claimed_until
    FROM outbox AS o JOIN nominations AS n ON n.id = o.nomination_id
    ORDER BY o.id
"""
_WITH_STATUS = """
    SELECT o.id, n.reference, o.kind, o.recipients, o.message_id, o.message, o.status,
           o.attempts, o.next_attempt_at, o.last_error, o.created_at, o.sent_at,
           o.claimed_by, o.claimed_until
    FROM outbox AS o JOIN nominations AS n ON n.id = o.nomination_id
    WHERE o.status IN (SELECT value FROM json_each(?))
    ORDER BY o.id
"""
_ONE = """
    SELECT o.id, n.reference, o.kind, o.recipients, o.message_id, o.message, o.status,
           o.attempts, o.next_attempt_at, o.last_error, o.created_at, o.sent_at,
           o.claimed_by, o.claimed_until
    FROM outbox AS o JOIN nominations AS n ON n.id = o.nomination_id
    WHERE o.id = ?
"""
_BY_MESSAGE_ID = """
    SELECT o.id, n.reference, o.kind, o.recipients, o.message_id, o.message, o.status,
           o.attempts, o.next_attempt_at, o.last_error, o.created_at, o.sent_at,
           o.claimed_by, o.claimed_until
    FROM outbox AS o JOIN nominations AS n ON n.id = o.nomination_id
    WHERE o.message_id = ?
"""
# A claimed row is due again when its lease runs out, not before: a worker must not spin on it.
_NEXT_DUE = """
    SELECT min(max(next_attempt_at, coalesce(claimed_until, '')))
    FROM outbox WHERE status = 'pending'
"""
_INSERT = """
    INSERT INTO outbox (nomination_id, kind, recipients, message_id, message,
                        status, attempts, next_attempt_at, created_at)
    VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?)
"""
# One statement checks and takes the row, so two senders can never both succeed.
_CLAIM = """
    UPDATE outbox SET claimed_by = :claimant, claimed_until = :until
    WHERE id = :id AND status = 'pending'
      AND (claimed_until IS NULL OR claimed_until <= :now)
      AND (:due_by IS NULL OR next_attempt_at <= :due_by)
    RETURNING id
"""
# Only the claimant records an outcome, and recording it lets go of the row.
# attempts counts every try, the one that succeeded too; last_error keeps the last failure's story.
_MARK_SENT = """
    UPDATE outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1,
                      claimed_by = NULL, claimed_until = NULL
    WHERE id = ? AND status = 'pending' AND claimed_by = ?
"""
_MARK_RETRY = """
    UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ?,
                      claimed_by = NULL, claimed_until = NULL
    WHERE id = ? AND status = 'pending' AND claimed_by = ?
"""
_MARK_FAILED = """
    UPDATE outbox SET status = 'failed', attempts = ?, last_error = ?,
                      claimed_by = NULL, claimed_until = NULL
    WHERE id = ? AND status = 'pending' AND claimed_by = ?
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
        """Pending rows due by `now` that no sender holds, longest-waiting first."""
        async with self._db.read() as conn:
            rows = await conn.execute_fetchall(_DUE, {"now": utc_text(now), "limit": limit})
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

    async def find(self, message_id: str) -> OutboxRow | None:
        """The row of the email with this Message-ID, if it is still in the outbox."""
        async with self._db.read() as conn:
            rows = list(await conn.execute_fetchall(_BY_MESSAGE_ID, (message_id,)))
        return _outbox_row(rows[0]) if rows else None

    async def next_due_at(self) -> datetime | None:
        """When the earliest pending row is due (or its claim runs out), so a worker can sleep
        until then; None if none."""
        async with self._db.read() as conn:
            rows = list(await conn.execute_fetchall(_NEXT_DUE))
        earliest = rows[0][0]
        return None if earliest is None else from_utc_text(earliest)

    async def claim(
        self,
        row_id: int,
        claimant: str,
        *,
        now: datetime,
        until: datetime,
        due_by: datetime | None = None,
    ) -> OutboxRow | None:
        """Take a pending row for `claimant` until `until`, and return it as it stands now.

        None if the row is no longer pending, another sender's lease on it has not run out by
        `now`, or (with `due_by`) it is not due by then. Only the claimant may then mark it.
        """
        params = {
            "claimant": claimant,
            "until": utc_text(until),
            "id": row_id,
            "now": utc_text(now),
            "due_by": None if due_by is None else utc_text(due_by),
        }
        async with self._db.write() as conn:
            if not list(await conn.execute_fetchall(_CLAIM, params)):
                return None
            rows = list(await conn.execute_fetchall(_ONE, (row_id,)))
        return _outbox_row(rows[0])

    async def mark_sent(self, row_id: int, at: datetime, *, claimant: str) -> None:
        await self._mark(row_id, _MARK_SENT, (utc_text(at), row_id, claimant))

    async def mark_retry(
        self, row_id: int, *, attempts: int, next_attempt_at: datetime, error: str, claimant: str
    ) -> None:
        """Record a failed attempt; the row stays pending until `next_attempt_at`."""
        params = (attempts, utc_text(next_attempt_at), error, row_id, claimant)
        await self._mark(row_id, _MARK_RETRY, params)

    async def mark_failed(self, row_id: int, *, attempts: int, error: str, claimant: str) -> None:
        """Give up on a row: it is no longer due, and stays listed as failed."""
        await self._mark(row_id, _MARK_FAILED, (attempts, error, row_id, claimant))

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
        claimed_by,
        claimed_until,
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
        claimed_by=claimed_by,
        claimed_until=None if claimed_until is None else from_utc_text(claimed_until),
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
