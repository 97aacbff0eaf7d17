"""Run a real python-telegram-bot Application against the fake, the way run_polling would."""

from __future__ import annotations

import datetime as dtm
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from telegram.ext import Application


@asynccontextmanager
async def running_application(
    application: Application[Any, Any, Any, Any, Any, Any],
    *,
    poll_timeout: float = 1.0,
    allowed_updates: Sequence[str] | None = None,
    drop_pending_updates: bool = False,
) -> AsyncIterator[Application[Any, Any, Any, Any, Any, Any]]:
    """Initialise, poll with no pause between polls, and shut down cleanly on exit.

    Mirrors `Application.run_polling` without its signal handling and its own event loop:
    initialize, post_init, updater.start_polling, start; then updater.stop, stop, post_stop,
    shutdown, post_shutdown. Build the application with `tg.application_builder()` or with
    `.base_url(tg.base_url)`.
    """
    updater = application.updater
    if updater is None:
        raise ValueError("the Application has no Updater; don't build it with .updater(None)")
    try:
        await application.initialize()
        if application.post_init is not None:
            await application.post_init(application)
        await updater.start_polling(
            poll_interval=0,
            timeout=dtm.timedelta(seconds=poll_timeout),
            allowed_updates=allowed_updates,
            drop_pending_updates=drop_pending_updates,
        )
        await application.start()
        yield application
    finally:
        if updater.running:
            await updater.stop()
        if application.running:
            await application.stop()
            if application.post_stop is not None:
                await application.post_stop(application)
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)
