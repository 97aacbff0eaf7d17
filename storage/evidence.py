"""EvidenceStore: nominators' supporting files, kept beside the database and listed in SQLite.

The bytes go in `<database folder>/evidence/<sha256>`, mode 0600 (storage.files), never in the
answers table, so a draft's row stays small and the hot path of saving answers is untouched. A
row in `evidence` says which nomination and question a file belongs to, under which name and
caption. Identical files share one blob; a blob is removed when no row refers to it any more. The
same bytes sent again to the same question of the same nomination are kept once (AlreadyKept).

The store has its own connection to the database (WAL lets it sit beside NominationStore's). Each
method is one transaction, as everywhere in storage/.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import aiosqlite

from flows.evidence import EvidenceFile
from storage.db import SharedConnection, connect, from_utc_text, utc_text
from storage.errors import NominationFinal, UnknownNomination
from storage.files import make_private_dir, write_private

EVIDENCE_FOLDER = "evidence"

_COLUMNS = "e.id, n.reference, e.field_id, e.file_name, e.caption, e.media_type, e.size, "
_COLUMNS += "e.sha256, e.added_at"
_LIST = f"""
    SELECT {_COLUMNS} FROM evidence AS e JOIN nominations AS n ON n.id = e.nomination_id
    WHERE n.reference = ? ORDER BY e.id
"""  # noqa: S608 - constant column names only
_LIST_MANY = f"""
    SELECT {_COLUMNS} FROM evidence AS e JOIN nominations AS n ON n.id = e.nomination_id
    WHERE n.reference IN (SELECT value FROM json_each(?)) ORDER BY e.id
"""  # noqa: S608 - constant column names only
_NOMINATION = "SELECT id, status FROM nominations WHERE reference = ?"
_USED = """
    SELECT coalesce(sum(size), 0), count(*), count(CASE WHEN field_id = ? THEN 1 END)
    FROM evidence WHERE nomination_id = ?
"""
_SAME = f"""
    SELECT {_COLUMNS} FROM evidence AS e JOIN nominations AS n ON n.id = e.nomination_id
    WHERE e.nomination_id = ? AND e.field_id = ? AND e.sha256 = ? ORDER BY e.id LIMIT 1
