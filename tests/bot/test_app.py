"""The composition root's lifecycle: the outbox worker that both front ends run through one
`async with running(worker)`, over a real SQLite file and the .eml transport."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import running
from flows.form import load_form
from mail.delivery import FileTransport, OutboxWorker
from storage import NominationStore
from storage.types import OutboxStatus
from tests.kit.mailkit import Sleeps, submit


async def statuses(store: NominationStore) -> list[OutboxStatus]:
    return [row.status for row in await store.outbox.rows(None)]


@pytest.mark.parametrize("drain", [True, False])
async def test_on_exit_the_worker_stops_and_with_drain_sends_what_was_just_queued(
    tmp_path: Path, drain: bool
) -> None:
    async with await NominationStore.open(tmp_path / "db.sqlite3") as store:
        sleeps = Sleeps(store.outbox)  # no wait ends by itself
        worker = OutboxWorker(store.outbox, FileTransport(tmp_path / "outbox"), sleep=sleeps)
        async with running(worker, drain=drain):
            await sleeps.until(1)
            # Queued after the worker's first pass and without waking it, as a submission just
            # before the terminal is closed would be.
            _, emails = await submit(store, load_form())

        expected = OutboxStatus.SENT if drain else OutboxStatus.PENDING
        assert await statuses(store) == [expected] * len(emails)


async def test_while_running_the_worker_delivers_when_woken(tmp_path: Path) -> None:
    async with await NominationStore.open(tmp_path / "db.sqlite3") as store:
        # No wait of the worker's ends by itself, so only wake() can bring on another pass.
        sleeps = Sleeps(store.outbox)
        worker = OutboxWorker(store.outbox, FileTransport(tmp_path / "outbox"), sleep=sleeps)
        async with running(worker):
            await sleeps.until(1)  # the first pass found nothing, and the worker waits
            _, emails = await submit(store, load_form())
            assert await statuses(store) == [OutboxStatus.PENDING] * len(emails)
            worker.wake()
            await sleeps.until(2)  # the pass that wake() brought on is done
            assert await statuses(store) == [OutboxStatus.SENT] * len(emails)

        assert len(list((tmp_path / "outbox").glob("*.eml"))) == len(emails)
