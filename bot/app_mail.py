"""The composition root's mail part: how the bot's emails leave, by SMTP when SMTP_HOST is set
or as .eml files when it is not, and how large an email may grow before it lists its files."""

from __future__ import annotations

from bot.config import Settings
from flows.evidence import MEGABYTE
from mail.delivery import FileTransport, SmtpConfig, SmtpTransport, Transport


def smtp_config(settings: Settings) -> SmtpConfig | None:
    if settings.smtp_host is None:
        return None
    return SmtpConfig(
        host=settings.smtp_host,
        port=settings.smtp_port,
        username=settings.smtp_username,
        password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
        starttls=settings.smtp_starttls,
        use_tls=settings.smtp_tls,
        timeout=settings.smtp_timeout_seconds,
    )


def mail_max_bytes(settings: Settings) -> int:
    """MAIL_MAX_MB in bytes: past it, the organisers' email lists its files instead."""
    return int(settings.mail_max_mb * MEGABYTE)


def make_transport(settings: Settings) -> Transport:
    """SMTP when SMTP_HOST is set; otherwise .eml files, so a fresh machine needs no mail server."""
    config = smtp_config(settings)
    if config is None:
        return FileTransport(settings.mail_outbox_dir)
    return SmtpTransport(config)
