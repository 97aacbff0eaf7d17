"""The reminder schedule for unfinished drafts, in SQLite: what is due, and claiming it to send.

A draft falls due REMINDER_AFTER_HOURS after the later of its last change (`updated_at`, which
every save writes anyway) and its last reminder; it has at most `maximum` reminders; a nominator
in `reminder_stops` (opted out, or blocked the bot) gets none. In a programme each award closes on
its own date (issue 19): a draft follows its own form's, given in the window, all in one query.

Delivery is at most once. Claiming a reminder counts it as sent, in the same transaction that
checks it is still due; only then is it sent. A send that fails is un-counted and retried after a
back-off. A process killed between the claim and Telegram's reply (a fraction of a second) leaves
that reminder counted but perhaps not delivered: it is never sent twice, and the nominator still
gets the next one, if any. A restart at any other moment loses nothing, since the schedule is
these rows and `updated_at`. Two processes never both send one: the claim compares and sets.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from storage.db import SharedConnection, from_utc_text, utc_text

# Text that sorts after every utc_text timestamp, to switch a time condition off.
_NEVER = "9999"

_CANDIDATES = """
    FROM nominations AS n LEFT JOIN reminders AS r ON r.nomination_id = n.id
    WHERE n.status = 'draft'
      AND coalesce(r.sent, 0) < :maximum
      AND coalesce(r.last_sent_at, '') <= {recent}
      AND NOT EXISTS (SELECT 1 FROM reminder_stops AS s WHERE s.nominator = n.nominator)
"""
_DUE = f"""
    SELECT n.id, n.reference, n.nominator, coalesce(r.sent, 0)
    {_CANDIDATES}
      AND n.updated_at <= :idle_since
      AND coalesce(r.last_sent_at, '') <= :idle_since
      AND coalesce(r.retry_at, '') <= :now
    ORDER BY max(n.updated_at, coalesce(r.last_sent_at, '')), n.id
    LIMIT :limit
"""
# The earliest last activity among drafts that may fall due, and the earliest pending retry.
_NEXT = f"""
    SELECT min(CASE WHEN coalesce(r.retry_at, '') <= :now
                    THEN max(n.updated_at, coalesce(r.last_sent_at, '')) END),
           min(CASE WHEN r.retry_at > :now THEN r.retry_at END)
    {_CANDIDATES}
"""
_STILL_DUE = f"""
    SELECT coalesce(r.sent, 0), r.last_sent_at
    {_CANDIDATES}
      AND n.id = :id
      AND n.updated_at <= :idle_since
      AND coalesce(r.last_sent_at, '') <= :idle_since
      AND coalesce(r.retry_at, '') <= :now
"""
_CLAIM = """
    INSERT INTO reminders (nomination_id, sent, last_sent_at, retry_at) VALUES (?, 1, ?, NULL)
    ON CONFLICT (nomination_id) DO UPDATE
    SET sent = sent + 1, last_sent_at = excluded.last_sent_at, retry_at = NULL
"""
_UNCLAIM = """
    UPDATE reminders SET sent = sent - 1, last_sent_at = ?, retry_at = ?
    WHERE nomination_id = ? AND sent = ? AND last_sent_at = ?
"""
_STOP = """
    INSERT INTO reminder_stops (nominator, reason, at) VALUES (?, ?, ?)
    ON CONFLICT (nominator) DO UPDATE SET reason = excluded.reason, at = excluded.at
"""
_RESUME = "DELETE FROM reminder_stops WHERE nominator = ? AND reason LIKE ?"
_STOPPED = "SELECT reason FROM reminder_stops WHERE nominator = ?"
_STOPS_CACHED = 10_000
_COUNT = "SELECT sent FROM reminders WHERE nomination_id = ?"


def _statement(template: str, window: Window) -> str:
    """The statement with the window's rule for recent reminders, per award where it has them."""
    return template.format(recent=window.recent_sql())


class StopReason(StrEnum):
    OPTED_OUT = "opted_out"
    BLOCKED = "blocked"


@dataclass(frozen=True, slots=True)
class Window:
    """The rules of the moment: how long idle before a reminder, how many, and the closing date:
    `closes_at`, or in a programme each award's own (`closes_by_form`, by its form's id; a draft
    on any other form follows `closes_at`)."""

    now: datetime
    after: timedelta
    maximum: int
    closes_at: datetime | None = None
    closes_by_form: tuple[tuple[str, datetime | None], ...] = ()

    @property
    def closed(self) -> bool:
        """Every award has closed: nothing can fall due."""
        closings = [self.closes_at, *(closes for _, closes in self.closes_by_form)]
        return all(c is not None and self.now >= c for c in closings)

    def recent_sql(self) -> str:
        """How a statement reads the latest reminder a draft may have had and still get one."""
        if not self.closes_by_form:
            return ":recent"
        awards = range(len(self.closes_by_form))
        cases = " ".join(f"WHEN :form_{i} THEN :recent_{i}" for i in awards)
        return f"CASE n.form_id {cases} ELSE :recent END"

    def _recent(self, closes: datetime | None) -> str | None:
        """None once closed (no reminder: a comparison with NULL is never true); in the last hour
        before closing, no reminder to anyone who had one in the last day."""
        if closes is not None and self.now >= closes:
            return None
        last_hour = closes is not None and self.now >= closes - timedelta(hours=1)
        return utc_text(self.now - timedelta(hours=24)) if last_hour else _NEVER

    def params(self) -> dict[str, object]:
        params: dict[str, object] = {
            "maximum": self.maximum,
            "recent": self._recent(self.closes_at),
            "now": utc_text(self.now),
            "idle_since": utc_text(self.now - self.after),
        }
        for i, (form_id, closes) in enumerate(self.closes_by_form):
            params[f"form_{i}"] = form_id
            params[f"recent_{i}"] = self._recent(closes)
        return params


