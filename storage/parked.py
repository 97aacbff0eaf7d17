"""Telegram updates parked while still being handled, so that the poller may confirm them early.

When Telegram's window of 100 updates is full of updates still in flight (one user's flood, all
queued), the poller keeps them here and passes them; each is deleted once handled, and any left
by a crash are handed back at the next start. A parked update whose effects were committed is
recognised there and skipped (storage/updates.py).
"""

from __future__ import annotations

from collections.abc import Sequence

from storage.db import SharedConnection


class ParkedUpdates:
    """The parked updates, as Telegram's JSON, by update id."""

    def __init__(self, db: SharedConnection) -> None:
        self._db = db

    async def park(self, updates: Sequence[tuple[int, str]]) -> None:
        """Keep these (update id, JSON) in one transaction."""
        async with self._db.write() as conn:
            await conn.executemany(
                "INSERT OR REPLACE INTO parked_updates (update_id, body) VALUES (?, ?)", updates
            )

    async def unpark(self, update_ids: Sequence[int]) -> None:
        """Forget these: they were handled."""
        async with self._db.write() as conn:
            await conn.executemany(
                "DELETE FROM parked_updates WHERE update_id = ?", [(i,) for i in update_ids]
            )

    async def parked(self) -> list[str]:
        """Every parked update's JSON, oldest first."""
        async with self._db.read() as conn:
            rows = await conn.execute_fetchall("SELECT body FROM parked_updates ORDER BY update_id")
        return [str(row[0]) for row in rows]
