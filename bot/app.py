"""The composition root (cosmicpython's bootstrap): every part is built here from the settings,
handed only what it uses, and closed again. Nothing else constructs a store, a worker or a front
end, so this file is the map of what talks to what."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

from bot.app_mail import mail_max_bytes
from bot.app_mail import make_transport as make_transport
from bot.app_mail import smtp_config as smtp_config
from bot.config import Settings, file_url_for
from bot.conversation import Conversation
from bot.jobs.reminders import ReminderScheduler, ReminderSettings
from bot.jobs.retention import RetentionScheduler, RetentionSettings
from bot.programme import load_programme
from bot.screens.builder import ScreenBuilder
from bot.services.amending import withdrawing
from bot.services.approvals import ApprovalService, ApprovalSettings, Erasing
from bot.services.email_codes import EmailCheck
from bot.services.evidence import EvidenceService
from bot.services.my_data import JudgingHeld, MyData
from bot.services.nominating import Limits, NominationService
from bot.services.organisers import OrganiserService, OrganiserSettings
from bot.services.ports import AttachmentSource
from bot.services.statement_requests import SupportService, SupportSettings
from bot.services.statements import StatementService
from flows.evidence import Limits as FileLimits
from flows.form import Form
from flows.programme import Programme
from flows.state import NominationState
from flows.statement import load_statement_form
from mail.compose import compose_code_email, compose_submission
from mail.delivery import OutboxWorker
from mail.passes import running as running
from mail.saved import SavedEmails
from storage.clock import utc_now
from storage.db import SharedConnection, second_connection
from storage.evidence import Attachment, EvidenceStore
from storage.nominations import NominationStore
from storage.purge import PurgeStore
from storage.reminders import ReminderStore
from storage.types import NewEmail, OutboxRow

if TYPE_CHECKING:
    from bot.telegram import ChatOutput, NominationHandlers
    from bot.telegram.runtime import AnyApplication


FailureHook = Callable[[OutboxRow, str], Awaitable[None]]
Wake = Callable[[], None]


@dataclass(frozen=True, slots=True)
class Services:
    """What the front ends and the organisers' commands are built from."""

    form: Form  # the programme's first award's; with no AWARDS_FILE, the only one
    store: NominationStore
    service: NominationService
    screens: ScreenBuilder
    worker: OutboxWorker
    evidence: EvidenceService
    support: SupportService
    programme: Programme
    approvals: ApprovalService


def _support_service(
    settings: Settings, programme: Programme, store: NominationStore, worker: OutboxWorker
) -> SupportService:
    """Supporting statements: the nominator's side, and the colleague's on its own form."""
    form = programme.first.form
    support_settings = SupportSettings(
        maximum=settings.support_max,
        max_words=settings.support_max_words,
        mail_from=settings.mail_from,
        organisers=settings.organisers,
    )
    statement_form = load_statement_form(settings.support_max_words)
    statements = StatementService(
        store, form, statement_form, support_settings, after_send=worker.wake, programme=programme
    )
    return SupportService(store, form, support_settings, statements, programme=programme)


def _approval_service(
    settings: Settings,
    programme: Programme,
    store: NominationStore,
    files: EvidenceStore,
    wake: Wake,
) -> ApprovalService:
    """The nominee's approval (issue 19), for the awards whose `nominee_approval` asks."""
    remind_after = timedelta(days=settings.nominee_approval_remind_days)
    erasing = Erasing(SavedEmails(settings.mail_outbox_dir), files.delete_for, wake)
    approval = ApprovalSettings(remind_after, settings.mail_from, settings.organisers)
    return ApprovalService(
        store,
        programme.first.form,
        approval,
        programme.needs_approval,
        erasing=erasing,
        programme=programme,
    )


def nomination_attachments(files: EvidenceStore, support: SupportService) -> AttachmentSource:
    """What a nomination's organisers' email carries, at submission and when resent: the
    supporting files, then any colleague's statement sent while it was a draft."""

    async def attachments(reference: str) -> list[Attachment]:
        return [*await files.attachments(reference), *await support.attachments(reference)]

    return attachments


