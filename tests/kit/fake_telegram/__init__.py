"""A fake Telegram Bot API server, strict as Telegram, and a tiny test client over it.

Typical use in a bot test (`fake_telegram` is the fixture in tests/bot/conftest.py):

    app = fake_telegram.application_builder().build()  # the real python-telegram-bot
    app.add_handler(CommandHandler("start", start))
    user = fake_telegram.user(user_id=1001, first_name="Alex")
    async with running_application(app):
        await user.send("/start")
        (reply,) = await user.replies()
        await user.press("Yes")
    fake_telegram.assert_no_rejections()
"""

from .application import running_application
from .client import ChatView, FakeGroup, FakeUser, bot_command_entities
from .records import (
    CallbackQueryRecord,
    ChatState,
    MessageVersion,
    RecordedRequest,
    Reply,
    StoredMessage,
)
from .server import DEFAULT_TOKEN, FakeTelegram, SentDocument
from .spec import BotApiError, load_spec
from .telegram_html import HtmlParseError, ParsedText, parse_html, utf16_length

__all__ = [
    "DEFAULT_TOKEN",
    "BotApiError",
    "CallbackQueryRecord",
    "ChatState",
    "ChatView",
    "FakeGroup",
    "FakeTelegram",
    "FakeUser",
    "HtmlParseError",
    "MessageVersion",
    "ParsedText",
    "RecordedRequest",
    "Reply",
    "SentDocument",
    "StoredMessage",
    "bot_command_entities",
    "load_spec",
    "parse_html",
    "running_application",
    "utf16_length",
]
