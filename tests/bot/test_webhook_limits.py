"""The webhook server over real HTTP on 127.0.0.1: the secret and the size are checked from the
headers before any of the body is read, and an update that cannot be read is logged without
its content."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from bot.app import open_telegram_bot
from bot.config import Settings
from bot.screens import texts
from bot.telegram import serving
from tests.kit.fake_telegram import FakeTelegram
from tests.kit.mailkit import free_port
from tests.kit.nominator import MakeSettings

SECRET = "s3cret-webhook-token_42"
HUGE = 95 * 1024 * 1024
CONFIDENTIAL = "Philippa Confidential-Nominee"


@asynccontextmanager
async def webhook_bot(make_settings: MakeSettings) -> AsyncIterator[Settings]:
    settings = make_settings(
        webhook_url="https://bot.example.nhs.uk/telegram",
        webhook_secret_token=SECRET,
        webhook_listen="127.0.0.1",
        webhook_port=free_port(),
    )
    async with open_telegram_bot(settings) as telegram, serving(telegram.application, settings):
        yield settings


async def raw_request(port: int, headers: dict[str, str], body: bytes = b"") -> bytes:
    """Send a POST's headers (and `body`, which may be far shorter than Content-Length says);
    return the answer's status line once the server has closed the connection."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        writer.write(f"POST /telegram HTTP/1.1\r\nHost: 127.0.0.1\r\n{head}\r\n".encode() + body)
        await writer.drain()
        status = await asyncio.wait_for(reader.readline(), timeout=10)
        # read() returns once the server closes (a server waiting for the body never would); a
        # reset is a close with our bytes unread.
        with contextlib.suppress(ConnectionResetError):
            await asyncio.wait_for(reader.read(), timeout=10)
        return status.rstrip()
    finally:
        writer.close()


async def test_a_huge_body_without_the_secret_is_refused_before_it_is_sent(
    tg: FakeTelegram, make_settings: MakeSettings
) -> None:
    async with webhook_bot(make_settings) as settings:
        for secret in ({}, {"X-Telegram-Bot-Api-Secret-Token": "guess"}):
            headers = {"Content-Type": "application/json", "Content-Length": str(HUGE), **secret}
            # Not one byte of the 95 MB is sent: an answer proves the server did not wait for it.
            status = await raw_request(settings.webhook_port, headers)
            assert status == b"HTTP/1.1 403 Forbidden"
    assert tg.calls("sendMessage") == []


async def test_a_body_over_one_megabyte_is_refused_even_with_the_secret(
    tg: FakeTelegram, make_settings: MakeSettings
) -> None:
    good = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET}
    async with webhook_bot(make_settings) as settings:
        status = await raw_request(settings.webhook_port, {**good, "Content-Length": str(HUGE)})
        assert status == b"HTTP/1.1 413 Request Entity Too Large"
        # Chunked: no length up front, so the server counts and stops past 1 MB.
        chunk = b"x" * (256 * 1024)
        chunks = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(5))
        status = await raw_request(
            settings.webhook_port, {**good, "Transfer-Encoding": "chunked"}, chunks
        )
        assert status.startswith((b"HTTP/1.1 413", b"HTTP/1.1 400"))
    assert tg.calls("sendMessage") == []


async def test_an_unreadable_update_is_logged_without_its_content_and_the_next_is_served(
    tg: FakeTelegram, make_settings: MakeSettings, caplog: pytest.LogCaptureFixture
) -> None:
    user = tg.user(4002, "Wendy")
    good = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET}
    broken = json.dumps({"update_id": 900002, "message": {"text": CONFIDENTIAL}}).encode()
    caplog.set_level(logging.DEBUG)
    async with webhook_bot(make_settings) as settings:
        for body in (broken, b'{"update_id": 900003, "message": "' + CONFIDENTIAL.encode()):
            headers = {**good, "Content-Length": str(len(body)), "Connection": "close"}
            status = await raw_request(settings.webhook_port, headers, body)
            assert status == b"HTTP/1.1 200 OK"  # or Telegram would resend it for ever

        message = await user.send("/start")
        body = json.dumps({"update_id": 900004, "message": message}).encode()
        headers = {**good, "Content-Length": str(len(body)), "Connection": "close"}
        status = await raw_request(settings.webhook_port, headers, body)
        assert status == b"HTTP/1.1 200 OK"
        welcome = await user.reply()
        assert welcome.buttons == [texts.START_BUTTON]

    assert CONFIDENTIAL not in caplog.text
    unreadable = [r.getMessage() for r in caplog.records if "could not be read" in r.getMessage()]
    assert len(unreadable) == 2
    assert "update_id 900002" in unreadable[0]


def test_the_webhook_listens_on_loopback_unless_told_otherwise() -> None:
    assert Settings(_env_file=None).webhook_listen == "127.0.0.1"
