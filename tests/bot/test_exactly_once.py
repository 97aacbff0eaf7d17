"""Each Telegram update is handled once (issue 17): one whose effects are committed, delivered
again as Telegram does after a crash, changes nothing and is not answered again; updates parked
while in flight are handed back at the next start, once each. Through the real Application, its
poller and the strict fake Bot API."""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from contextlib import closing
from typing import Any

import pytest

from bot.config import Settings
from bot.screens import texts
from storage.nominations import NominationStore
from storage.updates import Seen
from tests.bot.test_judging_chat import ORGANISER, join, sent
from tests.kit.fake_telegram import FakeTelegram
from tests.kit.nominator import DETAILS, MakeSettings, Nominator, running_bot
from tests.kit.organiserkit import Clock


def update_of(tg: FakeTelegram, message: dict[str, Any]) -> dict[str, Any]:
    """The update getUpdates returned with this message."""
    for request in tg.calls("getUpdates"):
        for update in request.result or ():
            if update.get("message", {}).get("message_id") == message["message_id"]:
                return dict(update)
    raise AssertionError(f"message {message['message_id']} was never fetched")


async def test_an_update_committed_then_delivered_again_changes_nothing_and_gets_no_reply(
    tg: FakeTelegram, settings: Settings
) -> None:
    async with running_bot(settings) as services:
        ana = Nominator(tg, tg.user(2101, "Ana"))
        await ana.start_individual()
        await ana.say(DETAILS[0])  # the nominee's name: committed, then answered
        update = update_of(tg, ana.sent[-1])
        draft = await ana.draft(services)
    replies = len(ana.user.bot_messages())

    tg.redeliver(update)  # as after a crash between the commit and the confirmation
    async with running_bot(settings) as services:
        await tg.wait_idle(timeout=10)
        assert await ana.draft(services) == draft
        assert services.store.update_handled(update["update_id"])
    assert len(ana.user.bot_messages()) == replies
    assert ana.user.unread() == []
    tg.assert_no_rejections()


async def test_updates_parked_before_a_crash_are_handled_once_at_the_next_start(
    tg: FakeTelegram, settings: Settings
) -> None:
    async with running_bot(settings) as services:
        ana = Nominator(tg, tg.user(2102, "Ana"))
        await ana.start_individual()
        await ana.say(DETAILS[0])  # committed before the crash
        committed = update_of(tg, ana.sent[-1])
    # The next one was fetched and parked, and the bot died before handling it.
    uncommitted = {
        **committed,
        "update_id": committed["update_id"] + 1000,
        "message": {**committed["message"], "message_id": 9001, "text": DETAILS[1]},
    }
    async with await NominationStore.open(settings.database_path) as store:
        parked = [committed, uncommitted]
        await store.parked_updates.park([(u["update_id"], json.dumps(u)) for u in parked])

    async with running_bot(settings) as services:
        (reply,) = await ana.user.replies(1, timeout=10)
        await tg.wait_idle(timeout=10)
        draft = await ana.draft(services)
        assert draft is not None
        assert draft.answer("nominee_name") == DETAILS[0]
        assert draft.answer("nominee_role") == DETAILS[1]
    async with await NominationStore.open(settings.database_path) as store:
        assert await store.parked_updates.parked() == []  # forgotten once handled
    assert ana.user.unread() == []  # one reply: the committed one was not answered again
    assert "Step" in reply.text


async def test_a_full_window_being_worked_through_is_not_parked(
    tg: FakeTelegram, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    """More people write at once than Telegram returns in one answer (100): every update is
    handled, and none is parked, since the window keeps moving (parking writes each to SQLite,
    and confirms it before it is handled)."""
    people = [tg.user(2200 + n, f"P{n}") for n in range(104)]
    for person in people:
        await person.send("/start")  # all waiting before the bot's first getUpdates
    caplog.set_level(logging.WARNING, logger="bot.telegram.polling")
    async with running_bot(settings):
        welcomes = await asyncio.gather(*(person.reply(timeout=30) for person in people))
    assert all("Leading for Service Improvement" in w.text for w in welcomes)
    assert [r.getMessage() for r in caplog.records if "parked" in r.getMessage()] == []


async def test_a_judges_update_whose_reply_a_crash_lost_shows_their_next_nomination_again(
    tg: FakeTelegram, make_settings: MakeSettings
) -> None:
    """The state a kill between the commit and the reply leaves (tests/reliability has the real
    kill, for a nominator): the update's effects committed and not marked answered."""
    settings = make_settings(organiser_telegram_ids=[ORGANISER])
    clock = Clock()
    organiser = Nominator(tg, tg.user(ORGANISER, "Olu", chat_exists=True))
    async with running_bot(settings, clock=clock) as services:
        await organiser.say("/judging open")
        await sent(services, clock, 1, "Bradford Trust")
        ada = await join(tg, organiser, 7101, "Ada Lovelace", "Director of Nursing", "Leeds Trust")
        update = update_of(tg, ada.sent[-1])  # her last detail: she is a judge now
    with closing(sqlite3.connect(settings.database_path)) as conn:
        unanswered = "UPDATE handled_updates SET answered = 0 WHERE update_id = ?"
        conn.execute(unanswered, (update["update_id"],))
        conn.commit()
    before = len(ada.user.bot_messages())

    tg.redeliver(update)
    async with running_bot(settings, clock=clock) as services:
        notice, *_ = await ada.user.replies(1, timeout=10)
        await tg.wait_idle(timeout=10)
        assert services.store.update_seen(update["update_id"]) is Seen.ANSWERED
    shown_again = [m.text for m in ada.user.bot_messages()[before:]]
    assert notice.text == texts.RESTARTED
    assert any("Nominee 1" in text for text in shown_again), shown_again  # her next to score
    assert "This bot helps you nominate" not in "".join(shown_again)  # not the welcome
    tg.assert_no_rejections()
