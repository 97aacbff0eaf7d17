"""One contract, two stores: the in-memory fake the fast tests use must keep the rules of the real
SQLite store, or the fast tests would prove nothing. Each test runs against both."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.services.nominating import DraftStore
from flows.form import Form
from flows.state import Part, Status
from storage import NominationFinal, NominationStore
from tests.unit.fakes import FakeDraftStore

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(params=["fake", "sqlite"])
async def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[DraftStore]:
    if request.param == "fake":
        yield FakeDraftStore()
        return
    async with await NominationStore.open(tmp_path / "contract.sqlite3") as store:
        yield store


async def test_several_drafts_and_the_one_last_continued(
    any_store: DraftStore, tiny_form: Form
) -> None:
    first = await any_store.create_draft("n1", tiny_form, "who", at=AT)
    assert first.reference.startswith(f"{tiny_form.reference_prefix}-")
    assert await any_store.active_draft("n1") == first
    assert await any_store.active_draft("n2") is None

    second = await any_store.create_draft("n1", tiny_form, "who", at=AT)
    assert second.reference != first.reference
    assert await any_store.active_draft("n1") == second  # a new draft is the one worked on

    await any_store.set_current("n1", first.reference)
    assert await any_store.active_draft("n1") == first
    listed = await any_store.of_nominator("n1")
    assert [r.state.reference for r in listed] == [second.reference, first.reference]
    assert await any_store.of_nominator("n2") == []

    # The one being worked on is deleted: the other is worked on next.
    assert await any_store.delete_draft(first.reference)
    assert await any_store.active_draft("n1") == second


async def test_a_save_is_read_back_and_a_submission_is_final(
    any_store: DraftStore, tiny_form: Form
) -> None:
    draft = await any_store.create_draft("n1", tiny_form, "who", at=AT)
    answered = draft.model_copy(
        update={"answers": {"who": (Part(text="colleague"),)}, "position": "colleague_name"}
    )
    await any_store.save(draft, answered, at=AT)
    assert await any_store.active_draft("n1") == answered

    submitted = answered.model_copy(update={"status": Status.SUBMITTED})
    await any_store.save(answered, submitted, at=AT)

    assert await any_store.active_draft("n1") is None
    record = await any_store.get(draft.reference)
    assert record is not None and record.state.is_submitted and record.submitted_at == AT
    assert record.nominator == "n1"
    moved_on = answered.model_copy(update={"position": "your_name"})
    with pytest.raises(NominationFinal):
        await any_store.save(answered, moved_on, at=AT)
    assert not await any_store.delete_draft(draft.reference)


async def test_delete_draft_erases_a_draft(any_store: DraftStore, tiny_form: Form) -> None:
    draft = await any_store.create_draft("n1", tiny_form, "who", at=AT)

    assert await any_store.delete_draft(draft.reference)
    assert await any_store.active_draft("n1") is None
    assert await any_store.get(draft.reference) is None
    assert not await any_store.delete_draft(draft.reference)
