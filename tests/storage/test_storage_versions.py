"""Versions of a sent nomination and withdrawal, on a real SQLite file: a submission records
version 1 with its answers, the organisers' read gives the latest number, withdrawing erases
answers, versions and earlier emails but keeps the tombstone, and migration 8 upgrades a
database written at version 7 keeping what it holds."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from flows.form import Form
from flows.state import REVIEW, Part, Status
from storage import NominationStore
from storage.schema import MIGRATIONS
from storage.types import EmailKind, NewEmail
from tests.storage.schema_history import written_at_version

TableRows = Callable[[str], list[tuple[object, ...]]]
AT = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)


def note(reference: str) -> NewEmail:
    message_id = f"<{reference}.withdrawn@nominations.example>"
    return NewEmail(EmailKind.WITHDRAWN, ("awards@example.nhs.uk",), message_id, b"withdrawn")


def database_bytes(path: Path) -> bytes:
    """The database file and its write-ahead log, as they are on disk."""
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


async def sent(store: NominationStore, form: Form) -> str:
    draft = await store.create_draft("tg:1", form, form.fields[0].id, at=AT)
    answered = draft.model_copy(update={"answers": {"q1": (Part(text="Secret audit"),)}})
    await store.save(draft, answered, at=AT)
    final = answered.model_copy(update={"status": Status.SUBMITTED, "position": REVIEW})
    await store.save(answered, final, at=AT)
    return draft.reference


async def test_a_submission_records_version_one(
    store: NominationStore, form: Form, table_rows: TableRows
) -> None:
    reference = await sent(store, form)
    rows = table_rows("SELECT version, submitted_at, answers FROM nomination_versions")
    assert [(r[0], json.loads(str(r[2]))) for r in rows] == [(1, {"q1": ["Secret audit"]})]
    (record,) = await store.submitted()
    assert record.state.reference == reference and record.version == 1
    assert await store.latest_versions() == {reference: 1}
    kept = await store.versions_of(reference)
    assert [(n, at, answers) for n, at, answers in kept] == [(1, AT, {"q1": ["Secret audit"]})]


async def test_withdrawing_leaves_a_tombstone_and_nothing_of_the_text(
    store: NominationStore, form: Form, table_rows: TableRows, db_path: Path
) -> None:
    reference = await sent(store, form)
    later = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
    assert await store.withdraw(reference, at=later, outbox=[note(reference)])
    assert not await store.withdraw(reference, at=later)  # only once

    record = await store.get(reference)
    assert record is not None and record.state.status is Status.WITHDRAWN
    assert record.state.answers == {} and record.submitted_at == AT
    assert table_rows("SELECT count(*) FROM nominations WHERE withdrawn_at IS NOT NULL") == [(1,)]
    assert table_rows("SELECT * FROM nomination_versions") == []
    assert table_rows("SELECT kind FROM outbox") == [("withdrawn",)]
    assert await store.submitted() == []
    assert b"Secret audit" not in database_bytes(db_path)


def test_migration_8_keeps_a_version_7_database(db_path: Path) -> None:
    written_at_version(db_path, 7)
    with closing(sqlite3.connect(db_path)) as conn:
        conn.execute(
            "INSERT INTO nominations (reference, nominator, form_id, form_version, status,"
            " position, created_at, updated_at, submitted_at) VALUES ('LSI-OLD234', 'tg:1',"
            " 'lsi', 1, 'submitted', 'review', 't', 't', 't')"
        )
        conn.commit()
        conn.executescript(MIGRATIONS[7])
        rows = conn.execute("SELECT reference, status, withdrawn_at FROM nominations").fetchall()
        versions = conn.execute("SELECT count(*) FROM nomination_versions").fetchall()
    assert rows == [("LSI-OLD234", "submitted", None)] and versions == [(0,)]


async def test_amending_one_sent_before_versions_were_kept_and_cancelling(
    store: NominationStore, form: Form, db_path: Path
) -> None:
    reference = await sent(store, form)
    with closing(sqlite3.connect(db_path)) as conn:
        conn.execute("DELETE FROM nomination_versions")  # as sent before migration 8
        conn.commit()
    assert await store.latest_answers(reference) is None

    assert await store.reopen("tg:1", reference, at=AT)
    assert await store.latest_answers(reference) == (1, {"q1": ["Secret audit"]})
    draft = await store.active_draft("tg:1")
    assert draft is not None and draft.reference == reference and draft.at_review
    changed = draft.model_copy(update={"answers": {"q1": (Part(text="Second thoughts"),)}})
    await store.save(draft, changed, at=AT)
    assert not await store.delete_draft(reference)  # an amendment is cancelled, not deleted
    (exported,) = await store.submitted()
    assert exported.state.answer("q1") == "Secret audit" and exported.version == 1

    assert await store.cancel_amendment("tg:1", reference)
    back = await store.get(reference)
    assert back is not None and back.state.status is Status.SUBMITTED
    assert back.state.answer("q1") == "Secret audit"
    assert await store.active_draft("tg:1") is None
    assert b"Second thoughts" not in database_bytes(db_path)
