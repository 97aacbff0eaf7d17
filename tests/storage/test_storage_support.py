"""Supporting statements in SQLite (storage.support): a link is claimed once, even by two at the
same moment; a cancelled link keeps nothing; the limit counts live links; a deleted draft takes
its statements with it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from flows.form import Form
from storage import NominationStore
from storage.support import LimitReached, LinkStatus

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


async def test_a_link_is_claimed_once_and_a_cancelled_one_keeps_nothing(
    store: NominationStore, form: Form
) -> None:
    draft = await store.create_draft("tg:1", form, "q1", at=T0)
    links = store.support
    await links.create(draft.reference, "tok-a", at=T0, maximum=2)
    claims = await asyncio.gather(*(links.claim("tok-a", f"tg:{n}", "name") for n in (2, 3)))
    assert sorted(claims) == [False, True]
    link = await links.get("tok-a")
    assert link is not None and link.status is LinkStatus.WRITING
    winner = link.colleague
    assert winner is not None
    assert await links.save("tok-a", winner, "role", {"name": "Kim Lee"})
    loser = "tg:3" if winner == "tg:2" else "tg:2"
    assert not await links.save("tok-a", loser, "role", {"name": "Impostor"})

    await links.create(draft.reference, "tok-b", at=T0, maximum=2)
    with pytest.raises(LimitReached):
        await links.create(draft.reference, "tok-c", at=T0, maximum=2)
    assert await links.revoke(draft.reference, "tok-a")
    revoked = await links.get("tok-a")
    assert revoked is not None and revoked.status is LinkStatus.REVOKED and revoked.answers == {}
    assert await links.writing(winner) is None
    await links.create(draft.reference, "tok-c", at=T0, maximum=2)  # a cancelled one is free


async def test_a_deleted_draft_takes_its_statements_with_it(
    store: NominationStore, form: Form, table_rows: Callable[[str], list[tuple[object, ...]]]
) -> None:
    draft = await store.create_draft("tg:1", form, "q1", at=T0)
    await store.support.create(draft.reference, "tok-a", at=T0, maximum=3)
    await store.support.claim("tok-a", "tg:2", "name")
    await store.support.save("tok-a", "tg:2", "statement", {"name": "Kim Lee"})
    assert await store.delete_draft(draft.reference)
    assert table_rows("SELECT * FROM support_statements") == []
