"""Drafts left for DRAFT_RETENTION_DAYS are erased, with one warning a week before.

`RetentionScheduler.run_once` warns the nominators of drafts idle for the retention period less
WARNING_BEFORE (through `warn`, the front end's; the terminal has no push, so its nominators get
none), then erases drafts idle for the whole period: their files first, then the draft with its
answers, reminders and code emails, through the same store methods as the nominator's own
/delete. Each erasure is logged by reference and counts, never by content.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flows.form import Form
from flows.journey import nominee_name
from flows.programme import Programme, own_form
from storage.evidence import EvidenceStore
from storage.nominations import NominationStore
from storage.purge import PurgeStore

logger = logging.getLogger(__name__)

WARNING_BEFORE = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class RetentionWarning:
    """What the warning says: whose draft, and when it will be erased."""

    nominator: str
    reference: str
    nominee: str | None
    erase_on: datetime


Warn = Callable[[RetentionWarning], Awaitable[bool]]  # True if it reached the nominator


@dataclass(frozen=True, slots=True)
class RetentionSettings:
    days: int
    max_sleep: float = 60.0  # seconds between looks


@dataclass
class PurgeReport:
    warned: int = 0
    erased: int = 0
    files: int = 0


class RetentionScheduler:
    """Warns, then erases, idle drafts; `run` until stopped, or `run_once` in tests."""

    def __init__(
        self,
        purge: PurgeStore,
        store: NominationStore,
        files: EvidenceStore,
        form: Form,
        warn: Warn,
        settings: RetentionSettings,
        *,
        clock: Callable[[], datetime],
        programme: Programme | None = None,
    ) -> None:
        self._programme = programme  # each draft named by its own award's form
        self._purge = purge
        self._store = store
        self._files = files
        self._form = form
        self._warn = warn
        self._settings = settings
        self._clock = clock

    @property
    def period(self) -> timedelta:
        return timedelta(days=self._settings.days)

    async def run_once(self) -> PurgeReport:
        report = PurgeReport()
        await self._send_warnings(report)
        now = self._clock()
        while batch := await self._purge.idle_drafts(now - self.period):
            for reference, _nominator in batch:
                files = await self._files.delete_for(reference)
                if await self._store.delete_draft(reference):
                    report.erased += 1
                    report.files += files
                    logger.info(
                        "retention purge: erased draft %s with %d file(s)", reference, files
                    )
        forgotten = await self._purge.forget_old_limits(now - self.period)
        if forgotten:
            logger.info("retention purge: %d email-code or refusal record(s) erased", forgotten)
        if report.erased:
            logger.info(
                "retention purge: %d draft(s) erased, %d file(s), after %d days idle",
                report.erased,
                report.files,
                self._settings.days,
            )
        return report

    async def _send_warnings(self, report: PurgeReport) -> None:
        now = self._clock()
        warn_since = now - self.period + WARNING_BEFORE
        for nomination_id, reference, nominator in await self._purge.to_warn(
            warn_since, now - self.period
        ):
            if not await self._purge.claim_warning(nomination_id, warn_since, now):
                continue
            record = await self._store.get(reference)
            if record is None or record.state.is_submitted:
                continue
            warning = RetentionWarning(
                nominator=nominator,
                reference=reference,
                nominee=nominee_name(
                    own_form(self._programme, self._form, record.state), record.state
                ),
                erase_on=record.updated_at + self.period,
            )
            try:
                reached = await self._warn(warning)
            except Exception:  # a front end's bug must not stop the purge
                logger.exception("retention warning for %s raised", reference)
                reached = False
            if reached:
                report.warned += 1
                logger.info("retention warning sent for %s", reference)

    async def run(self, stop: asyncio.Event) -> None:
        """Warn and erase as drafts fall due until `stop` is set."""
        while not stop.is_set():
            try:
                await self.run_once()
            except Exception:  # a database hiccup must not end the purge for good
                logger.exception("retention purge failed; trying again shortly")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=self._settings.max_sleep)
