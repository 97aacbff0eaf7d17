"""Reminders for unfinished drafts: a real SQLite file, a clock the test moves, a recording send."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest

from bot.jobs.reminders import (
    Blocked,
    Delivered,
    Failed,
    Reminder,
    ReminderScheduler,
    ReminderSettings,
    SendResult,
)
from flows.form import Form
from flows.round import Round
from storage import NominationStore
from storage.db import SharedConnection, connect
from storage.reminders import ReminderStore, StopReason
from tests.kit.organiserkit import Clock, start_draft

AFTER = timedelta(hours=48)


class RecordingSend:
    """A front end's send: records each reminder and answers as the test tells it to."""

    def __init__(self, *results: SendResult) -> None:
        self.sent: list[Reminder] = []
        self._results = list(results)

    async def __call__(self, reminder: Reminder) -> SendResult:
        self.sent.append(reminder)
        return self._results.pop(0) if self._results else Delivered()


def scheduler(
    reminders: ReminderStore,
    store: NominationStore,
    form: Form,
    send: RecordingSend,
    clock: Clock,
    **settings: object,
) -> ReminderScheduler:
    options: dict[str, object] = {"after": AFTER, "maximum": 2, "per_second": 10_000.0}
    options.update(settings)
    return ReminderScheduler(
        reminders,
        store,
        form,
        send,
        ReminderSettings(**options),
        clock=clock,  # type: ignore[arg-type]
    )


async def test_not_due_before_the_idle_time_then_one_reminder_with_the_drafts_story(
    store: NominationStore, reminder_store: ReminderStore, form: Form, clock: Clock
) -> None:
    who, draft = await start_draft(
        store, form, clock.now, nominee_type="individual", nominee_name="Priya Shah"
    )
    send = RecordingSend()
    reminders = scheduler(reminder_store, store, form, send, clock)

    clock.advance(AFTER - timedelta(seconds=1))
    assert (await reminders.run_once()).delivered == 0
    clock.advance(timedelta(seconds=1))
    assert (await reminders.run_once()).delivered == 1
    assert (await reminders.run_once()).delivered == 0  # once, not again straight away

    (reminder,) = send.sent
    assert reminder.nominator == who and reminder.reference == draft.reference
    assert reminder.nominee == "Priya Shah"
    assert (reminder.answered, reminder.total) == (2, 14)  # 14 questions for an individual
    assert reminder.position == "nominee_aware" and reminder.position_label == "Nominee knows"
    assert reminder.number == 1


async def test_activity_puts_the_reminder_off(
    store: NominationStore, reminder_store: ReminderStore, form: Form, clock: Clock
) -> None:
    _, draft = await start_draft(store, form, clock.now)
    send = RecordingSend()
    reminders = scheduler(reminder_store, store, form, send, clock)
    clock.advance(AFTER - timedelta(hours=1))
    await store.save(draft, draft.model_copy(update={"position": "nominee_name"}), at=clock.now)
    clock.advance(timedelta(hours=2))
    await reminders.run_once()
    assert send.sent == []
    clock.advance(AFTER)
    await reminders.run_once()
    assert len(send.sent) == 1


async def test_at_most_reminder_max_per_draft(
    store: NominationStore, reminder_store: ReminderStore, form: Form, clock: Clock
) -> None:
    await start_draft(store, form, clock.now)
    send = RecordingSend()
    reminders = scheduler(reminder_store, store, form, send, clock, maximum=2)
    for _ in range(5):
        clock.advance(AFTER)
        await reminders.run_once()
    assert [r.number for r in send.sent] == [1, 2]
    assert await reminders.seconds_to_next() == 5.0  # nothing left to wait for: the ceiling


async def test_the_second_reminder_waits_another_idle_period(
    store: NominationStore, reminder_store: ReminderStore, form: Form, clock: Clock
) -> None:
    await start_draft(store, form, clock.now)
    send = RecordingSend()
    reminders = scheduler(reminder_store, store, form, send, clock)
    clock.advance(AFTER)
    await reminders.run_once()
    clock.advance(AFTER - timedelta(minutes=1))
    await reminders.run_once()
    assert len(send.sent) == 1
    clock.advance(timedelta(minutes=1))
    await reminders.run_once()
    assert len(send.sent) == 2


