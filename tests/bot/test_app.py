"""The composition root's lifecycle: the outbox worker that both front ends run through one
`async with running(worker)`, over a real SQLite file and the .eml transport."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.app import running
from flows.form import load_form
from mail.delivery import FileTransport, OutboxWorker
from storage import NominationStore
from storage.types import OutboxStatus
from tests.kit.mailkit import submit


async def statuses(store: NominationStore) -> list[OutboxStatus]:
    return [row.status for row in await store.outbox.rows(None)]


@pytest.mark.parametrize("drain", [True, False])
async def test_on_exit_the_worker_stops_and_with_drain_sends_what_was_just_queued(
    tmp_path: Path, drain: bool
) -> None:
    async with await NominationStore.open(tmp_path / "db.sqlite3") as store:
        worker = OutboxWorker(store.outbox, FileTransport(tmp_path / "outbox"))
        async with running(worker, drain=drain):
            # Queued after the worker's first pass and without waking it, as a submission just
            # before the terminal is closed would be.
            _, emails = await submit(store, load_form())

        expected = OutboxStatus.SENT if drain else OutboxStatus.PENDING
        assert await statuses(store) == [expected] * len(emails)


async def test_while_running_the_worker_delivers_when_woken(tmp_path: Path) -> None:
    async with await NominationStore.open(tmp_path / "db.sqlite3") as store:
        worker = OutboxWorker(store.outbox, FileTransport(tmp_path / "outbox"))
        async with running(worker):
            _, emails = await submit(store, load_form())
            worker.wake()
            for _ in range(1000):  # the worker's own pass, on SQLite's thread
                if await statuses(store) == [OutboxStatus.SENT] * len(emails):
                    break
                await asyncio.sleep(0.01)
            else:
                pytest.fail(f"the running worker sent nothing: {await statuses(store)}")

        assert len(list((tmp_path / "outbox").glob("*.eml"))) == len(emails)
