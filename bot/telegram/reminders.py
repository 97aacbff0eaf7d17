"""Reminders for unfinished drafts, sent through Telegram, and what a nominator can do with one.

The schedule and the loop are bot/jobs/reminders.py's; this module is its `send` for Telegram,
the Stop reminders button and `/stop_reminders`, and running the loop while the Application runs
(bot.app starts it in post_init and stops it in post_stop, which bot.telegram.runtime.serving
calls as run_polling would). A reminder's Continue is the conversation's (the draft it names).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.conversation import Press
from bot.jobs.reminders import Blocked, Delivered, Failed, Reminder, ReminderScheduler, SendResult
from bot.screens import reminders as reminder_screens
from bot.screens import texts
from bot.screens.actions import BY_ACTION, Action
from bot.screens.parts import text_screen
from bot.telegram.chats import chat_of, nominator_key, private_chat, ptb
from bot.telegram.handlers import NominationHandlers
from bot.telegram.runtime import REMINDERS_GROUP, AnyApplication
from flows.round import Round
from storage.clock import utc_now
from storage.reminders import ReminderStore, StopReason

STOP_COMMAND = BY_ACTION[Action.STOP_REMINDERS].command or "stop_reminders"  # the table's name
# The Stop reminders button (any nomination, any position); and the buttons of reminders sent
# before they were screens, still in chats.
STOP_PATTERN = rf"^[^:]*:[^:]*:{Action.STOP_REMINDERS.value}:"
OLD_CONTINUE_PREFIX = "rem:go:"
OLD_STOP_DATA = "rem:stop"


def reminder_text(reminder: Reminder, round_dates: Round) -> list[str]:
    """What a reminder says, paragraph by paragraph."""
    return reminder_screens.reminder_text(
        nominee=reminder.nominee,
        answered=reminder.answered,
        total=reminder.total,
        at=reminder.position_label,
        round_dates=round_dates,
    )


class TelegramReminders:
    """Sends reminders and handles what comes back from them."""

    def __init__(
        self,
        reminders: ReminderStore,
        nominators: NominationHandlers,
        round_dates: Round,
        *,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._reminders = reminders
        self._nominators = nominators
        self._output = nominators.output
        self._round = round_dates
        self._clock = clock
        self.scheduler: ReminderScheduler | None = None
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def send(self, reminder: Reminder) -> SendResult:
        """The scheduler's `send`: Telegram's answer as Delivered, Blocked or Failed."""
        chat_id = chat_of(reminder.nominator)
        if chat_id is None:
            return Blocked()  # the terminal's drafts: nobody to remind there
        lines = reminder_text(reminder, self._round)
        try:
            await self._output.show(chat_id, reminder_screens.reminder(reminder.reference, lines))
        except Forbidden:
            return Blocked()  # blocked by the user, or the account is gone
        except RetryAfter as exc:
            seconds = exc.retry_after
            wait = seconds if isinstance(seconds, int | float) else seconds.total_seconds()
            return Failed("flood control", retry_after=float(wait))
        except BadRequest as exc:
            if "chat not found" in exc.message.lower():
                return Blocked()
            return Failed(exc.message)
        except (TimedOut, NetworkError) as exc:
            return Failed(type(exc).__name__)
        return Delivered()

    def register(self, application: AnyApplication) -> None:
        """The buttons and /stop_reminders, before the nominators' catch-alls; and, first of
        all, turning reminders back on for someone who had blocked the bot and is back."""
        private = filters.ChatType.PRIVATE
        application.add_handler(
            MessageHandler(private, ptb(self.back_again)), group=REMINDERS_GROUP
        )
        application.add_handler(
            CommandHandler(
                STOP_COMMAND, ptb(self.stop_command), private & ~filters.UpdateType.EDITED
            )
        )
        application.add_handler(
            CallbackQueryHandler(ptb(self.continue_button), pattern=f"^{OLD_CONTINUE_PREFIX}")
        )
        stop = f"{STOP_PATTERN}|^{OLD_STOP_DATA}$"
        application.add_handler(CallbackQueryHandler(ptb(self.stop_button), pattern=stop))

    async def back_again(self, update: Update) -> None:
        """Whoever writes has not blocked the bot (any more): reminders may go to them again."""
        if update.effective_user is None:
            return
        key = nominator_key(update.effective_user.id)
        if await self._reminders.stopped(key) is StopReason.BLOCKED:
            await self._reminders.resume(key, only=StopReason.BLOCKED)

    async def stop_command(self, update: Update) -> None:
        """/stop_reminders: no more reminders (the draft is kept)."""
        if update.effective_chat is None or update.effective_user is None:
            return
        await self._opt_out(update.effective_chat.id, update.effective_user.id)

    async def stop_button(self, update: Update) -> None:
        """The reminder's Stop reminders button."""
        query, user = update.callback_query, update.effective_user
        if query is None or user is None:
            return
        await self._output.answer_button(query.id)
        chat_id = query.message.chat.id if query.message is not None else user.id
        await self._opt_out(chat_id, user.id)

    async def continue_button(self, update: Update) -> None:
        """Continue on a reminder of the older kind: the conversation's Continue of that draft."""
        query = update.callback_query
        if query is None:
            return
        await self._output.answer_button(query.id)
        if (here := private_chat(update)) is None:
            return
        chat_id, key = here
        code = (query.data or "").removeprefix(OLD_CONTINUE_PREFIX)
        turn = await self._nominators.conversation.press(key, Press(Action.OPEN, ref=code))
        await self._nominators.draw_turn(chat_id, turn)

    async def _opt_out(self, chat_id: int, user_id: int) -> None:
        await self._reminders.stop(nominator_key(user_id), StopReason.OPTED_OUT, self._clock())
        await self._output.show(chat_id, text_screen(texts.REMINDERS_STOPPED))

    # With the Application ------------------------------------------------------------------

    def start(self, scheduler: ReminderScheduler) -> None:
        """Send reminders as they fall due, until `stop` (the Application's post_init)."""
        self.scheduler = scheduler
        self._stop.clear()
        self._task = asyncio.create_task(self.scheduler.run(self._stop))

    async def stop(self) -> None:
        """Stop sending, after the reminder in hand (the Application's post_stop)."""
        if self._task is None:
            return
        self._stop.set()
        if self.scheduler is not None:
            self.scheduler.wake()
        await self._task
        self._task = None
