"""The nominator's data in Telegram: `/privacy`, `/mydata`, and the retention purge's warning.

`/mydata` sends bot.mydata's document with sendDocument, to the asker's private chat only. The
warning a week before an idle draft is erased carries the reminders' Continue button (answered by
bot.telegram.reminders), so carrying on is one tap. The purge loop (bot.retention) runs from the
Application's post_init to its post_stop, as the reminders' does.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import CommandHandler, filters

from bot.jobs.retention import RetentionScheduler, RetentionWarning
from bot.screens import texts
from bot.screens.actions import BY_ACTION, Action
from bot.screens.builder import text_screen
from bot.services.my_data import MyData
from bot.telegram.handlers import Handler, private_chat, ptb
from bot.telegram.output import ChatOutput
from bot.telegram.reminders import CONTINUE_PREFIX, chat_of
from bot.telegram.runtime import AnyApplication
from flows.form import Form
from storage.nominations import reference_code


def privacy_paragraphs(form: Form, days: int) -> list[str]:
    """The privacy notice, with the organiser's name and the retention period filled in."""
    return [p.format(organiser=form.organiser, days=days) for p in texts.PRIVACY_NOTICE]


def day_text(at: datetime) -> str:
    """A date as a person reads it: 3 March 2027."""
    return f"{at.day} {at:%B %Y}"


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
        paragraphs = privacy_paragraphs(self._form, self._days)
        await self._output.show(chat_id, None, text_screen(*paragraphs))

    async def my_data(self, update: Update) -> None:
        """/mydata: a JSON document of everything held about the asker."""
        if (here := private_chat(update)) is None:
            return
        chat_id, key = here
        count, data = await self._mydata.as_bytes(key, self._clock())
        caption = texts.MY_DATA_CAPTION.format(count=count) if count else texts.MY_DATA_NONE
        await self._output.send_document(chat_id, texts.MY_DATA_FILE, data, caption)

    async def warn(self, warning: RetentionWarning) -> bool:
        """The purge's `warn`: True if Telegram took the message."""
        chat_id = chat_of(warning.nominator)
        if chat_id is None:
            return False  # the terminal's drafts: no push there
        named = warning.nominee
        for_nominee = texts.RETENTION_FOR_NOMINEE.format(nominee=named) if named else ""
        text = texts.RETENTION_WARNING.format(
            for_nominee=for_nominee, date=day_text(warning.erase_on)
        )
        code = reference_code(warning.reference)
        button = (texts.REMINDER_CONTINUE_BUTTON, CONTINUE_PREFIX + code)
        try:
            await self._output.show_with(chat_id, text_screen(text), [button])
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