async def test_opted_out_nominators_get_none_until_they_opt_back_in(
    store: NominationStore, reminder_store: ReminderStore, form: Form, clock: Clock
) -> None:
    who, _ = await start_draft(store, form, clock.now)
    other, _ = await start_draft(store, form, clock.now)
    await reminder_store.stop(who, StopReason.OPTED_OUT, clock.now)
    send = RecordingSend()
    reminders = scheduler(reminder_store, store, form, send, clock)
    clock.advance(AFTER)
    await reminders.run_once()
    assert [r.nominator for r in send.sent] == [other]
    assert await reminder_store.stopped(who) is StopReason.OPTED_OUT
    # Writing to the bot again lifts a block, never an opt-out.
    assert not await reminder_store.resume(who, only=StopReason.BLOCKED)

    assert await reminder_store.resume(who)
    await reminders.run_once()
    assert [r.nominator for r in send.sent] == [other, who]


async def test_a_blocked_chat_gets_no_more_reminders(
    store: NominationStore, reminder_store: ReminderStore, form: Form, clock: Clock
) -> None:
    who, _ = await start_draft(store, form, clock.now)
    send = RecordingSend(Blocked())
    reminders = scheduler(reminder_store, store, form, send, clock, maximum=5)
    clock.advance(AFTER)
    assert (await reminders.run_once()).blocked == 1
    assert await reminder_store.stopped(who) is StopReason.BLOCKED
    for _ in range(3):
        clock.advance(AFTER)
        await reminders.run_once()
    assert len(send.sent) == 1
    assert await reminder_store.resume(who, only=StopReason.BLOCKED)
    await reminders.run_once()
    assert len(send.sent) == 2


async def test_a_failed_send_is_retried_after_the_back_off_and_not_counted(
    store: NominationStore, reminder_store: ReminderStore, form: Form, clock: Clock
) -> None:
    await start_draft(store, form, clock.now)
    send = RecordingSend(Failed("timed out"), Failed("timed out"))
    reminders = scheduler(
        reminder_store, store, form, send, clock, retry_delay=timedelta(minutes=5), maximum=1
    )
    clock.advance(AFTER)
    assert (await reminders.run_once()).failed == 1
    assert await reminders.seconds_to_next() == 5.0
    clock.advance(timedelta(minutes=4))
    assert (await reminders.run_once()).failed == 0
    clock.advance(timedelta(minutes=1))
    assert (await reminders.run_once()).failed == 1
    clock.advance(timedelta(minutes=5))
    assert (await reminders.run_once()).delivered == 1
    assert [r.number for r in send.sent] == [1, 1, 1]  # never counted until it went


async def test_telegrams_retry_after_pauses_all_sending(
    store: NominationStore, reminder_store: ReminderStore, form: Form, clock: Clock
) -> None:
    for _ in range(3):
        await start_draft(store, form, clock.now)
    send = RecordingSend(Failed("flood", retry_after=30))
    reminders = scheduler(reminder_store, store, form, send, clock)
    clock.advance(AFTER)
    await reminders.run_once()
    assert len(send.sent) == 1  # the other two wait for the pause to end
    clock.advance(timedelta(seconds=29))
    await reminders.run_once()
    assert len(send.sent) == 1
    clock.advance(timedelta(seconds=1))
    await reminders.run_once()
    assert len(send.sent) == 3


async def test_none_after_closing_nor_in_the_last_hour_after_a_recent_one(
    store: NominationStore, reminder_store: ReminderStore, form: Form, clock: Clock
) -> None:
    closes = clock.now + timedelta(hours=30)
    recent, _ = await start_draft(store, form, clock.now)
    send = RecordingSend()
    reminders = scheduler(
        reminder_store, store, form, send, clock, after=timedelta(hours=4),
        round=Round(closes_at=closes),
    )  # fmt: skip
    clock.now = closes - timedelta(hours=5)
    await reminders.run_once()
    assert [r.nominator for r in send.sent] == [recent]
    never, _ = await start_draft(store, form, closes - timedelta(hours=10))

    # Half an hour before closing both are idle for over 4 hours; `recent` had a reminder
    # 4.5 hours ago, so only `never` gets one. Nor does the skipped one keep the loop awake.
    clock.now = closes - timedelta(minutes=30)
    await reminders.run_once()
    assert [r.nominator for r in send.sent] == [recent, never]
    assert await reminders.seconds_to_next() == 5.0

    late, _ = await start_draft(store, form, closes - timedelta(hours=10))
    clock.now = closes
    await reminders.run_once()
    clock.advance(timedelta(days=5))
    await reminders.run_once()
    assert late not in [r.nominator for r in send.sent]
    assert len(send.sent) == 2


