"""OutboxWorker with the real store and a real SMTP server: outages, restarts, giving up."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Collection
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from flows.form import Form
from mail.delivery import OutboxPort, OutboxWorker, SmtpConfig, SmtpTransport
from storage import NominationStore
from storage.types import OutboxRow, OutboxStatus
from tests.kit.mailkit import (
    SUBMITTED_AT,
    FakeClock,
    Sleeps,
    SmtpServer,
    StartSmtp,
    free_port,
    submit,
)

PAST_ANY_BACKOFF = timedelta(hours=1, seconds=1)


def worker_for(
    store: NominationStore, server: SmtpServer | SmtpConfig, clock: FakeClock, **kwargs: Any
) -> OutboxWorker:
    config = server if isinstance(server, SmtpConfig) else server.config()
    return OutboxWorker(
        store.outbox,
        SmtpTransport(config),
        clock=clock,
        rng=random.Random(7),
        **kwargs,
    )


def assert_each_delivered_once(server: SmtpServer, message_ids: Collection[str]) -> None:
    counts = {mid: len(copies) for mid, copies in server.handler.by_message_id().items()}
    assert counts == dict.fromkeys(message_ids, 1)


async def test_server_busy_then_recovers_delivers_each_email_once(
    store: NominationStore, form: Form, smtp_server: SmtpServer
) -> None:
    _, emails = await submit(store, form)
    smtp_server.handler.replies = ["451 4.3.0 Try again later"] * 3
    clock = FakeClock()
    worker = worker_for(store, smtp_server, clock)

    first = await worker.run_once()
    assert (first.sent, first.retrying) == (0, 2)
    assert (await worker.run_once()).attempted == 0, "retried before its backoff was up"
    rows = await store.outbox.rows()
    assert all(r.last_error is not None and "451" in r.last_error for r in rows)
    assert all(
        SUBMITTED_AT < r.next_attempt_at <= SUBMITTED_AT + timedelta(seconds=30) for r in rows
    )

    for _ in range(3):
        clock.advance(PAST_ANY_BACKOFF)
        await worker.run_once()

    assert_each_delivered_once(smtp_server, [e.message_id for e in emails])
    rows = await store.outbox.rows()
    assert [r.status for r in rows] == [OutboxStatus.SENT] * 2
    assert sum(r.attempts for r in rows) == 5  # 3 refusals + 2 deliveries
    assert smtp_server.handler.attempts == 5


async def test_server_down_then_started_delivers(
    store: NominationStore, form: Form, start_smtp: StartSmtp
) -> None:
    _, emails = await submit(store, form)
    port = free_port()
    clock = FakeClock()
    config = SmtpConfig(host="127.0.0.1", port=port, starttls=False, timeout=2)
    worker = worker_for(store, config, clock)

    report = await worker.run_once()
    assert report.retrying == 2
    assert all("connect" in (r.last_error or "").lower() for r in await store.outbox.rows())

    server = start_smtp(port=port)
    clock.advance(PAST_ANY_BACKOFF)
    assert (await worker.run_once()).sent == 2
    assert_each_delivered_once(server, [e.message_id for e in emails])


async def test_worker_restarted_mid_outage_still_delivers_once(
    tmp_path: Path, form: Form, smtp_server: SmtpServer
) -> None:
    path = tmp_path / "nominations.sqlite3"
    clock = FakeClock()
    smtp_server.handler.replies = ["451 4.3.0 Try again later"] * 100
    async with await NominationStore.open(path) as store:
        _, emails = await submit(store, form)
        await worker_for(store, smtp_server, clock).run_once()
        await worker_for(store, smtp_server, clock).run_once()  # not due yet: nothing sent
    assert smtp_server.handler.attempts == 2

    smtp_server.handler.replies.clear()
    clock.advance(PAST_ANY_BACKOFF)
    async with await NominationStore.open(path) as store:
        report = await worker_for(store, smtp_server, clock).run_once()
        assert report.sent == 2
        assert [r.status for r in await store.outbox.rows()] == [OutboxStatus.SENT] * 2
        clock.advance(PAST_ANY_BACKOFF)
        assert (await worker_for(store, smtp_server, clock).run_once()).attempted == 0
    assert_each_delivered_once(smtp_server, [e.message_id for e in emails])


async def test_rejected_for_good_is_failed_reported_and_not_retried(
    store: NominationStore,
    form: Form,
    smtp_server: SmtpServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    state, _ = await submit(store, form)
    smtp_server.handler.reject_with = "550 5.1.1 No such mailbox"
    told: list[tuple[OutboxRow, str]] = []

    async def tell_organisers(row: OutboxRow, reason: str) -> None:
        told.append((row, reason))

    clock = FakeClock()
    worker = worker_for(store, smtp_server, clock, on_permanent_failure=tell_organisers)
    with caplog.at_level(logging.WARNING, logger="mail"):
        report = await worker.run_once()

    assert (report.sent, report.retrying, report.failed) == (0, 0, 2)
    rows = await store.outbox.rows()
    assert [r.status for r in rows] == [OutboxStatus.FAILED] * 2
    assert all(r.attempts == 1 and "550" in (r.last_error or "") for r in rows)
    assert [(row.reference, row.kind) for row, _ in told] == [(r.reference, r.kind) for r in rows]
    assert all("550 5.1.1 No such mailbox" in reason for _, reason in told)

    warnings = [r for r in caplog.records if r.name.startswith("mail.delivery")]
    assert len(warnings) == 2
    for record, row in zip(warnings, rows, strict=True):
        message = record.getMessage()
        assert state.reference in message and row.kind.value in message and "550" in message
        assert (state.answer("q1") or "")[:20] not in message

    clock.advance(timedelta(days=3))
    assert (await worker.run_once()).attempted == 0
    assert smtp_server.handler.attempts == 2


async def test_still_failing_after_48_hours_gives_up(
    store: NominationStore, form: Form, smtp_server: SmtpServer
) -> None:
    await submit(store, form, at=SUBMITTED_AT)
    smtp_server.handler.replies = ["451 4.3.0 Try again later"] * 1000
    given_up: list[str] = []

    async def record(row: OutboxRow, reason: str) -> None:
        given_up.append(reason)

    clock = FakeClock()
    worker = worker_for(store, smtp_server, clock, on_permanent_failure=record)
    await worker.run_once()

    clock.now = SUBMITTED_AT + timedelta(hours=47, minutes=59, seconds=50)
    await worker.run_once()
    # The last try is not scheduled past the deadline.
    for row in await store.outbox.rows():
        assert row.status is OutboxStatus.PENDING
        assert row.next_attempt_at == SUBMITTED_AT + timedelta(hours=48)

    clock.now = SUBMITTED_AT + timedelta(hours=48)
    report = await worker.run_once()
    assert report.failed == 2
    rows = await store.outbox.rows()
    assert [r.status for r in rows] == [OutboxStatus.FAILED] * 2
    assert all((r.last_error or "").startswith("gave up after 3 attempts: 451") for r in rows)
    assert len(given_up) == 2
    assert smtp_server.handler.received == []


async def test_two_workers_on_one_database_send_each_email_once(
    tmp_path: Path, form: Form, smtp_server: SmtpServer
) -> None:
    """As two processes would: two connections to one file, two workers, both at once."""
    path = tmp_path / "nominations.sqlite3"
    clock = FakeClock()
    async with (
        await NominationStore.open(path) as one,
        await NominationStore.open(path) as two,
    ):
        message_ids: list[str] = []
        for _ in range(9):
            _, emails = await submit(one, form)
            message_ids += [e.message_id for e in emails]
        bot = worker_for(one, smtp_server, clock)
        command_line = worker_for(two, smtp_server, clock)

        reports = await asyncio.gather(bot.run_once(), command_line.send_pending_now())

        assert [r.status for r in await one.outbox.rows()] == [OutboxStatus.SENT] * 18
    assert_each_delivered_once(smtp_server, message_ids)
    assert sum(r.sent for r in reports) == 18
    assert sum(r.retrying + r.failed for r in reports) == 0


async def test_a_sender_whose_lease_ran_out_leaves_the_row_to_its_successor(
    store: NominationStore, form: Form, smtp_server: SmtpServer
) -> None:
    """A worker stopped mid-send for longer than its lease: the row is another's by then."""
    await submit(store, form)
    clock = FakeClock()
    stalled = worker_for(store, smtp_server, clock)
    successor = worker_for(store, smtp_server, clock)
    first, _ = await store.outbox.rows()

    class StallsOnce:
        """Sends, then lets the lease run out and a successor send the row, as a SIGSTOP would."""

        longest_send = stalled.lease / 2

        async def send(self, row: OutboxRow) -> None:
            await SmtpTransport(smtp_server.config()).send(row)
            if row.id == first.id:
                clock.advance(stalled.lease)
                assert (await successor.run_once()).sent == 2  # this row, and the other

    report = await OutboxWorker(
        store.outbox, StallsOnce(), clock=clock, claimant=stalled.claimant
    ).run_once()

    assert (report.sent, report.taken) == (0, 2)  # no OutboxRowNotPending escapes
    assert [r.status for r in await store.outbox.rows()] == [OutboxStatus.SENT] * 2
    # Both sent the first row (at least once, never lost); only the successor recorded it.
    copies = smtp_server.handler.by_message_id()
    assert sorted(len(c) for c in copies.values()) == [1, 2]
    assert len(copies[first.message_id]) == 2


