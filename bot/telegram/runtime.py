"""The python-telegram-bot Application: building it, handling one user's updates in order, and
serving updates by long polling or a webhook while a block runs."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from typing import Any

from telegram import BotCommand, Update
from telegram.constants import ParseMode
from telegram.ext import AIORateLimiter, Application, BaseUpdateProcessor, Defaults

from bot import texts
from bot.config import Settings
from bot.service import KeyedLocks

logger = logging.getLogger(__name__)

AnyApplication = Application[Any, Any, Any, Any, Any, Any]


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
        .concurrent_updates(PerUserUpdateProcessor())
        # A few kept-alive connections serve every user: httpcore scans its whole pool on each
        # request, so a large pool costs more CPU than it saves in waiting (bench/).
        .connection_pool_size(4)
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
    WEBHOOK_URL is set (it rejects requests without WEBHOOK_SECRET_TOKEN in their header)."""
    updater = application.updater
    if updater is None:
        raise RuntimeError("the Application was built without an Updater")
    await application.initialize()
    try:
        # The Application's own lifecycle hooks, called where run_polling would call them.
        if application.post_init is not None:
            await application.post_init(application)
        try:
            await register_commands(application)
            await _start_updates(application, settings, poll_timeout)
            await application.start()
            try:
                yield
            finally:
                if updater.running:
                    await updater.stop()
                if application.running:
                    await application.stop()
        finally:
            if application.post_stop is not None:
                await application.post_stop(application)
    finally:
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)


async def _start_updates(
    application: AnyApplication, settings: Settings, poll_timeout: float
) -> None:
    updater = application.updater
    if updater is None:
        raise RuntimeError("the Application was built without an Updater")
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
