"""Everything the Telegram front end sends goes through one typed object: screens as HTML
messages with their buttons, link buttons, files and answers to button presses, with a retry on
network errors. Handlers depend on the `ChatOutput` Protocol, so their tests can record what
would be sent without any HTTP."""

from __future__ import annotations

import asyncio
import logging
from typing import Protocol

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.screens.parts import Screen
from bot.telegram.buttons import keyboard
from bot.telegram.html import screen_messages

logger = logging.getLogger(__name__)

SEND_ATTEMPTS = 3


class ChatOutput(Protocol):
    """What the handlers send to a chat."""

    @property
    def username(self) -> str:
        """The bot's @username (without the @)."""
        ...

    async def show(self, chat_id: int, screen: Screen) -> None:
        """A screen, its buttons on its last message. A send Telegram refuses is raised."""

    async def send_link(self, chat_id: int, text: str, label: str, url: str) -> None:
        """A message with one URL button."""

    async def answer_button(self, query_id: str, text: str | None = None) -> None:
        """Answer a button press (every press must be answered); an expired one is let go."""

    async def send_document(self, chat_id: int, filename: str, data: bytes, caption: str) -> None:
        """A file (an organiser's export, a nominator's data)."""


class TelegramOutput:
    """ChatOutput over python-telegram-bot's Bot (through its rate limiter and HTML default)."""

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    @property
    def username(self) -> str:
        return self._bot.username

    async def show(self, chat_id: int, screen: Screen) -> None:
        messages = screen_messages(screen)
        markup = keyboard(screen)
        for index, text in enumerate(messages):
            await self._send(chat_id, text, markup if index == len(messages) - 1 else None)

    async def send_link(self, chat_id: int, text: str, label: str, url: str) -> None:
        markup = InlineKeyboardMarkup([[InlineKeyboardButton(label, url=url)]])
        await self._send(chat_id, text, markup)

    async def send_document(self, chat_id: int, filename: str, data: bytes, caption: str) -> None:
        await self._bot.send_document(chat_id, InputFile(data, filename=filename), caption=caption)

    async def answer_button(self, query_id: str, text: str | None = None) -> None:
        try:
            await self._bot.answer_callback_query(query_id, text)
        except BadRequest as exc:
            # The query expired (e.g. pressed while the bot was down): act on it anyway.
            logger.info("callback query not answered: %s", exc.message)

    async def _send(self, chat_id: int, text: str, markup: InlineKeyboardMarkup | None) -> None:
        for attempt in range(1, SEND_ATTEMPTS + 1):
            try:
                # The reply's Message is never used: posting directly spares python-telegram-bot
                # building one from Telegram's answer, a large part of a reply's CPU (bench/).
                await self._bot._post(
                    "sendMessage",
                    {
                        "chat_id": chat_id,
                        "text": text,
                        "parse_mode": ParseMode.HTML,
                        "reply_markup": markup,
                    },
                )
                return
            except (RetryAfter, Forbidden, BadRequest):
                # BadRequest is a NetworkError too, but a refused request must not be repeated;
                # flood control is the rate limiter's to wait out.
                raise
            except (TimedOut, NetworkError):
                if attempt == SEND_ATTEMPTS:
                    raise
                await asyncio.sleep(0.5 * 2**attempt)