def _nomination_service(
    settings: Settings,
    programme: Programme,
    store: NominationStore,
    files: EvidenceStore,
    worker: OutboxWorker,
    support: SupportService,
    clock: Callable[[], datetime],
) -> NominationService:
    """The service, with the emails it queues composed from the settings."""

    def compose(
        form: Form,
        state: NominationState,
        submitted_at: datetime,
        attachments: Sequence[Attachment] = (),
        *,
        email_confirmed: bool,
    ) -> list[NewEmail]:
        award = programme.award_for(form.id) or programme.first  # its organisers, its dates
        return compose_submission(
            form,
            state,
            submitted_at=submitted_at,
            mail_from=settings.mail_from,
            organisers=award.organiser_emails,
            attachments=attachments,
            max_bytes=mail_max_bytes(settings),
            email_confirmed=email_confirmed,
            round_dates=award.round,
        )

    compose_code = partial(compose_code_email, mail_from=settings.mail_from)
    saved = SavedEmails(settings.mail_outbox_dir)
    limits = Limits(
        per_day=settings.submissions_per_user_per_day,
        store=store.limits,
        allowed_domains=frozenset(settings.allowed_email_domains),
    )
    # With no SMTP server, emails are files and nothing leaves the machine: no check.
    check = EmailCheck(store.email_codes, compose_code) if settings.verifies_email else None
    return NominationService(
        store,
        programme.first.form,
        compose=compose,
        after_submit=worker.wake,
        limits=limits,
        email_check=check,
        attachments=nomination_attachments(files, support),
        forget_files=files.delete_for,
        round_dates=settings.round,
        withdrawing=withdrawing(store, settings.mail_from, programme.organisers_of, saved),
        clock=clock,
        programme=programme,
    )


@asynccontextmanager
async def open_services(
    settings: Settings,
    programme: Programme | None = None,
    *,
    on_email_failed: FailureHook | None = None,
    clock: Callable[[], datetime] = utc_now,
) -> AsyncIterator[Services]:
    """Everything a front end needs, opened from the settings (and the `programme` the start-up
    checks read, if given) and closed on exit; `on_email_failed` hears of emails not delivered;
    `clock` is the time the nominations' round is judged by (a test's, or the wall's)."""
    form = (programme := programme or load_programme(settings)).first.form
    store = await NominationStore.open(settings.database_path)
    try:
        files = await EvidenceStore.open(settings.database_path)
        try:
            worker = OutboxWorker(
                store.outbox, make_transport(settings), on_permanent_failure=on_email_failed
            )
            support = _support_service(settings, programme, store, worker)
            service = _nomination_service(settings, programme, store, files, worker, support, clock)
            approvals = _approval_service(settings, programme, store, files, worker.wake)
            evidence = EvidenceService(
                files,
                form,
                service.draft,
                FileLimits.in_megabytes(
                    settings.evidence_max_mb,
                    settings.evidence_total_mb,
                    settings.evidence_max_files,
                    settings.evidence_max_files_per_question,
                ),
                retry_seconds=settings.evidence_retry_seconds,
                forms=programme.forms,
            )
            screens = ScreenBuilder(
                form,
                allowed_domains=tuple(settings.allowed_email_domains),
                round_dates=programme.first.round,
                emails_saved_in=settings.emails_saved_in,
                email_codes=settings.verifies_email,
                awards=[(a.form, a.round) for a in programme],
                nominee_approval=programme.needs_approval,
            )
            yield Services(
                form, store, service, screens, worker, evidence, support, programme, approvals
            )
        finally:
            await files.close()
    finally:
        await store.close()


def terminal_conversation(services: Services) -> Conversation:
    """The conversation in the terminal's words. No files or colleagues' statements there: a
    terminal can't send a file, and a statement's link opens in Telegram."""
    return Conversation(services.service, services.screens.for_terminal())


def organiser_service(
    settings: Settings, services: Services, db: SharedConnection
) -> OrganiserService:
    """The organisers' tools over the services, reading through `db`, a connection of their own."""
    return OrganiserService(
        services.form,
        services.store,
        services.evidence.store,
        db,
        services.worker,
        OrganiserSettings(
            mail_from=settings.mail_from,
            organiser_emails=settings.organisers,
            round_dates=settings.round,
            max_email_bytes=mail_max_bytes(settings),
            emails_saved_in=settings.emails_saved_in,
        ),
        email_confirmed=services.service.email_confirmed,
        saved=SavedEmails(settings.mail_outbox_dir),
        clock=utc_now,
        programme=services.programme,
        attachments=nomination_attachments(services.evidence.store, services.support),
    )


@asynccontextmanager
async def open_organisers(
    settings: Settings, *, programme: Programme | None = None
) -> AsyncIterator[OrganiserService]:
    """The organisers' tools for the command line, opened from the settings and closed on exit."""
    async with (
        open_services(settings, programme) as services,
        second_connection(settings.database_path) as db,
    ):
        yield organiser_service(settings, services, db)


@dataclass(frozen=True, slots=True)
class TelegramBot:
    """The Telegram front end, wired and not yet serving (see bot.telegram.serving)."""

    application: AnyApplication
    services: Services


