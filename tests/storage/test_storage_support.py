"""Supporting statements in SQLite (storage.support): a link is claimed once, even by two at the
same moment; a cancelled link keeps nothing; the limit counts live links; a deleted draft takes
its statements with it; statements written before they ran on the engine carry on."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest

from flows.engine import handle
from flows.events import Answer
from flows.form import Form
from flows.state import NominationState
from flows.statement import load_statement_form, new_statement
from storage import NominationStore
from storage.db import utc_text
from storage.statements import LimitReached, LinkStatus
from tests.storage.schema_history import written_at_version

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
STATEMENT = load_statement_form(300)


def opened(reference: str) -> NominationState:
    return new_statement(STATEMENT, reference)


def named(reference: str, name: str) -> NominationState:
    return handle(STATEMENT, opened(reference), Answer(name, source="7")).state


async def test_a_link_is_claimed_once_and_a_cancelled_one_keeps_nothing(
    store: NominationStore, form: Form
) -> None:
    draft = await store.create_draft("tg:1", form, "q1", at=T0)
    links = store.support
    await links.create(draft.reference, "tok-a", at=T0, maximum=2)
    claims = await asyncio.gather(
        *(links.claim("tok-a", f"tg:{n}", opened(draft.reference)) for n in (2, 3))
    )
    assert sorted(claims) == [False, True]
    link = await links.get("tok-a")
    assert link is not None and link.status is LinkStatus.WRITING
    winner = link.colleague
    assert winner is not None
    assert await links.save("tok-a", winner, named(draft.reference, "Kim Lee"))
    saved = await links.get("tok-a")
    assert saved is not None and saved.state == named(draft.reference, "Kim Lee")
    assert saved.answers == {"name": "Kim Lee"} and saved.state.position == "role"
    loser = "tg:3" if winner == "tg:2" else "tg:2"
    assert not await links.save("tok-a", loser, named(draft.reference, "Impostor"))

    await links.create(draft.reference, "tok-b", at=T0, maximum=2)
    with pytest.raises(LimitReached):
        await links.create(draft.reference, "tok-c", at=T0, maximum=2)
    assert await links.revoke(draft.reference, "tok-a")
    revoked = await links.get("tok-a")
    assert revoked is not None and revoked.status is LinkStatus.REVOKED and revoked.state is None
    assert await links.writing(winner) is None
    await links.create(draft.reference, "tok-c", at=T0, maximum=2)  # a cancelled one is free


async def test_a_deleted_draft_takes_its_statements_with_it(
    store: NominationStore, form: Form, table_rows: Callable[[str], list[tuple[object, ...]]]
) -> None:
    draft = await store.create_draft("tg:1", form, "q1", at=T0)
    await store.support.create(draft.reference, "tok-a", at=T0, maximum=3)
    await store.support.claim("tok-a", "tg:2", opened(draft.reference))
    await store.support.save("tok-a", "tg:2", named(draft.reference, "Kim Lee"))
    assert await store.delete_draft(draft.reference)
    assert table_rows("SELECT * FROM support_statements") == []


async def test_statements_written_before_the_engine_carry_on(db_path: Path, form: Form) -> None:
    """Migration 11 on a database written at version 10: each answer becomes the engine's, and
    a paused statement carries on where it was."""
    written_at_version(db_path, 10)
    with closing(sqlite3.connect(db_path)) as conn:
        conn.execute(
            "INSERT INTO nominations (reference, nominator, form_id, form_version, position,"
            " created_at, updated_at) VALUES ('LSI-7K3Q9M', 'tg:1', ?, ?, 'q1', ?, ?)",
            (form.id, form.version, utc_text(T0), utc_text(T0)),
        )
        conn.executemany(
            "INSERT INTO support_statements (token, nomination_id, status, colleague, step,"
            " answers, created_at) VALUES (?, 1, ?, ?, ?, ?, ?)",
            [
                ("tok-open", "open", None, "", "{}", utc_text(T0)),
                ("tok-kim", "writing", "tg:2", "paused:role", '{"name": "Kim Lee"}', utc_text(T0)),
            ],
        )
        conn.commit()
    async with await NominationStore.open(db_path) as store:
        still_open = await store.support.get("tok-open")
        assert still_open is not None and still_open.state is None
        kim = await store.support.get("tok-kim")
        assert kim is not None and kim.paused and kim.state is not None
        assert kim.state.position == "role" and kim.answers == {"name": "Kim Lee"}
        await store.support.resume("tok-kim", "tg:2")
        carried_on = handle(STATEMENT, kim.state, Answer("Matron")).state
        assert await store.support.save("tok-kim", "tg:2", carried_on)
        writing = await store.support.writing("tg:2")
        assert writing is not None and writing.answers == {"name": "Kim Lee", "role": "Matron"}


async def test_who_is_writing_is_known_before_and_after_a_restart(
    db_path: Path, form: Form
) -> None:
    # `writing` is asked on every private message; the store answers most without a query, and
    # must still be right whatever order things happen in, and after a restart.
    async with await NominationStore.open(db_path) as store:
        draft = await store.create_draft("tg:1", form, "q1", at=T0)
        links = store.support
        await links.create(draft.reference, "tok-a", at=T0, maximum=3)
        assert await links.writing("tg:2") is None  # asked before anyone claimed
        assert await links.claim("tok-a", "tg:2", opened(draft.reference))
        writing = await links.writing("tg:2")
        assert writing is not None and writing.token == "tok-a"
        await links.pause("tg:2")
        assert await links.writing("tg:2") is None
        await links.resume("tok-a", "tg:2")
        assert await links.writing("tg:2") is not None
        assert await links.writing("tg:3") is None
    async with await NominationStore.open(db_path) as store:
        again = await store.support.writing("tg:2")
        assert again is not None and again.token == "tok-a"
        assert await store.support.writing("tg:3") is None
