"""Supporting statements in Telegram: the nominator's /support (ask for a link, cancel one),
the colleague's /start support-<token> link, and everything they do while writing: typed
answers, edited messages, buttons and the typed commands that stand for them. The rules are
the engine's (bot.statement runs it); this module translates.

A colleague writing a statement has their messages taken here first (group -2, stopping the
nominators' handlers). A command that is not one of the statement's (Back, Done, Review…)
pauses the statement, so their own nominations carry on as before until they open the link
again.
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

from bot.screens.actions import ACTIONS, BY_ACTION, Action, event_for
from bot.screens.builder import Screen, text_screen
from bot.services.statement_requests import Reply, SupportService, token_of
from bot.services.statements import StatementService, Written
from bot.telegram.buttons import POSITION_FREE, position_token
from bot.telegram.handlers import private_chat, ptb
from bot.telegram.runtime import AnyApplication
from flows.events import Edit, Submit
from flows.form import Form
from flows.state import NominationState

BUTTON_PREFIX = "sup"
_BUTTON = re.compile(rf"^{BUTTON_PREFIX}:(.+)$")
_LINK_START = r"^/start(@\w+)?\s+support-"
# Before the nominators' handlers (group 0), and before the reminders' (group -1, where only the
# first matching handler runs): a statement being written takes its colleague's text.
FIRST = -2
# What a colleague can do while writing: the nominator's own actions on an answer.
STATEMENT_ACTIONS = frozenset(
    {
        Action.ANSWER,
        Action.DONE,
        Action.BACK,
        Action.SKIP,
        Action.HINTS,
        Action.REVIEW,
        Action.CLEAR,
        Action.ADD_TO,
        Action.EDIT,
        Action.SUBMIT,
        Action.CONFIRM,
        Action.DECLINE,
        Action.KEEP,
    }
)
_BY_COMMAND = {
    spec.command: spec.action
    for spec in ACTIONS
    if spec.command is not None and spec.action in STATEMENT_ACTIONS
}


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


def statement_button(
    form: Form, token: str, state: NominationState | None, action: Action, arg: str
) -> str:
    """A statement's button: "sup:w:<token>:<position>:<action>:<arg>", within 64 bytes (a
    16-character token and a field id)."""
    return f"{BUTTON_PREFIX}:w:{token}:{position_token(form, state)}:{action.value}:{arg}"


class SupportHandlers:
    """Both sides of a supporting statement, in private chats with the bot."""

    def __init__(self, support: SupportService, output: SupportOutput) -> None:
        self.support = support
        self.statements: StatementService = support.statements
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
        application.add_handler(MessageHandler(others, ptb(self.command)), group=FIRST)
        typing = private & filters.TEXT & ~filters.COMMAND
        application.add_handler(MessageHandler(typing, ptb(self.typed)), group=FIRST)
        edits = filters.ChatType.PRIVATE & filters.UpdateType.EDITED_MESSAGE & filters.TEXT
        application.add_handler(MessageHandler(edits, ptb(self.edited)), group=FIRST)

    async def show(self, chat_id: int, reply: Reply) -> None:
        screen = text_screen(*reply.paragraphs)
        if reply.buttons:
            rows = [
                [(label, f"{BUTTON_PREFIX}:{data}") for label, data in row] for row in reply.buttons
            ]
            await self.output.send_choices(chat_id, screen, rows)
        else:
            await self.output.show(chat_id, None, screen)

    async def show_written(self, chat_id: int, written: Written) -> None:
        """The colleague's screens, their buttons acting on their statement; then, once it is
        sent, the nominator is told."""
        form = self.statements.statement_form
        for screen in written.screens:
            if not screen.buttons or written.token is None:
                await self.output.show(chat_id, None, Screen(screen.paragraphs))
                continue
            rows = [
                [
                    (b.label, statement_button(form, written.token, written.state, b.action, b.arg))
                    for b in row
                ]
                for row in screen.buttons
            ]
            await self.output.send_choices(chat_id, screen, rows)
        if written.tell is not None and (nominator_chat := chat_of(written.tell[0])) is not None:
            await self.output.show(nominator_chat, None, text_screen(written.tell[1]))

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
        await self.show_written(chat_id, await self.statements.open(key, token))

    async def command(self, update: Update) -> None:
        """A command from someone writing a statement: one of the statement's own (/back,
        /done…) acts on it; any other pauses it, and then runs as usual."""
        message = update.effective_message
        if (here := private_chat(update)) is None or message is None or message.text is None:
            return
        chat_id, key = here
        name, _, arg = message.text.partition(" ")
        action = _BY_COMMAND.get(name.removeprefix("/").partition("@")[0])
        event = event_for(action, arg.strip()) if action is not None else None
        if event is None or not await self.statements.writing(key):
            await self.statements.pause(key)
            return
        written = await self.statements.act(key, event)
        if written is None:
            return
        await self.show_written(chat_id, written)
        raise ApplicationHandlerStop

    async def typed(self, update: Update) -> None:
        """Text from a colleague writing a statement is its answer; anyone else's goes on."""
        message = update.effective_message
        if (here := private_chat(update)) is None or message is None or message.text is None:
            return
        chat_id, key = here
        source = str(message.message_id)
        written = await self.statements.typed(key, message.text, source)
        if written is None:
            return
        await self.show_written(chat_id, written)
        raise ApplicationHandlerStop

    async def edited(self, update: Update) -> None:
        """An edited message that was part of the statement being written revises it; any
        other edit goes on to the nominators' handlers."""
        message = update.edited_message
        if (here := private_chat(update)) is None or message is None or message.text is None:
            return
        if message.text.startswith("/"):
            return
        chat_id, key = here
        written = await self.statements.revise(key, str(message.message_id), message.text)
        if written is None:
            return
        await self.show_written(chat_id, written)
        raise ApplicationHandlerStop

    async def button(self, update: Update) -> None:
        """The nominator's ask (a:<reference>) and cancel (x:<token>); the colleague's
        statement buttons (w:<token>:<position>:<action>:<arg>)."""
        query = update.callback_query
        if query is None or query.data is None:
            return
        await self.output.answer_button(query.id)
        if (here := private_chat(update)) is None:
            return
        chat_id, key = here
        match query.data.removeprefix(f"{BUTTON_PREFIX}:").split(":", 5):
            case ["a", reference]:
                await self.show(
                    chat_id, await self.support.ask(key, reference, self.output.username)
                )
            case ["x", token]:
                await self.show(chat_id, await self.support.revoke(key, token))
            case ["w", token, position, action, arg]:
                await self._statement_button(chat_id, key, token, position, action, arg)
            # Buttons from before statements ran on the engine: Change, and Send.
            case ["c", field_id, token]:
                written = await self.statements.act(key, Edit(field_id), token=token)
                await self.show_written(chat_id, written or Written(()))
            case ["s", token]:
                written = await self.statements.act(key, Submit(), token=token)
                await self.show_written(chat_id, written or Written(()))

    async def _statement_button(
        self, chat_id: int, key: str, token: str, position: str, value: str, arg: str
    ) -> None:
        try:
            action = Action(value)
        except ValueError:
            return
        event = event_for(action, arg) if action in STATEMENT_ACTIONS else None
        if event is None:
            return
        form = self.statements.statement_form

        def current(state: NominationState) -> bool:
            return action in POSITION_FREE or position == position_token(form, state)

        written = await self.statements.act(key, event, token=token, only_if=current)
        await self.show_written(chat_id, written or Written(()))
