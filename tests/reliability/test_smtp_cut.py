"""SMTP cut during a burst of 50 submissions, for longer than the first retry delays, then back:
every email is delivered, each exactly once (same Message-ID, one copy)."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

from aiosmtpd.controller import Controller

from flows.form import load_form
from mail.delivery import OutboxWorker, SmtpConfig, SmtpTransport
from storage import NominationStore
from storage.types import OutboxStatus
from tests.kit.mailkit import FakeClock, RecordingHandler, SmtpServer, StartSmtp, free_port, submit
from tests.mail.conftest import start_smtp

__all__ = ["start_smtp"]

SUBMISSIONS = 50
# The first retries come within seconds to minutes; the cut outlasts several of them.
CUT = timedelta(minutes=20)
STEP = timedelta(minutes=2)


async def test_a_burst_survives_smtp_going_away_and_each_email_arrives_once(
    tmp_path: Path, start_smtp: StartSmtp
) -> None:
    form = load_form()
    port = free_port()
    # Started by hand, as the test stops it itself (start_smtp stops its servers at the end).
    controller = Controller(RecordingHandler(), hostname="127.0.0.1", port=port)
    controller.start()
    first = SmtpServer(controller, controller.handler, port)
    clock = FakeClock()
    config = SmtpConfig(host="127.0.0.1", port=port, starttls=False, timeout=2)
    async with await NominationStore.open(tmp_path / "nominations.sqlite3") as store:
        worker = OutboxWorker(
            store.outbox, SmtpTransport(config), clock=clock, rng=random.Random(3), batch=20
        )
        message_ids = []
        for n in range(SUBMISSIONS):
            _, emails = await submit(store, form)
            message_ids += [e.message_id for e in emails]
            if n == SUBMISSIONS // 3:
                await worker.run_once()  # part of the burst goes out
                first.stop()  # and then the server goes away
        waited = timedelta()
        retried = 0
        while waited < CUT:
            retried += (await worker.run_once()).retrying
            clock.advance(STEP)
            waited += STEP
        assert retried > 0, "no delivery was tried during the cut"

        second = start_smtp(port=port)
        for _ in range(100):
            clock.advance(timedelta(hours=1, seconds=1))
            await worker.run_once()
            if all(r.status is OutboxStatus.SENT for r in await store.outbox.rows()):
                break
        rows = await store.outbox.rows()
    assert [r.status for r in rows] == [OutboxStatus.SENT] * (2 * SUBMISSIONS)
    copies: dict[str, int] = {}
    for server in (first, second):
        for message_id, received in server.handler.by_message_id().items():
            copies[message_id] = copies.get(message_id, 0) + len(received)
    assert copies == dict.fromkeys(message_ids, 1)
    assert first.handler.by_message_id(), "the cut came before anything was sent"
