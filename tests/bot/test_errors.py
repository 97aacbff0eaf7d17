"""When the Bot API fails: network errors are retried; anything else is logged without the
token or the nominator's words, and the nominator is told their answers are safe."""

from __future__ import annotations

import logging

import pytest
from telegram.error import NetworkError

from bot.app import open_telegram_bot
from bot.config import Settings
from bot.screens import texts
from bot.screens.parts import text_screen
from bot.telegram import TelegramOutput, serving
from tests.kit.fake_telegram import FakeTelegram
from tests.kit.nominator import Nominator, running_bot

SECRET_NAME = "Zebedee Quill-Ashworth"


async def test_a_failed_reply_is_logged_safely_and_the_answer_is_kept(
    tg: FakeTelegram, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with running_bot(settings) as services:
        pat = Nominator(tg, tg.user(3001, "Pat"))
        await pat.start_individual()
        tg.fail_next("sendMessage", error_code=400, description="Bad Request: something odd")

        (apology,) = await pat.say(SECRET_NAME)

        assert apology.text == texts.ERROR_SAFE
        draft = await pat.draft(services)
        assert draft is not None and draft.answer("nominee_name") == SECRET_NAME
        assert draft.position == "nominee_role"  # committed before the reply was attempted
    # The bot's own log lines (library logging is quietened in production: see bot/logs.py, and
    # test_entry_point.py for the whole process's output).
    ours = [r for r in caplog.records if r.name.startswith("bot")]
    logged = "\n".join(
        r.getMessage() + (logging.Formatter().formatException(r.exc_info) if r.exc_info else "")
        for r in ours
    )
    assert "failed: BadRequest" in logged
    assert SECRET_NAME not in logged
    assert tg.token.split(":", 1)[1] not in logged


async def test_a_network_error_is_retried(tg: FakeTelegram, settings: Settings) -> None:
    async with running_bot(settings):
        sam = Nominator(tg, tg.user(3002, "Sam"))
        tg.fail_next("sendMessage", error_code=502, description="Bad Gateway")
        (welcome,) = await sam.say("/start")
        assert welcome.buttons == [texts.START_BUTTON]
        failed, sent = tg.calls("sendMessage")
        assert failed.status == 502 and sent.ok


async def test_a_reply_failing_on_the_way_is_tried_after_each_wait_then_given_up(
    tg: FakeTelegram, settings: Settings
) -> None:
    async with (
        open_telegram_bot(settings) as telegram,
        serving(telegram.application, settings, poll_timeout=0.5),
    ):
        ann = Nominator(tg, tg.user(3003, "Ann"))
        await ann.say("/start")
        output = TelegramOutput(telegram.application.bot, retry_delays=(0, 0, 0))
        tg.fail_next("sendMessage", times=3, error_code=502, description="Bad Gateway")
        await output.show(3003, text_screen("Your answer is saved."))
        tg.fail_next("sendMessage", times=4, error_code=502, description="Bad Gateway")
        with pytest.raises(NetworkError):
            await output.show(3003, text_screen("Your answer is saved."))
    statuses = [r.status for r in tg.calls("sendMessage")[1:]]
    assert statuses == [502, 502, 502, 200, 502, 502, 502, 502]
    assert [r.text for r in ann.user.unread()] == ["Your answer is saved."]


async def test_a_press_whose_answer_fails_on_the_way_is_still_acted_on(
    tg: FakeTelegram, settings: Settings
) -> None:
    async with running_bot(settings):
        kim = Nominator(tg, tg.user(3004, "Kim"))
        await kim.say("/start")
        tg.fail_next("answerCallbackQuery", error_code=502, description="Bad Gateway")
        (question,) = await kim.tap(texts.START_BUTTON)
        assert "Step 1 of" in question.text
        failed, answered = tg.calls("answerCallbackQuery")
        assert failed.status == 502 and answered.ok
