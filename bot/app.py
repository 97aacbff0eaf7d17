"""The composition root (cosmicpython's bootstrap): every part is built here from the settings,
handed only what it uses, and closed again. Nothing else constructs a store, a worker or a front
end, so this file is the map of what talks to what."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.config import Settings
from bot.reminders import ReminderScheduler, ReminderSettings
from bot.screens import ScreenBuilder
from bot.service import NominationService
from flows.form import Form, load_form
from flows.state import NominationState
from mail.compose import compose_submission
from mail.delivery import FileTransport, OutboxWorker, SmtpConfig, SmtpTransport, Transport
from storage.clock import utc_now
from storage.db import SharedConnection, connect
from storage.nominations import NominationStore
from storage.reminders import ReminderStore
from storage.types import NewEmail, OutboxRow

if TYPE_CHECKING:
    from bot.telegram import ChatOutput, NominationHandlers
    from bot.telegram.runtime import AnyApplication

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


@dataclass(frozen=True, slots=True)
class Services:
    """What the front ends and the organisers' commands are built from."""

    form: Form
    store: NominationStore
    service: NominationService
    screens: ScreenBuilder
    worker: OutboxWorker


@asynccontextmanager
async def open_services(
    settings: Settings, *, form: Form | None = None, on_email_failed: FailureHook | None = None
) -> AsyncIterator[Services]:
    """Everything a front end needs, opened from the settings and closed on exit. `form` is the
    settings' form unless given; `on_email_failed` hears of emails that could not be delivered."""
    if form is None:
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
            round_dates=settings.round,
        )

    store = await NominationStore.open(settings.database_path)
    try:
        worker = OutboxWorker(
            store.outbox, make_transport(settings), on_permanent_failure=on_email_failed
        )
        service = NominationService(
            store, form, compose=compose, after_submit=worker.wake, round_dates=settings.round
        )
        yield Services(form, store, service, ScreenBuilder(form), worker)
    finally:
        await store.close()


@dataclass(frozen=True, slots=True)
class TelegramBot:
    """The Telegram front end, wired and not yet serving (see bot.telegram.serving)."""

    application: AnyApplication
    services: Services


@asynccontextmanager
async def open_telegram_bot(
    settings: Settings, *, base_file_url: str | None = None
) -> AsyncIterator[TelegramBot]:
    """The Application with its handlers, over freshly opened services; organisers configured in
    ORGANISER_TELEGRAM_IDS are told there of emails that could not be delivered."""
    # Imported here: the terminal and the organisers' commands never load python-telegram-bot.
    from bot.telegram import (
        ErrorReporter,
        NominationHandlers,
        OrganiserAlerts,
        TelegramOutput,
        build_application,
    )

    if settings.token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    form = load_form(settings.form_file)
    application = build_application(
        settings.token, settings.telegram_api_base_url, base_file_url=base_file_url
    )
    output = TelegramOutput(application.bot, form)
    alerts = OrganiserAlerts(output, settings.organiser_telegram_ids)
    async with (
        open_services(settings, form=form, on_email_failed=alerts.email_failed) as services,
        organisers_connection(settings) as db,
    ):
        nominators = NominationHandlers(services.service, services.screens, output, form)
        # Organisers' commands and the reminders' buttons first: the nominators' handlers end
        # with catch-alls (an unknown command, any button).
        _wire_organisers(application, settings, services, db, output, nominators)
        nominators.register(application)
        application.add_error_handler(ErrorReporter(output, settings.organiser_telegram_ids))
        yield TelegramBot(application, services)


def _wire_organisers(
    application: AnyApplication,
    settings: Settings,
    services: Services,
    db: SharedConnection,
    output: ChatOutput,
    nominators: NominationHandlers,
) -> None:
    """The organisers' commands and the reminders, registered on the Application; the reminder
    loop runs from its post_init to its post_stop."""
    from bot.telegram.organisers import OrganiserCommands, OrganiserSettings
    from bot.telegram.reminders import TelegramReminders

    organisers = OrganiserCommands(
        services.form,
        services.store,
        db,
        services.worker,
        output,
        OrganiserSettings(
            organiser_ids=tuple(settings.organiser_telegram_ids),
            mail_from=settings.mail_from,
            organiser_emails=tuple(settings.organiser_emails),
            round_dates=settings.round,
        ),
        refuse_button=nominators.button,
    )
    schedule = ReminderStore(db)
    reminders = TelegramReminders(services.service, schedule, output, reply=nominators.reply)
    scheduler = ReminderScheduler(
        schedule,
        services.store,
        services.form,
        reminders.send,
        ReminderSettings(
            after=timedelta(hours=settings.reminder_after_hours),
            maximum=settings.reminder_max,
            round=settings.round,
        ),
        clock=utc_now,
    )
    organisers.register(application)
    reminders.register(application)

    async def post_init(app: AnyApplication) -> None:
        await organisers.register_commands(app)
        reminders.start(scheduler)

    async def post_stop(app: AnyApplication) -> None:
        await reminders.stop()

    application.post_init = post_init
    application.post_stop = post_stop


@asynccontextmanager
async def organisers_connection(settings: Settings) -> AsyncIterator[SharedConnection]:
    """A second connection to the database, for the organisers' reads and the reminder
    schedule, so that neither waits behind a nominator's write on the store's own."""
    conn = await connect(settings.database_path)
    try:
        yield SharedConnection(conn)
    finally:
        await conn.close()


@asynccontextmanager
async def running(worker: OutboxWorker, *, drain: bool = False) -> AsyncIterator[None]:
    """The outbox worker delivering in the background while the block runs, then stopped. With
    `drain`, one last pass on the way out, so whatever was just submitted goes before exit."""
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop))
    try:
        yield
    finally:
        stop.set()
        worker.wake()
        await task
        if drain:
            await worker.run_once()
