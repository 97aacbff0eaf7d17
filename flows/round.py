"""The nomination round's dates: whether it is open at a given instant, and how its dates read.

Pure: every function takes the instant it is asked about, so the same inputs always give the same
answer and tests need no clock. Dates are told in UK time (Europe/London: GMT in winter, BST in
summer), in GOV.UK style: "5pm", "5:30pm", "midday", "midnight".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from flows.form import plural

UK_TIME = ZoneInfo("Europe/London")
COUNTDOWN = timedelta(days=14)
"""Under this much time left, the welcome says how long remains."""

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


class Phase(StrEnum):
    BEFORE = "before"
    OPEN = "open"
    CLOSED = "closed"


def aware(moment: datetime) -> datetime:
    """A naive datetime is taken to be UTC (the store and Telegram both work in UTC)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def uk_date(moment: datetime) -> str:
    """E.g. 'Friday 15 January 2027', the day as it is in the UK at `moment`."""
    local = aware(moment).astimezone(UK_TIME)
    return f"{DAYS[local.weekday()]} {local.day} {MONTHS[local.month - 1]} {local.year}"


def uk_clock(moment: datetime) -> str:
    """E.g. '5pm', '5:30pm', '9:05am', 'midday', 'midnight', in UK time (seconds are dropped)."""
    local = aware(moment).astimezone(UK_TIME)
    if (local.hour, local.minute) == (12, 0):
        return "midday"
    if (local.hour, local.minute) == (0, 0):
        return "midnight"
    hour = local.hour % 12 or 12
    minutes = f":{local.minute:02d}" if local.minute else ""
    return f"{hour}{minutes}{'am' if local.hour < 12 else 'pm'}"


def uk_deadline(moment: datetime) -> str:
    """E.g. '5pm on Friday 15 January 2027'.

    Midnight is the one ambiguous case ("midnight on Friday" is read as the end of Friday by
    most people, the start by some), so it names the day that is ending.
    """
    local = aware(moment).astimezone(UK_TIME)
    if (local.hour, local.minute) == (0, 0):
        return f"midnight at the end of {uk_date(local - timedelta(days=1))}"
    return f"{uk_clock(local)} on {uk_date(local)}"


@dataclass(frozen=True, slots=True)
class Round:
    """When nominations open and close. Either may be None: no limit on that side."""

    opens_at: datetime | None = None
    closes_at: datetime | None = None

    def __post_init__(self) -> None:
        for moment in (self.opens_at, self.closes_at):
            if moment is not None and moment.utcoffset() is None:
                raise ValueError(f"a round's dates need a time zone: {moment!r}")
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValueError("the round must close after it opens")

    def phase(self, now: datetime) -> Phase:
        """Before opening, open, or closed. Open includes its opening instant, not its closing."""
        now = aware(now)
        if self.opens_at is not None and now < self.opens_at:
            return Phase.BEFORE
        if self.closes_at is not None and now >= self.closes_at:
            return Phase.CLOSED
        return Phase.OPEN

    def is_open(self, now: datetime) -> bool:
        return self.phase(now) is Phase.OPEN

    def accepts_submission(self, pressed_at: datetime) -> bool:
        """Whether a Submit pressed at `pressed_at` counts, however late it is processed.

        `pressed_at` is when the press reached Telegram (the message's `date`, or for a button the
        time the update was received), not when the bot got round to it: a nominator on the
        review who pressed Submit before the closing time is not penalised for a slow queue.
        """
        return self.is_open(pressed_at)

    def time_left(self, now: datetime) -> timedelta | None:
        """How long until closing, while open; None with no closing date or outside the round."""
        if self.closes_at is None or not self.is_open(now):
            return None
        return self.closes_at - aware(now)

    def closing_sentence(self) -> str | None:
        """E.g. 'Nominations close at 5pm on Friday 15 January 2027.'; None with no closing date."""
        if self.closes_at is None:
            return None
        return f"Nominations close at {uk_deadline(self.closes_at)}."

    def closed_sentence(self) -> str | None:
        """E.g. 'Nominations closed at 5pm on Friday 15 January 2027.'"""
        if self.closes_at is None:
            return None
        return f"Nominations closed at {uk_deadline(self.closes_at)}."

    def opening_sentence(self) -> str | None:
        """E.g. 'Nominations open at 9am on Monday 4 January 2027.'"""
        if self.opens_at is None:
            return None
        return f"Nominations open at {uk_deadline(self.opens_at)}."

    def countdown_sentence(self, now: datetime) -> str | None:
        """How long remains, under COUNTDOWN; otherwise None.

        E.g. 'That is 13 days from now.', '30 hours', 'less than an hour'. Whole days are
        rounded down, and days are counted only from two days up, so '1 day' never hides 47 hours.
        """
        left = self.time_left(now)
        if left is None or left >= COUNTDOWN:
            return None
        hours = int(left.total_seconds() // 3600)
        if hours >= 48:
            amount = f"{left.days} {plural(left.days, 'day')}"
        elif hours >= 1:
            amount = f"{hours} {plural(hours, 'hour')}"
        else:
            amount = "less than an hour"
        return f"That is {amount} from now."


class News(StrEnum):
    """What a notice about the round says."""

    NOW = "now"  # what the round means now: not open yet, closed, or when it closes
    CLOSES = "closes"  # when it closes (after a nomination is sent)
    CLOSED = "closed"  # that it has closed (amending or withdrawing refused)


@dataclass(frozen=True, slots=True)
class RoundNotice:
    """News of the round for a nominator, as of `at`; the front end words it."""

    news: News
    at: datetime
