"""The one reminder to judges before judging closes (issue 18): the set time before
JUDGING_CLOSE_AT (or the award's judging_close_at), each judge of the award's panel with
nominations still to score is told once, through any front end's `send`. "Once" is kept in
SQLite (storage/judging.py), so a restart sends it no more."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from bot.screens import texts
from bot.screens.judging import headed
from bot.screens.parts import Screen, text_screen
from bot.services.judging import JudgingService
from flows.round import uk_deadline

logger = logging.getLogger(__name__)
Send = Callable[[int, Screen], Awaitable[None]]
EVERY_SECONDS = 60.0


class JudgingReminders:
    def __init__(
        self,
        panel: JudgingService,
        send: Send,
        *,
        every: float = EVERY_SECONDS,
        award: str | None = None,
    ) -> None:
        self._panel = panel
        self._send = send
        self._every = every
        self._award = award  # the award's name, where judges may sit on several panels

    async def tick(self) -> int:
        """Send the reminder if it is due now; how many judges were told."""
        close = self._panel.settings.dates.close_at
        told = 0
        for telegram_id, left in await self._panel.to_remind():
            if telegram_id < 0:  # the terminal's judge (bot/console/judging.py): no chat
                continue
            when = uk_deadline(close) if close is not None else ""
            screen = text_screen(texts.JUDGE_REMINDER.format(close=when, count=left))
            if self._award is not None:
                screen = headed(self._award, screen)
            try:
                await self._send(telegram_id, screen)
                told += 1
            except Exception:  # one judge's chat failing must not stop the others'
                logger.warning("a judging reminder could not be sent", exc_info=True)
        return told

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self.tick()
            except Exception:
                logger.exception("the judging reminder failed; trying again later")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self._every)
