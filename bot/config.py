"""Settings: one typed object, read from the environment and `config.env` by the entry point."""

from __future__ import annotations

import email.utils
import re
from datetime import datetime, timedelta
from email.errors import HeaderParseError
from email.headerregistry import Address
from pathlib import Path
from typing import Annotated

from pydantic import (
    EmailStr,
    Field,
    SecretStr,
    TypeAdapter,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from flows.judging.phase import JudgingDates
from flows.round import Round

_email = TypeAdapter(EmailStr)
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# What Telegram accepts as a webhook's secret_token (setWebhook).
_WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


def _split(value: object) -> object:
    """Comma-separated lists in the environment: "a@x, b@y" -> ["a@x", "b@y"]."""
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


class Settings(BaseSettings):
    """Every configuration key. The real environment wins over `config.env`."""

    model_config = SettingsConfigDict(
        env_file="config.env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    webhook_url: str | None = None
    webhook_secret_token: SecretStr | None = None
    # Loopback: a TLS proxy in front takes Telegram's requests (README, "Webhook").
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    webhook_path: str = "telegram"

    database_path: Path = Path("data/nominations.sqlite3")
    form_file: Path | None = None

    organiser_emails: Annotated[list[str], NoDecode] = Field(default_factory=list)
    organiser_telegram_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)

    mail_from: str = "Nomination Bot <nominations@localhost>"
    mail_outbox_dir: Path = Path("data/outbox")
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = True
    smtp_tls: bool = False
    smtp_timeout_seconds: float = Field(default=30.0, gt=0)

    log_level: str = "INFO"

    # Limits on what one nominator can do (issue 12): see README "Security and data protection".
    # Prove the nominator's address with an emailed code before their copy is sent to it; skipped
    # when emails go to files (no SMTP_HOST), since nothing then leaves the machine.
    verify_nominator_email: bool = True
    # Comma-separated domains nominators' addresses must be at (nhs.net, nhs.uk); empty: any.
    allowed_email_domains: Annotated[list[str], NoDecode] = Field(default_factory=list)
    submissions_per_user_per_day: int = Field(default=10, ge=1)

    # The round: ISO 8601 with a time zone, e.g. 2027-01-15T17:00:00+00:00. Empty: no limit.
    nominations_open_at: datetime | None = None
    nominations_close_at: datetime | None = None
    # Fractions allowed: 0.0005 hours is about 2 seconds, for tests.
    reminder_after_hours: float = Field(default=48.0, gt=0)
    reminder_max: int = Field(default=2, ge=0)

    # Supporting files (issue 9): per file, per nomination, and the largest organisers' email
    # (over it, the files are left out of the email and are in the panel pack). In megabytes.
    evidence_max_mb: float = Field(default=10.0, gt=0)
    evidence_total_mb: float = Field(default=20.0, gt=0)
    mail_max_mb: float = Field(default=20.0, gt=0)
    # The first wait before downloading a file again; it doubles for each of the later tries.
    evidence_retry_seconds: float = Field(default=2.0, gt=0)

    # The nominator's data (issue 9): a draft unchanged for this many days is erased, with its
    # files and code emails; its nominator is warned a week before (Telegram only).
    draft_retention_days: int = Field(default=90, ge=8)

    # Supporting statements from colleagues (issue 9): per nomination, and words in each.
    support_max: int = Field(default=3, ge=0)
    support_max_words: int = Field(default=300, gt=0)

    # How many supporting files (issue 20): per nomination, and per award question. The same
    # file sent again to the same question is kept once and does not count twice.
    evidence_max_files: int = Field(default=20, ge=1)
    evidence_max_files_per_question: int = Field(default=10, ge=1)

    # Judging (issue 18): names hidden from judges, judges per nomination (none: every judge
    # judges every nomination), the judging dates, and the one reminder's hours before the close.
    judging_blind: bool = False
    judges_per_nomination: int | None = Field(default=None, ge=1)
    judging_open_at: datetime | None = None
    judging_close_at: datetime | None = None
    judging_reminder_hours: float = Field(default=48.0, gt=0)
    # The nominee's approval (issue 19): each sent nomination asks its nominee (a team's lead)
    # to approve it through a link, and its nominator gets one reminder after this many days.
    nominee_approval: bool = False
    nominee_approval_remind_days: float = Field(default=7.0, gt=0)

    @field_validator(
        "telegram_bot_token",
        "webhook_url",
        "webhook_secret_token",
        "form_file",
        "smtp_host",
        "smtp_username",
        "smtp_password",
        "judges_per_nomination",
        mode="before",
    )
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("organiser_emails", mode="before")
    @classmethod
    def _split_emails(cls, value: object) -> object:
        return _split(value)

    @field_validator("organiser_emails")
    @classmethod
    def _check_emails(cls, value: list[str]) -> list[str]:
        for address in value:
            _email.validate_python(address)
        return value

    @field_validator("mail_from")
    @classmethod
    def _check_mail_from(cls, value: str) -> str:
        name, address = email.utils.parseaddr(value)
        local, at, domain = address.rpartition("@")
        try:
            ok = bool(local and at and domain and local.isascii())
            ok = ok and Address(display_name=name, addr_spec=address).domain == domain
        except (ValueError, IndexError, HeaderParseError):
            ok = False
        if not ok:
            raise ValueError(
                f"{value!r} is not an email address; set it like "
                "'Awards Office <awards@example.nhs.uk>'"
            )
        return value

    @field_validator("log_level")
    @classmethod
    def _check_log_level(cls, value: str) -> str:
        if value.strip().upper() not in LOG_LEVELS:
            raise ValueError(f"{value!r} is not a log level; use one of {', '.join(LOG_LEVELS)}")
        return value.strip().upper()

    @field_validator("webhook_url")
    @classmethod
    def _check_webhook_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("https://"):
            raise ValueError(
                "Telegram posts only to an https:// address; give the TLS proxy's public URL"
            )
        return value

    @field_validator("webhook_secret_token")
    @classmethod
    def _check_webhook_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _WEBHOOK_SECRET.fullmatch(value.get_secret_value()):
            raise ValueError(
                "Telegram allows 1-256 characters, only A-Z, a-z, 0-9, _ and -; "
                "make one with: python3 -c 'import secrets; print(secrets.token_urlsafe(32))'"
            )
        return value

    @field_validator("allowed_email_domains", mode="before")
    @classmethod
    def _split_domains(cls, value: object) -> object:
        return _split(value)

    @field_validator("allowed_email_domains")
    @classmethod
    def _bare_domains(cls, value: list[str]) -> list[str]:
        """'@NHS.net' and 'nhs.net' alike: the part after the @, compared without case."""
        domains = [d.strip().lstrip("@").casefold() for d in value]
        for domain in domains:
            if not domain or "@" in domain or "." not in domain or " " in domain:
                raise ValueError(f"ALLOWED_EMAIL_DOMAINS: {domain!r} is not a domain like nhs.net")
        return domains

    @property
    def verifies_email(self) -> bool:
        """Whether nominators prove their address: only when email really leaves the machine."""
        return self.verify_nominator_email and self.smtp_host is not None

    @field_validator("organiser_telegram_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        return _split(value)

    @field_validator(
        "nominations_open_at",
        "nominations_close_at",
        "judging_open_at",
        "judging_close_at",
        mode="before",
    )
    @classmethod
    def _iso_with_zone(cls, value: object, info: ValidationInfo) -> object:
        key = (info.field_name or "").upper()
        if isinstance(value, str) and not value.strip():
            return None
        if isinstance(value, str):
            try:
                value = datetime.fromisoformat(value.strip())
            except ValueError:
                raise ValueError(
                    f"{key} is not an ISO 8601 date and time, e.g. 2027-01-15T17:00:00+00:00"
                ) from None
        if isinstance(value, datetime) and value.utcoffset() is None:
            raise ValueError(
                f"{key} needs a time zone, e.g. 2027-01-15T17:00:00+00:00 or ...T17:00:00Z"
            )
        return value

    @model_validator(mode="after")
    def _round_closes_after_opening(self) -> Settings:
        opens, closes = self.nominations_open_at, self.nominations_close_at
        if opens is not None and closes is not None and closes <= opens:
            raise ValueError("NOMINATIONS_CLOSE_AT must be later than NOMINATIONS_OPEN_AT")
        return self

    @model_validator(mode="after")
    def _judging_closes_after_opening(self) -> Settings:
        opens, closes = self.judging_open_at, self.judging_close_at
        if opens is not None and closes is not None and closes <= opens:
            raise ValueError("JUDGING_CLOSE_AT must be later than JUDGING_OPEN_AT")
        return self

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> Settings:
        if self.webhook_url and self.webhook_secret_token is None:
            raise ValueError("WEBHOOK_SECRET_TOKEN must be set when WEBHOOK_URL is set")
        return self

    @property
    def organisers(self) -> tuple[str, ...]:
        """Who receives each nomination: ORGANISER_EMAILS, or, in a trial that only writes
        emails to files, a placeholder, so that the organisers' email is written too."""
        if self.organiser_emails or self.smtp_host is not None:
            return tuple(self.organiser_emails)
        return (PLACEHOLDER_ORGANISERS,)

    @property
    def emails_saved_in(self) -> Path | None:
        """The folder emails are written to instead of sent (no SMTP_HOST), or None."""
        return self.mail_outbox_dir if self.smtp_host is None else None

    @property
    def round(self) -> Round:
        """The round's dates, for the front ends and the emails."""
        return Round(self.nominations_open_at, self.nominations_close_at)

    def needs_approval(self, form_id: str) -> bool:
        """Whether the award with this form asks its nominees to approve (NOMINEE_APPROVAL; the
        programme file's per-award `nominee_approval` once there is one)."""
        return self.nominee_approval

    @property
    def judging_dates(self) -> JudgingDates:
        reminder = timedelta(hours=self.judging_reminder_hours)
        return JudgingDates(self.judging_open_at, self.judging_close_at, reminder)

    @property
    def token(self) -> str | None:
        return self.telegram_bot_token.get_secret_value() if self.telegram_bot_token else None


PLACEHOLDER_ORGANISERS = "organisers@example.invalid"
"""Who the organisers' email is addressed to in a trial without SMTP and ORGANISER_EMAILS: a
name that can never be delivered, so the email is still written for the newcomer to read."""


def load_settings(env_file: Path | None = Path("config.env")) -> Settings:
    """Read the settings once, in the entry point."""
    return Settings(_env_file=env_file)
