"""The one path every front end takes: load the draft, apply the event, commit, then reply.

Replies are built from the effects only after `save` has returned, so anything the nominator is
told was saved is on disk. Events from one nominator are applied one at a time.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from bot import texts
from flows import engine
from flows.effects import Deleted, Effect, Submitted
from flows.events import Event, Start
from flows.form import Form
from flows.round import Phase, Round
from flows.state import NominationState
from storage.clock import utc_now
from storage.nominations import join_reference
from storage.types import NewEmail, NominationRecord


class DraftStore(Protocol):
    """What the service needs of storage (storage.NominationStore; a dict-backed fake in tests).

    Each call is one transaction: see NominationStore for the guarantees.
    """

    async def active_draft(self, nominator: str) -> NominationState | None: ...

    async def get(self, reference: str) -> NominationRecord | None: ...

    async def create_draft(
        self, nominator: str, form: Form, position: str, *, at: datetime
    ) -> NominationState: ...

    async def save(
        self,
        old: NominationState,
        new: NominationState,
        *,
        at: datetime,
        outbox: Sequence[NewEmail] = (),
    ) -> None: ...

    async def delete_draft(self, reference: str) -> bool: ...


class Composer(Protocol):
    """Builds the emails for a submitted nomination (mail.compose, with the settings bound)."""

    def __call__(
        self, form: Form, state: NominationState, submitted_at: datetime
    ) -> Sequence[NewEmail]: ...


@dataclass(frozen=True, slots=True)
class Outcome:
    """The state after an event (None: the nominator has no draft) and what to show."""

    state: NominationState | None
    effects: tuple[Effect, ...] = ()
    refused: bool = False  # the caller's condition did not hold: nothing was applied
    notice: str | None = None  # about the round (closed, or when it closes): shown after the rest


def round_notice(round_dates: Round, now: datetime) -> str | None:
    """What the round means for a nominator now: not open yet, closed, or (while open) when it
    closes and, near the end, how long is left. None when there is nothing to say."""
    match round_dates.phase(now):
        case Phase.BEFORE:
            return texts.ROUND_NOT_OPEN.format(opening=round_dates.opening_sentence() or "")
        case Phase.CLOSED:
            return texts.ROUND_CLOSED.format(closed=round_dates.closed_sentence() or "")
    said = [round_dates.closing_sentence(), round_dates.countdown_sentence(now)]
    return " ".join(s for s in said if s) or None


@dataclass
class KeyedLocks:
    """One asyncio lock per key, dropped when nobody holds or waits for it."""

    _locks: dict[str, tuple[asyncio.Lock, int]] = field(default_factory=dict)

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)


class NominationService:
    """Applies nominators' events to their drafts, durably."""

    def __init__(
        self,
        store: DraftStore,
        form: Form,
        *,
        compose: Composer,
        clock: Callable[[], datetime] = utc_now,
        after_submit: Callable[[], None] | None = None,
        round_dates: Round | None = None,
    ) -> None:
        self._store = store
        self.form = form
        self._compose = compose
        self._clock = clock
        self._after_submit = after_submit
        self._locks = KeyedLocks()
        self.round = round_dates or Round()

    def round_notice(self) -> str | None:
        """The round's news for the welcome (see `round_notice`)."""
        return round_notice(self.round, self._clock())

    def is_open(self) -> bool:
        return self.round.is_open(self._clock())

    async def draft(self, nominator: str) -> NominationState | None:
        return await self._store.active_draft(nominator)

    async def continue_nomination(self, nominator: str) -> Outcome:
        """Carry on with the nominator's draft, or start a new one (the Continue button). Outside
        the round a new one is not started: the outcome has no state, and says why."""
        async with self._locks.hold(nominator):
            state = await self._store.active_draft(nominator)
            if state is None:
                if not self.is_open():
                    return Outcome(None, notice=self.round_notice())
                state = await self._store.create_draft(
                    nominator, self.form, engine.first_position(self.form), at=self._clock()
                )
            return await self._apply(state, Start(), self._clock())

    async def apply(
        self,
        nominator: str,
        event: Event,
        *,
        only_if: Callable[[NominationState], bool] | None = None,
        pressed_at: datetime | None = None,
    ) -> Outcome:
        """Apply one event to the nominator's draft; with no draft, nothing happens. With
        `only_if`, the event applies only to a draft that passes it (e.g. a button still current);
        otherwise the outcome is `refused`, with the draft as it is.

        A submission counts if it was made (`pressed_at`, default now) while the round was open,
        however late it is handled; otherwise nothing is saved and the outcome says the round
        has closed."""
        made_at = pressed_at or self._clock()
        async with self._locks.hold(nominator):
            state = await self._store.active_draft(nominator)
            if state is None:
                # Outside the round, say why nothing can start rather than offer to start.
                return Outcome(None, notice=None if self.is_open() else self.round_notice())
            if only_if is not None and not only_if(state):
                return Outcome(state, refused=True)
            return await self._apply(state, event, made_at)

    async def was_submitted(self, code: str) -> bool:
        """Whether the nomination with this reference code (7KQ2MX of LSI-7KQ2MX) was sent."""
        record = await self._store.get(join_reference(self.form.reference_prefix, code))
        return record is not None and record.state.is_submitted

    async def delete(self, nominator: str) -> bool:
        async with self._locks.hold(nominator):
            state = await self._store.active_draft(nominator)
            return state is not None and await self._store.delete_draft(state.reference)

    async def _apply(self, state: NominationState, event: Event, made_at: datetime) -> Outcome:
        transition = engine.handle(self.form, state, event)
        if any(isinstance(e, Deleted) for e in transition.effects):
            # The nominator said yes to deleting: the engine decides, the store erases.
            await self._store.delete_draft(state.reference)
            return Outcome(None, transition.effects)
        now = self._clock()
        submitted = any(isinstance(e, Submitted) for e in transition.effects)
        notice = None
        if submitted:
            if not self.round.accepts_submission(made_at):
                return Outcome(state, notice=round_notice(self.round, made_at))
            notice = self.round.closing_sentence()
        outbox = self._compose(self.form, transition.state, now) if submitted else ()
        await self._store.save(state, transition.state, at=now, outbox=outbox)
        if submitted and self._after_submit is not None:
            self._after_submit()
        return Outcome(transition.state, transition.effects, notice=notice)
