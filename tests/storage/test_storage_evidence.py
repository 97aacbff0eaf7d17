"""The supporting files' store on a real SQLite file: blobs named by SHA-256 with mode 0600,
rows per nomination and question, shared blobs kept while any row refers to them, the totals
checked in the transaction, and a sent nomination's files final."""

from __future__ import annotations

import hashlib
import sqlite3
import stat
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from pathlib import Path

import pytest

from flows.form import Form
from flows.state import Status
from storage import NominationStore
from storage.errors import NominationFinal
from storage.evidence import EvidenceStore, NoRoom

Clock = Callable[[], datetime]
PDF = b"%PDF-1.4 audit figures"
CHART = b"\x89PNG\r\n\x1a\n chart"


@pytest.fixture
async def files(db_path: Path, store: NominationStore) -> AsyncIterator[EvidenceStore]:
    evidence = await EvidenceStore.open(db_path)
    yield evidence
    await evidence.close()


async def add(
    files: EvidenceStore,
    reference: str,
    field_id: str,
    data: bytes,
    clock: Clock,
    *,
    limit: int = 10_000,
) -> int:
    kept = await files.add(
        reference,
        field_id,
        name=f"{field_id}.bin",
        caption=None,
        media_type="application/pdf",
        data=data,
        total_limit=limit,
        at=clock(),
    )
    return kept.id


async def test_files_are_kept_by_sha256_privately_and_listed_in_order(
    store: NominationStore, files: EvidenceStore, form: Form, clock: Clock
) -> None:
    draft = await store.create_draft("tg:1", form, "q1", at=clock())
    kept = await files.add(
        draft.reference,
        "q1",
        name="audit.pdf",
        caption="April audit",
        media_type="application/pdf",
        data=PDF,
        total_limit=10_000,
        at=clock(),
    )
    await add(files, draft.reference, "q2", CHART, clock)
    blob = files.folder / hashlib.sha256(PDF).hexdigest()
    assert blob.read_bytes() == PDF
    assert stat.S_IMODE(blob.stat().st_mode) == 0o600
    listed = await files.list_for(draft.reference)
    assert [(f.field_id, f.size) for f in listed] == [("q1", len(PDF)), ("q2", len(CHART))]
    assert listed[0] == kept and kept.caption == "April audit"
    assert await files.used(draft.reference) == len(PDF) + len(CHART)


async def test_the_total_is_checked_and_a_refused_file_leaves_no_blob(
    store: NominationStore, files: EvidenceStore, form: Form, clock: Clock
) -> None:
    draft = await store.create_draft("tg:1", form, "q1", at=clock())
    await add(files, draft.reference, "q1", PDF, clock, limit=len(PDF) + 5)
    with pytest.raises(NoRoom):
        await add(files, draft.reference, "q1", CHART, clock, limit=len(PDF) + 5)
    assert sorted(p.name for p in files.folder.iterdir()) == [hashlib.sha256(PDF).hexdigest()]


async def test_a_sent_nominations_files_are_final(
    store: NominationStore, files: EvidenceStore, form: Form, clock: Clock
) -> None:
    draft = await store.create_draft("tg:1", form, "q1", at=clock())
    await store.save(draft, draft.model_copy(update={"status": Status.SUBMITTED}), at=clock())
    with pytest.raises(NominationFinal):
        await add(files, draft.reference, "q1", PDF, clock)
    assert list(files.folder.iterdir()) == []


async def test_removing_keeps_a_blob_another_nomination_still_uses(
    store: NominationStore, files: EvidenceStore, form: Form, clock: Clock, db_path: Path
) -> None:
    mine = await store.create_draft("tg:1", form, "q1", at=clock())
    theirs = await store.create_draft("tg:2", form, "q1", at=clock())
    first = await add(files, mine.reference, "q1", PDF, clock)
    await add(files, mine.reference, "q2", CHART, clock)
    await add(files, theirs.reference, "q3", PDF, clock)
    blob = files.folder / hashlib.sha256(PDF).hexdigest()

    assert await files.remove(theirs.reference, first) is None  # not theirs to remove
    removed = await files.remove(mine.reference, first)
    assert removed is not None and removed.name == "q1.bin"
    assert blob.exists()  # still theirs

    assert await files.delete_for(mine.reference) == 1
    assert not (files.folder / hashlib.sha256(CHART).hexdigest()).exists()
    assert await files.delete_for(theirs.reference) == 1
    assert list(files.folder.iterdir()) == []
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM evidence").fetchone() == (0,)


async def test_deleting_a_draft_takes_its_rows_with_it(
    store: NominationStore, files: EvidenceStore, form: Form, clock: Clock
) -> None:
    draft = await store.create_draft("tg:1", form, "q1", at=clock())
    await add(files, draft.reference, "q1", PDF, clock)
    await store.delete_draft(draft.reference)
    assert await files.list_for(draft.reference) == []
