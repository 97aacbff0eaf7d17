"""A button pressed outside the nominator's private chat shows nothing of any nomination there:
the handlers check the chat themselves, a second line of defence behind the filters."""

from __future__ import annotations

import aiohttp

from bot.config import Settings
from bot.screens import texts
from tests.kit.fake_telegram import FakeTelegram
from tests.kit.nominator import NOMINEE, Nominator, running_bot


async def test_a_nomination_button_pressed_in_a_group_shows_nothing_there(
    tg: FakeTelegram, settings: Settings
) -> None:
    async with running_bot(settings) as services:
        alex = Nominator(tg, tg.user(2101, "Alex"))
        await alex.start_individual()
        await alex.say(NOMINEE)  # the draft now holds a name; the next question has Back
        keyboard = tg.latest_keyboard_message(alex.user.user_id)
        assert keyboard is not None
        before = await alex.draft(services)

        # The same buttons, on a message in a group (however they got there: a forwarded or
        # forged message, or a bug), pressed by the nominator.
        ward = tg.group(title="Ward 7 team")
        async with aiohttp.ClientSession() as session:
            sent = await session.post(
                f"{tg.base_url}{tg.token}/sendMessage",
                json={"chat_id": ward.chat_id, "text": "…", "reply_markup": keyboard.reply_markup},
            )
            assert sent.status == 200
        ward.unread()
        press = await ward.press(alex.user, "Back")
        await tg.wait_idle()

        assert ward.unread() == []  # nothing said in the group
        assert press.answer is not None
        assert press.answer.get("text") == texts.PRIVATE_CHAT_ONLY
        assert alex.user.unread() == []
        assert await alex.draft(services) == before  # and nothing changed
    assert NOMINEE not in "".join(m.text for m in ward.bot_messages())
