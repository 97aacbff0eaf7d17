"""The python-telegram-bot Application: building it, handling one user's updates in order, and
serving updates by long polling or a webhook while a block runs."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import inspect
import itertools
import logging
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
from telegram import BotCommand, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, InvalidToken, NetworkError, TimedOut
from telegram.ext import AIORateLimiter, Application, BaseUpdateProcessor, Defaults
from telegram.request import HTTPXRequest

from bot.config import Settings
from bot.preflight import ConfigProblem
from bot.screens import texts
from bot.telegram.polling import UpdateParking, polling
from bot.telegram.webhook import webhook_server
from storage.updates import HANDLING, Handling, Seen

logger = logging.getLogger(__name__)

# Handler groups that run before the nominators' (group 0), lowest first. In a group only the
# first matching handler runs, so each journey that reads typed text has a group of its own, and
# stops the update (ApplicationHandlerStop) only when the text was its own.
JUDGING_GROUP = -4  # a judge's details, reasons and comments
APPROVAL_GROUP = -3  # a nominee's note
STATEMENTS_GROUP = -2  # a colleague's supporting statement
REMINDERS_GROUP = -1  # the first message after a reminder

AnyApplication = Application[Any, Any, Any, Any, Any, Any]

# A few kept-alive connections serve every user: httpcore scans its whole pool on each request,
# so a large pool costs more CPU than it saves in waiting (bench/). One for long polling.
CONNECTIONS = 4
POLL_CONNECTIONS = 1


@functools.cache
def tls_context() -> ssl.SSLContext:
    """The one TLS context of every HTTPS client to Telegram in this process, as httpx makes
    it by default. httpx would otherwise read the whole CA bundle again for each client it
    builds: two per Application, two more at each restart, one per file downloaded."""
    return httpx.create_ssl_context()


def _bot_api_request(connections: int) -> HTTPXRequest:
    return HTTPXRequest(connection_pool_size=connections, httpx_kwargs={"verify": tls_context()})


FloodNotice = Callable[[Update, int], Awaitable[None]]
"""Tells a user that updates past the first `kept` of a burst were not saved."""

Seeing = Callable[[int], Seen]
"""What is committed of an update: one delivered again after a crash may be done already."""

Marking = Callable[[int], Awaitable[None]]
"""Marks a handled update answered, in SQLite, returning once that is committed."""

Reshow = Callable[[Update], Awaitable[None]]
"""Shows a user where they are: their update was committed, its reply perhaps lost to a crash."""


@dataclass(slots=True)
class _Line:
    """One user's updates in the processor: waiting or running, served one at a time."""

    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    waiting: int = 0  # including the one running
    kept: int = 0  # accepted since the line was last empty
    refusing: bool = False  # the user was told; refuse the rest of this burst