@asynccontextmanager
async def open_telegram_bot(
    settings: Settings,
    *,
    base_file_url: str | None = None,
    clock: Callable[[], datetime] = utc_now,
    programme: Programme | None = None,
) -> AsyncIterator[TelegramBot]:
    """The Application with its handlers, over freshly opened services (of `programme`)."""
    # Imported here: the terminal and the organisers' commands never load python-telegram-bot.
    from bot.conversation import StatementConversation
    from bot.screens.statement import StatementScreens
    from bot.telegram import (
        ErrorReporter,
        EvidenceHandlers,
        NominationHandlers,
        OrganiserAlerts,
        StatementHandlers,
        TelegramOutput,
        build_application,
        handle_once,
    )

    if settings.token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    application = build_application(
        settings.token,
        settings.telegram_api_base_url,
        base_file_url=base_file_url or file_url_for(settings.telegram_api_base_url),
    )
    output = TelegramOutput(application.bot)
    failed = OrganiserAlerts.of(output, settings).email_failed  # told to organisers' chats
    async with (
        open_services(settings, programme, on_email_failed=failed, clock=clock) as services,
        second_connection(settings.database_path) as db,
    ):
        conversation = Conversation(
            services.service,
            services.screens,
            evidence=services.evidence,
            support=services.support,
            bot_username=lambda: output.username,
            approvals=services.approvals,
        )
        nominators = NominationHandlers(conversation, output)
        statements = services.support.statements
        writing = StatementConversation(statements, StatementScreens(statements.statement_form))
        # Files first: the first handler that matches an update wins.
        EvidenceHandlers(services.evidence, nominators).register(application)
        StatementHandlers(writing, nominators).register(application)
        # Organisers' commands and reminders' buttons next: nominators' handlers catch all.
        _wire_organisers(application, settings, services, db, output, nominators)
        _wire_my_data(application, settings, services, db, output)
        nominators.register(application)
        application.add_error_handler(ErrorReporter(output, settings.organiser_telegram_ids))
        store = services.store
        handle_once(
            application, store.update_seen, store.answered_updates.mark, store.parked_updates
        )
        yield TelegramBot(application, services)


def _wire_organisers(
    application: AnyApplication,
    settings: Settings,
    services: Services,
    db: SharedConnection,
    output: ChatOutput,
    nominators: NominationHandlers,
) -> None:
    """The organisers' commands and reminders, registered on the Application (their loop runs
    from post_init to post_stop); then judging's and the nominee's approval's, with theirs."""
    from bot.app_judging import wire_judging
    from bot.telegram import wire_approvals
    from bot.telegram.organisers import OrganiserChats, OrganiserCommands
    from bot.telegram.reminders import TelegramReminders

    organisers = OrganiserCommands(
        organiser_service(settings, services, db),
        output,
        OrganiserChats.of(settings.organiser_telegram_ids, services.programme),
        refuse_button=nominators.button,
    )
    schedule = ReminderStore(db, owner=True)
    reminders = TelegramReminders(schedule, nominators, settings.round)
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
        programme=services.programme,
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
    wire_judging(application, settings, services, output, nominators)
    wire_approvals(application, services.approvals, nominators, output)


def _wire_my_data(
    application: AnyApplication,
    settings: Settings,
    services: Services,
    db: SharedConnection,
    output: ChatOutput,
) -> None:
    """/privacy, /mydata and the retention purge (issue 9); the purge loop starts after the
    reminders' and stops before them."""
    from bot.telegram.mydata import DataHandlers

    files = services.evidence.store
    mydata = MyData(
        services.form,
        services.store.of_nominator,
        files.list_for,
        services.store,
        services.programme,
    )
    statement_form = services.support.statements.statement_form
    mydata.holds_statements(statement_form, services.store.support.of_colleague, services.store.get)
    mydata.holds("judging", JudgingHeld(services.store.judging))
    mydata.holds("nominee_approvals", services.approvals.held)
    days = settings.draft_retention_days
    data = DataHandlers(mydata, output, services.form, retention_days=days, clock=utc_now)
    scheduler = RetentionScheduler(
        PurgeStore(db, files.blob_path),
        services.store,
        files,
        services.form,
        data.warn,
        RetentionSettings(days),
        clock=utc_now,
        programme=services.programme,
    )
    data.register(application)
    earlier_init, earlier_stop = application.post_init, application.post_stop

    async def post_init(app: AnyApplication) -> None:
        if earlier_init is not None:
            await earlier_init(app)
        data.start(scheduler)

    async def post_stop(app: AnyApplication) -> None:
        await data.stop()
        if earlier_stop is not None:
            await earlier_stop(app)

    application.post_init = post_init
    application.post_stop = post_stop
