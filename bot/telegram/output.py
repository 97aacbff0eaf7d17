"""Everything the Telegram front end sends goes through one typed object: screens as HTML
messages with their buttons, link buttons, files and answers to button presses, each tried again
a few times when it failed on the way (a dropped connection, a 5xx, flood control). Handlers
depend on the `ChatOutput` Protocol, so their tests can record what would be sent without any
HTTP."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol, TypeVar

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.screens.parts import Screen
from bot.telegram.buttons import keyboard
from bot.telegram.html import screen_messages

logger = logging.getLogger(__name__)

# The waits before each further attempt of a call that failed on the way: a dropped connection,
# a time-out or a 5xx. A reply lost this way leaves the nominator looking at the screen before,
# so a few seconds' patience is worth it; flood control's own retry_after is honoured instead.
RETRY_DELAYS = (0.5, 1.0, 2.0)

T = TypeVar("T")


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

    def __init__(self, bot: Bot, *, retry_delays: Sequence[float] = RETRY_DELAYS) -> None:
        self._bot = bot
        self._delays = tuple(retry_delays)

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
        document = InputFile(data, filename=filename)
        await self._retrying(lambda: self._bot.send_document(chat_id, document, caption=caption))

    async def answer_button(self, query_id: str, text: str | None = None) -> None:
        try:
            await self._retrying(lambda: self._bot.answer_callback_query(query_id, text))
        except BadRequest as exc:
            # The query expired (e.g. pressed while the bot was down, or answered by an attempt
            # whose answer was lost): act on it anyway.
            logger.info("callback query not answered: %s", exc.message)
        except TelegramError as exc:
            # Only the button's spinner is left turning, and it stops by itself: the press is
            # still acted on, and its screen is the answer the nominator needs.
            logger.warning("callback query not answered: %s", exc)

    async def _send(self, chat_id: int, text: str, markup: InlineKeyboardMarkup | None) -> None:
        # The reply's Message is never used: posting directly spares python-telegram-bot
        # building one from Telegram's answer, a large part of a reply's CPU (bench/). Each
        # attempt has its own copy of the parameters: the library fills its defaults in place.
        params = {
            "chat_id": chat_id,
            "text": text,
            "parse_mode": ParseMode.HTML,
            "reply_markup": markup,
        }
        await self._retrying(lambda: self._bot._post("sendMessage", dict(params)))

    async def _retrying(self, call: Callable[[], Awaitable[T]]) -> T:
        """`call()`, tried again after each wait of the delays while it fails on the way or
        meets flood control; a request Telegram refused is raised at once, never repeated."""
        for delay in self._delays:
            try:
                return await call()
            except (Forbidden, BadRequest):
                raise  # BadRequest is a NetworkError too, but a refusal stays a refusal
            except RetryAfter as exc:
                # The rate limiter has waited out a few already; this is one more.
                await asyncio.sleep(wait_seconds(exc.retry_after))
            except (TimedOut, NetworkError) as exc:
                logger.info("a call to Telegram failed (%s); trying again in %g s", exc, delay)
                await asyncio.sleep(delay)
        return await call()


def wait_seconds(retry_after: float | dt.timedelta) -> float:
    """Flood control's retry_after in seconds (python-telegram-bot 22 gives a timedelta)."""
    if isinstance(retry_after, dt.timedelta):
        return retry_after.total_seconds()
    return float(retry_after)
