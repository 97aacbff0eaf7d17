"""Composing the nomination emails and delivering the outbox (SMTP, or .eml files)."""

from mail.compose import compose_resend, compose_submission, header_text, message_id, uk_time
from mail.delivery import (
    DeliveryFailure,
    DeliveryReport,
    FileTransport,
    OutboxPort,
    OutboxWorker,
    PermanentFailure,
    SmtpConfig,
    SmtpTransport,
    TemporaryFailure,
    Transport,
)

__all__ = [
    "DeliveryFailure",
    "DeliveryReport",
    "FileTransport",
    "OutboxPort",
    "OutboxWorker",
    "PermanentFailure",
    "SmtpConfig",
    "SmtpTransport",
    "TemporaryFailure",
    "Transport",
    "compose_resend",
    "compose_submission",
    "header_text",
    "message_id",
    "uk_time",
]
