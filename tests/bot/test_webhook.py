"""Webhook mode: the bot's own HTTP server takes updates only with the secret header."""

from __future__ import annotations

import asyncio
import json
import socket
from typing import Any

import aiohttp
import pytest

from bot.app import open_telegram_bot
from bot.screens import texts
from bot.telegram import serving
from tests.kit.fake_telegram import FakeTelegram
from tests.kit.nominator import MakeSettings

SECRET = "s3cret-webhook-token_42"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def post(url: str, update: dict[str, Any], headers: dict[str, str]) -> int:
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            url, data=json.dumps(update), headers={"Content-Type": "application/json", **headers}
        ) as response,
    ):
        return response.status


async def test_webhook_requires_the_secret_then_serves_the_update(
    tg: FakeTelegram, make_settings: MakeSettings
) -> None:
    port = free_port()
    settings = make_settings(
        webhook_url="https://bot.example.nhs.uk/telegram",
        webhook_secret_token=SECRET,
        webhook_listen="127.0.0.1",
        webhook_port=port,
        webhook_path="telegram",
    )
    user = tg.user(4001, "Wendy")
    message = await user.send("/start")
    update = {"update_id": 900001, "message": message}
    url = f"http://127.0.0.1:{port}/telegram"

    async with open_telegram_bot(settings) as telegram, serving(telegram.application, settings):
        assert tg.webhook_url == "https://bot.example.nhs.uk/telegram"
        assert tg.calls("getUpdates") == []

        assert await post(url, update, {}) == 403
        assert await post(url, update, {SECRET_HEADER: "guess"}) == 403
        await asyncio.sleep(0.3)  # time enough for a wrongly accepted update to be answered
        assert tg.calls("sendMessage") == []

        assert await post(url, update, {SECRET_HEADER: SECRET}) == 200
        welcome = await user.reply()
        assert welcome.buttons == [texts.START_BUTTON]


def test_a_webhook_without_a_secret_is_refused_at_start_up(make_settings: MakeSettings) -> None:
    with pytest.raises(ValueError, match="WEBHOOK_SECRET_TOKEN"):
        make_settings(webhook_url="https://bot.example.nhs.uk/telegram", webhook_secret_token=None)


async def test_the_webhook_answers_200_only_once_the_update_is_handled(
    tg: FakeTelegram, make_settings: MakeSettings
) -> None:
    """Telegram forgets an update once it is answered 200, so that waits for the handler: a
    crash before it makes Telegram send the update again (issue 17)."""
    port = free_port()
    settings = make_settings(
        webhook_url="https://bot.example.nhs.uk/telegram",
        webhook_secret_token=SECRET,
        webhook_listen="127.0.0.1",
        webhook_port=port,
        webhook_path="telegram",
    )
    user = tg.user(4002, "Wendy")
    url = f"http://127.0.0.1:{port}/telegram"
    async with open_telegram_bot(settings) as telegram, serving(telegram.application, settings):
        for n, text in enumerate(("/start", "/help")):
            message = await user.send(text)
            before = len(tg.calls("sendMessage"))
            assert (
                await post(
                    url, {"update_id": 900010 + n, "message": message}, {SECRET_HEADER: SECRET}
                )
                == 200
            )
            # Answered already when the 200 came back: the update was handled first.
            assert len(tg.calls("sendMessage")) > before
