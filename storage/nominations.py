"""NominationStore: drafts, answers, position and submission, each change in one transaction."""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import aiosqlite

from flows.form import Form
from flows.references import join_reference as join_reference
from flows.references import reference_code as reference_code
from flows.state import NominationState, Part, Pending, Status
from storage import nomination_sql as sql
from storage import sent, updates, versions
from storage.approvals import ApprovalStore
from storage.db import SharedConnection, connect, connect_hot, utc_text
from storage.draft_cache import DraftCache
from storage.errors import NominationFinal, StorageError, UnknownNomination
from storage.judging import JudgingStore
from storage.limits import SubmitLimits
from storage.outbox import Outbox, insert_emails
from storage.parked import ParkedUpdates
from storage.records import build_record
from storage.statements import SupportStore
from storage.types import NewEmail, NominationRecord
from storage.verification import EmailCodes

REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
"""Letters and digits that can't be misread for one another (no 0/O, 1/I/L)."""
REFERENCE_LENGTH = 6
_REFERENCE_TRIES = 20
# Drafts being worked on, kept in memory (write-through); the least recently used go beyond this.
_CACHED_DRAFTS = 4096


def new_reference(prefix: str) -> str:
    """A random reference such as LSI-7KQ2MX: short enough to read out over the phone."""
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
    return join_reference(prefix, code)


