"""When the Bot API fails: network errors are retried; anything else is logged without the
token or the nominator's words, and the nominator is told their answers are safe."""

from __future__ import annotations

import logging

import pytest

from bot.config import Settings
from bot.screens import texts
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
