"""NominationStore: drafts, answers, position and submission, each change in one transaction."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import aiosqlite

from flows.form import Form
from flows.state import NominationState, Part, Pending, Status
from storage.db import SharedConnection, connect, from_utc_text, utc_text
from storage.errors import NominationFinal, StorageError, UnknownNomination
from storage.limits import SubmitLimits
from storage.outbox import Outbox, insert_emails
from storage.types import NewEmail, NominationRecord
from storage.verification import EmailCodes

REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
"""Letters and digits that can't be misread for one another (no 0/O, 1/I/L)."""
REFERENCE_LENGTH = 6
_REFERENCE_TRIES = 20

# The nominations columns a record is built from, in this order wherever one is read (see
# _build_record); each answer part adds _PART_COLUMNS after them.
_COLUMNS = (
    "id",
    "reference",
    "nominator",
    "form_id",
    "form_version",
    "status",
    "position",
    "returning_to_review",
    "replacing",
    "pending",
    "created_at",
    "updated_at",
    "submitted_at",
)
_SELECT_COLUMNS = ", ".join(f"n.{column}" for column in _COLUMNS)
_PART_COLUMNS = ("field_id", "source", "text")
_SELECT_PARTS = ", ".join(f"p.{column}" for column in _PART_COLUMNS)
# The f-strings below join only the constant column names above, never a value (hence noqa S608).
# One statement fetches the nomination and its parts: one round trip and one consistent read.
# The draft being worked on: the one the nominator last continued (nominators.current_reference),
# or, with none (or that one sent or deleted), their most recently changed draft. The
# `status = 'draft'` term lets SQLite use the partial index nominations_drafts.
_ACTIVE_DRAFT = f"""
    SELECT {_SELECT_COLUMNS}, {_SELECT_PARTS}
    FROM nominations AS n LEFT JOIN answer_parts AS p ON p.nomination_id = n.id
    WHERE n.id = (
        SELECT d.id FROM nominations AS d
        WHERE d.nominator = ?1 AND d.status = 'draft'
        ORDER BY d.reference = (
                SELECT c.current_reference FROM nominators AS c WHERE c.nominator = ?1
            ) DESC,
            d.updated_at DESC, d.id DESC
        LIMIT 1
    )
    ORDER BY p.field_id, p.seq
"""  # noqa: S608
_OF_NOMINATOR = f"""
    SELECT {_SELECT_COLUMNS}, {_SELECT_PARTS}
    FROM nominations AS n LEFT JOIN answer_parts AS p ON p.nomination_id = n.id
    WHERE n.nominator = ?
    ORDER BY n.created_at DESC, n.id DESC, p.field_id, p.seq
"""  # noqa: S608
_SET_CURRENT = """
    INSERT INTO nominators (nominator, current_reference) VALUES (?, ?)
    ON CONFLICT (nominator) DO UPDATE SET current_reference = excluded.current_reference
"""
_BY_REFERENCE = f"""
    SELECT {_SELECT_COLUMNS}, {_SELECT_PARTS}
    FROM nominations AS n LEFT JOIN answer_parts AS p ON p.nomination_id = n.id
    WHERE n.reference = ?
    ORDER BY p.field_id, p.seq
"""  # noqa: S608
_SUBMITTED = f"""
    SELECT {_SELECT_COLUMNS}
    FROM nominations AS n
    WHERE n.status = 'submitted' ORDER BY n.submitted_at, n.id
"""  # noqa: S608
_SUBMITTED_PARTS = f"""
    SELECT p.nomination_id, {_SELECT_PARTS}
    FROM answer_parts AS p JOIN nominations AS n ON n.id = p.nomination_id
    WHERE n.status = 'submitted'
    ORDER BY n.submitted_at, n.id, p.field_id, p.seq
"""  # noqa: S608
_STATUS_OF = "SELECT status FROM nominations WHERE reference = ?"
_COUNT_BY_STATUS = "SELECT status, count(*) FROM nominations GROUP BY status"
_INSERT_DRAFT = """
    INSERT INTO nominations (reference, nominator, form_id, form_version, status, position,
                             returning_to_review, created_at, updated_at)
    VALUES (?, ?, ?, ?, 'draft', ?, 0, ?, ?)
    ON CONFLICT (reference) DO NOTHING
    RETURNING id
"""
# None of the columns set here is indexed, so keeping a draft's place costs one row write and no
# index writes. Only submission touches the indexed status (see _SUBMIT).
_UPDATE_DRAFT = """
    UPDATE nominations
    SET form_id = ?, form_version = ?, position = ?, returning_to_review = ?, replacing = ?,
        pending = ?, updated_at = ?
    WHERE reference = ? AND status = 'draft'
    RETURNING id
"""
_SUBMIT = """
    UPDATE nominations
    SET form_id = ?, form_version = ?, position = ?, returning_to_review = ?, replacing = ?,
        pending = ?, updated_at = ?,
        status = 'submitted', submitted_at = ?
    WHERE reference = ? AND status = 'draft'
    RETURNING id
"""
_DELETE_FIELD = "DELETE FROM answer_parts WHERE nomination_id = ? AND field_id = ?"
_INSERT_PART = """
    INSERT INTO answer_parts (nomination_id, field_id, seq, source, text) VALUES (?, ?, ?, ?, ?)
"""
_DELETE_DRAFT = "DELETE FROM nominations WHERE reference = ? AND status = 'draft'"


