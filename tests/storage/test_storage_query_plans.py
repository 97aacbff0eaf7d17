"""Per-message work is an index lookup, not a scan: proved with EXPLAIN QUERY PLAN."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flows.form import Form
from flows.state import REVIEW, NominationState, Part, Status
from storage import NominationStore
from storage.db import connect
from storage.types import EmailKind, NewEmail

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def append(state: NominationState, field_id: str, text: str) -> NominationState:
    parts = (*state.answers.get(field_id, ()), Part(text=text))
    return state.model_copy(update={"answers": {**state.answers, field_id: parts}})


def plans(path: Path, statements: list[str]) -> dict[str, list[str]]:
    """Each statement's query plan, as SQLite details such as 'SEARCH n USING INDEX ...'."""
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA foreign_keys = ON")
        return {
            sql: [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}")]
            for sql in statements
            if sql.split()[0].upper() not in ("BEGIN", "COMMIT", "ROLLBACK")
        }


def only(plans: dict[str, list[str]], is_it: Callable[[str], bool]) -> list[str]:
    (plan,) = [plan for sql, plan in plans.items() if is_it(" ".join(sql.split()))]
    return plan


async def test_each_message_uses_indexes_not_scans(db_path: Path, form: Form) -> None:
    conn = await connect(db_path)
    statements: list[str] = []
    store = NominationStore(conn)
    try:
        for n in range(30):  # other nominations, so that there is something to scan past
            draft = await store.create_draft(f"tg:{n}", form, "q1", at=T0)
            done = append(draft, "q1", "an answer").model_copy(update={"status": Status.SUBMITTED})
            await store.save(draft, done, at=T0)
        await store.create_draft("tg:7", form, "q1", at=T0)
        await conn.set_trace_callback(statements.append)

        # One message each: find the draft, append a part, move on, revise an earlier part.
        draft = await store.active_draft("tg:7")
        assert draft is not None
        appended = append(draft, "q1", "first paragraph")
        await store.save(draft, appended, at=T0 + timedelta(seconds=1))
        moved = appended.model_copy(update={"position": REVIEW})
        await store.save(appended, moved, at=T0 + timedelta(seconds=2))
        revised = moved.model_copy(update={"answers": {"q1": (Part(text="revised"),)}})
        await store.save(moved, revised, at=T0 + timedelta(seconds=3))
        per_message = plans(db_path, statements)
        statements.clear()

        # And the rarer events: submit with email, start again, delete, deliver.
        email = NewEmail(EmailKind.ORGANISERS, ("a@example.org",), "<id@example>", b"x")
        submitted = revised.model_copy(update={"status": Status.SUBMITTED})
        await store.save(revised, submitted, at=T0 + timedelta(seconds=4), outbox=[email])
        again = await store.create_draft("tg:7", form, "q1", at=T0)
        await store.get(again.reference)
        await store.of_nominator("tg:7")  # /mynominations
        await store.set_current("tg:7", again.reference)  # Continue on one of them
        await store.delete_draft(again.reference)
        now = T0 + timedelta(seconds=5)
        (row,) = await store.outbox.due(now, 10)
        await store.outbox.claim(row.id, "me", now=now, until=now + timedelta(minutes=1))
        await store.outbox.mark_retry(
            row.id, attempts=1, next_attempt_at=T0, error="x", claimant="me"
        )
        await store.outbox.next_due_at()
        await store.outbox.claim(row.id, "me", now=now, until=now + timedelta(minutes=1))
        await store.outbox.mark_sent(row.id, T0, claimant="me")
        other_events = plans(db_path, statements)
    finally:
        await store.close()

    for sql, plan in {**per_message, **other_events}.items():
        assert not [step for step in plan if step.startswith("SCAN")], (sql, plan)

    # The draft being worked on: among the nominator's drafts alone (a handful), the one their
    # pointer names, else the newest; the sort is over those few rows only.
    assert only(per_message, lambda s: s.startswith("SELECT")) == [
        "SEARCH n USING INTEGER PRIMARY KEY (rowid=?)",
        "SCALAR SUBQUERY 2",
        "SEARCH d USING INDEX nominations_drafts (nominator=?)",
        "SCALAR SUBQUERY 1",
        "SEARCH c USING PRIMARY KEY (nominator=?)",
        "USE TEMP B-TREE FOR ORDER BY",
        "SEARCH p USING PRIMARY KEY (nomination_id=?) LEFT-JOIN",
    ]
    updates = [plan for sql, plan in per_message.items() if sql.lstrip().startswith("UPDATE")]
    assert len(updates) == 3
    assert all(
        plan == ["SEARCH nominations USING INDEX sqlite_autoindex_nominations_1 (reference=?)"]
        for plan in updates
    )
    assert only(per_message, lambda s: s.startswith("DELETE FROM answer_parts")) == [
        "SEARCH answer_parts USING PRIMARY KEY (nomination_id=? AND field_id=?)"
    ]
    # An INSERT of a part has no lookup of its own to plan: only its primary key is checked.
    inserts = [plan for sql, plan in per_message.items() if "INSERT INTO answer_parts" in sql]
    assert len(inserts) == 2 and all(plan == [] for plan in inserts)
    assert only(other_events, lambda s: s.startswith("DELETE FROM nominations")) == [
        "SEARCH nominations USING INDEX sqlite_autoindex_nominations_1 (reference=?)",
        # A draft with versions is an amendment, not deleted (migration 8): by primary key,
        # and any versions go with a deleted draft the same way (below).
        "CORRELATED SCALAR SUBQUERY 1",
        "SEARCH v USING PRIMARY KEY (nomination_id=?)",
        # Its nominee's approval (issue 19), by its key.
        "SEARCH nominee_approvals USING INTEGER PRIMARY KEY (rowid=?)",
        # Its place on the shortlist (issue 18), by its key.
        "SEARCH shortlist USING INTEGER PRIMARY KEY (rowid=?)",
        # Its judging (issue 18): scores, recusals and assignments, each by its index.
        "SEARCH judge_scores USING COVERING INDEX judge_scores_by_nomination (nomination_id=?)",
        "SEARCH judge_recusals USING COVERING INDEX judge_recusals_by_nomination (nomination_id=?)",
        "SEARCH judge_assignments USING COVERING INDEX judge_assignments_by_nomination"
        " (nomination_id=?)",
        # Its colleagues' supporting statements (migration 10) go with it, by their index.
        "SEARCH support_statements USING COVERING INDEX support_by_nomination (nomination_id=?)",
        # Its retention warning (migration 9), by its key.
        "SEARCH retention_warnings USING INTEGER PRIMARY KEY (rowid=?)",
        "SEARCH nomination_versions USING PRIMARY KEY (nomination_id=?)",
        # The draft's supporting files (migration 6) go with it, found by their index.
        "SEARCH evidence USING COVERING INDEX evidence_by_nomination (nomination_id=?)",
        "SEARCH reminders USING INTEGER PRIMARY KEY (rowid=?)",
        "SEARCH outbox USING COVERING INDEX outbox_by_nomination (nomination_id=?)",
        "SEARCH answer_parts USING PRIMARY KEY (nomination_id=?)",
    ]
