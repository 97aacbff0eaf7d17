"""What the per-nominator limits need: when a nominator's recent nominations were sent, and a
record of each Submit refused for being over the daily limit (the organisers' /stats counts them).

Each method is one transaction. A refusal row holds no answer text, only who and when.
"""

from __future__ import annotations

from datetime import datetime

from storage.db import SharedConnection, from_utc_text, utc_text

_SUBMITTED_SINCE = """
    SELECT submitted_at FROM nominations
    WHERE nominator = ? AND status = 'submitted' AND submitted_at > ?
    ORDER BY submitted_at
"""
_REFUSE = "INSERT INTO submit_refusals (nominator, at) VALUES (?, ?)"


class SubmitLimits:
    """The nominations table read by nominator, and the refusals table."""

    def __init__(self, db: SharedConnection) -> None:
        self._db = db

    async def submitted_since(self, nominator: str, since: datetime) -> list[datetime]:
        """When the nominator's nominations sent after `since` were sent, oldest first."""
        async with self._db.read() as conn:
            rows = await conn.execute_fetchall(_SUBMITTED_SINCE, (nominator, utc_text(since)))
        return [from_utc_text(stamp) for (stamp,) in rows]

    async def record_refusal(self, nominator: str, at: datetime) -> None:
        async with self._db.write() as conn:
            await conn.execute(_REFUSE, (nominator, utc_text(at)))
