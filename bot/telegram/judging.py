"""Judging in Telegram (issue 18): a judge's /start judge-<token> link, their typed details,
reasons and comments, /judge, /myscores and their buttons; and the organisers' /judges and
/judging, for the organisers only (an award's own organisers for that award's panel). What each
means is the judging conversation's (bot.conversation.panels, one panel per judged award); this
module reads updates and draws what it returns.

Anyone who is not a judge gets what an unknown command gets for /judge and /myscores, and what
any unreadable button gets for a judging button; a stranger's /judges or /judging falls
through to the nominators' unknown-command reply, as the organisers' other commands do.
"""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand, BotCommandScopeChat, Update
from telegram.error import TelegramError
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.conversation import Turn
from bot.conversation.panels import Panels
from bot.screens import texts
from bot.screens.actions import PANEL_BUTTONS
from bot.telegram.buttons import decode
from bot.telegram.chats import private_chat, ptb, typed_in_private
from bot.telegram.handlers import NominationHandlers, command_arg
from bot.telegram.organisers import OrganiserChats
from bot.telegram.runtime import JUDGING_GROUP, AnyApplication

logger = logging.getLogger(__name__)
_LINK_START = r"^/start(@\w+)?\s+judge-"
# A judging button's callback data: "ref:pos:action:arg" with an action starting "j".
BUTTON_PATTERN = r"^[^:]*:[^:]*:j[A-Za-z]*:"
# Before the statements' handlers (group -2) and the nominators': text from a judge giving a
# detail, a reason or a comment is theirs.
ORGANISERS_ACTIONS = frozenset(PANEL_BUTTONS)


class JudgingHandlers:
    """Judging, in private chats with the bot."""

    def __init__(
        self,
        judging: Panels,
        nominators: NominationHandlers,
        organisers: OrganiserChats,
    ) -> None:
        self.judging = judging
        self.nominators = nominators
        self.output = nominators.output
        self.organisers = organisers
        self.organiser_ids = organisers.organiser_ids

    def register(self, application: AnyApplication) -> None:
        """Before the nominators' handlers: the first handler that matches an update wins."""
        private = filters.ChatType.PRIVATE & ~filters.UpdateType.EDITED
        link = private & filters.Regex(_LINK_START)
        application.add_handler(CommandHandler("start", ptb(self.open_link), filters=link))
        application.add_handler(CommandHandler("judge", ptb(self.next), filters=private))
        application.add_handler(CommandHandler("myscores", ptb(self.my_scores), filters=private))
        organisers = private & filters.User(user_id=self.organiser_ids, allow_empty=False)
        application.add_handler(CommandHandler("judges", ptb(self.judges), filters=organisers))
        application.add_handler(CommandHandler("judging", ptb(self.open_close), filters=organisers))
        application.add_handler(CallbackQueryHandler(ptb(self.button), pattern=BUTTON_PATTERN))
        typing = private & filters.TEXT & ~filters.COMMAND
        application.add_handler(MessageHandler(typing, ptb(self.typed)), group=JUDGING_GROUP)
        # After a restart that lost a judge's reply: their next nomination, as /judge shows it.
        self.nominators.elsewhere.append(self.judging.next)

    async def _draw(self, chat_id: int, turn: Turn) -> None:
        await self.nominators.draw(chat_id, turn.screens)

    async def open_link(self, update: Update) -> None:
        """/start judge-<token>: someone opens the link an organiser forwarded."""
        if (typed := typed_in_private(update)) is None:
            return
        payload = typed.text.split(maxsplit=1)[1] if " " in typed.text else ""
        turn = await self.judging.open_link(typed.chat_id, payload.strip())
        await self._draw(typed.chat_id, turn)
        if turn.acted:
            await self._set_menu(update.get_bot(), typed.chat_id)

    async def _set_menu(self, bot: Bot, chat_id: int) -> None:
        """The judge's chat's command menu: the nominators' commands and the judges' (and the
        organisers', for an organiser who judges too)."""
        menu = [*texts.TELEGRAM_COMMANDS, *texts.JUDGE_COMMANDS]
        if chat_id in self.organiser_ids:
            menu += [(name, about.split(":")[0]) for name, about in texts.ORGANISER_COMMANDS]
        commands = [BotCommand(name, about) for name, about in menu]
        try:
            await bot.set_my_commands(commands, scope=BotCommandScopeChat(chat_id=chat_id))
        except TelegramError as exc:  # the menu is a convenience: judging goes on without it
            logger.warning("no judges' menu for %s: %s", chat_id, exc)

    async def typed(self, update: Update) -> None:
        """A judge's detail, reason or comment; anyone else's text goes on."""
        if (typed := typed_in_private(update)) is None:
            return
        turn = await self.judging.typed(typed.chat_id, typed.text)
        if turn is None:
            return
        await self._draw(typed.chat_id, turn)
        raise ApplicationHandlerStop

    async def next(self, update: Update) -> None:
        """/judge: the next nomination to score; to anyone else, an unknown command."""
        if (here := private_chat(update)) is None:
            return
        turn = await self.judging.next(here[0])
        if turn is None:
            await self.nominators.unknown(update)
            return
        await self._draw(here[0], turn)

    async def my_scores(self, update: Update) -> None:
        """/myscores: what the judge has scored; to anyone else, an unknown command."""
        if (here := private_chat(update)) is None:
            return
        turn = await self.judging.my_scores(here[0])
        if turn is None:
            await self.nominators.unknown(update)
            return
        await self._draw(here[0], turn)

    async def judges(self, update: Update) -> None:
        """/judges (organisers): the panel, who is behind, Invite a judge, Remove."""
        if (here := self._organiser(update)) is not None:
            scope = self.organisers.scope(here)
            await self._draw(here, await self.judging.judges(scope, command_arg(update)))

    async def open_close(self, update: Update) -> None:
        """/judging open | close (organisers)."""
        if (here := self._organiser(update)) is not None:
            scope = self.organisers.scope(here)
            await self._draw(here, await self.judging.judging(scope, command_arg(update)))

    async def button(self, update: Update) -> None:
        """A judge's or an organiser's judging button; from anyone else, an unreadable one."""
        query = update.callback_query
        here = private_chat(update)
        press = decode(query.data or "") if query is not None else None
        if query is None or here is None or press is None:
            await self.nominators.button(update)
            return
        chat_id = here[0]
        if press.action in ORGANISERS_ACTIONS:
            if chat_id not in self.organiser_ids:
                await self.nominators.button(update)
                return
            await self.output.answer_button(query.id)
            scope = self.organisers.scope(chat_id)
            await self._draw(chat_id, await self.judging.organiser_press(scope, press))
            return
        turn = await self.judging.press(chat_id, press)
        if turn is None:
            await self.nominators.button(update)
            return
        await self.output.answer_button(query.id)
        await self._draw(chat_id, turn)

    def _organiser(self, update: Update) -> int | None:
        here = private_chat(update)
        return here[0] if here is not None and here[0] in self.organiser_ids else None
