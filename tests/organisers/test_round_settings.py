"""The round's settings, read from the environment and checked at start-up, naming the key."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from bot.config import Settings
from flows.round import Phase


def settings(**env: str) -> Settings:
    return Settings(_env_file=None, **env)  # type: ignore[arg-type]


def test_dates_are_read_with_their_zone() -> None:
    s = settings(
        nominations_open_at="2026-11-30T09:00:00+00:00",
        nominations_close_at="2027-06-30T17:00:00+01:00",
    )
    assert s.round.closes_at == datetime(2027, 6, 30, 16, 0, tzinfo=UTC)
    assert s.round.phase(datetime(2027, 1, 1, tzinfo=UTC)) is Phase.OPEN
    assert s.round.closing_sentence() == "Nominations close at 5pm on Wednesday 30 June 2027."


def test_empty_dates_mean_always_open() -> None:
    s = settings(nominations_open_at="", nominations_close_at=" ")
    assert s.round.opens_at is None and s.round.closes_at is None


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"nominations_close_at": "2027-01-15T17:00"}, "NOMINATIONS_CLOSE_AT needs a time zone"),
        ({"nominations_open_at": "next Friday"}, "NOMINATIONS_OPEN_AT is not an ISO 8601"),
        (
            {
                "nominations_open_at": "2027-01-15T17:00Z",
                "nominations_close_at": "2027-01-15T17:00Z",
            },
            "NOMINATIONS_CLOSE_AT must be later than NOMINATIONS_OPEN_AT",
        ),
        ({"reminder_after_hours": "0"}, "reminder_after_hours"),
        ({"reminder_max": "-1"}, "reminder_max"),
    ],
)
def test_bad_values_are_refused_naming_the_key(env: dict[str, str], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        settings(**env)


def test_reminder_defaults_and_fractions() -> None:
    assert (settings().reminder_after_hours, settings().reminder_max) == (48.0, 2)
    assert settings(reminder_after_hours="0.0005").reminder_after_hours == 0.0005


def test_the_entry_point_reports_a_bad_date_and_stops(
    monkeypatch: pytest.MonkeyPatch, tmp_path: object, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.__main__ import main

    monkeypatch.chdir(str(tmp_path))
    monkeypatch.setenv("NOMINATIONS_CLOSE_AT", "2027-01-15 17:00")
    # main() opts the process in to PTB_TIMEDELTA; set here, it is undone after the test, not
    # left for the tests of python-telegram-bot's own defaults that may run next in this worker.
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    assert main(["check"]) == 2
    assert "NOMINATIONS_CLOSE_AT needs a time zone" in capsys.readouterr().err
