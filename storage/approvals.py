"""The nominee's approval of a sent nomination (issue 19), each change in one transaction.

The nominator forwards a single-use link; only the SHA-256 of its token is kept, so the database
cannot hand a link out again. The nominee who opens it claims it, chooses, may write a note, and
answers: approved, or declined, which withdraws the nomination in the same transaction. A
nomination amended and sent again after it was approved stays approved; its nominee is told of
each such change once (`changes_to_tell`, `telling_of_change`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flows.approval import ApprovalStatus as ApprovalStatus
from flows.approval import ApprovalStep as ApprovalStep
from storage.db import SharedConnection, from_utc_text, utc_text
from storage.outbox import insert_emails
from storage.types import NewEmail
from storage.versions import withdraw_in


def token_hash(token: str) -> str:
    """What is kept of a link's token: its SHA-256 (the token has at least 64 random bits)."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Approval:
    """One nomination's approval as it stands."""

    reference: str
    nominator: str
    submitted: bool  # the nomination is sent (not withdrawn, not being amended)
    status: ApprovalStatus
    approver: str | None
    step: ApprovalStep
    approve: bool | None  # the nominee's choice while a note is asked
    note: str | None
    share_note: bool
    created_at: datetime
    decided_at: datetime | None
    reminded_at: datetime | None
    submitted_at: datetime | None = None  # the nomination's latest sending
    changed_told_at: datetime | None = None  # the sending its nominee was last told of

    @property
    def approved_before_change(self) -> bool:
        """Approved, then amended and sent again: the nominee approved an earlier version."""
        return (
            self.status is ApprovalStatus.APPROVED
            and self.decided_at is not None
            and self.submitted_at is not None
            and self.decided_at < self.submitted_at
        )


_COLUMNS = """
    n.reference, n.nominator, n.status, a.status, a.approver, a.step, a.choice, a.note,
    a.share_note, a.created_at, a.decided_at, a.reminded_at, n.submitted_at, a.changed_told_at
"""
_FROM = "FROM nominee_approvals AS a JOIN nominations AS n ON n.id = a.nomination_id"
_BY_TOKEN = f"SELECT {_COLUMNS} {_FROM} WHERE a.token_hash = ?"
_BY_REFERENCE = f"SELECT {_COLUMNS} {_FROM} WHERE n.reference = ?"
_ANSWERING = f"""
    SELECT {_COLUMNS} {_FROM}
    WHERE a.approver = ? AND a.step != '' AND a.status = 'pending' AND n.status = 'submitted'
"""
_OF_APPROVER = f"SELECT {_COLUMNS} {_FROM} WHERE a.approver = ? ORDER BY a.created_at"
_ANSWERERS = "SELECT DISTINCT approver FROM nominee_approvals WHERE step != ''"
_STATUSES = f"SELECT n.reference, a.status {_FROM}"
_DUE = f"""
    SELECT {_COLUMNS} {_FROM}
    WHERE a.status = 'pending' AND a.reminded_at IS NULL AND a.created_at <= ?
      AND n.status = 'submitted'
    ORDER BY a.created_at
"""
# Approved, then sent again with changes, and its nominee not yet told of that sending.
_CHANGED = f"""
    SELECT {_COLUMNS} {_FROM}
    WHERE a.status = 'approved' AND n.status = 'submitted' AND a.approver IS NOT NULL
      AND a.decided_at < n.submitted_at AND coalesce(a.changed_told_at, '') < n.submitted_at
    ORDER BY n.submitted_at
"""
_TOLD_OF_CHANGE = """
    UPDATE nominee_approvals SET changed_told_at = ?
    WHERE nomination_id = (SELECT id FROM nominations WHERE reference = ?)
      AND coalesce(changed_told_at, '') < ?
"""
_INSERT = """
    INSERT INTO nominee_approvals (nomination_id, token_hash, created_at)
    SELECT id, ?, ? FROM nominations WHERE reference = ? AND status = 'submitted'
    ON CONFLICT (nomination_id) DO NOTHING
"""
_CLAIM = """
    UPDATE nominee_approvals SET approver = ?
    WHERE token_hash = ? AND approver IS NULL AND status = 'pending'
"""
# A nominee's own approval, still undecided, by its nomination's reference and the approver.
_CHOOSE = """
    UPDATE nominee_approvals SET step = 'note', choice = ?, note = NULL
    WHERE nomination_id = (SELECT id FROM nominations WHERE reference = ?) AND approver = ?
      AND status = 'pending'
"""
_NOTE = """
    UPDATE nominee_approvals SET step = 'share', note = ?
    WHERE nomination_id = (SELECT id FROM nominations WHERE reference = ?) AND approver = ?
      AND status = 'pending' AND step = 'note'
"""
_LEAVE = """
    UPDATE nominee_approvals SET step = '', choice = NULL, note = NULL
    WHERE approver = ? AND step != '' AND status = 'pending'
"""
_DECIDE = """
    UPDATE nominee_approvals
    SET status = ?, step = '', choice = NULL, note = ?, share_note = ?, decided_at = ?
    WHERE nomination_id = (SELECT id FROM nominations WHERE reference = ?) AND approver = ?
      AND status = 'pending' AND step != ''
    RETURNING nomination_id
"""
_REMIND = """
    UPDATE nominee_approvals
    SET reminded_at = ?, token_hash = ?, approver = NULL, step = '', choice = NULL, note = NULL
    WHERE nomination_id = (SELECT id FROM nominations WHERE reference = ?)
      AND status = 'pending' AND reminded_at IS NULL
"""


