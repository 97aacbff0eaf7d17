"""Helpers for the organisers' tests: a clock the test moves, and drafts and submissions."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flows.form import Form
from flows.state import REVIEW, NominationState, Part, Status
from storage import NominationStore

START = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
_nominators = itertools.count(1)


@dataclass
class Clock:
    """The time as the test sets it."""

    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


def answers(**given: str) -> dict[str, tuple[Part, ...]]:
    return {field_id: (Part(text=text),) for field_id, text in given.items()}


async def start_draft(
    store: NominationStore, form: Form, at: datetime, nominator: str | None = None, **given: str
) -> tuple[str, NominationState]:
    """A draft with the given answers, last changed at `at`; returns (nominator, state)."""
    who = nominator or f"telegram:{next(_nominators)}"
    draft = await store.create_draft(who, form, form.fields[0].id, at=at)
    if given:
        changed = draft.model_copy(
            update={"answers": answers(**given), "position": "nominee_aware"}
        )
        await store.save(draft, changed, at=at)
        draft = changed
    return who, draft


async def submit(store: NominationStore, form: Form, at: datetime, **given: str) -> NominationState:
    """A submitted nomination with exactly these answers (no emails queued)."""
    _, draft = await start_draft(store, form, at)
    done = draft.model_copy(
        update={"status": Status.SUBMITTED, "position": REVIEW, "answers": answers(**given)}
    )
    await store.save(draft, done, at=at)
    return done