async def test_a_send_that_outlasts_longest_send_is_cut_off_and_retried(
    store: NominationStore, form: Form
) -> None:
    """A send stuck past its time would otherwise outlive its claim and race its successor."""
    await submit(store, form)

    class Stuck:
        longest_send = timedelta(milliseconds=50)

        async def send(self, row: OutboxRow) -> None:
            await asyncio.Event().wait()

    worker = OutboxWorker(store.outbox, Stuck(), clock=FakeClock(), batch=1)
    assert worker.lease == timedelta(milliseconds=100)

    report = await worker.run_once()

    assert (report.sent, report.retrying) == (0, 1)
    (row, *_) = await store.outbox.rows()
    assert "took over 0:00:00.050000; cut off" in (row.last_error or "")
    assert (row.attempts, row.claimed_by) == (1, None)


async def test_backoff_grows_with_jitter_and_is_capped(store: NominationStore) -> None:
    worker = OutboxWorker(store.outbox, SmtpTransport(SmtpConfig(host="x")), rng=random.Random(1))
    for attempts, ceiling in [
        (1, 30),
        (2, 60),
        (3, 120),
        (6, 960),
        (7, 1920),
        (8, 3600),
        (99, 3600),
    ]:
        delays = [worker.backoff(attempts).total_seconds() for _ in range(200)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(set(delays)) > 100  # jittered, so retries from many rows don't march in step


class BrokenOnce:
    """A transport that fails in a way no transport should, once, then delivers."""

    def __init__(self, inner: SmtpTransport) -> None:
        self.inner = inner
        self.broken = True
        self.longest_send = inner.longest_send

    async def send(self, row: OutboxRow) -> None:
        if self.broken:
            self.broken = False
            raise RuntimeError("bug in a transport")
        await self.inner.send(row)


async def test_unexpected_error_is_retried_not_fatal(
    store: NominationStore, form: Form, smtp_server: SmtpServer, caplog: pytest.LogCaptureFixture
) -> None:
    _, emails = await submit(store, form)
    clock = FakeClock()
    worker = OutboxWorker(
        store.outbox, BrokenOnce(SmtpTransport(smtp_server.config())), clock=clock
    )
    with caplog.at_level(logging.ERROR, logger="mail"):
        report = await worker.run_once()
    assert (report.sent, report.retrying) == (1, 1)
    assert "bug in a transport" in caplog.text
    clock.advance(PAST_ANY_BACKOFF)
    assert (await worker.run_once()).sent == 1
    assert_each_delivered_once(smtp_server, [e.message_id for e in emails])


class FlakyOutbox:
    """The real outbox, except that the first look for due rows fails (a locked database, say)."""

    def __init__(self, inner: OutboxPort) -> None:
        self.inner = inner
        self.failures = 1

    async def due(self, now: datetime, limit: int, /) -> list[OutboxRow]:
        if self.failures:
            self.failures -= 1
            raise OSError("database is locked")
        return await self.inner.due(now, limit)

    async def claim(
        self, id: int, claimant: str, /, *, now: datetime, until: datetime, due_by: datetime | None
    ) -> OutboxRow | None:
        return await self.inner.claim(id, claimant, now=now, until=until, due_by=due_by)

    async def mark_sent(self, id: int, at: datetime, /, *, claimant: str) -> None:
        await self.inner.mark_sent(id, at, claimant=claimant)

    async def mark_retry(
        self, id: int, /, *, attempts: int, next_attempt_at: datetime, error: str, claimant: str
    ) -> None:
        await self.inner.mark_retry(
            id, attempts=attempts, next_attempt_at=next_attempt_at, error=error, claimant=claimant
        )

    async def mark_failed(self, id: int, /, *, attempts: int, error: str, claimant: str) -> None:
        await self.inner.mark_failed(id, attempts=attempts, error=error, claimant=claimant)

    async def rows(self, statuses: Collection[OutboxStatus] | None = None, /) -> list[OutboxRow]:
        return await self.inner.rows(statuses)

    async def next_due_at(self) -> datetime | None:
        return await self.inner.next_due_at()


async def test_run_loop_survives_errors_wakes_at_once_and_stops(
    store: NominationStore, form: Form, smtp_server: SmtpServer, caplog: pytest.LogCaptureFixture
) -> None:
    clock = FakeClock()
    outbox = FlakyOutbox(store.outbox)
    sleeps = Sleeps(store.outbox, clock)  # no wait ends by itself: only wake() or stop can
    worker = OutboxWorker(outbox, SmtpTransport(smtp_server.config()), clock=clock, sleep=sleeps)
    stop = asyncio.Event()
    with caplog.at_level(logging.ERROR, logger="mail"):
        loop = asyncio.create_task(worker.run(stop, idle_poll=30))
        await sleeps.until(1)  # the first pass failed; the loop carries on, and waits
        assert "database is locked" in caplog.text
        assert sleeps.asked == [(30, None)]
        assert not loop.done()

    _, emails = await submit(store, form)
    worker.wake()
    await sleeps.until(2)  # woken, it delivered both, then waited again
    assert_each_delivered_once(smtp_server, [e.message_id for e in emails])
    assert sleeps.asked == [(30, None), (30, None)]

    stop.set()
    await asyncio.wait_for(loop, 5)  # stop ends a wait that would never end by itself


async def test_run_sleeps_until_the_next_row_is_due(
    store: NominationStore, form: Form, smtp_server: SmtpServer
) -> None:
    """A retry goes out when it falls due, with idle_poll far longer and no wake()."""
    smtp_server.handler.replies = ["451 4.3.0 Try again later"] * 2
    await submit(store, form)
    clock = FakeClock()
    # The two waits for the two retries end by themselves; the third, with nothing due, never.
    sleeps = Sleeps(store.outbox, clock, ending=2)
    worker = worker_for(store, smtp_server, clock, sleep=sleeps)
    stop = asyncio.Event()
    loop = asyncio.create_task(worker.run(stop, idle_poll=3600))
    await sleeps.until(3)
    stop.set()
    await asyncio.wait_for(loop, 5)
    assert len(smtp_server.handler.received) == 2
    # Each wait lasted exactly until the next row was due (a backoff of 15 to 30 s), then,
    # with nothing left to send, the idle poll.
    (first, first_due), (second, second_due), (idle, nothing_due) = sleeps.asked
    assert first_due is not None and second_due is not None
    assert first == (first_due - SUBMITTED_AT).total_seconds()
    assert second == (second_due - first_due).total_seconds()
    assert 15 <= first <= first + second <= 30
    assert (idle, nothing_due) == (3600, None)
