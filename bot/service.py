"""The one path every front end takes: load the draft, apply the event, commit, then reply.

Replies are built from the effects only after `save` has returned, so anything the nominator is
told was saved is on disk. Events from one nominator are applied one at a time.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from flows import engine
from flows.effects import Deleted, Effect, Submitted
from flows.events import Event, Start
from flows.form import Form
from flows.state import NominationState
from storage.nominations import NominationStore
from storage.types import NewEmail


class Composer(Protocol):
    """Builds the emails for a submitted nomination (mail.compose, with the settings bound)."""

    def __call__(
        self, form: Form, state: NominationState, submitted_at: datetime
    ) -> Sequence[NewEmail]: ...


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Outcome:
    """The state after an event (None: the nominator has no draft) and what to show."""

    state: NominationState | None
    effects: tuple[Effect, ...] = ()
    refused: bool = False  # the caller's condition did not hold: nothing was applied


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
        store: NominationStore,
        form: Form,
        *,
        compose: Composer,
        clock: Callable[[], datetime] = utc_now,
        after_submit: Callable[[], None] | None = None,
    ) -> None:
        self.store = store
        self.form = form
        self._compose = compose
        self._clock = clock
        self._after_submit = after_submit
        self._locks = KeyedLocks()

    async def draft(self, nominator: str) -> NominationState | None:
        return await self.store.active_draft(nominator)

    async def begin(self, nominator: str) -> Outcome:
        """Continue the nominator's draft, or start a new one."""
        async with self._locks.hold(nominator):
            state = await self.store.active_draft(nominator)
            if state is None:
                state = await self.store.create_draft(
                    nominator, self.form, engine.first_position(self.form), at=self._clock()
                )
            return await self._apply(state, Start())

    async def apply(
        self,
        nominator: str,
        event: Event,
        *,
        only_if: Callable[[NominationState], bool] | None = None,
    ) -> Outcome:
        """Apply one event to the nominator's draft; with no draft, nothing happens. With
        `only_if`, the event applies only to a draft that passes it (e.g. a button still current);
        otherwise the outcome is `refused`, with the draft as it is."""
        async with self._locks.hold(nominator):
            state = await self.store.active_draft(nominator)
            if state is None:
                return Outcome(None)
            if only_if is not None and not only_if(state):
                return Outcome(state, refused=True)
            return await self._apply(state, event)

    async def delete(self, nominator: str) -> bool:
        async with self._locks.hold(nominator):
            state = await self.store.active_draft(nominator)
            return state is not None and await self.store.delete_draft(state.reference)

    async def _apply(self, state: NominationState, event: Event) -> Outcome:
        transition = engine.handle(self.form, state, event)
        if any(isinstance(e, Deleted) for e in transition.effects):
            # The nominator said yes to deleting: the engine decides, the store erases.
            await self.store.delete_draft(state.reference)
            return Outcome(None, transition.effects)
        now = self._clock()
        submitted = any(isinstance(e, Submitted) for e in transition.effects)
        outbox = self._compose(self.form, transition.state, now) if submitted else ()
        await self.store.save(state, transition.state, at=now, outbox=outbox)
        if submitted and self._after_submit is not None:
            self._after_submit()
        return Outcome(transition.state, transition.effects)
