"""Supporting statements in Telegram: the nominator's /support (ask for a link, cancel one),
the colleague's /start support-<token> link, their typed answers and their buttons. The rules
are bot.support's and flows.support's; this module translates.

A colleague writing a statement has their typed text taken here first (group -1, stopping the
nominators' handlers); any command pauses the statement, so their own nominations carry on as
before until they open the link again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from telegram import Update
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.actions import BY_ACTION, Action
from bot.screens import Screen, text_screen
from bot.support import Reply, SupportService, token_of
from bot.telegram.handlers import private_chat, ptb
from bot.telegram.runtime import AnyApplication

BUTTON_PREFIX = "sup"
_BUTTON = re.compile(rf"^{BUTTON_PREFIX}:(.+)$")
_LINK_START = r"^/start(@\w+)?\s+support-"
# Before the nominators' handlers (group 0), and before the reminders' (group -1, where only the
# first matching handler runs): a statement being written takes its colleague's text.
FIRST = -2


class SupportOutput(Protocol):
    """What these handlers send (TelegramOutput)."""

    @property
    def username(self) -> str: ...

    async def show(self, chat_id: int, state: None, screen: Screen) -> None: ...

    async def send_choices(
        self, chat_id: int, screen: Screen, rows: Sequence[Sequence[tuple[str, str]]]
    ) -> None: ...

    async def answer_button(self, query_id: str, text: str | None = None) -> None: ...


def chat_of(key: str) -> int | None:
    """The private chat of a Telegram nominator's key (tg:<user id>); None for other front ends."""
    prefix, _, number = key.partition(":")
    return int(number) if prefix == "tg" and number.lstrip("-").isdigit() else None


class SupportHandlers:
    """Both sides of a supporting statement, in private chats with the bot."""

    def __init__(self, support: SupportService, output: SupportOutput) -> None:
        self.support = support
        self.output = output

    def register(self, application: AnyApplication) -> None:
        """Register before NominationHandlers: the first handler that matches an update wins."""
        private = filters.ChatType.PRIVATE & ~filters.UpdateType.EDITED
        link = private & filters.Regex(_LINK_START)
        application.add_handler(CommandHandler("start", ptb(self.open_link), filters=link))
        command = BY_ACTION[Action.SUPPORT].command or "support"
        application.add_handler(CommandHandler(command, ptb(self.overview), filters=private))
        application.add_handler(CallbackQueryHandler(ptb(self.button), pattern=_BUTTON.pattern))
        others = private & filters.COMMAND & ~filters.Regex(_LINK_START)
        application.add_handler(MessageHandler(others, ptb(self.pause)), group=FIRST)
        typing = private & filters.TEXT & ~filters.COMMAND
        application.add_handler(MessageHandler(typing, ptb(self.typed)), group=FIRST)

    async def show(self, chat_id: int, reply: Reply) -> None:
        screen = text_screen(*reply.paragraphs)
        if reply.buttons:
            rows = [
                [(label, f"{BUTTON_PREFIX}:{data}") for label, data in row] for row in reply.buttons
            ]
            await self.output.send_choices(chat_id, screen, rows)
        else:
            await self.output.show(chat_id, None, screen)
        if reply.tell is not None and (nominator_chat := chat_of(reply.tell[0])) is not None:
            await self.output.show(nominator_chat, None, text_screen(reply.tell[1]))

    async def overview(self, update: Update) -> None:
        """/support: each nomination's statements, with buttons to ask for one or cancel a link."""
        if (here := private_chat(update)) is None:
            return
        chat_id, key = here
        await self.show(chat_id, await self.support.overview(key))

    async def open_link(self, update: Update) -> None:
        """/start support-<token>: a colleague opens the link they were forwarded."""
        message = update.effective_message
        if (here := private_chat(update)) is None or message is None or message.text is None:
            return
        chat_id, key = here
        payload = message.text.split(maxsplit=1)[1] if " " in message.text else ""
        token = token_of(payload.strip()) or ""
        await self.show(chat_id, await self.support.open(key, token))

    async def pause(self, update: Update) -> None:
        """Any other command: a statement being written waits (the command then runs as usual)."""
        if (here := private_chat(update)) is None:
            return
        await self.support.pause(here[1])

    async def typed(self, update: Update) -> None:
        """Text from a colleague writing a statement is its answer; anyone else's goes on."""
        message = update.effective_message
        if (here := private_chat(update)) is None or message is None or message.text is None:
            return
        chat_id, key = here
        reply = await self.support.typed(key, message.text)
        if reply is None:
            return
        await self.show(chat_id, reply)
        raise ApplicationHandlerStop

    async def button(self, update: Update) -> None:
        """Ask (a:<reference>), cancel (x:<token>), change (c:<step>:<token>), send (s:<token>)."""
        query = update.callback_query
        if query is None or query.data is None:
            return
        await self.output.answer_button(query.id)
        if (here := private_chat(update)) is None:
            return
        chat_id, key = here
        match query.data.removeprefix(f"{BUTTON_PREFIX}:").split(":", 2):
            case ["a", reference]:
                reply = await self.support.ask(key, reference, self.output.username)
            case ["x", token]:
                reply = await self.support.revoke(key, token)
            case ["c", step, token]:
                reply = await self.support.change(key, token, step)
            case ["s", token]:
                reply = await self.support.send(key, token)
            case _:
                return
        await self.show(chat_id, reply)
