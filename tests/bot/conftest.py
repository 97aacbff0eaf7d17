"""Fixtures for the Telegram front end's tests: a started fake Bot API on 127.0.0.1, the same
with the end-of-test checks every conversation must pass (`tg`), a recording SMTP server and the
bot's settings."""

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from bot.config import Settings
from tests.kit.fake_telegram import DEFAULT_TOKEN, FakeTelegram
from tests.kit.mailkit import RecordingHandler, SmtpServer, free_port
from tests.kit.nominator import ORGANISERS, MakeSettings

REJECTIONS_EXPECTED = "telegram_rejections_expected"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{REJECTIONS_EXPECTED}: the test provokes Bot API errors on purpose, so the "
        "fake_telegram fixture does not fail it for rejected requests",
    )


@pytest.fixture
async def fake_telegram(request: pytest.FixtureRequest) -> AsyncIterator[FakeTelegram]:
    """A started FakeTelegram (token "123456:TEST-TOKEN", bot @nomination_test_bot).

    At teardown it fails the test if the fake refused any request the test did not ask to fail
    (a bot whose handler swallowed a BadRequest would otherwise pass unnoticed); mark a test
    `@pytest.mark.telegram_rejections_expected` when it provokes errors on purpose.
    """
    async with FakeTelegram(token=DEFAULT_TOKEN, bot_username="nomination_test_bot") as tg:
        yield tg
        if request.node.get_closest_marker(REJECTIONS_EXPECTED) is None:
            tg.assert_no_rejections()


# --------------------------------------------------------------------- the nomination bot's tests


def assert_callback_data_fits(tg: FakeTelegram) -> None:
    """Every inline button the bot sent carries 1–64 bytes of callback_data (or is a URL one)."""
    for request in tg.requests:
        markup = request.params.get("reply_markup")
        if not isinstance(markup, dict):
            continue
        for row in markup.get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if data is None:
                    assert button.get("url"), f"button {button!r} has neither data nor a URL"
                    continue
                size = len(data.encode("utf-8"))
                assert 1 <= size <= 64, f"callback_data {data!r} is {size} bytes"


@pytest.fixture
async def tg(fake_telegram: FakeTelegram) -> AsyncIterator[FakeTelegram]:
    """The fake Bot API, with the checks every conversation test must pass at its end: every
    callback query answered and every callback_data within Telegram's 64 bytes (no rejections
    is checked by `fake_telegram` itself)."""
    yield fake_telegram
    fake_telegram.assert_all_callbacks_answered()
    assert_callback_data_fits(fake_telegram)


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A real aiosmtpd server on 127.0.0.1 that records what it accepts (plain SMTP, no AUTH)."""
    handler = RecordingHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield SmtpServer(controller, handler, port)
    finally:
        controller.stop()


@pytest.fixture
def make_settings(
    tg: FakeTelegram, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> MakeSettings:
    """Settings for the bot against the fake Bot API, with a database and outbox in tmp_path.

    Without SMTP, emails are written as .eml files; pass smtp_host/smtp_port to use a server.
    """
    # The entry point opts the process in to PTB_TIMEDELTA before the bot runs; do the same here,
    # undone after the test instead of leaking into tests of python-telegram-bot's defaults.
    monkeypatch.setenv("PTB_TIMEDELTA", "true")

    def make(**overrides: Any) -> Settings:
        options: dict[str, Any] = {
            "telegram_bot_token": tg.token,
            "telegram_api_base_url": tg.base_url,
            "database_path": tmp_path / "nominations.sqlite3",
            "mail_outbox_dir": tmp_path / "outbox",
            "mail_from": "Nomination Bot <nominations@awards.example>",
            "organiser_emails": list(ORGANISERS),
            "organiser_telegram_ids": [],
            "form_file": None,
            "awards_file": None,
            "webhook_url": None,
            "smtp_host": None,  # .eml files, whatever the environment says
            "smtp_starttls": False,
            "smtp_timeout_seconds": 5.0,
        }
        options.update(overrides)
        return Settings(_env_file=None, **options)

    return make


@pytest.fixture
def settings(make_settings: MakeSettings) -> Settings:
    return make_settings()
