"""The outbox worker's passes, counted, with a wait for the next one; and `running`, the worker
passing in the background while a block runs.

Whoever waits for one email (an organiser's resend) looks at its row again each time a pass ends,
rather than on a timer; so a test drives that wait by running passes, never by letting time go by.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Protocol


class Passes:
    """How many passes over the outbox have ended, and a way to wait for more."""

    def __init__(self) -> None:
        self._ended = 0
        self._changed = asyncio.Condition()

    @property
    def ended(self) -> int:
        return self._ended

    async def after(self, count: int) -> None:
        """Return once more than `count` passes have ended."""
        async with self._changed:
            await self._changed.wait_for(lambda: self._ended > count)

    @asynccontextmanager
    async def one(self) -> AsyncIterator[None]:
        """One pass, counted as ended however it ends (a failing pass too)."""
        try:
            yield
        finally:
            async with self._changed:
                self._ended += 1
                self._changed.notify_all()


class Worker(Protocol):
    """What `running` needs of the outbox worker (mail.delivery.OutboxWorker)."""

    async def run(self, stop: asyncio.Event) -> None: ...

    async def run_once(self) -> object: ...

    def wake(self) -> None: ...


@asynccontextmanager
async def running(worker: Worker, *, drain: bool = False) -> AsyncIterator[None]:
    """The outbox worker delivering in the background while the block runs, then stopped. With
    `drain`, one last pass on the way out, so whatever was just submitted goes before exit."""
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop))
    try:
        yield
    finally:
        stop.set()
        worker.wake()
        await task
        if drain:
            await worker.run_once()