@dataclass(frozen=True, slots=True)
class Claim:
    """A reminder counted as sent, to be sent now; `number` is 1 for a draft's first."""

    nomination_id: int
    reference: str
    nominator: str
    number: int
    claimed_at: datetime
    previous_sent_at: datetime | None


class ReminderStore:
    """The schedule's rows, over a connection of its own (or one shared with the store)."""

    def __init__(self, db: SharedConnection, *, owner: bool = False) -> None:
        self._db = db
        self._owner = owner
        # `stopped` runs before every private message (a blocked nominator who writes again is
        # unblocked), so it must not cost a thread hop each time: the profile of answer typing
        # showed it as the one aiosqlite round trip left on the hot path, holding the store's
        # lock. Write-through, like the draft cache, in the one instance that owns the database
        # (`owner`: the bot's): only it writes `reminder_stops`. Another reader (a test, say)
        # asks the database each time. Bounded by clearing, as a miss only costs a read.
        self._stops: dict[str, StopReason | None] = {}

    async def due(self, window: Window, limit: int = 50) -> list[tuple[int, str, str, int]]:
        """(nomination id, reference, nominator, reminders so far) of drafts due, oldest first."""
        if window.closed or window.maximum <= 0:
            return []
        async with self._db.read() as conn:
            params = {**window.params(), "limit": limit}
            rows = await conn.execute_fetchall(_statement(_DUE, window), params)
        return [(int(i), str(ref), str(who), int(sent)) for i, ref, who, sent in rows]

    async def next_due(self, window: Window) -> datetime | None:
        """No reminder falls due before this (None: none will until a draft changes)."""
        if window.closed or window.maximum <= 0:
            return None
        async with self._db.read() as conn:
            rows = list(await conn.execute_fetchall(_statement(_NEXT, window), window.params()))
        idle, retry = rows[0]
        times = [from_utc_text(idle) + window.after] if idle else []
        times += [from_utc_text(retry)] if retry else []
        return min(times, default=None)

    async def claim(
        self, nomination_id: int, reference: str, nominator: str, window: Window
    ) -> Claim | None:
        """Count the draft's next reminder as sent, if it is still due; None if it no longer is
        (the nominator came back, opted out, submitted, or another process claimed it)."""
        if window.closed:
            return None
        async with self._db.write() as conn:
            params = {**window.params(), "id": nomination_id}
            rows = list(await conn.execute_fetchall(_statement(_STILL_DUE, window), params))
            if not rows:
                return None
            sent, previous = rows[0]
            await conn.execute(_CLAIM, (nomination_id, utc_text(window.now)))
        return Claim(
            nomination_id=nomination_id,
            reference=reference,
            nominator=nominator,
            number=int(sent) + 1,
            claimed_at=window.now,
            # '' is a row kept only for a retry's time: nothing was sent before.
            previous_sent_at=from_utc_text(previous) if previous else None,
        )

    async def release(self, claim: Claim, *, retry_at: datetime) -> None:
        """The send failed: un-count the reminder, and try again from `retry_at`."""
        previous = "" if claim.previous_sent_at is None else utc_text(claim.previous_sent_at)
        async with self._db.write() as conn:
            await conn.execute(
                _UNCLAIM,
                (
                    previous,
                    utc_text(retry_at),
                    claim.nomination_id,
                    claim.number,
                    utc_text(claim.claimed_at),
                ),
            )

    async def stop(self, nominator: str, reason: StopReason, at: datetime) -> None:
        """No more reminders for this nominator (opted out, or they blocked the bot)."""
        async with self._db.write() as conn:
            await conn.execute(_STOP, (nominator, reason.value, utc_text(at)))
        self._remember(nominator, reason)

    async def resume(self, nominator: str, only: StopReason | None = None) -> bool:
        """Reminders again: they opted back in (any reason), or wrote to the bot after blocking
        it (`only=StopReason.BLOCKED`, which leaves an opt-out alone). True if one was lifted."""
        async with self._db.write() as conn:
            cursor = await conn.execute(_RESUME, (nominator, "%" if only is None else only.value))
            lifted = cursor.rowcount > 0
        self._stops.pop(nominator, None)  # the next read asks the database which stop is left
        return lifted

    async def stopped(self, nominator: str) -> StopReason | None:
        if nominator in self._stops:
            return self._stops[nominator]
        async with self._db.read() as conn:
            rows = list(await conn.execute_fetchall(_STOPPED, (nominator,)))
        reason = StopReason(rows[0][0]) if rows else None
        self._remember(nominator, reason)
        return reason

    def _remember(self, nominator: str, reason: StopReason | None) -> None:
        if not self._owner:
            return
        if len(self._stops) >= _STOPS_CACHED:
            self._stops.clear()
        self._stops[nominator] = reason

    async def sent_count(self, nomination_id: int) -> int:
        async with self._db.read() as conn:
            rows = list(await conn.execute_fetchall(_COUNT, (nomination_id,)))
        return int(rows[0][0]) if rows else 0