"""  # noqa: S608 - constant column names only
_INSERT = """
    INSERT INTO evidence (nomination_id, field_id, file_name, caption, media_type, size, sha256,
                          added_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
"""
_ONE = f"""
    SELECT {_COLUMNS} FROM evidence AS e JOIN nominations AS n ON n.id = e.nomination_id
    WHERE n.reference = ? AND e.id = ?
"""  # noqa: S608 - constant column names only
_DELETE_ONE = "DELETE FROM evidence WHERE id = ?"
_STILL_USED = "SELECT 1 FROM evidence WHERE sha256 = ? LIMIT 1"
_SHAS_OF = """
    SELECT DISTINCT e.sha256 FROM evidence AS e JOIN nominations AS n ON n.id = e.nomination_id
    WHERE n.reference = ?
"""
_DELETE_FOR = """
    DELETE FROM evidence WHERE nomination_id = (SELECT id FROM nominations WHERE reference = ?)
"""


class NoRoom(Exception):
    """The file would take the nomination over its total (checked again in the transaction)."""


class TooMany(Exception):
    """The nomination (`here` False) or the question (`here` True) has as many files as it may."""

    def __init__(self, reference: str, *, here: bool) -> None:
        super().__init__(reference)
        self.here = here


class AlreadyKept(Exception):
    """The same bytes were already kept with the same question: `file` is that one."""

    def __init__(self, file: EvidenceFile) -> None:
        super().__init__(file.name)
        self.file = file


@dataclass(frozen=True, slots=True)
class FileLimits:
    """What one nomination may hold, checked in the transaction that adds a file."""

    total_bytes: int
    files: int
    files_per_question: int


@dataclass(frozen=True, slots=True)
class Attachment:
    """A kept file with its bytes, for the organisers' email."""

    file: EvidenceFile
    data: bytes


class EvidenceStore:
    """Supporting files of nominations. Build one with `open(database_path)`."""

    def __init__(self, conn: aiosqlite.Connection, folder: Path) -> None:
        self._db = SharedConnection(conn)
        self.folder = folder
        # Held from writing a blob to committing its row (and from a row's removal to its blob's):
        # otherwise a failed add could unlink a blob that a concurrent add of the same bytes is
        # about to refer to.
        self._blobs = asyncio.Lock()

    @classmethod
    async def open(cls, database_path: Path) -> EvidenceStore:
        folder = Path(database_path).parent / EVIDENCE_FOLDER
        make_private_dir(folder)
        return cls(await connect(database_path), folder)

    async def close(self) -> None:
        async with self._db.lock:
            await self._db.conn.close()

    def blob_path(self, sha256: str) -> Path:
        return self.folder / sha256

    async def list_for(self, reference: str) -> list[EvidenceFile]:
        """A nomination's files, in the order they were added."""
        async with self._db.read() as conn:
            rows = await conn.execute_fetchall(_LIST, (reference,))
        return [_file(row) for row in rows]

    async def list_for_each(self, references: Sequence[str]) -> dict[str, list[EvidenceFile]]:
        """Several nominations' files in one read (a page of an export): {reference: files}."""
        async with self._db.read() as conn:
            rows = await conn.execute_fetchall(_LIST_MANY, (json.dumps(list(references)),))
        files: dict[str, list[EvidenceFile]] = {reference: [] for reference in references}
        for file in map(_file, rows):
            files[file.reference].append(file)
        return files

    async def used(self, reference: str) -> int:
        """How many bytes of files the nomination holds."""
        return sum(f.size for f in await self.list_for(reference))

    async def add(
        self,
        reference: str,
        field_id: str,
        *,
        name: str,
        caption: str | None,
        media_type: str,
        data: bytes,
        total_limit: int | FileLimits,
        at: datetime,
    ) -> EvidenceFile:
        """Keep a file for a draft's question. The blob is written (0600, atomically) before the
        row that refers to it is committed, so a row never points at a missing file.

        Raises AlreadyKept if these bytes are already kept with this question, TooMany if the
        nomination or the question has as many files as `total_limit` allows, NoRoom if the
        nomination's files would pass its bytes, NominationFinal if it was sent meanwhile and
        UnknownNomination if it is gone. A bare number is a limit of bytes alone.
        """
        limits = (
            total_limit
            if isinstance(total_limit, FileLimits)
            else FileLimits(total_limit, files=2**31, files_per_question=2**31)
        )
        sha256 = hashlib.sha256(data).hexdigest()
        async with self._blobs:
            return await self._add(
                reference, field_id, name, caption, media_type, data, sha256, limits, at
            )

    async def _add(
        self,
        reference: str,
        field_id: str,
        name: str,
        caption: str | None,
        media_type: str,
        data: bytes,
        sha256: str,
        limits: FileLimits,
        at: datetime,
    ) -> EvidenceFile:
        path = self.blob_path(sha256)
        if not path.exists():
            write_private(path, data)
        try:
            async with self._db.write() as conn:
                rows = list(await conn.execute_fetchall(_NOMINATION, (reference,)))
                if not rows:
                    raise UnknownNomination(reference)
                nomination_id, status = rows[0]
                if status != "draft":
                    raise NominationFinal(reference)
                same = list(await conn.execute_fetchall(_SAME, (nomination_id, field_id, sha256)))
                if same:
                    raise AlreadyKept(_file(same[0]))
                used, count, here = next(
                    iter(await conn.execute_fetchall(_USED, (field_id, nomination_id)))
                )
                if count >= limits.files or here >= limits.files_per_question:
                    raise TooMany(reference, here=count < limits.files)
                if used + len(data) > limits.total_bytes:
                    raise NoRoom(reference)
                params = (
                    nomination_id,
                    field_id,
                    name,
                    caption,
                    media_type,
                    len(data),
                    sha256,
                    utc_text(at),
                )
                (row_id,) = next(iter(await conn.execute_fetchall(_INSERT, params)))
        except BaseException:
            await self._drop_unused((sha256,))
            raise
        return EvidenceFile(
            row_id, reference, field_id, name, caption, media_type, len(data), sha256, at
        )

    async def remove(self, reference: str, evidence_id: int) -> EvidenceFile | None:
        """Remove one of a nomination's files (None if it has no such file)."""
        async with self._blobs:
            async with self._db.write(erases=True) as conn:
                rows = list(await conn.execute_fetchall(_ONE, (reference, evidence_id)))
                if not rows:
                    return None
                await conn.execute(_DELETE_ONE, (evidence_id,))
            removed = _file(rows[0])
            await self._drop_unused((removed.sha256,))
        return removed

    async def delete_for(self, reference: str) -> int:
        """Remove all of a nomination's files, rows and blobs no other nomination refers to (for
        deleting a draft and for the retention purge). Returns how many rows went."""
        async with self._blobs:
            async with self._db.write(erases=True) as conn:
                shas = [row[0] for row in await conn.execute_fetchall(_SHAS_OF, (reference,))]
                cursor = await conn.execute(_DELETE_FOR, (reference,))
                count = cursor.rowcount
            await self._drop_unused(shas)
        return count

    async def attachments(self, reference: str) -> list[Attachment]:
        """A nomination's files with their bytes, for the organisers' email."""
        return [Attachment(f, self.read(f)) for f in await self.list_for(reference)]

    def read(self, file: EvidenceFile) -> bytes:
        return self.blob_path(file.sha256).read_bytes()

    async def _drop_unused(self, shas: Sequence[str]) -> None:
        for sha256 in shas:
            async with self._db.read() as conn:
                used = list(await conn.execute_fetchall(_STILL_USED, (sha256,)))
            if not used:
                with contextlib.suppress(FileNotFoundError):
                    self.blob_path(sha256).unlink()


def _file(row: Sequence[object]) -> EvidenceFile:
    row_id, reference, field_id, name, caption, media_type, size, sha256, added_at = row
    assert isinstance(row_id, int) and isinstance(size, int)  # noqa: S101 - SQLite's INTEGER
    return EvidenceFile(
        id=row_id,
        reference=str(reference),
        field_id=str(field_id),
        name=str(name),
        caption=None if caption is None else str(caption),
        media_type=str(media_type),
        size=size,
        sha256=str(sha256),
        added_at=from_utc_text(str(added_at)),
    )
