"""Fixtures for the Telegram front end's tests: a started fake Bot API on 127.0.0.1."""

from collections.abc import AsyncIterator

import pytest
from fake_telegram import DEFAULT_TOKEN, FakeTelegram

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
