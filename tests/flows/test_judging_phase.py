"""When judging is open (flows/judging/phase.py): an organiser's close wins; an organiser's open
holds until the closing date unless given after it; otherwise the dates; and the one reminder
falls due the set time before the close."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flows.judging.phase import JudgingDates, is_open, reminder_due

OPEN = datetime(2026, 6, 1, 9, tzinfo=UTC)
CLOSE = datetime(2026, 6, 15, 17, tzinfo=UTC)
DATES = JudgingDates(OPEN, CLOSE, timedelta(hours=24))


def test_by_the_dates_alone() -> None:
    assert not is_open(DATES, OPEN - timedelta(seconds=1), opened_at=None, closed_at=None)
    assert is_open(DATES, OPEN, opened_at=None, closed_at=None)
    assert not is_open(DATES, CLOSE, opened_at=None, closed_at=None)
    assert not is_open(JudgingDates(), OPEN, opened_at=None, closed_at=None)


def test_an_organisers_open_and_close() -> None:
    early = OPEN - timedelta(days=3)
    assert is_open(DATES, early, opened_at=early, closed_at=None)
    assert not is_open(DATES, OPEN + timedelta(days=1), opened_at=None, closed_at=OPEN)
    assert not is_open(DATES, CLOSE + timedelta(hours=1), opened_at=early, closed_at=None)
    # Opened again after the closing date: open, until an organiser closes it.
    late = CLOSE + timedelta(days=1)
    assert is_open(DATES, late + timedelta(hours=1), opened_at=late, closed_at=None)
    assert is_open(JudgingDates(), OPEN, opened_at=early, closed_at=None)


def test_the_reminder_falls_due_the_set_time_before_the_close() -> None:
    assert not reminder_due(DATES, CLOSE - timedelta(hours=25))
    assert reminder_due(DATES, CLOSE - timedelta(hours=24))
    assert not reminder_due(DATES, CLOSE)
    assert not reminder_due(JudgingDates(OPEN), OPEN)