class NominationStore:
    """Nominations, their answers and the outbox, over one SQLite connection.

    Every method is one transaction (or one consistent read) and returns only once it is committed.
    Methods may be called from many tasks at once: a lock keeps their transactions apart.
    Build one with `open()`; the constructor takes a connection made by `storage.db.connect`
    (and, from `open()`, a hot one for the write each typed answer makes: see `save`).

    Drafts are cached write-through: this store is the only writer of nominations in its
    process, and one process owns the database, so a draft read once is known until it changes
    here. Every write updates or drops its cache entry before returning.
    """

    def __init__(self, conn: aiosqlite.Connection, hot: sqlite3.Connection | None = None) -> None:
        self._db = SharedConnection(conn, hot)
        self.outbox = Outbox(self._db)
        self.limits = SubmitLimits(self._db)
        self.email_codes = EmailCodes(self._db)
        self.support = SupportStore(self._db)
        self.parked_updates = ParkedUpdates(self._db)
        self.judging = JudgingStore(self._db)
        self.approvals = ApprovalStore(self._db)
        self.answered_updates = updates.Answered(self._db.write_now)
        self._drafts = DraftCache(_CACHED_DRAFTS)

    @classmethod
    async def open(cls, path: Path) -> NominationStore:
        """Open the database at `path`, creating and migrating it as needed."""
        conn = await connect(path)
        try:
            hot = connect_hot(path)
        except BaseException:
            await conn.close()
            raise
        return cls(conn, hot)

    async def close(self) -> None:
        await self._db.close()

    def update_seen(self, update_id: int) -> updates.Seen:
        """What is committed of a Telegram update: nothing, its effects, or its effects and the
        end of its handling (storage/updates.py)."""
        if self._db.hot is None:
            raise StorageError("this store was opened without a hot connection")
        return updates.seen(self._db.hot, update_id)

    def update_handled(self, update_id: int) -> bool:
        """Whether a Telegram update's effects are committed already."""
        return self.update_seen(update_id) is not updates.Seen.NEW

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def active_draft(self, nominator: str) -> NominationState | None:
        """The draft the nominator is working on (the one last continued, else their most
        recently changed), answers and all, or None if they have no draft."""
        cached = self._drafts.get(nominator)
        if cached is not None:
            return cached
        async with self._db.read() as conn:
            rows = list(await conn.execute_fetchall(sql.ACTIVE_DRAFT, (nominator,)))
        if not rows:
            return None
        state = _record(rows).state
        self._drafts.remember(nominator, state)
        return state

    async def get(self, reference: str) -> NominationRecord | None:
        async with self._db.read() as conn:
            rows = list(await conn.execute_fetchall(sql.BY_REFERENCE, (reference,)))
        return _record(rows) if rows else None

    async def of_nominator(self, nominator: str) -> list[NominationRecord]:
        """Every nomination the nominator has, drafts and submitted, newest first."""
        async with self._db.read() as conn:
            rows = list(await conn.execute_fetchall(sql.OF_NOMINATOR, (nominator,)))
            version_rows = await conn.execute_fetchall(versions.VERSIONS_OF_NOMINATOR, (nominator,))
        numbers = {str(ref): int(number) for ref, number in version_rows}
        by_id: dict[int, list[Any]] = {}  # in the query's order: newest first
        for row in rows:
            by_id.setdefault(row[0], []).append(row)
        records = [_record(group) for group in by_id.values()]
        return [replace(r, version=numbers.get(r.state.reference)) for r in records]

    async def set_current(self, nominator: str, reference: str) -> None:
        """Make this draft the one the nominator is working on (they chose Continue on it)."""
        async with self._db.write() as conn:
            await conn.execute(sql.SET_CURRENT, (nominator, reference))
        self._drafts.forget_nominator(nominator)

    async def create_draft(
        self, nominator: str, form: Form, position: str, *, at: datetime
    ) -> NominationState:
        """Start a new draft with a fresh reference; it becomes the one the nominator is working
        on (their other drafts are kept)."""
        stamp = utc_text(at)
        async with self._db.write() as conn:
            for _ in range(_REFERENCE_TRIES):
                reference = new_reference(form.reference_prefix)
                params = (reference, nominator, form.id, form.version, position, stamp, stamp)
                if list(await conn.execute_fetchall(sql.INSERT_DRAFT, params)):
                    break
            else:
                raise StorageError(f"no unused reference found in {_REFERENCE_TRIES} tries")
            await conn.execute(sql.SET_CURRENT, (nominator, reference))
        # The nominator's current draft changed: the first active_draft reads the new one back.
        self._drafts.forget_nominator(nominator)
        return NominationState(
            form_id=form.id, form_version=form.version, reference=reference, position=position
        )

    async def save(
        self,
        old: NominationState,
        new: NominationState,
        *,
        at: datetime,
        outbox: Sequence[NewEmail] = (),
    ) -> None:
        """Write the change from `old` to `new`, and queue `outbox`, in one transaction.

        `old` must be the state as stored: as active_draft returned it, or as the last save left it.

        Only what changed is written. An answer that grew by a part gets just the new part; any
        other change to an answer rewrites that answer alone. A field with no parts is stored as
        unanswered, so it comes back absent from `answers`.
        Raises NominationFinal if the nomination is submitted (in `old` or in the database), and
        UnknownNomination if it is not in the database.
        """
        if new.reference != old.reference:
            raise ValueError(f"cannot save {old.reference} as {new.reference}")
        if old.is_submitted:
            raise NominationFinal(old.reference)
        changes = _answer_changes(old.answers, new.answers)
        row_changed = _row(old) != _row(new)
        if not (row_changed or changes.cleared or changes.added or outbox):
            return
        stamp = utc_text(at)
        row = (
            new.form_id,
            new.form_version,
            new.position,
            new.returning_to_review,
            new.replacing,
            _pending_json(new.pending),
            new.filling_gaps,
            stamp,
        )
        try:
            if new.is_submitted or outbox or self._db.hot is None:
                await self._save_through_aiosqlite(old, new, row, changes, at=at, outbox=outbox)
            else:
                # The typed answer's path: one short transaction on the loop's thread.
                async with self._db.write_now() as hot:
                    _save_draft_now(hot, old.reference, row, changes)
        except BaseException:
            self._drafts.forget(old.reference)
            raise
        if new.is_submitted:
            self._drafts.forget(old.reference)
        else:
            self._drafts.update(_as_stored(new))

    async def _save_through_aiosqlite(
        self,
        old: NominationState,
        new: NominationState,
        row: tuple[object, ...],
        changes: _AnswerChanges,
        *,
        at: datetime,
        outbox: Sequence[NewEmail],
    ) -> None:
        async with self._db.write() as conn:
            if new.is_submitted:
                updated = await conn.execute_fetchall(sql.SUBMIT, (*row, row[-1], old.reference))
            else:
                updated = await conn.execute_fetchall(sql.UPDATE_DRAFT, (*row, old.reference))
            ids = [r[0] for r in updated]
            if not ids:
                raise await _why_not_draft(conn, old.reference)
            nomination_id = ids[0]
            for field_id in changes.cleared:
                await conn.execute(sql.DELETE_FIELD, (nomination_id, field_id))
            if changes.added:
                await conn.executemany(sql.INSERT_PART, _part_rows(nomination_id, changes))
            if new.is_submitted:
                await versions.record_version(conn, nomination_id, new, at=at)
            if outbox:
                await insert_emails(conn, nomination_id, outbox, at=at)

    async def withdraw(
        self, reference: str, *, at: datetime, outbox: Sequence[NewEmail] = ()
    ) -> bool:
        """Withdraw a sent nomination, leaving a tombstone (see storage.versions.withdraw)."""
        self._drafts.forget(reference)
        return await versions.withdraw(self._db, reference, at=at, outbox=outbox)

    async def reopen(self, nominator: str, reference: str, *, at: datetime) -> bool:
        """Amend: a sent nomination becomes the nominator's current draft, at the review."""
        reopened = await versions.reopen(self._db, reference, at=at)
        self._drafts.forget_nominator(nominator)
        return reopened

    async def cancel_amendment(self, nominator: str, reference: str) -> bool:
        """Cancel changes: the nomination is as last sent again (storage.versions)."""
        self._drafts.forget(reference)
        cancelled = await versions.cancel_amendment(self._db, reference)
        self._drafts.forget_nominator(nominator)
        return cancelled

    async def latest_answers(self, reference: str) -> tuple[int, dict[str, list[str]]] | None:
        """The latest version's number and answers as sent (storage.versions.latest_answers)."""
        return await versions.latest_answers(self._db, reference)

    async def versions_of(self, reference: str) -> list[tuple[int, datetime, dict[str, list[str]]]]:
        """Every version kept of a nomination, oldest first (for /mydata)."""
        return await versions.all_versions(self._db, reference)

    async def latest_versions(self) -> dict[str, int]:
        """{reference: its latest version number}, for the organisers' CSV."""
        return await versions.latest_versions(self._db)

    async def delete_draft(self, reference: str) -> bool:
        """Erase a draft and its answers. False if there is no such draft (submitted ones stay)."""
        self._drafts.forget(reference)
        async with self._db.write(erases=True) as conn:
            cursor = await conn.execute(sql.DELETE_DRAFT, (reference,))
            return cursor.rowcount > 0

    async def submitted(self) -> list[NominationRecord]:
        """Every submitted nomination, in the order they were submitted, for the organisers."""
        return await sent.all_submitted(self._db)

    def submitted_pages(self, page: int = sent.PAGE) -> AsyncIterator[list[NominationRecord]]:
        """The same, `page` at a time, each page one consistent read: an export's flat memory."""
        return sent.submitted_pages(self._db, page)

    async def count_by_status(self) -> dict[str, int]:
        """How many nominations there are of each status (every status listed, even at 0)."""
        async with self._db.read() as conn:
            rows = await conn.execute_fetchall(sql.COUNT_BY_STATUS)
        counts = {status.value: 0 for status in Status}
        counts.update({status: count for status, count in rows})
        return counts


