"""Many tasks share one store: transactions never interleave; one task's failure is its own."""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from flows.form import Form
from flows.state import REVIEW, NominationState, Part, Status
from storage import NominationStore
from storage.types import EmailKind, NewEmail

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
NOMINATORS = 40
SAVES = 15


def next_state(state: NominationState, who: int, n: int) -> NominationState:
    field_id = ("q1", "q2", "q3", "q4")[n % 4]
    parts = state.answers.get(field_id, ())
    if n % 6 == 5:  # now and then an answer is rewritten rather than extended
        parts = (Part(text=f"{who}/{n} rewritten", source=f"{who}:{n}"),)
    else:
        parts = (*parts, Part(text=f"{who}/{n} " + "word " * n, source=f"{who}:{n}"))
    return state.model_copy(
        update={
            "answers": {**state.answers, field_id: parts},
            "position": REVIEW if n % 4 == 3 else field_id,
            "returning_to_review": n % 2 == 1,
        }
    )


def email(message_id: str) -> NewEmail:
    return NewEmail(EmailKind.ORGANISERS, ("awards@example.org",), message_id, b"message")


async def test_concurrent_saves_from_many_tasks_stay_intact(db_path: Path, form: Form) -> None:
    async with await NominationStore.open(db_path) as store:
        blocker = await store.create_draft("tg:blocker", form, REVIEW, at=T0)
        await store.save(
            blocker,
            blocker.model_copy(update={"status": Status.SUBMITTED}),
            at=T0,
            outbox=[email("<taken@example>")],
        )

        async def nominator(who: int) -> NominationState:
            state = await store.create_draft(f"tg:{who}", form, "q1", at=T0)
            for n in range(SAVES):
                new = next_state(state, who, n)
                await store.save(state, new, at=T0 + timedelta(seconds=n))
                assert await store.active_draft(f"tg:{who}") == new
                state = new
                await asyncio.sleep(0)
            return state

        async def doomed_submitter(who: int) -> NominationState:
            """Keeps trying to submit with an email id that is taken: each try must undo itself."""
            state = await store.create_draft(f"tg:doomed{who}", form, "q1", at=T0)
            for n in range(SAVES):
                new = next_state(state, who, n).model_copy(update={"status": Status.SUBMITTED})
                with pytest.raises(sqlite3.IntegrityError):
                    await store.save(state, new, at=T0, outbox=[email("<taken@example>")])
                await asyncio.sleep(0)
            return state

        results = await asyncio.gather(
            *(nominator(who) for who in range(NOMINATORS)),
            *(doomed_submitter(who) for who in range(5)),
        )
        expected = dict(
            zip(
                [f"tg:{who}" for who in range(NOMINATORS)]
                + [f"tg:doomed{who}" for who in range(5)],
                results,
                strict=True,
            )
        )

    with closing(sqlite3.connect(db_path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    async with await NominationStore.open(db_path) as store:
        for nominator_id, state in expected.items():
            assert await store.active_draft(nominator_id) == state, nominator_id
        assert await store.count_by_status() == {
            "draft": NOMINATORS + 5,
            "submitted": 1,
            "withdrawn": 0,
        }
        assert len(await store.outbox.rows()) == 1


async def test_creating_drafts_concurrently_for_one_nominator_makes_distinct_ones(
    store: NominationStore, form: Form
) -> None:
    drafts = await asyncio.gather(
        *(store.create_draft("tg:1", form, "q1", at=T0) for _ in range(10))
    )

    assert len({d.reference for d in drafts}) == 10
    listed = await store.of_nominator("tg:1")
    assert {r.state.reference for r in listed} == {d.reference for d in drafts}
    # The current one is the one created last (each creation takes the pointer in turn).
    assert await store.active_draft("tg:1") in drafts
