"""A nominee's approval in Telegram (issue 19): their /start nominee-<token> link, the approval's
buttons, and the note they type. What each means is the approval conversation's
(bot.conversation.approvals); this module reads updates and draws what it returns.

A nominee asked for a note has their typing taken here first (group -3, before a statement's
and the nominators' handlers); any command leaves the note and goes on as usual.
"""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.conversation import ApprovalConversation
from bot.jobs.approvals import ApprovalReminders
from bot.screens import texts
from bot.screens.parts import Screen
from bot.services.approvals import ApprovalService, token_of
from bot.telegram.buttons import APPROVAL_PREFIX, decode
from bot.telegram.chats import chat_of, private_chat, ptb, typed_in_private
from bot.telegram.handlers import NominationHandlers
from bot.telegram.output import ChatOutput
from bot.telegram.runtime import APPROVAL_GROUP, AnyApplication

_LINK_START = r"^/start(@\w+)?\s+nominee-"


class ApprovalHandlers:
    """A nominee approving a nomination about them, in their private chat with the bot."""

    def __init__(self, approvals: ApprovalConversation, nominators: NominationHandlers) -> None:
        self.approvals = approvals
        self.nominators = nominators  # draws screens, and tells the nominator the answer
        self.output = nominators.output

    def register(self, application: AnyApplication) -> None:
        """Register before the statements' and the nominators' handlers: the first that
        matches an update wins."""
        private = filters.ChatType.PRIVATE & ~filters.UpdateType.EDITED
        link = private & filters.Regex(_LINK_START)
        application.add_handler(CommandHandler("start", ptb(self.open_link), filters=link))
        pattern = f"^{APPROVAL_PREFIX}"
        application.add_handler(CallbackQueryHandler(ptb(self.button), pattern=pattern))
        others = private & filters.COMMAND & ~filters.Regex(_LINK_START)
        application.add_handler(MessageHandler(others, ptb(self.command)), group=APPROVAL_GROUP)
        typing = private & filters.TEXT & ~filters.COMMAND
        application.add_handler(MessageHandler(typing, ptb(self.typed)), group=APPROVAL_GROUP)

    async def open_link(self, update: Update) -> None:
        """/start nominee-<token>: the nominee opens the link they were forwarded."""
        if (typed := typed_in_private(update)) is None:
            return
        payload = typed.text.split(maxsplit=1)[1] if " " in typed.text else ""
        token = token_of(payload.strip()) or ""
        await self.nominators.draw_turn(typed.chat_id, await self.approvals.open(typed.key, token))

    async def command(self, update: Update) -> None:
        """Any other command: a note being asked for is left undecided; the command goes on."""
        if (typed := typed_in_private(update)) is None:
            return
        await self.approvals.command(typed.key)

    async def typed(self, update: Update) -> None:
        """Text from a nominee asked for a note is the note; anyone else's goes on."""
        if (typed := typed_in_private(update)) is None:
            return
        turn = await self.approvals.typed(typed.key, typed.text)
        if turn is None:
            return
        await self.nominators.draw_turn(typed.chat_id, turn)
        raise ApplicationHandlerStop

    async def button(self, update: Update) -> None:
        """An approval's button, pressed once."""
        query = update.callback_query
        if query is None or query.data is None:
            return
        if (here := private_chat(update)) is None:
            await self.output.answer_button(query.id, texts.PRIVATE_CHAT_ONLY)
            return
        if self.nominators.acted.acted_on(query.message):
            await self.output.answer_button(query.id, texts.ALREADY_DONE)
            return
        await self.output.answer_button(query.id)
        chat_id, key = here
        press = decode(query.data)
        if press is None:
            return
        turn = await self.approvals.press(key, press)
        if turn.acted:
            self.nominators.acted.remember(query.message)
        await self.nominators.draw_turn(chat_id, turn)


class ApprovalReminderLoop:
    """The approval reminders, run from the Application's post_init to its post_stop, each sent
    to its nominator's private chat."""

    def __init__(self, output: ChatOutput) -> None:
        self.output = output
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def send(self, nominator: str, screen: Screen) -> bool:
        """The reminders' `send`: True if Telegram took the message."""
        chat_id = chat_of(nominator)
        if chat_id is None:
            return False  # a terminal's nomination: no push there
        await self.output.show(chat_id, screen)
        return True

    def register(self, application: AnyApplication, reminders: ApprovalReminders) -> None:
        """Start with the Application and stop with it, after whatever it already runs."""
        earlier_init, earlier_stop = application.post_init, application.post_stop

        async def post_init(app: AnyApplication) -> None:
            if earlier_init is not None:
                await earlier_init(app)
            self._stop.clear()
            self._task = asyncio.create_task(reminders.run(self._stop))

        async def post_stop(app: AnyApplication) -> None:
            if self._task is not None:
                self._stop.set()
                await self._task
                self._task = None
            if earlier_stop is not None:
                await earlier_stop(app)

        application.post_init = post_init
        application.post_stop = post_stop


def wire_approvals(
    application: AnyApplication,
    approvals: ApprovalService,
    nominators: NominationHandlers,
    output: ChatOutput,
) -> None:
    """The nominee's approval on the Application (bot.app calls this): the link, buttons and
    note before the nominators' handlers, and the reminders' loop after whatever already runs."""
    ApprovalHandlers(ApprovalConversation(approvals), nominators).register(application)
    loop = ApprovalReminderLoop(output)
    # A look a minute, or more often when reminders fall due sooner (a trial's, a test's).
    every = min(60.0, approvals.settings.remind_after.total_seconds() / 2)
    reminders = ApprovalReminders(approvals, loop.send, lambda: output.username, max_sleep=every)
    loop.register(application, reminders)
