"""The nominators' Telegram handlers: each reads an update, hands it to the conversation
(bot.conversation) and draws the screens it returns through a ChatOutput, and nothing more.
Only what is Telegram's own is decided here: groups and channels, double taps, floods, and the
messages Telegram can carry that are not text.

A nominator's state lives only in SQLite (through the service), so a restart carries on exactly
where they were.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.conversation import Conversation, Turn
from bot.screens import texts
from bot.screens.actions import ACTIONS, Action, FrontEnd
from bot.screens.parts import Screen, text_screen
from bot.telegram.buttons import ActedMessages, decode
from bot.telegram.chats import Handler, chat_of, private_chat, ptb, typed_in_private
from bot.telegram.output import ChatOutput
from bot.telegram.runtime import AnyApplication, PerUserUpdateProcessor


def command_arg(update: Update) -> str:
    """What follows the command: "Q2" of "/edit Q2"."""
    message = update.effective_message
    return " ".join(((message.text if message else None) or "").split()[1:])


class NominationHandlers:
    """The nomination conversation in a Telegram private chat."""

    def __init__(self, conversation: Conversation, output: ChatOutput) -> None:
        self.conversation = conversation
        self.output = output
        self.acted = ActedMessages()
        # Other journeys' "where you are" for a user with no draft (a judge's next nomination),
        # tried in turn after a restart; None: not theirs.
        self.elsewhere: list[Callable[[int], Awaitable[Turn | None]]] = []

    def commands(self) -> dict[str, Handler]:
        """Every command the conversation answers, by name, from the one table of actions: the
        help and the command menu list the same ones (the rest are other handlers')."""
        return {
            spec.command: self._command(spec.action)
            for spec in ACTIONS
            if spec.command is not None
            and spec.kind.in_the_conversation
            and FrontEnd.TELEGRAM in spec.offered_in
        }

    def register(self, application: AnyApplication) -> None:
        processor = application.update_processor
        if isinstance(processor, PerUserUpdateProcessor):
            processor.on_flood = self.flooded
            processor.on_unanswered = self.unanswered
        private = filters.ChatType.PRIVATE
        groups = filters.ChatType.GROUPS | filters.ChatType.CHANNEL
        not_edited = ~filters.UpdateType.EDITED
        application.add_handler(MessageHandler(groups & not_edited, ptb(self.refuse_group)))
        for name, callback in self.commands().items():
            application.add_handler(
                CommandHandler(name, ptb(callback), filters=private & not_edited)
            )
        edited_text = private & filters.UpdateType.EDITED_MESSAGE & filters.TEXT
        application.add_handler(MessageHandler(edited_text, ptb(self.edited)))
        command = private & filters.COMMAND & not_edited
        application.add_handler(MessageHandler(command, ptb(self.unknown)))
        application.add_handler(MessageHandler(private & filters.TEXT & not_edited, ptb(self.text)))
        not_text = private & ~filters.TEXT & not_edited
        application.add_handler(MessageHandler(not_text, ptb(self.not_text)))
        application.add_handler(CallbackQueryHandler(ptb(self.button)))

    async def draw(self, chat_id: int, screens: Sequence[Screen]) -> None:
        for screen in screens:
            await self.output.show(chat_id, screen)

    async def draw_turn(self, chat_id: int, turn: Turn) -> None:
        """A press's screens, then anything it tells other people (a nominator: a statement
        arrived), each in their own private chat."""
        await self.draw(chat_id, turn.screens)
        for key, screen in turn.tell:
            if (their_chat := chat_of(key)) is not None:
                await self.output.show(their_chat, screen)

    # Commands and messages -------------------------------------------------------------------

    def _command(self, action: Action) -> Handler:
        """A command: the conversation's, for the sender's own nominations."""

        async def command(update: Update) -> None:
            if (here := private_chat(update)) is None:
                return
            chat_id, key = here
            message = update.message
            at = message.date if message is not None else None
            shown = await self.conversation.command(key, action, command_arg(update), at=at)
            await self.draw(chat_id, shown)

        command.__doc__ = f"/{action.name.lower()}: the conversation's {action.name} command."
        return command

    async def text(self, update: Update) -> None:
        """A typed answer; a long answer may arrive over several messages."""
        if (typed := typed_in_private(update)) is None:
            return
        shown = await self.conversation.typed(
            typed.key, typed.text, source=typed.source, at=typed.date
        )
        await self.draw(typed.chat_id, shown)

    async def edited(self, update: Update) -> None:
        """An edited message: the saved answer that came from it follows the edit."""
        if (typed := typed_in_private(update, edited=True)) is None or typed.text.startswith("/"):
            return
        shown = await self.conversation.revised(typed.key, typed.source, typed.text)
        await self.draw(typed.chat_id, shown)

    async def not_text(self, update: Update) -> None:
        """Stickers, voice notes, locations…: ask for typed text; nothing saved changes. (Files
        and photos go to bot.telegram.evidence when it is registered.)"""
        if update.effective_chat is not None:
            await self.output.show(update.effective_chat.id, text_screen(texts.NOT_TEXT))

    async def unknown(self, update: Update) -> None:
        """An unknown command: say so and show the commands."""
        if update.effective_chat is not None:
            await self.output.show(update.effective_chat.id, self.conversation.unknown_command())

    async def flooded(self, update: Update, kept: int) -> None:
        """Updates past the first `kept` of a burst were not saved: say so in a private chat
        (in a group, nothing was collected, so there is nothing to say)."""
        chat = update.effective_chat
        if chat is not None and chat.type == ChatType.PRIVATE:
            await self.output.show(chat.id, text_screen(texts.FLOODED.format(kept=kept)))

    async def unanswered(self, update: Update) -> None:
        """An update saved just before a crash, its reply perhaps lost: where they are now, their
        draft's step, else another journey's (a judge's), else their nominations (in a group
        nothing was saved, so nothing is said)."""
        if (here := private_chat(update)) is None:
            return
        chat_id, key = here
        if await self.conversation.service.draft(key) is None:
            for where in self.elsewhere:
                if (turn := await where(chat_id)) is not None:
                    await self.draw(chat_id, [text_screen(texts.RESTARTED), *turn.screens])
                    return
        await self.draw(chat_id, await self.conversation.after_restart(key))

    async def refuse_group(self, update: Update) -> None:
        """Groups and channels: collect nothing; point commands to a private chat, once each."""
        chat, message = update.effective_chat, update.effective_message
        if chat is None or message is None or chat.type == ChatType.PRIVATE:
            return
        username = self.output.username
        if not addressed_to(message.text or "", username):
            return
        link = f"https://t.me/{username}?start=nominate"
        text = texts.GROUP_REFUSED.format(link=link)
        await self.output.send_link(chat.id, text, "Open a private chat", link)

    # Buttons ---------------------------------------------------------------------------------

    async def button(self, update: Update) -> None:
        """A button press: always answered at once, then acted on unless it is a double tap."""
        # A button press carries no time of its own: when its handling began is the nearest
        # bound for the closing time (it waits only behind this nominator's own earlier updates).
        received = self.conversation.service.now()
        query = update.callback_query
        if query is None:
            return
        if (here := private_chat(update)) is None:
            # A button on a message outside the nominator's private chat (a group, say): show
            # nothing of any nomination there.
            await self.output.answer_button(query.id, texts.PRIVATE_CHAT_ONLY)
            return
        chat_id, key = here
        if self.acted.acted_on(query.message):
            # A second tap on a message whose button already acted (a double tap, say).
            await self.output.answer_button(query.id, texts.ALREADY_DONE)
            return
        await self.output.answer_button(query.id)
        press = decode(query.data or "")
        if press is None:
            await self.draw(chat_id, await self.conversation.unreadable(key))
            return
        turn = await self.conversation.press(key, press, at=received)
        if turn.acted:
            self.acted.remember(query.message)
        await self.draw_turn(chat_id, turn)


def addressed_to(text: str, username: str) -> bool:
    """Whether a group message is for this bot: a command not meant for another bot by name
    (/start, /start@this_bot, but not /start@other_bot), or a mention of this bot."""
    if text.startswith("/"):
        command = text.split(maxsplit=1)[0]
        _, at, bot = command.partition("@")
        return not at or bot.casefold() == username.casefold()
    return f"@{username}".casefold() in text.casefold()
