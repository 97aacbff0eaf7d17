"""The nominee's approval in SQLite (storage.approvals): only the token's hash is kept, a link is
claimed once, an approval keeps its note, a decline withdraws the nomination in the same
transaction, the one reminder rotates the link, purging takes the row, and the migration
upgrades a database written by the schema before it."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flows.form import Form
from flows.state import REVIEW, Part, Status
from storage import NominationStore
from storage.approvals import ApprovalStatus, ApprovalStep, token_hash
from storage.db import utc_text
from storage.schema import MIGRATIONS
from storage.types import EmailKind, NewEmail
from tests.storage.schema_history import written_at_version

TableRows = Callable[[str], list[tuple[object, ...]]]
AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
TOKEN = "tok-approval-0001"


def email(reference: str) -> NewEmail:
    message_id = f"<{reference}.approval@nominations.example>"
    return NewEmail(EmailKind.APPROVAL, ("awards@example.nhs.uk",), message_id, b"approval")


def database_bytes(path: Path) -> bytes:
    """The database file and its write-ahead log, as they are on disk."""
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


async def sent(store: NominationStore, form: Form, nominator: str = "tg:1") -> str:
    draft = await store.create_draft(nominator, form, form.fields[0].id, at=AT)
    answered = draft.model_copy(update={"answers": {"q1": (Part(text="Secret audit"),)}})
    await store.save(draft, answered, at=AT)
    final = answered.model_copy(update={"status": Status.SUBMITTED, "position": REVIEW})
    await store.save(answered, final, at=AT)
    return draft.reference


async def test_a_link_is_kept_as_a_hash_and_claimed_once(
    store: NominationStore, form: Form, table_rows: TableRows, db_path: Path
) -> None:
    reference = await sent(store, form)
    approvals = store.approvals
    assert await approvals.create(reference, TOKEN, at=AT)
    assert not await approvals.create(reference, "another-token", at=AT)  # one per nomination
    assert table_rows("SELECT token_hash FROM nominee_approvals") == [(token_hash(TOKEN),)]
    assert TOKEN.encode() not in database_bytes(db_path)

    claims = await asyncio.gather(*(approvals.claim(TOKEN, f"tg:{n}") for n in (2, 3)))
    assert sorted(claims) == [False, True]
    found = await approvals.by_token(TOKEN)
    assert found is not None and found.reference == reference and found.submitted
    assert found.status is ApprovalStatus.PENDING and found.step is ApprovalStep.CHOOSING
    winner = found.approver
    assert winner is not None
    assert await approvals.by_token("guessed") is None


async def test_an_approval_keeps_its_note_and_a_second_answer_is_refused(
    store: NominationStore, form: Form, table_rows: TableRows
) -> None:
    reference = await sent(store, form)
    approvals = store.approvals
    await approvals.create(reference, TOKEN, at=AT)
    await approvals.claim(TOKEN, "tg:2")
    assert not await approvals.choose(reference, "tg:3", approve=True)  # not theirs
    assert await approvals.choose(reference, "tg:2", approve=True)
    answering = await approvals.answering("tg:2")
    assert answering is not None and answering.step is ApprovalStep.NOTE and answering.approve
    assert await approvals.write_note(reference, "tg:2", "Thank you all")
    assert await approvals.approve(
        reference, "tg:2", note="Thank you all", share_note=True, at=AT, outbox=[email(reference)]
    )
    assert await approvals.answering("tg:2") is None
    assert not await approvals.approve(
        reference, "tg:2", note=None, share_note=False, at=AT, outbox=()
    )

    done = await approvals.of_nomination(reference)
    assert done is not None and done.status is ApprovalStatus.APPROVED
    assert done.note == "Thank you all" and done.share_note and done.decided_at == AT
    assert await approvals.statuses() == {reference: ApprovalStatus.APPROVED}
    assert table_rows("SELECT kind FROM outbox") == [("approval",)]


async def test_leaving_undoes_the_choice_and_a_decline_withdraws_the_nomination(
    store: NominationStore, form: Form, table_rows: TableRows, db_path: Path
) -> None:
    reference = await sent(store, form)
    approvals = store.approvals
    await approvals.create(reference, TOKEN, at=AT)
    await approvals.claim(TOKEN, "tg:2")
    await approvals.choose(reference, "tg:2", approve=False)
    await approvals.leave("tg:2")
    left = await approvals.by_token(TOKEN)
    assert left is not None and left.step is ApprovalStep.CHOOSING and left.approve is None

    await approvals.choose(reference, "tg:2", approve=False)
    await approvals.write_note(reference, "tg:2", "Please do not")
    assert await approvals.decline(reference, "tg:2", at=AT, outbox=[email(reference)])
    record = await store.get(reference)
    assert record is not None and record.state.status is Status.WITHDRAWN
    assert record.state.answers == {}
    declined = await approvals.of_nomination(reference)
    assert declined is not None and declined.status is ApprovalStatus.DECLINED
    assert declined.note is None and declined.approver is None and not declined.submitted
    assert table_rows("SELECT kind FROM outbox") == [("approval",)]
    assert b"Secret audit" not in database_bytes(db_path)
    assert b"Please do not" not in database_bytes(db_path)


async def test_the_nominators_withdrawal_erases_the_note(
    store: NominationStore, form: Form
) -> None:
    reference = await sent(store, form)
    approvals = store.approvals
    await approvals.create(reference, TOKEN, at=AT)
    await approvals.claim(TOKEN, "tg:2")
    await approvals.choose(reference, "tg:2", approve=True)
    await approvals.write_note(reference, "tg:2", "A note")
    assert await store.withdraw(reference, at=AT)
    erased = await approvals.of_nomination(reference)
    assert erased is not None and erased.note is None and erased.approver is None
    assert await approvals.answering("tg:2") is None


async def test_one_reminder_rotates_the_link(store: NominationStore, form: Form) -> None:
    reference = await sent(store, form)
    approvals = store.approvals
    await approvals.create(reference, TOKEN, at=AT)
    await approvals.claim(TOKEN, "tg:2")
    assert await approvals.due_reminders(AT - timedelta(seconds=1)) == []
    (due,) = await approvals.due_reminders(AT + timedelta(days=7))
    assert due.reference == reference and due.nominator == "tg:1"
    assert await approvals.reminded(reference, "fresh-token", at=AT + timedelta(days=7))
    assert not await approvals.reminded(reference, "third-token", at=AT + timedelta(days=8))
    assert await approvals.due_reminders(AT + timedelta(days=30)) == []
    assert await approvals.by_token(TOKEN) is None
    fresh = await approvals.by_token("fresh-token")
    assert fresh is not None and fresh.approver is None
    assert fresh.reminded_at == AT + timedelta(days=7)


async def test_purging_the_nomination_takes_its_approval(
    store: NominationStore, form: Form, table_rows: TableRows, db_path: Path
) -> None:
    from storage.db import second_connection
    from storage.purge import PurgeStore

    reference = await sent(store, form)
    await store.approvals.create(reference, TOKEN, at=AT)
    async with second_connection(db_path) as db:
        purge = PurgeStore(db, lambda sha: db_path.parent / sha)
        (erased,) = await purge.erase_submitted_before(AT + timedelta(days=1))
    assert erased.reference == reference
    assert table_rows("SELECT count(*) FROM nominee_approvals") == [(0,)]


async def test_the_migration_upgrades_a_database_written_before_it(
    db_path: Path, form: Form
) -> None:
    # The version just before the migration that makes the table (others may follow it).
    before = next(n for n, script in enumerate(MIGRATIONS) if "nominee_approvals" in script)
    written_at_version(db_path, before)
    with closing(sqlite3.connect(db_path)) as conn:
        conn.execute(
            "INSERT INTO nominations (reference, nominator, form_id, form_version, status,"
            " position, created_at, updated_at, submitted_at)"
            " VALUES ('LSI-7K3Q9M', 'tg:1', ?, ?, 'submitted', 'review', ?, ?, ?)",
            (form.id, form.version, utc_text(AT), utc_text(AT), utc_text(AT)),
        )
        conn.commit()
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert "nominee_approvals" not in tables
    async with await NominationStore.open(db_path) as store:
        assert await store.approvals.of_nomination("LSI-7K3Q9M") is None
        assert await store.approvals.create("LSI-7K3Q9M", TOKEN, at=AT)
        found = await store.approvals.by_token(TOKEN)
        assert found is not None and found.nominator == "tg:1" and found.submitted
    with closing(sqlite3.connect(db_path)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone() == (len(MIGRATIONS),)
