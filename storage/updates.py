"""Which Telegram updates are done, so that one delivered again after a crash is recognised.

While a front end handles an update it sets `HANDLING`; every write transaction that update
makes (storage.db.SharedConnection) records the update's id in that same transaction, beside
its effects, with no round trip of its own. An update whose handler wrote nothing (a help
screen) is not recorded: delivered again, it is shown again. Ids are kept a little past the
24 hours Telegram keeps an unconfirmed update, then pruned.

A recorded update is not yet answered: its reply is sent after the commit. Once its handler has
finished, `Answered` marks it so, many updates in one short write, before the poller may
confirm it. Delivered again after a crash, an answered update is skipped in silence; one not
answered may have lost its reply to the crash, and its user is shown where they are.
"""

from __future__ import annotations

import asyncio
import contextvars
import enum
import logging
import sqlite3
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from contextvars import ContextVar
from dataclasses import dataclass

import aiosqlite

logger = logging.getLogger(__name__)

# Telegram forgets an unconfirmed update after 24 hours; an hour more for clocks and restarts.
KEEP_SECONDS = 25 * 60 * 60
# Prune the old ids once in this many records (one indexed DELETE).
PRUNE_EVERY = 1024

_RECORD = (
    "INSERT OR IGNORE INTO handled_updates (update_id, at, answered) "
    "VALUES (?, CAST(strftime('%s', 'now') AS INTEGER), 0)"
)
_ANSWERED = "UPDATE handled_updates SET answered = 1 WHERE update_id = ?"
_PRUNE = "DELETE FROM handled_updates WHERE at < CAST(strftime('%s', 'now') AS INTEGER) - ?"


@dataclass(slots=True)
class Handling:
    """The update being handled in this task, and whether its id is in a committed write yet."""

    update_id: int
    recorded: bool = False


HANDLING: ContextVar[Handling | None] = ContextVar("handling_update", default=None)

_records = 0


def _due_to_prune() -> bool:
    global _records
    _records += 1
    if _records >= PRUNE_EVERY:
        _records = 0
        return True
    return False


def record_now(conn: sqlite3.Connection) -> Handling | None:
    """Inside an open write transaction: record the update being handled, if any."""
    handling = HANDLING.get()
    if handling is None or handling.recorded:
        return None
    conn.execute(_RECORD, (handling.update_id,))
    if _due_to_prune():
        conn.execute(_PRUNE, (KEEP_SECONDS,))
    return handling


async def record(conn: aiosqlite.Connection) -> Handling | None:
    """`record_now` on an aiosqlite connection."""
    handling = HANDLING.get()
    if handling is None or handling.recorded:
        return None
    await conn.execute(_RECORD, (handling.update_id,))
    if _due_to_prune():
        await conn.execute(_PRUNE, (KEEP_SECONDS,))
    return handling


class Seen(enum.Enum):
    """What is committed of a Telegram update."""

    NEW = "new"  # nothing: handle it
    ANSWERED = "answered"  # its effects, and its handler finished: skip it
    UNANSWERED = "unanswered"  # its effects, but its reply may have been lost to a crash


def seen(conn: sqlite3.Connection, update_id: int) -> Seen:
    """What is committed of `update_id` (one indexed read, no round trip)."""
    cursor = conn.execute("SELECT answered FROM handled_updates WHERE update_id = ?", (update_id,))
    row = cursor.fetchone()
    if row is None:
        return Seen.NEW
    return Seen.ANSWERED if row[0] else Seen.UNANSWERED


class Answered:
    """Marks handled updates answered: those finishing together share one write on the hot
    connection, and each caller returns once its mark is committed."""

    def __init__(
        self, write_now: Callable[[], AbstractAsyncContextManager[sqlite3.Connection]]
    ) -> None:
        self._write_now = write_now  # storage.db.SharedConnection.write_now
        self._waiting: list[int] = []
        self._writing: asyncio.Task[None] | None = None

    async def mark(self, update_id: int) -> None:
        """Mark `update_id` answered. A failed write is logged, not raised: the update is then
        shown again only if a crash brings it back."""
        self._waiting.append(update_id)
        if self._writing is None or self._writing.done():
            # A context of its own: the write must not record the update being handled.
            self._writing = asyncio.get_running_loop().create_task(
                self._write_all(), context=contextvars.Context()
            )
        await asyncio.shield(self._writing)

    async def _write_all(self) -> None:
        await asyncio.sleep(0)  # let the others finishing now join this write
        while self._waiting:
            ids, self._waiting = self._waiting, []
            try:
                async with self._write_now() as conn:
                    conn.executemany(_ANSWERED, [(i,) for i in ids])
            except Exception:
                logger.warning("could not mark %d update(s) answered", len(ids), exc_info=True)
