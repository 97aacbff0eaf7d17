"""One user's flood never delays another user's reply, and a flood beyond what the bot queues
per user is refused out loud, never silently (Telegram forgets an update once it is fetched)."""

from __future__ import annotations

import asyncio
import re

from telegram import Update

from bot.config import Settings
from bot.screens import texts
from bot.telegram.runtime import PerUserUpdateProcessor
from tests.kit.fake_telegram import FakeTelegram
from tests.kit.nominator import Nominator, messages, running_bot

FLOOD = 500
KEPT = re.compile(r"kept only the first (\d+)")


async def test_a_flood_neither_delays_another_user_nor_is_dropped_silently(
    tg: FakeTelegram, settings: Settings
) -> None:
    async with running_bot(settings):
        flooder = Nominator(tg, tg.user(7001, "Flo"))
        await flooder.say("/start")
        await flooder.tap(texts.START_BUTTON)  # at the first question, a choice
        other = tg.user(7002, "Bea")

        # The flood's first reply meets flood control for a second, which pauses every request,
        # so the whole flood is fetched and queued while that user's first update still runs.
        tg.fail_next("sendMessage", retry_after=1)
        for n in range(FLOOD):
            await flooder.user.send(f"message {n}")
        await other.send("/start")

        welcome = await other.reply(timeout=10)
        before_welcome = messages(flooder.user.unread())

        # Flood control pauses every request, so "idle" means nothing until the notice is in.
        chat = tg.chat(flooder.user.user_id)
        assert await tg.wait_for(lambda: any(KEPT.search(r.text) for r in chat.events), 10)
        await tg.wait_idle(timeout=30)
        flood_replies = before_welcome + messages(flooder.user.unread())

    assert welcome.buttons == [texts.START_BUTTON]
    notices = [r for r in flood_replies if KEPT.search(r.text)]
    assert len(notices) == 1, [r.text for r in flood_replies]
    match = KEPT.search(notices[0].text)
    assert match is not None
    kept = int(match.group(1))
    # Told once, and every kept message was answered (one reply each at a choice question).
    assert len(flood_replies) - 1 == kept
    assert 1 <= kept < FLOOD
    # The other user's reply came while the flooder's backlog was still waiting, not after it.
    answered_before = [r for r in before_welcome if not KEPT.search(r.text)]
    assert len(answered_before) < kept // 2


def private_message(user_id: int, message_id: int) -> Update:
    return Update.de_json(
        {
            "update_id": message_id,
            "message": {
                "message_id": message_id,
                "date": 0,
                "chat": {"id": user_id, "type": "private"},
                "from": {"id": user_id, "is_bot": False, "first_name": "U"},
                "text": f"message {message_id}",
            },
        },
        None,
    )


async def test_a_burst_past_the_line_is_refused_until_the_line_is_empty_then_taken_again() -> None:
    processor = PerUserUpdateProcessor(max_concurrent_updates=4, max_waiting_per_user=3)
    told: list[tuple[int, int]] = []
    ran: list[int] = []
    gate = asyncio.Event()

    async def notice(update: Update, kept: int) -> None:
        assert update.effective_user is not None
        told.append((update.effective_user.id, kept))

    async def handle(n: int) -> None:
        await gate.wait()
        ran.append(n)

    processor.on_flood = notice
    burst = [
        asyncio.create_task(processor.process_update(private_message(1, n), handle(n)))
        for n in range(1, 7)
    ]
    await asyncio.sleep(0)
    # The flooding user's line is full; someone else's update still runs at once.
    await processor.process_update(private_message(2, 100), asyncio.sleep(0))
    gate.set()
    await asyncio.gather(*burst)
    assert ran == [1, 2, 3]  # in order, and the refused ones never ran
    assert told == [(1, 3)]  # told once, with the number kept

    # Once the line has emptied, a new burst starts afresh.
    await processor.process_update(private_message(1, 7), handle(7))
    assert ran == [1, 2, 3, 7]
    assert told == [(1, 3)]
