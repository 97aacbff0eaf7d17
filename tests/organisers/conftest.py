"""Fixtures for the organisers' tests: a real SQLite file, a clock the test moves."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.services.organisers import OrganiserService, OrganiserSettings
from flows.form import Form, load_form
from flows.round import Round
from flows.state import NominationState
from mail.delivery import FileTransport, OutboxWorker
from storage import NominationStore
from storage.db import second_connection
from storage.evidence import EvidenceStore
from storage.reminders import ReminderStore
from tests.kit.organiserkit import Clock


@pytest.fixture(scope="session")
def form() -> Form:
    return load_form()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "nominations.sqlite3"


@pytest.fixture
async def store(db_path: Path) -> AsyncIterator[NominationStore]:
    async with await NominationStore.open(db_path) as opened:
        yield opened


@pytest.fixture
async def reminder_store(store: NominationStore, db_path: Path) -> AsyncIterator[ReminderStore]:
    """The schedule over a connection of its own, as the bot's process would have it."""
    async with second_connection(db_path) as db:
        yield ReminderStore(db)


async def _confirmed(_nominator: str, _state: NominationState) -> bool:
    return True


@pytest.fixture
async def organisers(
    store: NominationStore, db_path: Path, form: Form, clock: Clock, tmp_path: Path
) -> AsyncIterator[OrganiserService]:
    """The organisers' service as the composition root builds it, emails written as files."""
    files = await EvidenceStore.open(db_path)
    try:
        async with second_connection(db_path) as db:
            worker = OutboxWorker(store.outbox, FileTransport(tmp_path / "outbox"), clock=clock)
            settings = OrganiserSettings(
                mail_from="Nomination Bot <nominations@awards.example>",
                organiser_emails=("awards@hee.example",),
                round_dates=Round(),
                max_email_bytes=20 * 1024 * 1024,
            )
            yield OrganiserService(
                form, store, files, db, worker, settings, email_confirmed=_confirmed, clock=clock
            )
    finally:
        await files.close()
