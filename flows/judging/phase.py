"""Whether judging is open at an instant: an organiser's /judging open or close, else the dates
JUDGING_OPEN_AT and JUDGING_CLOSE_AT. Pure: the instant is handed in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True)
class JudgingDates:
    """The settings' dates (either may be absent) and how long before the close judges with
    nominations to score are reminded."""

    open_at: datetime | None = None
    close_at: datetime | None = None
    remind_before: timedelta = timedelta(hours=48)


def is_open(
    dates: JudgingDates, now: datetime, *, opened_at: datetime | None, closed_at: datetime | None
) -> bool:
    """Closed by an organiser: closed. Opened by one: open until JUDGING_CLOSE_AT, if that is
    later. Neither: open from JUDGING_OPEN_AT until JUDGING_CLOSE_AT."""
    if closed_at is not None:
        return False
    if dates.close_at is not None and now >= dates.close_at:
        return opened_at is not None and opened_at >= dates.close_at
    if opened_at is not None:
        return True
    return dates.open_at is not None and now >= dates.open_at


def reminder_due(dates: JudgingDates, now: datetime) -> bool:
    """Whether the one reminder before the close is due at `now` (and the close not passed)."""
    if dates.close_at is None:
        return False
    return dates.close_at - dates.remind_before <= now < dates.close_at
