"""The one reminder to a nominator whose nominee has not answered (issue 19): after
NOMINEE_APPROVAL_REMIND_DAYS, with a fresh link (the old one stops working); and the nominee's
word that a nomination they approved was changed since, with how it reads now. Each is recorded
in SQLite before it is sent, so it goes at most once, even across a restart.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from bot.screens import approval
from bot.screens.parts import Screen
from bot.services.approvals import ApprovalService, link_for

logger = logging.getLogger(__name__)

Send = Callable[[str, Screen], Awaitable[bool]]  # (nominator, screen): True if it reached them


class ApprovalReminders:
    """Sends the reminders as they fall due; `run` until stopped, or `run_once` in tests."""

    def __init__(
        self,
        approvals: ApprovalService,
        send: Send,
        bot_username: Callable[[], str],
        *,
        max_sleep: float = 60.0,
    ) -> None:
        self._approvals = approvals
        self._send = send
        self._bot_username = bot_username
        self._max_sleep = max_sleep

    async def run_once(self) -> int:
        """Send every reminder and change notice due now: how many reached their person."""
        if not self._approvals.asks:
            return 0
        reached = 0
        for due in await self._approvals.reminders_due():
            url = link_for(self._bot_username(), due.token)
            screen = approval.reminder(due.nominee, due.team, due.reference, url)
            try:
                sent = await self._send(due.nominator, screen)
            except Exception:  # a front end's failure must not stop the others' reminders
                logger.exception("approval reminder for %s raised", due.reference)
                sent = False
            reached += sent
            logger.info("approval reminder for %s %s", due.reference, "sent" if sent else "lost")
        return reached + await self._tell_changes()

    async def _tell_changes(self) -> int:
        """Tell each nominee whose approved nomination was changed since: how many reached."""
        reached = 0
        for changed in await self._approvals.changes_due():
            try:
                sent = await self._send(changed.approver, approval.changed(changed.view))
            except Exception:  # as above: the others are still told
                logger.exception("approval change notice for %s raised", changed.reference)
                sent = False
            reached += sent
        return reached

    async def run(self, stop: asyncio.Event) -> None:
        """Remind as approvals fall due until `stop` is set."""
        while not stop.is_set():
            try:
                await self.run_once()
            except Exception:  # a database hiccup must not end the reminders for good
                logger.exception("approval reminders failed; trying again shortly")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=self._max_sleep)