def _row(state: NominationState) -> tuple[object, ...]:
    """What the nominations row keeps of a state (besides the answers)."""
    return (
        state.form_id,
        state.form_version,
        state.status,
        state.position,
        state.returning_to_review,
        state.replacing,
        state.pending,
        state.filling_gaps,
    )


def _pending_json(pending: Pending | None) -> str | None:
    return pending.model_dump_json() if pending is not None else None


def _pending_from_json(text: str | None) -> Pending | None:
    return Pending.model_validate_json(text) if text is not None else None


@dataclass(frozen=True, slots=True)
class _AnswerChanges:
    cleared: list[str]  # fields whose stored parts go
    added: list[tuple[str, int, Part]]  # (field, seq, part) rows to insert


def _answer_changes(
    old: dict[str, tuple[Part, ...]], new: dict[str, tuple[Part, ...]]
) -> _AnswerChanges:
    cleared: list[str] = []
    added: list[tuple[str, int, Part]] = []
    for field_id in sorted(old.keys() | new.keys()):
        before, after = old.get(field_id, ()), new.get(field_id, ())
        if before == after:
            continue
        if after[: len(before)] == before:
            # Appended parts only: earlier parts are left exactly as they were written.
            added.extend((field_id, seq, after[seq]) for seq in range(len(before), len(after)))
        else:
            if before:
                cleared.append(field_id)
            added.extend((field_id, seq, part) for seq, part in enumerate(after))
    return _AnswerChanges(cleared, added)


def _as_stored(state: NominationState) -> NominationState:
    """The state as active_draft would read it back: an answer with no parts is no answer."""
    if all(state.answers.values()):
        return state
    answers = {field_id: parts for field_id, parts in state.answers.items() if parts}
    return state.model_copy(update={"answers": answers})


def _part_rows(nomination_id: int, changes: _AnswerChanges) -> list[tuple[object, ...]]:
    return [
        (nomination_id, field_id, seq, part.source, part.text)
        for field_id, seq, part in changes.added
    ]


def _save_draft_now(
    hot: sqlite3.Connection, reference: str, row: tuple[object, ...], changes: _AnswerChanges
) -> None:
    """A draft's change, inside write_now's transaction (synchronous: see SharedConnection)."""
    ids = hot.execute(sql.UPDATE_DRAFT, (*row, reference)).fetchall()
    if not ids:
        status = hot.execute(sql.STATUS_OF, (reference,)).fetchall()
        raise NominationFinal(reference) if status else UnknownNomination(reference)
    nomination_id = int(ids[0][0])
    for field_id in changes.cleared:
        hot.execute(sql.DELETE_FIELD, (nomination_id, field_id))
    if changes.added:
        hot.executemany(sql.INSERT_PART, _part_rows(nomination_id, changes))


async def _why_not_draft(conn: aiosqlite.Connection, reference: str) -> StorageError:
    rows = list(await conn.execute_fetchall(sql.STATUS_OF, (reference,)))
    if not rows:
        return UnknownNomination(reference)
    return NominationFinal(reference)


def _record(rows: list[Any]) -> NominationRecord:
    """Build a record from rows of nomination columns followed by one answer part (or NULLs)."""
    width = len(sql.COLUMNS)
    return build_record(rows[0][:width], [r[width:] for r in rows if r[width] is not None])
