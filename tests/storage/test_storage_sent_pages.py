"""The submitted nominations a page at a time (storage/sent.py), on a real SQLite file: the pages
together are exactly the whole read, amended ones as last sent, and one sent meanwhile comes in a
later page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flows.form import Form
from flows.state import REVIEW, Part, Status
from storage import NominationStore
from storage.types import NominationRecord

AT = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)


async def sent(store: NominationStore, form: Form, n: int, at: datetime) -> str:
    draft = await store.create_draft(f"tg:{n}", form, form.fields[0].id, at=at)
    parts = (Part(text=f"Answer {n}, part one"), Part(text="part two"))
    answered = draft.model_copy(update={"answers": {"q1": parts}})
    await store.save(draft, answered, at=at)
    final = answered.model_copy(update={"status": Status.SUBMITTED, "position": REVIEW})
    await store.save(answered, final, at=at)
    return draft.reference


async def walked(store: NominationStore, page: int) -> list[list[NominationRecord]]:
    return [records async for records in store.submitted_pages(page)]


async def test_the_pages_are_the_whole_read_in_order(store: NominationStore, form: Form) -> None:
    # Seven sent, three of them at the same instant (the id breaks the tie), one being amended,
    # one withdrawn and one draft, none of which the pages may lose, repeat or reorder.
    references = [await sent(store, form, n, AT + timedelta(minutes=n // 3)) for n in range(7)]
    await store.create_draft("tg:draft", form, form.fields[0].id, at=AT)
    assert await store.withdraw(references[1], at=AT + timedelta(days=1))
    assert await store.reopen("tg:4", references[4], at=AT + timedelta(days=1))
    draft = await store.active_draft("tg:4")
    assert draft is not None
    edited = draft.model_copy(update={"answers": {"q1": (Part(text="edits in progress"),)}})
    await store.save(draft, edited, at=AT + timedelta(days=1))

    whole = await store.submitted()
    assert len(whole) == 6
    pages = await walked(store, page=4)
    assert [len(p) for p in pages] == [4, 2]
    assert [r for p in pages for r in p] == whole
    assert [r for p in await walked(store, page=1) for r in p] == whole
    amended = next(r for r in whole if r.state.reference == references[4])
    assert amended.state.answer("q1") == "Answer 4, part one\n\npart two"  # as last sent
    assert amended.version == 1


async def test_one_sent_while_the_pages_are_walked_comes_later(
    store: NominationStore, form: Form
) -> None:
    first = [await sent(store, form, n, AT) for n in range(3)]
    seen: list[str] = []
    async for records in store.submitted_pages(2):
        seen += [r.state.reference for r in records]
        if len(seen) == 2:  # between pages: the store is free for a nominator's submission
            late = await sent(store, form, 99, AT + timedelta(hours=1))
    assert seen == [*first, late]