async def test_a_restart_neither_repeats_nor_loses_a_reminder(
    store: NominationStore, db_path: Path, form: Form, clock: Clock
) -> None:
    first, _ = await start_draft(store, form, clock.now)
    clock.advance(AFTER)
    send = RecordingSend()
    conn = await connect(db_path)
    await scheduler(ReminderStore(SharedConnection(conn)), store, form, send, clock).run_once()
    await conn.close()
    second, _ = await start_draft(store, form, clock.now - AFTER + timedelta(minutes=1))

    # "Restart": a new connection and scheduler, over the same file.
    clock.advance(timedelta(minutes=1))
    conn = await connect(db_path)
    try:
        await scheduler(ReminderStore(SharedConnection(conn)), store, form, send, clock).run_once()
    finally:
        await conn.close()
    assert [r.nominator for r in send.sent] == [first, second]


async def test_two_schedulers_on_one_file_send_each_reminder_once(
    store: NominationStore, db_path: Path, form: Form, clock: Clock
) -> None:
    for _ in range(20):
        await start_draft(store, form, clock.now)
    clock.advance(AFTER)
    send = RecordingSend()
    conns = [await connect(db_path), await connect(db_path)]
    try:
        await asyncio.gather(
            *(
                scheduler(ReminderStore(SharedConnection(c)), store, form, send, clock).run_once()
                for c in conns
            )
        )
    finally:
        for conn in conns:
            await conn.close()
    assert len(send.sent) == 20
    assert len({r.reference for r in send.sent}) == 20


async def test_submitted_and_deleted_drafts_are_not_reminded(
    store: NominationStore, reminder_store: ReminderStore, form: Form, clock: Clock
) -> None:
    _, gone = await start_draft(store, form, clock.now)
    await store.delete_draft(gone.reference)
    send = RecordingSend()
    clock.advance(AFTER)
    await scheduler(reminder_store, store, form, send, clock).run_once()
    assert send.sent == []


async def test_sleep_is_until_the_next_due_time_capped_at_a_few_seconds(
    store: NominationStore, reminder_store: ReminderStore, form: Form, clock: Clock
) -> None:
    reminders = scheduler(reminder_store, store, form, RecordingSend(), clock, max_sleep=5.0)
    assert await reminders.seconds_to_next() == 5.0  # no drafts
    await start_draft(store, form, clock.now)
    assert await reminders.seconds_to_next() == 5.0  # due in 48 hours: look again in 5 s
    clock.advance(AFTER - timedelta(seconds=2))
    assert await reminders.seconds_to_next() == pytest.approx(2.0)
    clock.advance(timedelta(seconds=3))
    assert await reminders.seconds_to_next() == 0.0


async def test_an_idle_period_shorter_than_the_ceiling_is_never_overslept(
    store: NominationStore, reminder_store: ReminderStore, form: Form, clock: Clock
) -> None:
    """A draft started while the loop sleeps is due one idle period later: no sleep is longer."""
    quick = timedelta(seconds=2)
    reminders = scheduler(reminder_store, store, form, RecordingSend(), clock, after=quick)
    assert await reminders.seconds_to_next() == 2.0  # no drafts, yet one may start now
    await start_draft(store, form, clock.now)
    clock.advance(timedelta(seconds=1.5))
    assert await reminders.seconds_to_next() == pytest.approx(0.5)


async def test_run_sends_a_reminder_soon_after_it_falls_due(
    store: NominationStore, reminder_store: ReminderStore, form: Form
) -> None:
    from bot.services.nominating import utc_now

    # 0.0003 hours is about a second: the real loop, on the real clock.
    await start_draft(store, form, utc_now())
    arrived = asyncio.Event()

    async def send(reminder: Reminder) -> SendResult:
        arrived.set()
        return Delivered()

    settings = ReminderSettings(after=timedelta(hours=0.0003), maximum=1, max_sleep=0.2)
    reminders = ReminderScheduler(reminder_store, store, form, send, settings, clock=utc_now)
    stop = asyncio.Event()
    task = asyncio.create_task(reminders.run(stop))
    try:
        await asyncio.wait_for(arrived.wait(), timeout=10)
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=5)
    assert await reminder_store.sent_count(1) == 1
