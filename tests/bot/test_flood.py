"""One user's flood never delays another user's reply, and a flood beyond what the bot queues
per user is refused out loud, never silently (Telegram forgets an update once it is fetched)."""

from __future__ import annotations

import re

from bot import texts
from bot.config import Settings
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
