"""Files are fetched from the Bot API server the bot is configured for, a self-hosted one too."""

from __future__ import annotations

from bot.app import file_url_for


def test_the_file_base_url_follows_the_api_base_url() -> None:
    assert file_url_for("https://api.telegram.org/bot") == "https://api.telegram.org/file/bot"
    assert file_url_for("http://127.0.0.1:8081/bot/") == "http://127.0.0.1:8081/file/bot"
