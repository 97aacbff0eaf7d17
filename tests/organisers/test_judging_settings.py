"""Judging's settings (issue 18), read from the environment and checked at start-up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from bot.config import Settings


def settings(**env: str) -> Settings:
    return Settings(_env_file=None, **env)  # type: ignore[arg-type]


def test_defaults_and_empty_values() -> None:
    s = settings(judges_per_nomination="", judging_open_at="", judging_close_at=" ")
    assert (s.judging_blind, s.judges_per_nomination) == (False, None)
    assert s.judging_dates.open_at is None and s.judging_dates.close_at is None
    assert s.judging_dates.remind_before == timedelta(hours=48)


def test_values_are_read() -> None:
    s = settings(
        judging_blind="true",
        judges_per_nomination="3",
        judging_open_at="2027-02-01T09:00:00Z",
        judging_close_at="2027-02-14T17:00:00+00:00",
        judging_reminder_hours="12",
    )
    assert s.judging_blind and s.judges_per_nomination == 3
    assert s.judging_dates.close_at == datetime(2027, 2, 14, 17, tzinfo=UTC)
    assert s.judging_dates.remind_before == timedelta(hours=12)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"judging_close_at": "2027-02-14T17:00"}, "JUDGING_CLOSE_AT needs a time zone"),
        ({"judging_open_at": "soon"}, "JUDGING_OPEN_AT is not an ISO 8601"),
        (
            {"judging_open_at": "2027-02-14T17:00Z", "judging_close_at": "2027-02-01T17:00Z"},
            "JUDGING_CLOSE_AT must be later than JUDGING_OPEN_AT",
        ),
        ({"judges_per_nomination": "0"}, "judges_per_nomination"),
        ({"judging_reminder_hours": "0"}, "judging_reminder_hours"),
    ],
)
def test_bad_values_are_refused_naming_the_key(env: dict[str, str], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        settings(**env)
