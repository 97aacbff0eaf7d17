"""Opening the SQLite file (owner-only, WAL, migrated) and sharing its one connection safely."""

from __future__ import annotations

import asyncio
import logging
import random
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, closing, suppress
from datetime import UTC, datetime
from pathlib import Path

import aiosqlite

from storage.errors import SchemaTooNew, StorageError
from storage.files import create_private
from storage.schema import MIGRATIONS
from storage.updates import record, record_now

logger = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000
# The hot connection never checkpoints by itself (an fsync on the event loop would stall every
# user); after this many of its commits a PASSIVE checkpoint runs in a worker thread instead.
CHECKPOINT_EVERY = 256
# Files SQLite keeps beside the database; they hold the same personal data as the file itself.
_SIDECARS = ("-wal", "-shm", "-journal")


async def connect(path: Path) -> aiosqlite.Connection:
    """Open (creating if need be) the database at `path`, configured and at the latest schema.

    The connection is in autocommit mode (`isolation_level=None`): callers open their own
    transactions with BEGIN IMMEDIATE ... COMMIT.
    """
    path = Path(path)
    create_private(path)
    conn = await aiosqlite.connect(path, isolation_level=None)
    try:
        await _configure(conn, path)
        await _migrate(conn, path)
        # SQLite gives the -wal and -shm files the database file's mode, so these are already
        # private; this tightens any left behind by an older, laxer install.
        for suffix in _SIDECARS:
            sidecar = path.with_name(path.name + suffix)
            if sidecar.exists():
                create_private(sidecar)
    except BaseException:
        await conn.close()
        raise
    return conn


async def _configure(conn: aiosqlite.Connection, path: Path) -> None:
    # busy_timeout first, so that switching to WAL waits for another process's lock.
    await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    mode = await _switch_to_wal(conn)
    if mode.lower() != "wal":
        raise StorageError(f"{path}: SQLite would not use WAL here (journal_mode={mode})")
    # The durability promise, exactly: in WAL mode, NORMAL writes each commit to the -wal file
    # but syncs it to disk only at checkpoints. A process crash (even SIGKILL) loses nothing
    # committed, since the operating system still holds the writes. A power cut or OS crash can
    # lose the transactions committed since the OS last flushed the file (usually the last few
    # seconds; at most about 30 with Linux's default writeback), never corrupt the file. FULL
    # would close that gap with an fsync per answer; README.md states the same promise.
    await conn.execute("PRAGMA synchronous = NORMAL")
    await conn.execute("PRAGMA foreign_keys = ON")
    # Nominations are confidential: a deleted draft's text is overwritten, not left in free pages.
    await conn.execute("PRAGMA secure_delete = ON")


async def _switch_to_wal(conn: aiosqlite.Connection) -> str:
    """Set WAL mode, retrying while another connection is setting up the same new file.

    SQLite answers "database is locked" at once here, without waiting out busy_timeout, when two
    connections switch a new file to WAL together (waiting could deadlock them). Trying again from
    scratch, holding no lock, lets the first one finish; then the switch is a no-op.
    """
    loop = asyncio.get_running_loop()
    give_up_at = loop.time() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            rows = list(await conn.execute_fetchall("PRAGMA journal_mode = WAL"))
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorcode != sqlite3.SQLITE_BUSY or loop.time() >= give_up_at:
                raise
            await asyncio.sleep(random.uniform(0.005, 0.02))  # noqa: S311 - jitter, not security
        else:
            return str(rows[0][0])


async def _user_version(conn: aiosqlite.Connection) -> int:
    rows = list(await conn.execute_fetchall("PRAGMA user_version"))
    return int(rows[0][0])


def _too_new(path: Path, version: int) -> SchemaTooNew:
    return SchemaTooNew(
        f"{path} has schema version {version}, but this version of the bot knows only up to "
        f"{len(MIGRATIONS)}. Run a newer version of the bot, or point DATABASE_PATH elsewhere."
    )


