"""The organisers' service over a real SQLite file and a real aiosmtpd server: one lookup with one
set of outcomes, a resend composed as at submission, and the wait for a resent email, driven by
the worker's passes and a clock the test moves (never by time going by)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from bot.services.organisers import (
    NoOrganisers,
    NotFound,
    NotSubmitted,
    OrganiserService,
    OrganiserSettings,
    Queued,
    Submitted,
)
from flows.form import Form
from flows.round import Round
from flows.state import NominationState, Status
from mail.delivery import OutboxWorker, SmtpTransport
from storage import NominationStore
from storage.db import SharedConnection, second_connection
from storage.evidence import EvidenceStore
from storage.types import OutboxStatus
from tests.kit.mailkit import RecordingHandler, SmtpServer, free_port, text_body
from tests.kit.organiserkit import Clock, start_draft, submit

MINUTE = timedelta(minutes=1)
# Only so that a wait which ignored the passes and the clock fails rather than hangs: far longer
# than anything here takes, far shorter than the minute a wait on the wall clock would take.
HANG_GUARD_SECONDS = 20
PDF = b"%PDF-1.7\n" + bytes(range(256)) + b"\n%%EOF\n"
SETTINGS = OrganiserSettings(
    mail_from="Nomination Bot <nominations@awards.example>",
    organiser_emails=("awards@hee.example",),
    round_dates=Round(),
    max_email_bytes=20 * 1024 * 1024,
)


@dataclass
class Tools:
    """The service as the composition root builds it, and what it was built from."""

    form: Form
    store: NominationStore
    files: EvidenceStore
    db: SharedConnection
    worker: OutboxWorker
    clock: Clock
    confirmed: dict[str, bool]  # nominator -> whether they proved their address

    async def email_confirmed(self, nominator: str, state: NominationState) -> bool:
        return self.confirmed.get(nominator, True)

    def service_with(self, settings: OrganiserSettings) -> OrganiserService:
        return OrganiserService(
            self.form,
            self.store,
            self.files,
            self.db,
            self.worker,
            settings,
            email_confirmed=self.email_confirmed,
            clock=self.clock,
        )

    @property
    def service(self) -> OrganiserService:
        return self.service_with(SETTINGS)


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    handler = RecordingHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield SmtpServer(controller, handler, port)
    finally:
        controller.stop()


@pytest.fixture
async def tools(
    store: NominationStore, db_path: Path, form: Form, clock: Clock, smtp: SmtpServer
) -> AsyncIterator[Tools]:
    files = await EvidenceStore.open(db_path)
    try:
        async with second_connection(db_path) as db:
            worker = OutboxWorker(store.outbox, SmtpTransport(smtp.config()), clock=clock)
            yield Tools(form, store, files, db, worker, clock, {})
    finally:
        await files.close()


async def test_one_lookup_tells_a_sent_nomination_from_a_draft_and_an_unknown_one(
    tools: Tools, store: NominationStore, form: Form, clock: Clock
) -> None:
    sent = await submit(
        store, form, clock.now, nominee_type="individual", nominee_name="Priya Shah"
    )
    _, draft = await start_draft(store, form, clock.now)

    found = await tools.service.lookup(f"  {sent.reference.lower()} ")
    assert isinstance(found, Submitted) and found.reference == sent.reference
    assert "Priya Shah" in tools.service.email_text(found)
    assert await tools.service.lookup(draft.reference) == NotSubmitted(draft.reference)
    assert await tools.service.lookup("lsi-zzzzzz") == NotFound("LSI-ZZZZZZ")
    # A resend decides by the same lookup.
    assert await tools.service.resend(draft.reference) == NotSubmitted(draft.reference)
    assert await tools.service.resend("LSI-ZZZZZZ") == NotFound("LSI-ZZZZZZ")
    assert await store.outbox.rows() == []


async def test_a_resend_carries_the_files_and_the_unconfirmed_mark(
    tools: Tools, store: NominationStore, form: Form, clock: Clock, smtp: SmtpServer
) -> None:
    _, draft = await start_draft(store, form, clock.now)
    await tools.files.add(
        draft.reference,
        "q1",
        name="audit.pdf",
        caption=None,
        media_type="application/pdf",
        data=PDF,
        total_limit=10**7,
        at=clock.now,
    )
    record = await store.get(draft.reference)
    assert record is not None
    tools.confirmed[record.nominator] = False
    state = await submit(store, form, clock.now)  # a second one, confirmed, without files
    await store.save(draft, draft.model_copy(update={"status": Status.SUBMITTED}), at=clock.now)

    for reference in (draft.reference, state.reference):
        queued = await tools.service.resend(reference)
        assert isinstance(queued, Queued)
    await tools.worker.run_once()
    first, second = (r.message for r in smtp.handler.received)
    assert {p.get_filename(): p.get_content() for p in first.iter_attachments()} == {
        "audit.pdf": PDF
    }
    assert "Email address not confirmed" in text_body(first)
    assert list(second.iter_attachments()) == []
    assert "Email address not confirmed" not in text_body(second)


async def test_with_no_organisers_nothing_is_queued(
    tools: Tools, store: NominationStore, form: Form, clock: Clock
) -> None:
    state = await submit(store, form, clock.now)
    nobody = OrganiserSettings(
        SETTINGS.mail_from, (), SETTINGS.round_dates, SETTINGS.max_email_bytes
    )
    service = tools.service_with(nobody)
    assert await service.resend(state.reference) == NoOrganisers(state.reference)
    assert await store.outbox.rows() == []


async def test_the_wait_ends_with_the_pass_that_sends_the_email(
    tools: Tools, store: NominationStore, form: Form, clock: Clock
) -> None:
    state = await submit(store, form, clock.now)
    queued = await tools.service.resend(state.reference)
    assert isinstance(queued, Queued)
    waiting = asyncio.create_task(tools.service.sent(queued.message_id, within=MINUTE))
    assert (await tools.worker.run_once()).sent == 1
    async with asyncio.timeout(HANG_GUARD_SECONDS):
        assert await waiting is True


async def test_an_email_still_retrying_when_the_minute_is_up_is_not_sent(
    tools: Tools, store: NominationStore, form: Form, clock: Clock, smtp: SmtpServer
) -> None:
    smtp.handler.reject_with = "451 4.3.0 Try again later"
    state = await submit(store, form, clock.now)
    queued = await tools.service.resend(state.reference)
    assert isinstance(queued, Queued)
    waiting = asyncio.create_task(tools.service.sent(queued.message_id, within=MINUTE))
    assert (await tools.worker.run_once()).retrying == 1
    clock.advance(MINUTE + timedelta(seconds=1))
    await tools.worker.run_once()  # the first pass to end after the minute
    async with asyncio.timeout(HANG_GUARD_SECONDS):
        assert await waiting is False
    (row,) = await store.outbox.rows()
    assert row.status is OutboxStatus.PENDING  # still queued, as the organiser is told


async def test_an_email_that_failed_for_good_is_not_sent(
    tools: Tools, store: NominationStore, form: Form, clock: Clock, smtp: SmtpServer
) -> None:
    smtp.handler.reject_with = "550 5.1.1 Mailbox unavailable"
    state = await submit(store, form, clock.now)
    queued = await tools.service.resend(state.reference)
    assert isinstance(queued, Queued)
    waiting = asyncio.create_task(tools.service.sent(queued.message_id, within=MINUTE))
    assert (await tools.worker.run_once()).failed == 1
    async with asyncio.timeout(HANG_GUARD_SECONDS):
        assert await waiting is False