def new_reference(prefix: str) -> str:
    """A random reference such as LSI-7KQ2MX: short enough to read out over the phone."""
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
    return join_reference(prefix, code)


def join_reference(prefix: str, code: str) -> str:
    """The reference with the form's prefix and the nomination's code: LSI and 7KQ2MX give
    LSI-7KQ2MX."""
    return f"{prefix}-{code}"


def reference_code(reference: str) -> str:
    """The nomination's own part of a reference (7KQ2MX of LSI-7KQ2MX)."""
    return reference.rsplit("-", 1)[-1]


class NominationStore:
    """Nominations, their answers and the outbox, over one SQLite connection.

    Every method is one transaction (or one consistent read) and returns only once it is committed.
    Methods may be called from many tasks at once: a lock keeps their transactions apart.
    Build one with `open()`; the constructor takes a connection made by `storage.db.connect`.
    """

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._db = SharedConnection(conn)
        self.outbox = Outbox(self._db)
        self.limits = SubmitLimits(self._db)
        self.email_codes = EmailCodes(self._db)

    @classmethod
    async def open(cls, path: Path) -> NominationStore:
        """Open the database at `path`, creating and migrating it as needed."""
        return cls(await connect(path))

    async def close(self) -> None:
        async with self._db.lock:
            await self._db.conn.close()

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
        async with self._db.read() as conn:
            rows = list(await conn.execute_fetchall(_ACTIVE_DRAFT, (nominator,)))
        return _record(rows).state if rows else None

    async def get(self, reference: str) -> NominationRecord | None:
        async with self._db.read() as conn:
            rows = list(await conn.execute_fetchall(_BY_REFERENCE, (reference,)))
        return _record(rows) if rows else None

    async def of_nominator(self, nominator: str) -> list[NominationRecord]:
        """Every nomination the nominator has, drafts and submitted, newest first."""
        async with self._db.read() as conn:
            rows = list(await conn.execute_fetchall(_OF_NOMINATOR, (nominator,)))
        by_id: dict[int, list[Any]] = {}  # in the query's order: newest first
        for row in rows:
            by_id.setdefault(row[0], []).append(row)
        return [_record(group) for group in by_id.values()]

    async def set_current(self, nominator: str, reference: str) -> None:
        """Make this draft the one the nominator is working on (they chose Continue on it)."""
        async with self._db.write() as conn:
            await conn.execute(_SET_CURRENT, (nominator, reference))

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
                if list(await conn.execute_fetchall(_INSERT_DRAFT, params)):
                    break
            else:
                raise StorageError(f"no unused reference found in {_REFERENCE_TRIES} tries")
            await conn.execute(_SET_CURRENT, (nominator, reference))
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
            stamp,
        )
        async with self._db.write() as conn:
            if new.is_submitted:
                updated = await conn.execute_fetchall(_SUBMIT, (*row, stamp, old.reference))
            else:
                updated = await conn.execute_fetchall(_UPDATE_DRAFT, (*row, old.reference))
            ids = [r[0] for r in updated]
            if not ids:
                raise await _why_not_draft(conn, old.reference)
            nomination_id = ids[0]
            for field_id in changes.cleared:
                await conn.execute(_DELETE_FIELD, (nomination_id, field_id))
            if changes.added:
                await conn.executemany(
                    _INSERT_PART,
                    [
                        (nomination_id, field_id, seq, part.source, part.text)
                        for field_id, seq, part in changes.added
                    ],
                )
            if outbox:
                await insert_emails(conn, nomination_id, outbox, at=at)

    async def delete_draft(self, reference: str) -> bool:
        """Erase a draft and its answers. False if there is no such draft (submitted ones stay)."""
        async with self._db.write(erases=True) as conn:
            cursor = await conn.execute(_DELETE_DRAFT, (reference,))
            return cursor.rowcount > 0

    async def submitted(self) -> list[NominationRecord]:
        """Every submitted nomination, in the order they were submitted, for the organisers."""
        async with self._db.snapshot() as conn:
            rows = await conn.execute_fetchall(_SUBMITTED)
            part_rows = await conn.execute_fetchall(_SUBMITTED_PARTS)
        parts: dict[int, list[Any]] = {}
        for nomination_id, *part in part_rows:
            parts.setdefault(nomination_id, []).append(part)
        return [_build_record(row, parts.get(row[0], ())) for row in rows]

    async def count_by_status(self) -> dict[str, int]:
        """How many nominations there are of each status (every status listed, even at 0)."""
        async with self._db.read() as conn:
            rows = await conn.execute_fetchall(_COUNT_BY_STATUS)
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