class PerUserUpdateProcessor(BaseUpdateProcessor):
    """Different users' updates run concurrently; one user's run one at a time, in order, and
    one user's backlog never delays anyone else's reply.

    python-telegram-bot takes its concurrency slot before `do_process_update` knows whose update
    it is, so one user's queued updates could hold every slot while they wait for that user's
    lock. Here its slot never binds; an update first waits its turn in its user's line, and only
    then takes one of `max_concurrent_updates` slots, so a flooding user holds at most one.

    A line holds at most `max_waiting_per_user` updates. Telegram counts an update as delivered
    once it has been fetched, so an update refused here is lost for good: the user is told once
    (`on_flood`) how many of the burst were kept, and the rest of the burst is refused until the
    line is empty, so "the first N" stays true.
    """

    def __init__(self, max_concurrent_updates: int = 256, max_waiting_per_user: int = 50) -> None:
        super().__init__(_UNBOUNDED)
        self._slots = asyncio.BoundedSemaphore(max_concurrent_updates)
        self._limit = max_waiting_per_user
        self._lines: dict[str, _Line] = {}
        self.on_flood: FloodNotice | None = None
        self.on_unanswered: Reshow | None = None
        self.seen: Seeing | None = None
        self.answered: Marking | None = None
        # Where the poller keeps updates in flight when Telegram's window is full of them.
        self.parking: UpdateParking | None = None

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        update_id = update.update_id if isinstance(update, Update) else None
        await self._in_line(update, update_id, coroutine)

    async def _in_line(
        self, update: object, update_id: int | None, coroutine: Awaitable[Any]
    ) -> None:
        key = _user_key(update)
        line = self._lines.setdefault(key, _Line())
        if line.refusing or line.waiting >= self._limit:
            await self._refuse(update, coroutine, line)
            return
        line.waiting += 1
        line.kept += 1
        try:
            async with line.lock, self._slots:
                answered = await self._once(update, update_id, coroutine)
        finally:
            line.waiting -= 1
            if line.waiting == 0:
                del self._lines[key]
        # Marked with neither the user's turn nor a slot held: nothing waits on the mark but
        # the poller's confirmation of this update.
        if answered is not None and self.answered is not None:
            await self.answered(answered)

    async def _once(
        self, update: object, update_id: int | None, coroutine: Awaitable[Any]
    ) -> int | None:
        """Handle an update unless its effects are committed already, recording its id with
        them; the id to mark answered once this returns, if any."""
        if update_id is None or self.seen is None:
            await coroutine
            return None
        seen = self.seen(update_id)
        if seen is not Seen.NEW:
            _close(coroutine)
            logger.info("skipped update %d: it was handled before a restart", update_id)
            if seen is Seen.ANSWERED or not isinstance(update, Update):
                return None
            await self._reshow(update)
            return update_id
        handling = Handling(update_id)
        token = HANDLING.set(handling)
        try:
            await coroutine
        finally:
            HANDLING.reset(token)
        return update_id if handling.recorded else None

    async def _reshow(self, update: Update) -> None:
        """A crash came between the update's commit and the end of its reply: show its user
        where they are, so nobody waits for a reply that never comes."""
        if self.on_unanswered is None:
            return
        try:
            await self.on_unanswered(update)
        except Exception:
            logger.exception("could not show a user where they are after a restart")

    async def _refuse(self, update: object, coroutine: Awaitable[Any], line: _Line) -> None:
        _close(coroutine)
        if line.refusing:
            return
        line.refusing = True
        logger.warning("a user sent updates faster than they are saved; kept %d", line.kept)
        if self.on_flood is not None and isinstance(update, Update):
            try:
                await self.on_flood(update, line.kept)
            except Exception:
                logger.exception("could not tell a flooding user what was kept")

    async def initialize(self) -> None:
        """Nothing to set up: lines are made on demand."""

    async def shutdown(self) -> None:
        """Nothing to release."""


# python-telegram-bot's own slot, which would be taken before the user's turn (see above).
_UNBOUNDED = 2**31
# Different users' updates handled at once. Each is a short commit and a reply or two, so a few
# at a time keep the loop busy; with 256 the loop interleaved 40 typists' replies and the last
# waited longest (p99 1.4-2.7x the echo bot's), with 8 it was 0.55-1.56x (bench/, docs/
# performance.md). A flooding user still holds at most one (their own line, above).
UPDATES_AT_ONCE = 8


def _close(coroutine: Awaitable[Any]) -> None:
    if inspect.iscoroutine(coroutine):
        coroutine.close()  # never run: python-telegram-bot made it for this update


def _user_key(update: object) -> str:
    if isinstance(update, Update):
        if update.effective_user is not None:
            return str(update.effective_user.id)
        if update.effective_chat is not None:
            return f"chat:{update.effective_chat.id}"
    return "-"


def handle_once(
    application: AnyApplication, seen: Seeing, answered: Marking, parking: UpdateParking
) -> None:
    """An update's id is committed with its effects, and marked once it is answered; one
    handled already is skipped (its user shown where they are if it was not answered). The
    poller parks updates in flight in the same database."""
    processor = application.update_processor
    if isinstance(processor, PerUserUpdateProcessor):
        processor.seen = seen
        processor.answered = answered
        processor.parking = parking


