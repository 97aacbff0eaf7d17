"""The shortlist (issue 18): the nominations organisers pick after judging, for the panel
meeting's pack (`nomination-bot export --format html --for-panel --shortlisted`).

A nomination is on it or not; its row goes with the nomination, on purge (storage/purge.py
deletes it first, as `OF_NOMINATION`) and on withdrawal (a withdrawn nomination is never
exported, and is taken off here too).
"""

from __future__ import annotations

from datetime import datetime

from storage.db import SharedConnection, utc_text

OF_NOMINATION = ("DELETE FROM shortlist WHERE nomination_id = ?",)
# Only a sent nomination of the award (one being amended was sent, and counts).
_ADD = """
    INSERT INTO shortlist (nomination_id, added_at)
    SELECT id, ? FROM nominations
    WHERE reference = ? AND form_id = ? AND status != 'withdrawn' AND submitted_at IS NOT NULL
    ON CONFLICT (nomination_id) DO NOTHING
"""
_REMOVE = """
    DELETE FROM shortlist WHERE nomination_id = (SELECT id FROM nominations WHERE reference = ?)
"""
_REFERENCES = """
    SELECT n.reference FROM shortlist AS s JOIN nominations AS n ON n.id = s.nomination_id
    WHERE n.status != 'withdrawn' AND (:form IS NULL OR n.form_id = :form)
    ORDER BY n.submitted_at, n.id
"""


class ShortlistStore:
    """Who is on the shortlist, over the organisers' connection."""

    def __init__(self, db: SharedConnection) -> None:
        self._db = db

    async def add(self, reference: str, form_id: str, *, at: datetime) -> bool:
        """Put a sent nomination of the award on the shortlist; False if it was on it already,
        or is no sent nomination of this award."""
        async with self._db.write() as conn:
            cursor = await conn.execute(_ADD, (utc_text(at), reference, form_id))
            return cursor.rowcount == 1

    async def remove(self, reference: str) -> bool:
        """Take a nomination off the shortlist; False if it was not on it."""
        async with self._db.write() as conn:
            cursor = await conn.execute(_REMOVE, (reference,))
            return cursor.rowcount == 1

    async def references(self, form_id: str | None = None) -> list[str]:
        """The shortlist's references, in the order the nominations were sent; with `form_id`,
        that award's alone (each award keeps its own shortlist)."""
        async with self._db.read() as conn:
            rows = await conn.execute_fetchall(_REFERENCES, {"form": form_id})
        return [str(reference) for (reference,) in rows]
