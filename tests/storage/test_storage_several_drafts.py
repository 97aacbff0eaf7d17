"""Migration 7 (issue 9): a file written by the one-draft schema keeps every draft, nomination,
answer, email and reminder, and then takes several drafts per nominator."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from flows.form import Form
from flows.state import REVIEW, Part, Status
from storage import NominationStore
from storage.db import utc_text
from storage.schema import MIGRATIONS
from tests.storage.schema_history import written_at_version

T0 = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)
T1 = datetime(2026, 2, 3, 9, 0, tzinfo=UTC)


def fill_version_6(path: Path, form: Form) -> None:
    """What the bot before issue 9 would have written: one draft per nominator (the unique index
    is there to refuse a second), a submitted nomination with its emails, a reminder."""
    rows = [
        # reference, nominator, status, position, submitted_at
        ("LSI-DRAFT1", "tg:1", "draft", "q2", None),
        ("LSI-SENT01", "tg:1", "submitted", REVIEW, utc_text(T1)),
        ("LSI-DRAFT2", "tg:2", "draft", "q1", None),
    ]
    with closing(sqlite3.connect(path)) as conn:
        for reference, nominator, status, position, submitted_at in rows:
            conn.execute(
                "INSERT INTO nominations (reference, nominator, form_id, form_version, status,"
                " position, created_at, updated_at, submitted_at, pending)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
                (reference, nominator, form.id, form.version, status, position, utc_text(T0),
                 utc_text(T1), submitted_at),
            )  # fmt: skip
        ids = dict(conn.execute("SELECT reference, id FROM nominations"))
        conn.executemany(
            "INSERT INTO answer_parts (nomination_id, field_id, seq, source, text)"
            " VALUES (?, ?, ?, ?, ?)",
            [
                (ids["LSI-DRAFT1"], "q1", 0, "11", "First part of Q1"),
                (ids["LSI-DRAFT1"], "q1", 1, "12", "Second part of Q1"),
                (ids["LSI-SENT01"], "q1", 0, None, "A sent answer"),
            ],
        )
        conn.execute(
            "INSERT INTO outbox (nomination_id, kind, recipients, message_id, message,"
            " next_attempt_at, created_at) VALUES (?, 'organisers', '[\"a@example.org\"]', '<m@x>',"
            " x'00', ?, ?)",
            (ids["LSI-SENT01"], utc_text(T1), utc_text(T1)),
        )
        conn.execute(
            "INSERT INTO reminders (nomination_id, sent, last_sent_at) VALUES (?, 1, ?)",
            (ids["LSI-DRAFT2"], utc_text(T1)),
        )
        conn.commit()
        # The old rule held in that file: a second draft for tg:1 is refused.
        try:
            conn.execute(
                "INSERT INTO nominations (reference, nominator, form_id, form_version, position,"
                " created_at, updated_at) VALUES ('LSI-XXXXXX', 'tg:1', 'f', 1, 'q1', '', '')"
            )
        except sqlite3.IntegrityError:
            pass
        else:
            raise AssertionError("the version-6 file should refuse a second draft")


async def test_migration_7_keeps_everything_and_allows_several_drafts(
    db_path: Path, form: Form
) -> None:
    written_at_version(db_path, 6)  # the schema before issue 9 (main at the time)
    fill_version_6(db_path, form)

    async with await NominationStore.open(db_path) as store:
        draft = await store.active_draft("tg:1")
        assert draft is not None and draft.reference == "LSI-DRAFT1"
        assert draft.position == "q2"
        assert draft.answers == {
            "q1": (
                Part(text="First part of Q1", source="11"),
                Part(text="Second part of Q1", source="12"),
            )
        }
        sent = await store.get("LSI-SENT01")
        assert sent is not None and sent.state.status is Status.SUBMITTED
        assert sent.submitted_at == T1 and sent.state.answer("q1") == "A sent answer"
        other = await store.active_draft("tg:2")
        assert other is not None and other.reference == "LSI-DRAFT2"
        assert len(await store.outbox.rows()) == 1

        second = await store.create_draft("tg:1", form, "nominee_type", at=T1)
        assert await store.active_draft("tg:1") == second
        listed = [r.state.reference for r in await store.of_nominator("tg:1")]
        assert listed == [second.reference, "LSI-SENT01", "LSI-DRAFT1"]
        await store.set_current("tg:1", "LSI-DRAFT1")
        assert await store.active_draft("tg:1") == draft

    with closing(sqlite3.connect(db_path)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        indexes = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        assert "nominations_one_draft" not in indexes and "nominations_drafts" in indexes
        assert conn.execute("SELECT count(*) FROM reminders").fetchone() == (1,)
        assert conn.execute("SELECT count(*) FROM answer_parts").fetchone() == (3,)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
