"""Who an update is from, in the conversation's terms: a nominator's key (tg:<user id>), the
private chat a key is reached at, and whether an update comes from its sender's own private
chat. Also the adapter from a handler that needs only the update to python-telegram-bot's."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

Handler = Callable[[Update], Awaitable[None]]
KEY_PREFIX = "tg:"


def nominator_key(user_id: int) -> str:
    return f"{KEY_PREFIX}{user_id}"


def chat_of(key: str) -> int | None:
    """The private chat of a Telegram nominator's key ("tg:42" → 42); None for another front
    end's (the terminal's "local:…"). A private chat's id is its user's, which is never negative:
    a negative number is a group's, and nothing of a nomination goes to a group."""
    number = key.removeprefix(KEY_PREFIX)
    if number == key or not number.isdigit():
        return None
    return int(number)


def private_chat(update: Update) -> tuple[int, str] | None:
    """(chat id, nominator key) when the update comes from its sender's own private chat with
    the bot; None anywhere else. Every handler that shows nomination data starts here, a second
    line of defence behind the filters, so a draft is only ever shown to its own nominator."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None or chat.type != ChatType.PRIVATE or chat.id != user.id:
        return None
    return chat.id, nominator_key(user.id)


@dataclass(frozen=True, slots=True)
class Typed:
    """A text message (or its edit) from its sender's own private chat."""

    chat_id: int
    key: str
    text: str
    source: str  # the message's id: an edit of it later revises what it gave
    date: datetime


def typed_in_private(update: Update, *, edited: bool = False) -> Typed | None:
    """The text of a message, or with `edited` of an edited message, sent in its sender's own
    private chat; None for anything else."""
    message = update.edited_message if edited else update.effective_message
    if (here := private_chat(update)) is None or message is None or message.text is None:
        return None
    chat_id, key = here
    return Typed(chat_id, key, message.text, str(message.message_id), message.date)


def ptb(
    handler: Handler,
) -> Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]:
    """A handler as python-telegram-bot calls it: the handlers need only the update."""

    async def callback(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await handler(update)

    callback.__doc__ = handler.__doc__
    return callback