class ApprovalStore:
    """The approvals, over the nomination store's connection."""

    def __init__(self, db: SharedConnection) -> None:
        self._db = db
        # Who is writing a note or choosing whether to share it. Every private message asks
        # `answering`, and almost nobody is: read once, then kept here (one bot per database).
        self._answerers: set[str] | None = None

    async def create(self, reference: str, token: str, *, at: datetime) -> bool:
        """A pending approval for a sent nomination, reached by `token`. False if it already
        has one (an amendment sent again asks nothing new) or is not sent."""
        async with self._db.write() as conn:
            cursor = await conn.execute(_INSERT, (token_hash(token), utc_text(at), reference))
            return cursor.rowcount == 1

    async def by_token(self, token: str) -> Approval | None:
        return await self._one(_BY_TOKEN, token_hash(token))

    async def of_nomination(self, reference: str) -> Approval | None:
        return await self._one(_BY_REFERENCE, reference)

    async def of_approver(self, approver: str) -> list[Approval]:
        """Every approval this person opened, whatever became of it (for /mydata)."""
        async with self._db.read() as conn:
            rows = await conn.execute_fetchall(_OF_APPROVER, (approver,))
        return [_approval(row) for row in rows]

    async def statuses(self) -> dict[str, ApprovalStatus]:
        """{reference: status} for every nomination that asks for approval."""
        async with self._db.read() as conn:
            rows = await conn.execute_fetchall(_STATUSES)
        return {str(ref): ApprovalStatus(status) for ref, status in rows}

    async def answering(self, approver: str) -> Approval | None:
        """The approval this person is writing a note for (or sharing), if any."""
        if self._answerers is None:
            async with self._db.read() as conn:
                self._answerers = {row[0] for row in await conn.execute_fetchall(_ANSWERERS)}
        if approver not in self._answerers:
            return None
        found = await self._one(_ANSWERING, approver)
        if found is None:
            self._answerers.discard(approver)
        return found

    async def claim(self, token: str, approver: str) -> bool:
        """The first person to open the link takes it: from now on only they answer through it."""
        return await self._change(_CLAIM, (approver, token_hash(token)))

    async def choose(self, reference: str, approver: str, *, approve: bool) -> bool:
        """Yes or No, held while the optional note is asked."""
        choice = ApprovalStatus.APPROVED if approve else ApprovalStatus.DECLINED
        changed = await self._change(_CHOOSE, (choice.value, reference, approver))
        if changed and self._answerers is not None:
            self._answerers.add(approver)
        return changed

    async def write_note(self, reference: str, approver: str, note: str) -> bool:
        return await self._change(_NOTE, (note, reference, approver))

    async def leave(self, approver: str) -> None:
        """They turned to something else: nothing is decided, and the link opens at the start."""
        if await self.answering(approver) is not None:
            await self._change(_LEAVE, (approver,))

    async def approve(
        self,
        reference: str,
        approver: str,
        *,
        note: str | None,
        share_note: bool,
        at: datetime,
        outbox: Sequence[NewEmail],
    ) -> bool:
        """The nominee approves, with their note if any: queued with the organisers' email."""
        row = (ApprovalStatus.APPROVED.value, note, int(share_note), utc_text(at))
        async with self._db.write() as conn:
            rows = list(await conn.execute_fetchall(_DECIDE, (*row, reference, approver)))
            if rows and outbox:
                await insert_emails(conn, int(rows[0][0]), list(outbox), at=at)
            return bool(rows)

    async def decline(
        self, reference: str, approver: str, *, at: datetime, outbox: Sequence[NewEmail]
    ) -> bool:
        """The nominee declines: the nomination is withdrawn as its nominator would withdraw it
        (storage.versions), in the same transaction; `outbox` is the organisers' email."""
        row = (ApprovalStatus.DECLINED.value, None, 0, utc_text(at), reference, approver)
        async with self._db.write(erases=True) as conn:
            rows = list(await conn.execute_fetchall(_DECIDE, row))
            if not rows:
                return False
            return await withdraw_in(conn, reference, at=at, outbox=outbox) is not None

    async def due_reminders(self, before: datetime) -> list[Approval]:
        """Pending approvals asked for at or before `before` whose nominator has had no reminder."""
        async with self._db.read() as conn:
            rows = await conn.execute_fetchall(_DUE, (utc_text(before),))
        return [_approval(row) for row in rows]

    async def reminded(self, reference: str, new_token: str, *, at: datetime) -> bool:
        """The one reminder went, with a fresh link: the old one no longer opens anything."""
        return await self._change(_REMIND, (utc_text(at), token_hash(new_token), reference))

    async def changes_to_tell(self) -> list[Approval]:
        """Approved nominations sent again with changes whose nominee has not been told."""
        async with self._db.read() as conn:
            rows = await conn.execute_fetchall(_CHANGED)
        return [_approval(row) for row in rows]

    async def telling_of_change(self, reference: str, submitted_at: datetime) -> bool:
        """Counted as told of the sending at `submitted_at` before it is sent: at most once.
        False if it was already (another process, or a restart mid-way)."""
        at = utc_text(submitted_at)
        return await self._change(_TOLD_OF_CHANGE, (at, reference, at))

    async def _one(self, sql: str, key: str) -> Approval | None:
        async with self._db.read() as conn:
            rows = list(await conn.execute_fetchall(sql, (key,)))
        return _approval(rows[0]) if rows else None

    async def _change(self, sql: str, row: tuple[object, ...]) -> bool:
        async with self._db.write() as conn:
            cursor = await conn.execute(sql, row)
            return cursor.rowcount > 0


def _approval(row: Any) -> Approval:
    reference, nominator, nomination_status, status, approver, step, choice, note = row[:8]
    share_note, created_at, decided_at, reminded_at, submitted_at, changed_told_at = row[8:]
    return Approval(
        reference=reference,
        nominator=nominator,
        submitted=nomination_status == "submitted",
        status=ApprovalStatus(status),
        approver=approver,
        step=ApprovalStep(step),
        approve=None if choice is None else choice == ApprovalStatus.APPROVED.value,
        note=note,
        share_note=bool(share_note),
        created_at=from_utc_text(created_at),
        decided_at=None if decided_at is None else from_utc_text(decided_at),
        reminded_at=None if reminded_at is None else from_utc_text(reminded_at),
        submitted_at=None if submitted_at is None else from_utc_text(submitted_at),
        changed_told_at=None if changed_told_at is None else from_utc_text(changed_told_at),
    )
