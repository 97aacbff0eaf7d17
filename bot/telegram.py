"""The Telegram front end: updates become engine events, effects become messages.

Handlers translate and nothing more. A nominator's state lives only in SQLite (through the
service), so a restart resumes exactly where they were. Updates from one user are processed one
at a time, in order; different users' updates run concurrently.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import signal
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from telegram import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import (
    AIORateLimiter,
    Application,
    BaseUpdateProcessor,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    filters,
)

from bot import texts
from bot.app import Services
from bot.config import Settings
from bot.screens import Action, Button, Screen, ScreenBuilder, event_for, text_screen
from bot.service import KeyedLocks, NominationService, Outcome
from bot.telegram_html import screen_messages
from flows.events import (
    Answer,
    Back,
    Cancel,
    Clear,
    Done,
    Edit,
    Event,
    GoToReview,
    Revise,
    ShowHints,
    Skip,
    Submit,
)
from flows.form import Form
from flows.state import NominationState
from storage.types import OutboxRow

logger = logging.getLogger(__name__)

CallbackContext = ContextTypes.DEFAULT_TYPE
ANY_POSITION = "-"
REVIEW_POSITION = "R"
SEND_ATTEMPTS = 3
# How many messages whose buttons were taken off to remember, to recognise a double tap.
ACTED_REMEMBERED = 4096


def nominator_key(user_id: int) -> str:
    return f"tg:{user_id}"


@dataclass(frozen=True, slots=True)
class CallbackData:
    """What a button carries: which nomination and position it was shown for, and its action.

    Encoded as "ref:pos:action:arg", at most 6+1+3+1+2+1+32 = 46 bytes, within Telegram's 64.
    """

    ref: str
    pos: str
    action: Action
    arg: str = ""

    def encode(self) -> str:
        return f"{self.ref}:{self.pos}:{self.action.value}:{self.arg}"

    @classmethod
    def decode(cls, data: str) -> CallbackData | None:
        parts = data.split(":", 3)
        if len(parts) != 4:
            return None
        try:
            action = Action(parts[2])
        except ValueError:
            return None
        return cls(parts[0], parts[1], action, parts[3])


def short_ref(state: NominationState | None) -> str:
    return state.reference.rsplit("-", 1)[-1] if state is not None else ANY_POSITION


def position_token(form: Form, state: NominationState | None) -> str:
    if state is None:
        return ANY_POSITION
    if state.at_review:
        return REVIEW_POSITION
    # A draft from an older form may stand at a field this form lacks: no button matches it.
    return str(next((i for i, f in enumerate(form.fields) if f.id == state.position), "?"))


# Buttons that act wherever the nominator is in the form: they need no position check.
POSITION_FREE = frozenset({Action.START, Action.DELETE, Action.DELETE_KEEP, Action.CANCEL})


class PerUserUpdateProcessor(BaseUpdateProcessor):
    """Different users' updates run concurrently; one user's run one at a time, in order."""

    def __init__(self, max_concurrent_updates: int = 256) -> None:
        super().__init__(max_concurrent_updates)
        self._locks = KeyedLocks()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = "-"
        if isinstance(update, Update):
            if update.effective_user is not None:
                key = str(update.effective_user.id)
            elif update.effective_chat is not None:
                key = f"chat:{update.effective_chat.id}"
        async with self._locks.hold(key):
            await coroutine

    async def initialize(self) -> None:
        """Nothing to set up: locks are made on demand."""

    async def shutdown(self) -> None:
        """Nothing to release."""


class TelegramFrontEnd:
    """The nomination conversation in a Telegram private chat."""

    def __init__(self, services: Services) -> None:
        self.service: NominationService = services.service
        self.screens: ScreenBuilder = services.screens
        self.form: Form = services.form
        self.organiser_ids = tuple(services.settings.organiser_telegram_ids)
        self._application: Application[Any, Any, Any, Any, Any, Any] | None = None
        self._acted: dict[tuple[int, int], None] = {}  # (chat id, message id), oldest first
        services.failure_hooks.append(self.tell_organisers)

    def register(self, application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        self._application = application
        private = filters.ChatType.PRIVATE
        groups = filters.ChatType.GROUPS | filters.ChatType.CHANNEL
        commands: dict[str, Callable[[Update, CallbackContext], Coroutine[Any, Any, None]]] = {
            "start": self.start,
            "continue": self.resume,
            "help": self.help,
            "status": self.status,
            "delete": self.delete,
            "back": self._event_command(Back()),
            "skip": self._event_command(Skip()),
            "hints": self._event_command(ShowHints()),
            "done": self._event_command(Done()),
            "review": self._event_command(GoToReview()),
            "submit": self._event_command(Submit()),
            "clear": self._event_command(Clear()),
            "cancel": self._event_command(Cancel()),
            "edit": self.edit,
        }
        application.add_handler(
            MessageHandler(groups & ~filters.UpdateType.EDITED, self.refuse_group)
        )
        for name, callback in commands.items():
            application.add_handler(
                CommandHandler(name, callback, filters=private & ~filters.UpdateType.EDITED)
            )
        application.add_handler(
            MessageHandler(private & filters.UpdateType.EDITED_MESSAGE & filters.TEXT, self.edited)
        )
        application.add_handler(
            MessageHandler(private & filters.COMMAND & ~filters.UpdateType.EDITED, self.unknown)
        )
        application.add_handler(
            MessageHandler(private & filters.TEXT & ~filters.UpdateType.EDITED, self.text)
        )
        application.add_handler(
            MessageHandler(private & ~filters.TEXT & ~filters.UpdateType.EDITED, self.not_text)
        )
        application.add_handler(CallbackQueryHandler(self.button))
        application.add_error_handler(self.error)

    # Commands and messages -------------------------------------------------------------------

    async def start(self, update: Update, context: CallbackContext) -> None:
        """/start: greet, and offer to start or to continue the draft."""
        chat, user = update.effective_chat, update.effective_user
        if chat is None or user is None:
            return
        draft = await self.service.draft(nominator_key(user.id))
        await self.show(chat.id, draft, self.screens.welcome(draft))

    async def resume(self, update: Update, context: CallbackContext) -> None:
        """/continue: the typed equivalent of the Start/Continue button."""
        chat, user = update.effective_chat, update.effective_user
        if chat is None or user is None:
            return
        await self.reply(chat.id, await self.service.begin(nominator_key(user.id)))

    async def help(self, update: Update, context: CallbackContext) -> None:
        """/help: what the bot does and every command."""
        if update.effective_chat is not None:
            await self.show(update.effective_chat.id, None, text_screen(texts.TELEGRAM_HELP))

    async def status(self, update: Update, context: CallbackContext) -> None:
        """/status: how far the nominator has got."""
        await self._about_draft(update, self.screens.status)

    async def delete(self, update: Update, context: CallbackContext) -> None:
        """/delete: ask before erasing the draft."""
        await self._about_draft(update, self.screens.delete_confirm)

    async def _about_draft(
        self, update: Update, screen_for: Callable[[NominationState], Screen]
    ) -> None:
        """A screen about the nominator's draft, or "no nomination in progress"."""
        chat, user = update.effective_chat, update.effective_user
        if chat is None or user is None:
            return
        draft = await self.service.draft(nominator_key(user.id))
        screen = screen_for(draft) if draft else text_screen(texts.NO_DRAFT)
        await self.show(chat.id, draft, screen)

    async def edit(self, update: Update, context: CallbackContext) -> None:
        """/edit Q2 (or a step number): the typed equivalent of a Change button; with no match,
        the review, where every answer can be chosen."""
        chat, user = update.effective_chat, update.effective_user
        if chat is None or user is None:
            return
        key = nominator_key(user.id)
        draft = await self.service.draft(key)
        wanted = " ".join(context.args or [])
        field_id = self.screens.field_named(draft, wanted) if draft else None
        event: Event = GoToReview() if field_id is None else Edit(field_id)
        await self.reply(chat.id, await self.service.apply(key, event))

    def _event_command(
        self, event: Event
    ) -> Callable[[Update, CallbackContext], Coroutine[Any, Any, None]]:
        async def command(update: Update, context: CallbackContext) -> None:
            chat, user = update.effective_chat, update.effective_user
            if chat is None or user is None:
                return
            await self.reply(chat.id, await self.service.apply(nominator_key(user.id), event))

        command.__doc__ = f"/{type(event).__name__.lower()}: the typed equivalent of its button."
        return command

    async def text(self, update: Update, context: CallbackContext) -> None:
        """A typed answer; a long answer may arrive over several messages."""
        chat, user, message = update.effective_chat, update.effective_user, update.message
        if chat is None or user is None or message is None or message.text is None:
            return
        event = Answer(message.text, source=str(message.message_id))
        await self.reply(chat.id, await self.service.apply(nominator_key(user.id), event))

    async def edited(self, update: Update, context: CallbackContext) -> None:
        """An edited message: the saved answer that came from it follows the edit."""
        chat, user, message = update.effective_chat, update.effective_user, update.edited_message
        if chat is None or user is None or message is None or message.text is None:
            return
        if message.text.startswith("/"):
            return
        event = Revise(source=str(message.message_id), text=message.text)
        outcome = await self.service.apply(nominator_key(user.id), event)
        if outcome.state is None:
            return
        if outcome.effects:
            await self.reply(chat.id, outcome)
        else:
            # E.g. a mistyped email that was refused, then corrected by editing it: say so, or
            # the nominator would wait for an answer that never comes.
            await self.show(chat.id, outcome.state, text_screen(texts.EDIT_NOT_AN_ANSWER))

    async def not_text(self, update: Update, context: CallbackContext) -> None:
        """Photos, stickers, voice notes, files…: ask for typed text; nothing saved changes."""
        if update.effective_chat is not None:
            await self.show(update.effective_chat.id, None, text_screen(texts.NOT_TEXT))

    async def unknown(self, update: Update, context: CallbackContext) -> None:
        """An unknown command: say so and show the commands."""
        if update.effective_chat is not None:
            screen = text_screen(texts.UNKNOWN_COMMAND, texts.TELEGRAM_HELP)
            await self.show(update.effective_chat.id, None, screen)

    async def refuse_group(self, update: Update, context: CallbackContext) -> None:
        """Groups and channels: collect nothing; point commands to a private chat, once each."""
        chat, message = update.effective_chat, update.effective_message
        if chat is None or message is None or chat.type == ChatType.PRIVATE:
            return
        text = message.text or ""
        username = context.bot.username
        if not _addressed_to(text, username):
            return
        link = f"https://t.me/{username}?start=nominate"
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Open a private chat", url=link)]])
        await self._send(chat.id, texts.GROUP_REFUSED.format(link=link), keyboard)

    async def button(self, update: Update, context: CallbackContext) -> None:
        """A button press: always answered at once, then acted on unless it is stale."""
        query, user = update.callback_query, update.effective_user
        if query is None or user is None:
            return
        if self._acted_on(query.message):
            # A second tap on a message whose button already acted (a double tap, say).
            await self._answer_query(query.answer, texts.ALREADY_DONE)
            return
        await self._answer_query(query.answer)
        chat_id = query.message.chat.id if query.message is not None else user.id
        data = CallbackData.decode(query.data or "")
        key = nominator_key(user.id)
        if data is None:
            await self.reply(chat_id, Outcome(await self.service.draft(key)))
            return
        if data.action is Action.START:
            self._remember(query.message)
            await self.reply(chat_id, await self.service.begin(key))
            return
        event = event_for(data.action, data.arg)
        if event is None:
            await self._delete_button(chat_id, key, data, query.message)
            return
        outcome = await self.service.apply(key, event, only_if=lambda d: self._current(data, d))
        if outcome.state is None:
            await self._gone(chat_id, data)
        elif outcome.refused:
            await self._stale(chat_id, key, outcome.state)
        else:
            if data.action is not Action.HINTS:
                # The examples sit beside the question: its Done button must stay usable.
                self._remember(query.message)
            await self.reply(chat_id, outcome)

    def _current(self, data: CallbackData, draft: NominationState) -> bool:
        """Whether a button was shown for this draft, at this position (where that matters)."""
        return data.ref == short_ref(draft) and (
            data.action in POSITION_FREE or data.pos == position_token(self.form, draft)
        )

    async def _delete_button(
        self, chat_id: int, key: str, data: CallbackData, message: object
    ) -> None:
        """Delete and its confirmation's buttons: the front end's to handle, not the engine's."""
        draft = await self.service.draft(key)
        if draft is None:
            await self._gone(chat_id, data)
            return
        if not self._current(data, draft):
            await self._stale(chat_id, key, draft)
            return
        self._remember(message)
        if data.action is Action.DELETE_CONFIRMED:
            await self.service.delete(key)
            await self.show(chat_id, None, text_screen(texts.DELETED))
        elif data.action is Action.DELETE_KEEP:
            await self.show(chat_id, draft, text_screen(texts.DELETE_KEPT))
        else:
            await self.show(chat_id, draft, self.screens.delete_confirm(draft))

    async def _gone(self, chat_id: int, data: CallbackData) -> None:
        """A button of a nomination that was sent or deleted: say which, so nobody thinks a
        deleted one went."""
        sent = await self._was_submitted(data.ref)
        gone = texts.STALE_SUBMITTED if sent else texts.STALE_GONE
        await self.show(chat_id, None, text_screen(gone))

    async def _stale(self, chat_id: int, key: str, draft: NominationState) -> None:
        await self.show(chat_id, draft, text_screen(texts.STALE_BUTTON))
        await self.reply(chat_id, await self.service.begin(key))

    async def _was_submitted(self, ref: str) -> bool:
        record = await self.service.store.get(f"{self.form.reference_prefix}-{ref}")
        return record is not None and record.state.is_submitted

    # Rendering -------------------------------------------------------------------------------

    async def reply(self, chat_id: int, outcome: Outcome) -> None:
        """Send the screens for an outcome (already committed by the service)."""
        if outcome.state is None:
            await self.show(chat_id, None, self.screens.welcome(None))
            return
        for screen in self.screens.render(outcome.state, outcome.effects):
            await self.show(chat_id, outcome.state, screen)

    async def show(self, chat_id: int, state: NominationState | None, screen: Screen) -> None:
        messages = screen_messages(screen)
        keyboard = self.keyboard(state, screen.buttons)
        for index, text in enumerate(messages):
            await self._send(chat_id, text, keyboard if index == len(messages) - 1 else None)

    def keyboard(
        self, state: NominationState | None, rows: tuple[tuple[Button, ...], ...]
    ) -> InlineKeyboardMarkup | None:
        if not rows:
            return None
        ref, pos = short_ref(state), position_token(self.form, state)
        return InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        b.label, callback_data=CallbackData(ref, pos, b.action, b.arg).encode()
                    )
                    for b in row
                ]
                for row in rows
            ]
        )

    async def _send(self, chat_id: int, text: str, keyboard: InlineKeyboardMarkup | None) -> None:
        bot = self._bot()
        for attempt in range(1, SEND_ATTEMPTS + 1):
            try:
                await bot.send_message(chat_id, text, reply_markup=keyboard)
                return
            except (RetryAfter, Forbidden, BadRequest):
                # BadRequest is a NetworkError too, but a refused request must not be repeated;
                # flood control is the rate limiter's to wait out.
                raise
            except (TimedOut, NetworkError):
                if attempt == SEND_ATTEMPTS:
                    raise
                await asyncio.sleep(0.5 * 2**attempt)

    def _remember(self, message: object) -> None:
        """Note that a button on this message acted. The buttons stay on screen (taking them off
        would cost a request per tap); a second tap is recognised here instead. A bounded memory:
        after a restart, an old button is still caught by the position check."""
        if not isinstance(message, Message):
            return
        self._acted[(message.chat.id, message.message_id)] = None
        if len(self._acted) > ACTED_REMEMBERED:
            del self._acted[next(iter(self._acted))]

    def _acted_on(self, message: object) -> bool:
        return isinstance(message, Message) and (message.chat.id, message.message_id) in (
            self._acted
        )

    async def _answer_query(
        self, answer: Callable[..., Awaitable[bool]], text: str | None = None
    ) -> None:
        try:
            await answer(text)
        except BadRequest as exc:
            # The query expired (e.g. pressed while the bot was down): act on it anyway.
            logger.info("callback query not answered: %s", exc.message)

    def _bot(self) -> Any:
        if self._application is None:
            raise RuntimeError("register() the front end with an Application first")
        return self._application.bot

    # Errors and organisers -------------------------------------------------------------------

    async def error(self, update: object, context: CallbackContext) -> None:
        """Log without the token or any answer, and tell the nominator their answers are safe."""
        update_id = update.update_id if isinstance(update, Update) else None
        logger.error(
            "update %s failed: %s", update_id, type(context.error).__name__, exc_info=context.error
        )
        if isinstance(update, Update) and update.effective_chat is not None:
            if update.effective_chat.type != ChatType.PRIVATE:
                return
            try:
                await self._send(update.effective_chat.id, texts.ERROR_SAFE, None)
            except Exception:  # the error report itself must never raise
                logger.exception("could not tell the nominator about the error")

    async def tell_organisers(self, row: OutboxRow, reason: str) -> None:
        """A permanent email failure: tell the organisers on Telegram, if any are configured."""
        text = texts.ORGANISER_EMAIL_FAILED.format(
            reference=row.reference, kind=row.kind.value, reason=reason
        )
        for organiser in self.organiser_ids:
            try:
                await self.show(organiser, None, text_screen(text))
            except Exception:
                logger.exception("could not tell organiser %s about a failed email", organiser)


