"""The settings that limit one nominator, read from the environment as organisers write them."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.config import Settings


def settings(monkeypatch: pytest.MonkeyPatch, **env: str) -> Settings:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return Settings(_env_file=None)  # type: ignore[call-arg]


def test_the_defaults_allow_any_domain_and_ten_submissions_a_day(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    s = settings(monkeypatch)
    assert s.allowed_email_domains == [] and s.submissions_per_user_per_day == 10
    assert s.verify_nominator_email is True


def test_domains_are_a_comma_separated_list_with_or_without_the_at(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    s = settings(monkeypatch, ALLOWED_EMAIL_DOMAINS=" nhs.net, @NHS.uk ,")
    assert s.allowed_email_domains == ["nhs.net", "nhs.uk"]


@pytest.mark.parametrize("bad", ["nhs", "a@nhs.net", "nhs .net"])
def test_a_domain_that_is_not_one_is_refused_naming_the_key(
    monkeypatch: pytest.MonkeyPatch, bad: str
) -> None:
    with pytest.raises(ValidationError, match="ALLOWED_EMAIL_DOMAINS"):
        settings(monkeypatch, ALLOWED_EMAIL_DOMAINS=bad)


def test_the_daily_limit_is_at_least_one(monkeypatch: pytest.MonkeyPatch) -> None:
    assert settings(monkeypatch, SUBMISSIONS_PER_USER_PER_DAY="3").submissions_per_user_per_day == 3
    with pytest.raises(ValidationError):
        settings(monkeypatch, SUBMISSIONS_PER_USER_PER_DAY="0")


def test_the_email_check_runs_only_when_email_leaves_the_machine(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert not settings(monkeypatch).verifies_email  # files: `make run` stays simple
    assert settings(monkeypatch, SMTP_HOST="smtp.example.nhs.uk").verifies_email
    off = settings(monkeypatch, SMTP_HOST="smtp.example.nhs.uk", VERIFY_NOMINATOR_EMAIL="false")
    assert not off.verifies_email