async def _why_not_draft(conn: aiosqlite.Connection, reference: str) -> StorageError:
    rows = list(await conn.execute_fetchall(_STATUS_OF, (reference,)))
    if not rows:
        return UnknownNomination(reference)
    return NominationFinal(reference)


def _record(rows: list[Any]) -> NominationRecord:
    """Build a record from rows of nomination columns followed by one answer part (or NULLs)."""
    width = len(_COLUMNS)
    return _build_record(rows[0][:width], [r[width:] for r in rows if r[width] is not None])


def _build_record(row: Sequence[Any], parts: Iterable[Sequence[Any]]) -> NominationRecord:
    """A record from nomination columns (as _COLUMNS) and its (field_id, source, text) parts."""
    column = dict(zip(_COLUMNS, row, strict=True))
    answers: dict[str, list[Part]] = {}
    for field_id, source, text in parts:
        answers.setdefault(field_id, []).append(Part(text=text, source=source))
    state = NominationState(
        form_id=column["form_id"],
        form_version=column["form_version"],
        reference=column["reference"],
        status=Status(column["status"]),
        position=column["position"],
        returning_to_review=bool(column["returning_to_review"]),
        replacing=bool(column["replacing"]),
        pending=None
        if column["pending"] is None
        else Pending.model_validate_json(column["pending"]),
        answers={field_id: tuple(field_parts) for field_id, field_parts in answers.items()},
    )
    submitted_at = column["submitted_at"]
    return NominationRecord(
        state=state,
        nominator=column["nominator"],
        created_at=from_utc_text(column["created_at"]),
        updated_at=from_utc_text(column["updated_at"]),
        submitted_at=None if submitted_at is None else from_utc_text(submitted_at),
    )