async def _migrate(conn: aiosqlite.Connection, path: Path) -> None:
    """Apply the migrations the file lacks, each with its user_version bump in one transaction."""
    latest = len(MIGRATIONS)
    version = await _user_version(conn)
    if version > latest:
        raise _too_new(path, version)
    while version < latest:
        await conn.execute("BEGIN IMMEDIATE")
        try:
            # Read again under the write lock: another process may have migrated meanwhile.
            version = await _user_version(conn)
            if version > latest:
                raise _too_new(path, version)
            if version < latest:
                for statement in split_statements(MIGRATIONS[version]):
                    await conn.execute(statement)
                version += 1
                await conn.execute(f"PRAGMA user_version = {version}")
            await conn.execute("COMMIT")
        except BaseException:
            await rollback_quietly(conn)
            raise


def split_statements(script: str) -> list[str]:
    """Split an SQL script into statements, honouring quotes and comments.

    A migration must run inside our own transaction, and sqlite3's executescript() would commit
    first; so statements are run one by one.
    """
    statements: list[str] = []
    start = 0
    for end, char in enumerate(script):
        if char == ";" and sqlite3.complete_statement(script[start : end + 1]):
            statements.append(script[start : end + 1].strip())
            start = end + 1
    rest = script[start:].strip()
    if rest:
        statements.append(rest)
    return statements


async def rollback_quietly(conn: aiosqlite.Connection) -> None:
    """Roll back, if a transaction is still open.

    Called on the way out of a failure; it must not hide the original error. The transaction may
    already be gone: SQLite rolls back by itself on some errors, and a task cancelled while
    awaiting COMMIT still has its COMMIT run.
    """
    with suppress(sqlite3.OperationalError):
        await conn.execute("ROLLBACK")


def connect_hot(path: Path) -> sqlite3.Connection:
    """A second, standard-library connection to a database `connect` has already set up.

    It is used synchronously on the event loop's thread, for the short write that every typed
    answer makes: an aiosqlite round trip costs about a millisecond of idle loop under load (a
    thread hop each way), the SQL itself 0.1-0.2 ms. See docs/performance.md.
    """
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA synchronous = NORMAL")  # the same promise as _configure
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA secure_delete = ON")
        conn.execute("PRAGMA wal_autocheckpoint = 0")
    except BaseException:
        conn.close()
        raise
    return conn


def _checkpoint_passive(path: Path) -> None:
    """Copy the write-ahead log into the database file, from a worker thread.

    PASSIVE takes no write lock, so the loop's writes carry on meanwhile; the fsync happens here.
    """
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)")


@asynccontextmanager
async def second_connection(path: Path) -> AsyncIterator[SharedConnection]:
    """A connection of its own beside the store's, closed on leaving the block: the organisers'
    reads, the reminder schedule and the purges, so that none waits behind a nominator's write
    on the store's connection, nor holds one up."""
    conn = await connect(path)
    try:
        yield SharedConnection(conn)
    finally:
        await conn.close()


