"""Which Telegram updates are done, so that one delivered again after a crash is recognised.

While a front end handles an update it sets `HANDLING`; every write transaction that update
makes (storage.db.SharedConnection) records the update's id in that same transaction, beside
its effects, with no round trip of its own. An update whose handler wrote nothing (a help
screen) is not recorded: delivered again, it is shown again. Ids are kept a little past the
24 hours Telegram keeps an unconfirmed update, then pruned.
"""

from __future__ import annotations

import sqlite3
from contextvars import ContextVar
from dataclasses import dataclass

import aiosqlite

# Telegram forgets an unconfirmed update after 24 hours; an hour more for clocks and restarts.
KEEP_SECONDS = 25 * 60 * 60
# Prune the old ids once in this many records (one indexed DELETE).
PRUNE_EVERY = 1024

_RECORD = (
    "INSERT OR IGNORE INTO handled_updates (update_id, at) "
    "VALUES (?, CAST(strftime('%s', 'now') AS INTEGER))"
)
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


def handled(conn: sqlite3.Connection, update_id: int) -> bool:
    """Whether `update_id`'s effects are committed already (one indexed read, no round trip)."""
    row = conn.execute("SELECT 1 FROM handled_updates WHERE update_id = ?", (update_id,))
    return row.fetchone() is not None
