"""A colleague's supporting statement in Telegram: their /start support-<token> link, and
everything they do while writing (typed answers, edited messages, the statement's buttons and
the typed commands that stand for them). What each means is the statement conversation's
(bot.conversation.statements); this module reads updates and draws what it returns.

A colleague writing a statement has their messages taken here first (group -2, stopping the
nominators' handlers); anything not for the statement goes on to them.
"""

from __future__ import annotations

import re

from telegram import Update
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.conversation import Press, StatementConversation, Turn
from bot.screens.actions import ACTIONS, STEP_ACTIONS, Action
from bot.services.statement_requests import token_of
from bot.telegram.buttons import decode
from bot.telegram.chats import private_chat, ptb, typed_in_private
from bot.telegram.handlers import NominationHandlers
from bot.telegram.runtime import STATEMENTS_GROUP, AnyApplication
from flows.events import Edit, Submit

_LINK_START = r"^/start(@\w+)?\s+support-"
# Buttons of the nominator's /support before it ran on the conversation's screens, and the
# colleague's Change and Send from before statements ran on the engine: still in chats.
_OLD_BUTTON = re.compile(r"^sup:([axcs]):(.+)$")
# Before the nominators' handlers (group 0), and before the reminders' (group -1, where only the
# first matching handler runs): a statement being written takes its colleague's text.
_BY_COMMAND = {
    spec.command: spec.action
    for spec in ACTIONS
    if spec.command is not None and spec.action in STEP_ACTIONS
}


class StatementHandlers:
    """A colleague's statement, in their private chat with the bot."""

    def __init__(self, statements: StatementConversation, nominators: NominationHandlers) -> None:
        self.statements = statements
        self.nominators = nominators  # draws screens, and tells the nominator when one is sent
        self.output = nominators.output

    def register(self, application: AnyApplication) -> None:
        """Register before NominationHandlers: the first handler that matches an update wins."""
        private = filters.ChatType.PRIVATE & ~filters.UpdateType.EDITED
        link = private & filters.Regex(_LINK_START)
        application.add_handler(CommandHandler("start", ptb(self.open_link), filters=link))
        application.add_handler(CallbackQueryHandler(ptb(self.button), pattern=r"^sup:"))
        others = private & filters.COMMAND & ~filters.Regex(_LINK_START)
        application.add_handler(MessageHandler(others, ptb(self.command)), group=STATEMENTS_GROUP)
        typing = private & filters.TEXT & ~filters.COMMAND
        application.add_handler(MessageHandler(typing, ptb(self.typed)), group=STATEMENTS_GROUP)
        edits = filters.ChatType.PRIVATE & filters.UpdateType.EDITED_MESSAGE & filters.TEXT
        application.add_handler(MessageHandler(edits, ptb(self.edited)), group=STATEMENTS_GROUP)

    async def _draw(self, chat_id: int, turn: Turn | None) -> None:
        """Draw a turn that was the statement's; then no other handler sees the update."""
        if turn is None:
            return
        await self.nominators.draw_turn(chat_id, turn)
        raise ApplicationHandlerStop

    async def open_link(self, update: Update) -> None:
        """/start support-<token>: a colleague opens the link they were forwarded."""
        if (typed := typed_in_private(update)) is None:
            return
        payload = typed.text.split(maxsplit=1)[1] if " " in typed.text else ""
        token = token_of(payload.strip()) or ""
        await self.nominators.draw_turn(typed.chat_id, await self.statements.open(typed.key, token))

    async def command(self, update: Update) -> None:
        """A command from someone who may be writing a statement: one of its steps (/back,
        /done…) acts on it; any other pauses it, and then runs as usual."""
        if (typed := typed_in_private(update)) is None:
            return
        name, _, arg = typed.text.partition(" ")
        action = _BY_COMMAND.get(name.removeprefix("/").partition("@")[0])
        turn = await self.statements.command(typed.key, action, arg.strip())
        await self._draw(typed.chat_id, turn)

    async def typed(self, update: Update) -> None:
        """Text from a colleague writing a statement is its answer; anyone else's goes on."""
        if (typed := typed_in_private(update)) is None:
            return
        turn = await self.statements.typed(typed.key, typed.text, typed.source)
        await self._draw(typed.chat_id, turn)

    async def edited(self, update: Update) -> None:
        """An edited message that was part of the statement being written revises it; any
        other edit goes on to the nominators' handlers."""
        if (typed := typed_in_private(update, edited=True)) is None or typed.text.startswith("/"):
            return
        turn = await self.statements.revised(typed.key, typed.source, typed.text)
        await self._draw(typed.chat_id, turn)

    async def button(self, update: Update) -> None:
        """A statement's button; or an older kind of button still in a chat."""
        query = update.callback_query
        if query is None or query.data is None:
            return
        await self.output.answer_button(query.id)
        if (here := private_chat(update)) is None:
            return
        chat_id, key = here
        press = decode(query.data)
        if press is not None:
            turn = await self.statements.press(key, press)
            await self.nominators.draw_turn(chat_id, turn)
            return
        await self._old_button(chat_id, key, query.data)

    async def _old_button(self, chat_id: int, key: str, data: str) -> None:
        """The nominator's ask (a:<reference>) and cancel (x:<token>); a colleague's Change
        (c:<field>:<token>) and Send (s:<token>), as they were before."""
        old = _OLD_BUTTON.match(data)
        if old is None:
            return
        match old.groups():
            case ("a", reference):
                press = Press(Action.SUPPORT_ASK, ref=reference.rpartition("-")[2])
                turn = await self.nominators.conversation.press(key, press)
            case ("x", token):
                turn = await self.nominators.conversation.press(
                    key, Press(Action.SUPPORT_CANCEL, token)
                )
            case ("c", rest):
                field_id, _, token = rest.partition(":")
                turn = await self.statements.act_on(key, token, Edit(field_id))
            case ("s", token):
                turn = await self.statements.act_on(key, token, Submit())
            case _:
                return
        await self.nominators.draw_turn(chat_id, turn)
