"""The Telegram front end's fixtures (fake Bot API, SMTP server, settings), as in tests/bot."""

from tests.bot.conftest import (
    fake_telegram,
    make_settings,
    pytest_configure,
    settings,
    smtp_server,
    tg,
)

__all__ = ["fake_telegram", "make_settings", "pytest_configure", "settings", "smtp_server", "tg"]
