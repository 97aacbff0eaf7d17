"""The nominator's data in Telegram: `/privacy`, `/mydata`, and the retention purge's warning.

`/mydata` sends bot.services.my_data's document with sendDocument, to the asker's private chat
only. The warning a week before an idle draft is erased carries a Continue button for that draft
(the conversation's), so carrying on is one tap. The purge loop (bot.jobs.retention) runs from
the Application's post_init to its post_stop, as the reminders' does.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import CommandHandler, filters

from bot.jobs.retention import RetentionScheduler, RetentionWarning
from bot.screens import reminders as reminder_screens
from bot.screens import texts
from bot.screens.actions import BY_ACTION, Action
from bot.services.my_data import MyData
from bot.telegram.chats import Handler, chat_of, private_chat, ptb
from bot.telegram.output import ChatOutput
from bot.telegram.runtime import AnyApplication
from flows.form import Form


class DataHandlers:
    """/privacy and /mydata, and the warning's send."""

    def __init__(
        self,
        mydata: MyData,
        output: ChatOutput,
        form: Form,
        *,
        retention_days: int,
        clock: Callable[[], datetime],
    ) -> None:
        self._mydata = mydata
        self._output = output
        self._form = form
        self._days = retention_days
        self._clock = clock
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def commands(self) -> dict[Action, Handler]:
        return {Action.PRIVACY: self.privacy, Action.MY_DATA: self.my_data}

    def register(self, application: AnyApplication) -> None:
        """Register before NominationHandlers, whose catch-all answers unknown commands."""
        private = filters.ChatType.PRIVATE & ~filters.UpdateType.EDITED
        for action, handler in self.commands().items():
            command = BY_ACTION[action].command
            if command is not None:
                application.add_handler(CommandHandler(command, ptb(handler), filters=private))

    async def privacy(self, update: Update) -> None:
        """/privacy: what is kept, why, for how long, and who sees it."""
        if (here := private_chat(update)) is None:
            return
        chat_id, _ = here
        await self._output.show(chat_id, reminder_screens.privacy(self._form.organiser, self._days))

    async def my_data(self, update: Update) -> None:
        """/mydata: a JSON document of everything held about the asker."""
        if (here := private_chat(update)) is None:
            return
        chat_id, key = here
        counts, data = await self._mydata.as_bytes(key, self._clock())
        held = [texts.MY_DATA_COUNTS[k].format(count=n) for k, n in counts.items() if n]
        caption = texts.MY_DATA_CAPTION.format(held=", ".join(held)) if held else texts.MY_DATA_NONE
        await self._output.send_document(chat_id, texts.MY_DATA_FILE, data, caption)

    async def warn(self, warning: RetentionWarning) -> bool:
        """The purge's `warn`: True if Telegram took the message."""
        chat_id = chat_of(warning.nominator)
        if chat_id is None:
            return False  # the terminal's drafts: no push there
        screen = reminder_screens.retention_warning(
            warning.reference, warning.nominee, warning.erase_on
        )
        try:
            await self._output.show(chat_id, screen)
        except TelegramError:
            return False  # blocked, or gone: the purge goes ahead a week later all the same
        return True

    # With the Application ------------------------------------------------------------------

    def start(self, scheduler: RetentionScheduler) -> None:
        self._stop.clear()
        self._task = asyncio.create_task(scheduler.run(self._stop))

    async def stop(self) -> None:
        if self._task is None:
            return
        self._stop.set()
        await self._task
        self._task = None
