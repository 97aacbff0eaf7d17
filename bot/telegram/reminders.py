"""Reminders for unfinished drafts, sent through Telegram, and what a nominator can do with one.

The schedule and the loop are bot/reminders.py's; this module is its `send` for Telegram (who the
nomination is for, how far they got, a Continue and a Stop reminders button), the two buttons,
`/stop_reminders`, and running the loop while the Application runs (bot.app starts it in
post_init and stops it in post_stop, which bot.telegram.runtime.serving calls as run_polling
would).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.jobs.reminders import Blocked, Delivered, Failed, Reminder, ReminderScheduler, SendResult
from bot.screens import texts
from bot.screens.actions import BY_ACTION, Action
from bot.screens.builder import text_screen
from bot.services.nominating import NominationService, Outcome
from bot.telegram.handlers import nominator_key, ptb
from bot.telegram.output import ChatOutput
from bot.telegram.runtime import AnyApplication
from flows.round import Round
from storage.clock import utc_now
from storage.nominations import reference_code
from storage.reminders import ReminderStore, StopReason

STOP_COMMAND = BY_ACTION[Action.STOP_REMINDERS].command or "stop_reminders"  # the table's name
CONTINUE_PREFIX = "rem:go:"
STOP_DATA = "rem:stop"
KEY_PREFIX = nominator_key(0).removesuffix("0")  # "tg:"


def chat_of(nominator: str) -> int | None:
    """The private chat of a Telegram nominator ("tg:42" → 42); None for another front end's."""
    if not nominator.startswith(KEY_PREFIX):
        return None
    number = nominator.removeprefix(KEY_PREFIX)
    return int(number) if number.isdigit() else None


def reminder_text(reminder: Reminder, round_dates: Round) -> list[str]:
    """What a reminder says, paragraph by paragraph."""
    for_nominee = (
        texts.REMINDER_FOR_NOMINEE.format(nominee=reminder.nominee) if reminder.nominee else ""
    )
    lines = [
        texts.REMINDER.format(
            for_nominee=for_nominee, answered=reminder.answered, total=reminder.total
        )
    ]
    if reminder.position_label is None:
        lines.append(texts.REMINDER_AT_REVIEW)
    else:
        lines.append(texts.REMINDER_AT.format(label=reminder.position_label))
    closing = round_dates.closing_sentence()
    if closing is not None:
        lines.append(closing)
    return lines


class TelegramReminders:
    """Sends reminders and handles what comes back from them."""

    def __init__(
        self,
        service: NominationService,
        reminders: ReminderStore,
        output: ChatOutput,
        *,
        reply: Callable[[int, Outcome], Awaitable[None]],
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._service = service
        self._reminders = reminders
        self._output = output
        self._reply = reply
        self._clock = clock
        self.scheduler: ReminderScheduler | None = None
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def send(self, reminder: Reminder) -> SendResult:
        """The scheduler's `send`: Telegram's answer as Delivered, Blocked or Failed."""
        chat_id = chat_of(reminder.nominator)
        if chat_id is None:
            return Blocked()  # the terminal's drafts: nobody to remind there
        screen = text_screen(*reminder_text(reminder, self._service.round))
        buttons = [
            (texts.REMINDER_CONTINUE_BUTTON, CONTINUE_PREFIX + reference_code(reminder.reference)),
            (texts.REMINDER_STOP_BUTTON, STOP_DATA),
        ]
        try:
            await self._output.show_with(chat_id, screen, buttons)
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
        application.add_handler(MessageHandler(private, ptb(self.back_again)), group=-1)
        application.add_handler(
            CommandHandler(
                STOP_COMMAND, ptb(self.stop_command), private & ~filters.UpdateType.EDITED
            )
        )
        application.add_handler(
            CallbackQueryHandler(ptb(self.continue_button), pattern=f"^{CONTINUE_PREFIX}")
        )
        application.add_handler(
            CallbackQueryHandler(ptb(self.stop_button), pattern=f"^{STOP_DATA}$")
        )

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
        """The reminder's Continue: the current question of the draft it reminded about (which
        becomes the one worked on, with several), as it is now; if it was sent or deleted, say
        which."""
        query, user = update.callback_query, update.effective_user
        if query is None or user is None:
            return
        await self._output.answer_button(query.id)
        chat_id = query.message.chat.id if query.message is not None else user.id
        code = (query.data or "").removeprefix(CONTINUE_PREFIX)
        outcome = await self._service.continue_draft(nominator_key(user.id), code)
        if outcome.state is None:
            sent = await self._service.was_submitted(code)
            gone = texts.STALE_SUBMITTED if sent else texts.STALE_GONE
            await self._output.show(chat_id, None, text_screen(gone))
            return
        await self._reply(chat_id, outcome)

    async def _opt_out(self, chat_id: int, user_id: int) -> None:
        await self._reminders.stop(nominator_key(user_id), StopReason.OPTED_OUT, self._clock())
        await self._output.show(chat_id, None, text_screen(texts.REMINDERS_STOPPED))

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