def build_application(
    token: str, base_url: str, *, base_file_url: str | None = None
) -> AnyApplication:
    """A python-telegram-bot Application with no handlers yet. No network until started.

    python-telegram-bot 22 warns on every flood-control reply unless PTB_TIMEDELTA is set; the
    entry point sets it before anything runs (and the tests' fixtures do too).
    """
    builder = (
        Application.builder()
        .token(token)
        .base_url(base_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        # Replies answer the nominator's own messages, so there is no proactive overall cap (the
        # 30/s guidance is for bulk broadcasts); Telegram's 429 retry_after is always honoured,
        # and replies in groups keep the 20-a-minute cap.
        .rate_limiter(AIORateLimiter(overall_max_rate=0, max_retries=3))
        .concurrent_updates(PerUserUpdateProcessor(UPDATES_AT_ONCE))
        .request(_bot_api_request(CONNECTIONS))
        .get_updates_request(_bot_api_request(POLL_CONNECTIONS))
        # bot.telegram.polling confirms an update only once it is handled; the Updater would
        # confirm each batch as soon as it was queued.
        .updater(None)
    )
    if base_file_url is not None:
        builder = builder.base_file_url(base_file_url)
    return builder.build()


async def register_commands(application: AnyApplication) -> None:
    """The command menu Telegram shows nominators (setMyCommands)."""
    await application.bot.set_my_commands([BotCommand(n, d) for n, d in texts.TELEGRAM_COMMANDS])


@asynccontextmanager
async def serving(
    application: AnyApplication, settings: Settings, *, poll_timeout: float = 10.0
) -> AsyncIterator[None]:
    """Receive and handle updates while the block runs: long polling, or a webhook server when
    WEBHOOK_URL is set (it refuses requests without WEBHOOK_SECRET_TOKEN in their header).
    Either way Telegram is told an update arrived only once it has been handled."""
    await application.initialize()
    try:
        # The Application's own lifecycle hooks, called where run_polling would call them.
        if application.post_init is not None:
            await application.post_init(application)
        try:
            await register_commands(application)
            await application.start()
            try:
                # Receiving stops first, so nothing is fetched that the Application would not
                # handle.
                async with _receiving(application, settings, poll_timeout):
                    yield
            finally:
                if application.running:
                    await application.stop()
        finally:
            if application.post_stop is not None:
                await application.post_stop(application)
    finally:
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)


@asynccontextmanager
async def _receiving(
    application: AnyApplication, settings: Settings, poll_timeout: float
) -> AsyncIterator[None]:
    """Updates handed to the Application's update processor while the block runs."""
    secret = settings.webhook_secret_token
    if settings.webhook_url and secret is not None:
        async with webhook_server(
            lambda update: handle_update(application, update),
            application.bot,
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            path=settings.webhook_path,
            secret=secret.get_secret_value(),
        ):
            await application.bot.set_webhook(
                settings.webhook_url, secret_token=secret.get_secret_value()
            )
            logger.info(
                "listening for webhook updates on %s:%s",
                settings.webhook_listen,
                settings.webhook_port,
            )
            yield
        return
    processor = application.update_processor
    parking = processor.parking if isinstance(processor, PerUserUpdateProcessor) else None
    async with polling(application, poll_timeout=poll_timeout, parking=parking):
        logger.info("polling for updates as @%s", application.bot.username)
        yield


async def handle_update(application: AnyApplication, update: Update) -> None:
    """One update through the Application's update processor, returning once it is handled."""
    processor = application.update_processor
    await processor.process_update(update, application.process_update(update))


# Waits between start-up attempts while Telegram cannot be reached; the last one repeats.
RETRY_DELAYS = (1.0, 2.0, 5.0, 10.0, 30.0, 60.0)


async def serve_until(
    stop: asyncio.Event,
    application: AnyApplication,
    settings: Settings,
    *,
    delays: Sequence[float] = RETRY_DELAYS,
) -> None:
    """Serve updates until `stop` is set. While Telegram cannot be reached at start-up, start
    again after a growing wait, so a network outage at boot is waited out rather than fatal
    (the caller's outbox worker keeps delivering meanwhile). A refused request is not retried:
    a rejected token raises ConfigProblem, a refused setting BadRequest."""
    for attempt in itertools.count():
        started = False
        try:
            async with serving(application, settings):
                started = True
                await stop.wait()
            return
        except InvalidToken:
            # `from None`: python-telegram-bot's message holds the token itself.
            raise ConfigProblem(
                "TELEGRAM_BOT_TOKEN was rejected by Telegram; copy it again from @BotFather "
                "(or revoke it there and use the new one)"
            ) from None
        except (TimedOut, NetworkError) as exc:
            if started or isinstance(exc, BadRequest):
                raise
            delay = delays[min(attempt, len(delays) - 1)]
            logger.warning("Telegram cannot be reached (%s); trying again in %g s", exc, delay)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), delay)
        if stop.is_set():
            return
