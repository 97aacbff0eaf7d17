"""The round's dates: open or not at an instant, Submit pressed before closing, UK-time wording."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from flows.round import Phase, Round, uk_clock, uk_deadline

OPENS = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
CLOSES = datetime(2027, 1, 15, 17, 0, tzinfo=UTC)
ROUND = Round(OPENS, CLOSES)
SECOND = timedelta(seconds=1)


@pytest.mark.parametrize(
    ("now", "phase"),
    [
        (OPENS - SECOND, Phase.BEFORE),
        (OPENS, Phase.OPEN),
        (CLOSES - SECOND, Phase.OPEN),
        (CLOSES, Phase.CLOSED),
        (CLOSES + timedelta(days=300), Phase.CLOSED),
    ],
)
def test_phase_at_an_instant(now: datetime, phase: Phase) -> None:
    assert ROUND.phase(now) is phase


def test_no_dates_is_always_open() -> None:
    assert Round().phase(datetime(1990, 1, 1, tzinfo=UTC)) is Phase.OPEN
    assert Round().closing_sentence() is None
    assert Round().countdown_sentence(OPENS) is None


def test_only_an_opening_or_only_a_closing_date() -> None:
    assert Round(opens_at=OPENS).phase(CLOSES + timedelta(days=999)) is Phase.OPEN
    assert Round(closes_at=CLOSES).phase(datetime(2000, 1, 1, tzinfo=UTC)) is Phase.OPEN


def test_submit_in_flight_counts_by_when_it_was_pressed() -> None:
    # Pressed a second before closing, handled a minute after: accepted.
    assert ROUND.accepts_submission(CLOSES - SECOND)
    # Pressed at the closing instant or later: refused, however quickly it is handled.
    assert not ROUND.accepts_submission(CLOSES)
    assert not ROUND.accepts_submission(OPENS - SECOND)


def test_dates_need_a_zone_and_must_be_in_order() -> None:
    with pytest.raises(ValueError, match="time zone"):
        Round(closes_at=datetime(2027, 1, 15, 17))  # naive on purpose
    with pytest.raises(ValueError, match="close after"):
        Round(CLOSES, OPENS)


def test_closing_sentence_in_winter() -> None:
    assert ROUND.closing_sentence() == "Nominations close at 5pm on Friday 15 January 2027."
    assert ROUND.closed_sentence() == "Nominations closed at 5pm on Friday 15 January 2027."
    assert ROUND.opening_sentence() == "Nominations open at 9am on Monday 30 November 2026."


@pytest.mark.parametrize(
    ("moment", "shown"),
    [
        # British Summer Time: 16:00 UTC is 5pm in the UK.
        (datetime(2027, 7, 9, 16, 0, tzinfo=UTC), "5pm on Friday 9 July 2027"),
        # The last Sunday in March 2027 is the 28th; clocks go forward at 01:00 UTC.
        (datetime(2027, 3, 28, 0, 59, tzinfo=UTC), "12:59am on Sunday 28 March 2027"),
        (datetime(2027, 3, 28, 1, 0, tzinfo=UTC), "2am on Sunday 28 March 2027"),
        # The last Sunday in October 2027 is the 31st; clocks go back at 01:00 UTC.
        (datetime(2027, 10, 31, 0, 30, tzinfo=UTC), "1:30am on Sunday 31 October 2027"),
        (datetime(2027, 10, 31, 1, 30, tzinfo=UTC), "1:30am on Sunday 31 October 2027"),
        (datetime(2027, 1, 15, 17, 30, tzinfo=UTC), "5:30pm on Friday 15 January 2027"),
        (datetime(2027, 1, 15, 12, 0, tzinfo=UTC), "midday on Friday 15 January 2027"),
        (datetime(2027, 1, 15, 9, 5, tzinfo=UTC), "9:05am on Friday 15 January 2027"),
        # Midnight names the day that ends, which nobody misreads.
        (datetime(2027, 1, 16, 0, 0, tzinfo=UTC), "midnight at the end of Friday 15 January 2027"),
        # A date given in another zone is still told in UK time.
        (
            datetime(2027, 1, 15, 12, 0, tzinfo=timezone(timedelta(hours=-5))),
            "5pm on Friday 15 January 2027",
        ),
    ],
)
def test_deadlines_read_in_uk_time_both_sides_of_the_clock_change(
    moment: datetime, shown: str
) -> None:
    assert uk_deadline(moment) == shown


def test_closing_in_summer_time_says_the_uk_hour() -> None:
    summer = Round(closes_at=datetime(2027, 6, 30, 16, 0, tzinfo=UTC))
    assert summer.closing_sentence() == "Nominations close at 5pm on Wednesday 30 June 2027."


def test_uk_clock_morning_and_afternoon() -> None:
    assert uk_clock(datetime(2027, 1, 1, 0, 15, tzinfo=UTC)) == "12:15am"
    assert uk_clock(datetime(2027, 1, 1, 12, 45, tzinfo=UTC)) == "12:45pm"
    assert uk_clock(datetime(2027, 1, 1, 23, 0, tzinfo=UTC)) == "11pm"


@pytest.mark.parametrize(
    ("left", "said"),
    [
        (timedelta(days=14), None),
        (timedelta(days=13, hours=23), "That is 13 days from now."),
        (timedelta(days=2), "That is 2 days from now."),
        (timedelta(hours=47, minutes=59), "That is 47 hours from now."),
        (timedelta(hours=1), "That is 1 hour from now."),
        (timedelta(minutes=59), "That is less than an hour from now."),
    ],
)
def test_countdown_under_fourteen_days(left: timedelta, said: str | None) -> None:
    assert ROUND.countdown_sentence(CLOSES - left) == said


def test_no_countdown_outside_the_round() -> None:
    assert ROUND.countdown_sentence(CLOSES) is None
    assert ROUND.time_left(OPENS - SECOND) is None
    assert ROUND.time_left(CLOSES - SECOND) == SECOND
