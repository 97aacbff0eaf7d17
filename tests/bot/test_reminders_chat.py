"""Reminders through the real process: REMINDER_AFTER_HOURS=0.0005 (about 2 seconds), the real
Application with its reminder loop started and stopped with it, and the strict fake Bot API.
The schedule's rules (not due, capped, after a restart, after closing) are tested with a
controllable clock in tests/organisers/test_reminders.py; these tests are what a nominator sees."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from bot.config import Settings
from bot.screens import texts
from storage.db import SharedConnection, connect
from storage.reminders import ReminderStore, StopReason
from tests.kit.fake_telegram import FakeTelegram
from tests.kit.nominator import NOMINEE, MakeSettings, Nominator, running_bot, shown

QUICKLY = 0.0005  # hours: 1.8 seconds


@asynccontextmanager
async def schedule(settings: Settings) -> AsyncIterator[ReminderStore]:
    conn = await connect(settings.database_path)
    try:
        yield ReminderStore(SharedConnection(conn))
    finally:
        await conn.close()


async def until_stopped(reminders: ReminderStore, key: str, reason: StopReason | None) -> None:
    for _ in range(100):
        if await reminders.stopped(key) is reason:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{key} never became {reason}")


async def test_a_reminder_says_who_for_and_how_far_and_continue_carries_on(
    tg: FakeTelegram, make_settings: MakeSettings
) -> None:
    alex = Nominator(tg, tg.user(1001, "Alex"), timeout=10.0)
    settings = make_settings(reminder_after_hours=QUICKLY, reminder_max=1)
    async with running_bot(settings) as services:
        await alex.start_individual()
        (next_question,) = await alex.say(NOMINEE)

        (reminder,) = await alex.user.replies(1, timeout=10.0)
        assert f"for {NOMINEE}" in reminder.text
        assert "answered 2 of" in reminder.text
        assert texts.REMINDER_AT.format(label="Job title or role") in reminder.text
        assert reminder.reply_markup is not None
        labels = [b["text"] for row in reminder.reply_markup["inline_keyboard"] for b in row]
        assert labels == [texts.REMINDER_CONTINUE_BUTTON, texts.REMINDER_STOP_BUTTON]

        # Continue shows the current question, as the draft is now.
        assert shown(await alex.tap(texts.REMINDER_CONTINUE_BUTTON)) == next_question.text
        draft = await alex.draft(services)
        assert draft is not None and draft.answer("nominee_name") is not None

        # Pressed again after the draft was deleted, it says so instead of starting one.
        await alex.say("/delete")
        await alex.tap(texts.DELETE_YES)
        again = await alex.tap(texts.REMINDER_CONTINUE_BUTTON, message_id=reminder.message_id)
        assert shown(again) == texts.STALE_GONE
        assert await alex.draft(services) is None


async def test_stop_reminders_by_button_or_command(
    tg: FakeTelegram, make_settings: MakeSettings
) -> None:
    alex = Nominator(tg, tg.user(1001, "Alex"), timeout=10.0)
    sam = Nominator(tg, tg.user(1002, "Sam"))
    settings = make_settings(reminder_after_hours=QUICKLY)
    async with running_bot(settings), schedule(settings) as reminders:
        await alex.start_individual()
        await alex.user.replies(1, timeout=10.0)  # the reminder
        assert shown(await alex.tap(texts.REMINDER_STOP_BUTTON)) == texts.REMINDERS_STOPPED
        assert await reminders.stopped(alex.key) is StopReason.OPTED_OUT

        assert shown(await sam.say("/stop_reminders")) == texts.REMINDERS_STOPPED
        assert await reminders.stopped(sam.key) is StopReason.OPTED_OUT


@pytest.mark.telegram_rejections_expected  # the 403 is provoked on purpose
async def test_a_blocked_bot_stops_reminding_until_the_nominator_is_back(
    tg: FakeTelegram, make_settings: MakeSettings
) -> None:
    alex = Nominator(tg, tg.user(1001, "Alex"))
    settings = make_settings(reminder_after_hours=QUICKLY)
    async with running_bot(settings), schedule(settings) as reminders:
        await alex.start_individual()
        tg.fail_next(
            "sendMessage", error_code=403, description="Forbidden: bot was blocked by the user"
        )
        await until_stopped(reminders, alex.key, StopReason.BLOCKED)
        assert not alex.user.unread()  # nothing went, and nothing else was tried

        await alex.say("/status")  # unblocked, and writing again
        await until_stopped(reminders, alex.key, None)


async def test_a_reminders_continue_carries_on_the_draft_it_was_about(
    tg: FakeTelegram, make_settings: MakeSettings
) -> None:
    jo = Nominator(tg, tg.user(1003, "Jo"), timeout=10.0)
    settings = make_settings(reminder_after_hours=QUICKLY, reminder_max=1)
    async with running_bot(settings) as services:
        await jo.start_individual()
        await jo.say(NOMINEE)
        priya = await jo.draft(services)
        await jo.say("/new")
        await jo.tap("An individual")
        await jo.say("Sam Patel")  # Sam's draft is the one worked on now

        reminders = await jo.user.replies(2, timeout=10.0)
        (about_priya,) = [r for r in reminders if f"for {NOMINEE}" in r.text]
        replies = await jo.tap(texts.REMINDER_CONTINUE_BUTTON, message_id=about_priya.message_id)

        assert shown(replies).startswith(f"Nomination for {NOMINEE} · Step 3 of")
        now = await jo.draft(services)
        assert priya is not None and now is not None and now.reference == priya.reference
