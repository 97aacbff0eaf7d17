"""Sends reminders for unfinished drafts when they fall due, through any front end's `send`.

The schedule is in SQLite (storage/reminders.py); this loop claims what is due, builds each
reminder from the stored draft, and hands it to `send`, which reports Delivered, Blocked (the
nominator blocked the bot: no more reminders to them) or Failed (try again after a back-off, or
after Telegram's own retry_after). Sends go one at a time, at most `per_second`, which keeps well
inside Telegram's limits. The loop sleeps until the next reminder is due, never longer than
`max_sleep`, so one falls due and goes out within seconds whatever REMINDER_AFTER_HOURS is.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from flows.engine import nominee_name, visible_fields
from flows.form import Form
from flows.journey import asked_field
from flows.programme import Programme, own_form
from flows.round import Phase, Round
from flows.state import NominationState
from storage.nominations import NominationStore
from storage.reminders import Claim, ReminderStore, StopReason, Window

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Reminder:
    """What a reminder says: who the draft is for and how far the nominator got."""

    nominator: str
    reference: str
    nominee: str | None  # None until the nominee is named
    answered: int
    total: int
    position: str  # the field the draft is at, or REVIEW
    position_label: str | None  # that field's label; None at the review
    number: int  # 1 for the draft's first reminder
    round: Round | None = None  # the draft's own award's dates, in a programme (issue 19)


@dataclass(frozen=True, slots=True)
class Delivered:
    pass


@dataclass(frozen=True, slots=True)
class Blocked:
    """The chat can't be reached for good (Telegram's 403: blocked, or the account is gone)."""


@dataclass(frozen=True, slots=True)
class Failed:
    reason: str
    retry_after: float | None = None  # seconds, when Telegram said how long to wait


SendResult = Delivered | Blocked | Failed
Send = Callable[[Reminder], Awaitable[SendResult]]


@dataclass(frozen=True, slots=True)
class ReminderSettings:
    after: timedelta
    maximum: int
    round: Round = field(default_factory=Round)
    retry_delay: timedelta = timedelta(minutes=5)
    max_sleep: float = 5.0  # seconds
    per_second: float = 20.0


@dataclass
class RunReport:
    delivered: int = 0
    blocked: int = 0
    failed: int = 0


def describe(form: Form, state: NominationState, nominator: str, number: int) -> Reminder:
    """The reminder for a draft, from the draft as stored."""
    asked = visible_fields(form, state)
    answered = sum(1 for f in asked if state.answer(f.id) is not None)
    here = asked_field(form, state)
    return Reminder(
        nominator=nominator,
        reference=state.reference,
        nominee=nominee_name(form, state),
        answered=answered,
        total=len(asked),
        position=state.position,
        position_label=here.label if here is not None else None,
        number=number,
    )


class ReminderScheduler:
    """Claims due reminders and sends them; `run` until stopped, or `run_once` in tests."""

    def __init__(
        self,
        reminders: ReminderStore,
        store: NominationStore,
        form: Form,
        send: Send,
        settings: ReminderSettings,
        *,
        clock: Callable[[], datetime],
        programme: Programme | None = None,
    ) -> None:
        self._programme = programme  # each draft described by its own award's form and dates
        self._reminders = reminders
        self._store = store
        self._form = form
        self._send = send
        self._settings = settings
        self._clock = clock
        self._wake = asyncio.Event()
        self._paused_until: datetime | None = None

    def window(self) -> Window:
        """The schedule's rules now; in a programme each award's drafts by its own closing date,
        read in the same query as the rest (a draft on a form no longer served: the round's)."""
        awards = self._programme.awards if self._programme is not None else ()
        return Window(
            now=self._clock(),
            after=self._settings.after,
            maximum=self._settings.maximum,
            closes_at=self._settings.round.closes_at,
            closes_by_form=tuple((a.form.id, a.round.closes_at) for a in awards),
        )

    def _before_opening(self) -> bool:
        """Nothing is open yet: the round, or in a programme every award, opens later."""
        now = self._clock()
        if self._programme is None:
            return self._settings.round.phase(now) is Phase.BEFORE
        return all(a.round.phase(now) is Phase.BEFORE for a in self._programme)

    def wake(self) -> None:
        """Look again now (e.g. after a nominator turned reminders back on)."""
        self._wake.set()

    async def run_once(self) -> RunReport:
        """Send every reminder due now."""
        report = RunReport()
        if self._before_opening():
            return report
        if self._paused_until is not None and self._clock() < self._paused_until:
            return report
        self._paused_until = None
        while batch := await self._reminders.due(self.window()):
            for nomination_id, reference, nominator, _sent in batch:
                claim = await self._reminders.claim(
                    nomination_id, reference, nominator, self.window()
                )
                if claim is not None and not await self._deliver(claim, report):
                    return report  # Telegram asked us to wait: stop this run.
        return report

    async def _deliver(self, claim: Claim, report: RunReport) -> bool:
        """Send one claimed reminder; False if sending should pause."""
        record = await self._store.get(claim.reference)
        if record is None or record.state.is_submitted or self._award_closed(record.state):
            return True  # gone, submitted or closed since the claim: nothing to remind about
        form = own_form(self._programme, self._form, record.state)
        reminder = describe(form, record.state, claim.nominator, claim.number)
        award = self._programme.award_for(form.id) if self._programme else None
        reminder = replace(reminder, round=award.round) if award is not None else reminder
        try:
            result = await self._send(reminder)
        except Exception as exc:  # a front end's bug must not stop the schedule
            logger.exception("reminder send raised")
            result = Failed(type(exc).__name__)
        match result:
            case Delivered():
                report.delivered += 1
            case Blocked():
                report.blocked += 1
                await self._reminders.stop(claim.nominator, StopReason.BLOCKED, self._clock())
            case Failed(reason=reason, retry_after=retry_after):
                report.failed += 1
                wait = self._settings.retry_delay
                if retry_after is not None:
                    wait = max(wait, timedelta(seconds=retry_after))
                    self._paused_until = self._clock() + timedelta(seconds=retry_after)
                logger.warning("reminder for %s not sent: %s", claim.reference, reason)
                await self._reminders.release(claim, retry_at=self._clock() + wait)
                if retry_after is not None:
                    return False
        await asyncio.sleep(1 / self._settings.per_second)
        return True

    def _award_closed(self, state: NominationState) -> bool:
        """Whether the draft's own award has closed (each award may have its own dates)."""
        award = self._programme.award_for(state.form_id) if self._programme else None
        return award is not None and award.round.phase(self._clock()) is Phase.CLOSED

    async def seconds_to_next(self) -> float:
        """How long `run` sleeps: until the next reminder is due, at most max_sleep, and never
        longer than the idle period: a draft that changes meanwhile falls due that long after
        it changed, so a short REMINDER_AFTER_HOURS is kept to, not overshot by max_sleep."""
        now = self._clock()
        longest = min(self._settings.max_sleep, self._settings.after.total_seconds())
        times = [
            t for t in (await self._reminders.next_due(self.window()), self._paused_until) if t
        ]
        soonest = min(times, default=None)
        if soonest is None:
            return longest
        return min(max((soonest - now).total_seconds(), 0.0), longest)

    async def run(self, stop: asyncio.Event) -> None:
        """Send reminders as they fall due until `stop` is set."""
        while not stop.is_set():
            try:
                await self.run_once()
                delay = await self.seconds_to_next()
            except Exception:  # a database hiccup must not end reminders for good
                logger.exception("reminder run failed; trying again shortly")
                delay = self._settings.max_sleep
            self._wake.clear()
            waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(self._wake.wait())]
            await asyncio.wait(waiters, timeout=delay, return_when=asyncio.FIRST_COMPLETED)
            for waiter in waiters:
                waiter.cancel()
