"""The composition root: builds the store, engine service, screens and mail delivery from the
settings, and closes them again. Front ends receive what they need from here, by construction."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime

from bot.config import Settings
from bot.screens import ScreenBuilder
from bot.service import NominationService
from flows.form import Form, load_form
from flows.state import NominationState
from mail.compose import compose_submission
from mail.delivery import FileTransport, OutboxWorker, SmtpConfig, SmtpTransport, Transport
from storage.nominations import NominationStore
from storage.types import NewEmail, OutboxRow

logger = logging.getLogger(__name__)

FailureHook = Callable[[OutboxRow, str], Awaitable[None]]


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


def make_transport(settings: Settings) -> Transport:
    """SMTP when SMTP_HOST is set; otherwise .eml files, so a fresh machine needs no mail server."""
    config = smtp_config(settings)
    if config is None:
        return FileTransport(settings.mail_outbox_dir)
    return SmtpTransport(config)


@dataclass
class Services:
    settings: Settings
    form: Form
    store: NominationStore
    service: NominationService
    screens: ScreenBuilder
    worker: OutboxWorker
    failure_hooks: list[FailureHook]


@asynccontextmanager
async def open_services(settings: Settings) -> AsyncIterator[Services]:
    """Everything a front end needs, opened from the settings and closed on exit."""
    form = load_form(settings.form_file)
    organisers = tuple(settings.organiser_emails)
    if not organisers:
        logger.warning("ORGANISER_EMAILS is empty: submitted nominations reach only the nominator")

    def compose(form: Form, state: NominationState, submitted_at: datetime) -> list[NewEmail]:
        return compose_submission(
            form,
            state,
            submitted_at=submitted_at,
            mail_from=settings.mail_from,
            organisers=organisers,
        )

    hooks: list[FailureHook] = []

    async def on_failure(row: OutboxRow, reason: str) -> None:
        for hook in hooks:
            await hook(row, reason)

    store = await NominationStore.open(settings.database_path)
    try:
        worker = OutboxWorker(
            store.outbox, make_transport(settings), on_permanent_failure=on_failure
        )
        service = NominationService(store, form, compose=compose, after_submit=worker.wake)
        yield Services(settings, form, store, service, ScreenBuilder(form), worker, hooks)
    finally:
        await store.close()