def _addressed_to(text: str, username: str) -> bool:
    """Whether a group message is for this bot: a command not meant for another bot by name
    (/start, /start@this_bot, but not /start@other_bot), or a mention of this bot."""
    if text.startswith("/"):
        command = text.split(maxsplit=1)[0]
        _, at, bot = command.partition("@")
        return not at or bot.casefold() == username.casefold()
    return f"@{username}".casefold() in text.casefold()


def build_application(
    services: Services, *, base_file_url: str | None = None
) -> Application[Any, Any, Any, Any, Any, Any]:
    """The python-telegram-bot Application, wired to the front end. No network until started."""
    # python-telegram-bot 22 warns on every flood-control reply unless durations are timedeltas;
    # opting in keeps 429 handling (AIORateLimiter) free of deprecation warnings.
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    settings = services.settings
    token = settings.token
    if token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    builder = (
        Application.builder()
        .token(token)
        .base_url(settings.telegram_api_base_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        # Replies answer the nominator's own messages, so there is no proactive overall cap (the
        # 30/s guidance is for bulk broadcasts); Telegram's 429 retry_after is always honoured,
        # and replies in groups keep the 20-a-minute cap.
        .rate_limiter(AIORateLimiter(overall_max_rate=0, max_retries=3))
        .concurrent_updates(PerUserUpdateProcessor())
        # A few kept-alive connections serve every user: httpcore scans its whole pool on each
        # request, so a large pool costs more CPU than it saves in waiting (bench/).
        .connection_pool_size(4)
    )
    if base_file_url is not None:
        builder = builder.base_file_url(base_file_url)
    application = builder.build()
    TelegramFrontEnd(services).register(application)
    return application


async def register_commands(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """The command menu Telegram shows nominators (setMyCommands)."""
    await application.bot.set_my_commands([BotCommand(n, d) for n, d in texts.TELEGRAM_COMMANDS])


@asynccontextmanager
async def serving(
    application: Application[Any, Any, Any, Any, Any, Any],
    settings: Settings,
    *,
    poll_timeout: float = 10.0,
) -> AsyncIterator[None]:
    """Receive and handle updates while the block runs: long polling, or a webhook server when
    WEBHOOK_URL is set (it rejects requests without WEBHOOK_SECRET_TOKEN in their header)."""
    updater = application.updater
    if updater is None:
        raise RuntimeError("the Application was built without an Updater")
    await application.initialize()
    try:
        await register_commands(application)
        if settings.webhook_url:
            secret = settings.webhook_secret_token
            await updater.start_webhook(
                listen=settings.webhook_listen,
                port=settings.webhook_port,
                url_path=settings.webhook_path,
                webhook_url=settings.webhook_url,
                secret_token=secret.get_secret_value() if secret else None,
                drop_pending_updates=False,
            )
            logger.info("listening for webhook updates on port %s", settings.webhook_port)
        else:
            await updater.start_polling(
                poll_interval=0,
                timeout=dt.timedelta(seconds=poll_timeout),
                drop_pending_updates=False,
            )
            logger.info("polling for updates as @%s", application.bot.username)
        await application.start()
        try:
            yield
        finally:
            if updater.running:
                await updater.stop()
            if application.running:
                await application.stop()
    finally:
        await application.shutdown()


async def run_telegram(services: Services) -> None:
    """Run the bot and the outbox worker until SIGINT or SIGTERM."""
    application = build_application(services)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    worker = asyncio.create_task(services.worker.run(stop))
    try:
        async with serving(application, services.settings):
            await stop.wait()
    finally:
        stop.set()
        await worker