class SharedConnection:
    """One aiosqlite connection and a lock, so that concurrent tasks never interleave on it.

    A transaction belongs to the connection, not to a task: without the lock, one task's query
    could run inside (and see, or be rolled back with) another task's transaction.
    An optional `hot` standard-library connection serves `write_now`, under the same lock, so
    its transactions never wait on (or deadlock with) the aiosqlite connection's.
    """

    def __init__(self, conn: aiosqlite.Connection, hot: sqlite3.Connection | None = None) -> None:
        self.conn = conn
        self.hot = hot
        self.lock = asyncio.Lock()
        self._commits = 0
        self._checkpoint: asyncio.Task[None] | None = None

    @asynccontextmanager
    async def write_now(self) -> AsyncIterator[sqlite3.Connection]:
        """A write transaction on the hot connection, run on the loop's thread.

        The block must not await: it runs between the lock and the COMMIT without yielding, so
        no other task's statement can land inside this transaction, and the reply that follows
        is sent only after the COMMIT (each answer part is committed before its reply).
        """
        if self.hot is None:
            raise StorageError("this store was opened without a hot connection")
        async with self.lock:
            hot = self.hot
            hot.execute("BEGIN IMMEDIATE")
            try:
                yield hot
                # The update being handled rides in this transaction (storage/updates.py).
                handling = record_now(hot)
                hot.execute("COMMIT")
            except BaseException:
                with suppress(sqlite3.OperationalError):
                    hot.execute("ROLLBACK")
                raise
            if handling is not None:
                handling.recorded = True
            self._commits += 1
            if self._commits >= CHECKPOINT_EVERY and self._checkpoint is None:
                self._commits = 0
                self._checkpoint = asyncio.create_task(self._checkpoint_off_loop())

    async def _checkpoint_off_loop(self) -> None:
        try:
            path = Path(self.hot_path())
            await asyncio.to_thread(_checkpoint_passive, path)
        except sqlite3.Error:
            # A checkpoint that fails now is retried after the next CHECKPOINT_EVERY commits;
            # nothing is lost meanwhile, the log just grows.
            logger.warning("a background checkpoint failed", exc_info=True)
        finally:
            self._checkpoint = None

    def hot_path(self) -> str:
        if self.hot is None:
            raise StorageError("this store was opened without a hot connection")
        rows = self.hot.execute("PRAGMA database_list").fetchall()
        return str(rows[0][2])

    async def close(self) -> None:
        """Wait for a running checkpoint, then close both connections."""
        if self._checkpoint is not None:
            await self._checkpoint
        async with self.lock:
            if self.hot is not None:
                self.hot.close()
            await self.conn.close()

    @asynccontextmanager
    async def write(self, *, erases: bool = False) -> AsyncIterator[aiosqlite.Connection]:
        """A write transaction, committed on leaving the block and rolled back on any error.

        Pass `erases=True` when the transaction deletes personal data: after the commit the
        write-ahead log is copied into the database and emptied, so the old text is gone from
        the -wal file at once, not at the next checkpoint or clean shutdown (a SIGKILL or power
        cut would leave it there). secure_delete already overwrites it in the database file.
        """
        async with self.lock:
            await self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
                handling = await record(self.conn)
                await self.conn.execute("COMMIT")
            except BaseException:
                await rollback_quietly(self.conn)
                raise
            if handling is not None:
                handling.recorded = True
            if erases:
                await self._empty_wal()

    async def _empty_wal(self) -> None:
        rows = list(await self.conn.execute_fetchall("PRAGMA wal_checkpoint(TRUNCATE)"))
        if rows and rows[0][0]:
            # Another process is reading an older snapshot (a long export, say): the text stays
            # in the log until a later checkpoint can copy past it.
            logger.warning("after an erasure, the write-ahead log could not be emptied yet")

    @asynccontextmanager
    async def read(self) -> AsyncIterator[aiosqlite.Connection]:
        """The connection to itself, for reads of one statement (each sees one consistent state)."""
        async with self.lock:
            yield self.conn

    @asynccontextmanager
    async def snapshot(self) -> AsyncIterator[aiosqlite.Connection]:
        """A read transaction, for reads of several statements that must agree with each other."""
        async with self.lock:
            await self.conn.execute("BEGIN")
            try:
                yield self.conn
            finally:
                await rollback_quietly(self.conn)


def utc_text(at: datetime) -> str:
    """A timezone-aware datetime as fixed-width ISO 8601 UTC text, which sorts as time does."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"a timezone-aware datetime is needed, not {at!r}")
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def from_utc_text(text: str) -> datetime:
    """The inverse of utc_text: an aware datetime in UTC."""
    return datetime.fromisoformat(text).astimezone(UTC)
