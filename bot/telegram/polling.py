"""Long polling that confirms an update to Telegram only once its effects are committed.

python-telegram-bot's Updater confirms a batch on its next getUpdates call, made as soon as the
batch is queued: a crash before the handlers commit loses those updates for good. This poller
feeds the Application itself (built with `updater(None)`) and asks for updates from the lowest
one not yet finished, its watermark; Telegram forgets only the updates below it. Updates from
different users finish out of order, so the watermark waits for the oldest still in flight.

Telegram returns at most 100 updates from the offset, so a backlog still in flight (one user's
flood, queued in their line) would hide every later update. Updates the flood limit refuses
finish at once; when the whole window is in flight and none of it finishes for a while, what is
in flight is parked (kept in SQLite) and the watermark passes it. A full window that is being
worked through (a hundred nominators, say, each with an update in flight) is left alone. A
parked update is handed to the Application again at the next start, and skipped there if its
effects were committed (storage/updates.py).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any, Protocol

from telegram import Update
from telegram.error import InvalidToken, RetryAfter, TelegramError, TimedOut

from bot.telegram.output import wait_seconds

logger = logging.getLogger(__name__)

AnyApplication = Any  # an Application; typed loosely so the poller takes any of its generics

# Telegram's most updates in one answer: a window this full of updates in flight is stalled.
WINDOW = 100
# While updates are in flight Telegram answers at once (with them), so the next poll waits for
# one to finish, or this long, to see what else came.
IN_FLIGHT_WAIT = 0.05
# A getUpdates answer may take this long beyond its long-polling timeout (python-telegram-bot's
# default read timeout).
READ_TIMEOUT = 5.0
# How long a full window may go without an update finishing before what is in flight is parked:
# a stuck line (one user's flood behind a reply waiting out flood control) rather than a busy one.
PARK_AFTER = 0.25
# How long a stop waits for the updates in flight to finish, so they are confirmed.
DRAIN_SECONDS = 10.0
# Waits between polls while Telegram fails; the last one repeats.
ERROR_DELAYS = (0.5, 1.0, 2.0, 5.0, 10.0, 30.0)


class UpdateParking(Protocol):
    """Where updates in flight are kept so that Telegram may forget them (storage/updates.py)."""

    async def park(self, updates: Sequence[tuple[int, str]]) -> None: ...

    async def unpark(self, update_ids: Sequence[int]) -> None: ...

    async def parked(self) -> list[str]: ...


class WatermarkPoller:
    """getUpdates in a loop, each update handed to the Application's update processor in its
    own task, and the offset never past an update still in flight."""

    def __init__(
        self,
        application: AnyApplication,
        *,
        poll_timeout: float,
        parking: UpdateParking | None = None,
    ) -> None:
        self._app = application
        self._poll_timeout = poll_timeout
        self._parking = parking
        self._in_flight: dict[int, Update] = {}  # fetched, not finished, not parked
        self._parked: set[int] = set()  # fetched, parked, not finished
        self._unpark: list[int] = []  # parked and finished since the last poll
        self._highest: int | None = None  # the highest update id fetched
        self._progress = 0.0  # when an update was last fetched or finished (monotonic)
        self._finished = asyncio.Event()
        self._tasks: set[asyncio.Task[None]] = set()
        self._releasing: asyncio.Task[None] | None = None

    @property
    def offset(self) -> int | None:
        """The watermark: the lowest update fetched and not finished, else past the highest."""
        if self._in_flight:
            return min(self._in_flight)
        return None if self._highest is None else self._highest + 1

    async def replay_parked(self) -> None:
        """Hand the Application the updates parked before a restart (each skipped there if it
        was committed)."""
        if self._parking is None:
            return
        for body in await self._parking.parked():
            update = Update.de_json(json.loads(body), self._app.bot)
            self._parked.add(update.update_id)
            self._dispatch(update)
        if self._parked:
            logger.info("handling %d update(s) parked before a restart", len(self._parked))

    async def run(self) -> None:
        """Poll until cancelled; a refused token raises InvalidToken."""
        failures = 0
        while True:
            try:
                returned, new = await self._poll()
            except (InvalidToken, asyncio.CancelledError):
                raise
            except RetryAfter as exc:
                await asyncio.sleep(wait_seconds(exc.retry_after))
                continue
            except TimedOut:
                continue
            except TelegramError as exc:
                delay = ERROR_DELAYS[min(failures, len(ERROR_DELAYS) - 1)]
                failures += 1
                logger.warning("getUpdates failed (%s); polling again in %g s", exc, delay)
                await asyncio.sleep(delay)
                continue
            failures = 0
            await self._take(returned, new)

    async def _poll(self) -> tuple[int, list[Update]]:
        """How many updates Telegram returned from the watermark, and the new ones among them."""
        # Parked updates do not hold the offset, so only those in flight make Telegram answer
        # at once.
        timeout = 0.0 if self._in_flight else self._poll_timeout
        self._finished.clear()
        bot = self._app.bot
        # The bot's own request machinery, below get_updates: while updates are in flight,
        # Telegram returns them again with every answer, and building Update objects for them
        # over and over cost more CPU than the rest of polling (bench/telegram_throughput.py).
        raw = await bot._post(
            "getUpdates",
            {"offset": self.offset, "limit": WINDOW, "timeout": timeout},
            read_timeout=READ_TIMEOUT + timeout,
        )
        highest = -1 if self._highest is None else self._highest
        return len(raw), [Update.de_json(u, bot) for u in raw if int(u["update_id"]) > highest]

    async def _take(self, returned: int, new: list[Update]) -> None:
        """Dispatch the new updates; if there were none, wait for one in flight to finish."""
        for update in new:
            self._highest = update.update_id
            self._in_flight[update.update_id] = update
            self._dispatch(update)
        if new:
            self._progress = time.monotonic()
        if new or not self._in_flight:
            return
        stuck = time.monotonic() - self._progress >= PARK_AFTER
        if returned >= WINDOW and stuck and self._parking is not None:
            await self._park(self._parking)
            return
        # asyncio.wait, not wait_for: Python 3.11's wait_for can swallow a cancellation that
        # arrives as the event is set, and the poller would never stop.
        finished = asyncio.ensure_future(self._finished.wait())
        try:
            await asyncio.wait({finished}, timeout=IN_FLIGHT_WAIT)
        finally:
            finished.cancel()

    async def _park(self, parking: UpdateParking) -> None:
        """Keep every update in flight in SQLite, so the watermark may pass them."""
        rows = [(uid, json.dumps(u.to_dict())) for uid, u in sorted(self._in_flight.items())]
        await parking.park(rows)
        self._parked.update(self._in_flight)
        self._in_flight.clear()
        logger.warning("parked %d updates in flight: Telegram's window was full", len(rows))

    def _dispatch(self, update: Update) -> None:
        processor = self._app.update_processor
        work = processor.process_update(update, self._app.process_update(update))
        task: asyncio.Task[None] = asyncio.create_task(self._handle(update.update_id, work))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _handle(self, update_id: int, work: Any) -> None:
        try:
            await work
        except Exception:
            logger.exception("update %d could not be handled", update_id)
        finally:
            self._done(update_id)

    def _done(self, update_id: int) -> None:
        self._in_flight.pop(update_id, None)
        self._progress = time.monotonic()
        if update_id in self._parked:
            self._parked.discard(update_id)
            self._unpark.append(update_id)
            if self._releasing is None or self._releasing.done():
                self._releasing = asyncio.create_task(self._release_quietly())
        self._finished.set()

    async def _release_quietly(self) -> None:
        """Forget the parked updates handled since the last time, in one write."""
        await asyncio.sleep(0)  # let the others finishing now join this one write
        while self._unpark and self._parking is not None:
            done, self._unpark = self._unpark, []
            try:
                await self._parking.unpark(done)
            except Exception:
                # Left parked: handed back at the next start and skipped there as handled.
                logger.warning("could not forget handled parked updates", exc_info=True)
                return

    async def drain(self) -> None:
        """After polling stops: let the updates in flight finish, then confirm them."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=DRAIN_SECONDS)
        if self._releasing is not None:
            await self._releasing
        await self._release_quietly()
        if self._highest is None:
            return
        try:
            # Confirms everything below the watermark; what it returns is left for next time.
            await self._app.bot.get_updates(
                offset=self.offset, limit=1, timeout=dt.timedelta(seconds=0)
            )
        except TelegramError as exc:
            logger.warning("could not confirm the last updates (%s): they come again", exc)


def _log_end(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.error("polling stopped: %r", task.exception())


@asynccontextmanager
async def polling(
    application: AnyApplication,
    *,
    poll_timeout: float,
    parking: UpdateParking | None = None,
) -> AsyncIterator[WatermarkPoller]:
    """Poll while the block runs; on leaving, stop fetching, finish what is in flight, and
    confirm it. The webhook is removed first (Telegram refuses getUpdates while one is set)."""
    await application.bot.delete_webhook(drop_pending_updates=False)
    poller = WatermarkPoller(application, poll_timeout=poll_timeout, parking=parking)
    await poller.replay_parked()
    task = asyncio.create_task(poller.run(), name="watermark-poller")
    task.add_done_callback(_log_end)
    try:
        yield poller
    finally:
        while not task.done():  # cancelled again if a library call swallowed it
            task.cancel()
            await asyncio.wait({task}, timeout=1.0)
        await poller.drain()
