"""The conversation's open questions survive a restart: replacing after Change, and a pending
yes/no question with the text it keeps (migration 2)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from datetime import datetime
from pathlib import Path

from flows.form import Form
from flows.state import Confirmation, NominationState, Pending
from storage import NominationStore
from storage.db import utc_text
from storage.schema import MIGRATIONS
from tests.storage.schema_history import written_at_version

Clock = Callable[[], datetime]


async def test_replacing_and_a_pending_question_come_back_after_a_restart(
    db_path: Path, form: Form, clock: Clock
) -> None:
    typed = 'Typed at the review: "quotes", émoji 👩🏽‍⚕️ and\nnew lines'
    pending = Pending(about=Confirmation.SAVE_TYPED, field_id="q2", text=typed, source="77")
    async with await NominationStore.open(db_path) as store:
        draft = await store.create_draft("tg:1", form, "nominee_type", at=clock())
        waiting = draft.model_copy(update={"position": "review", "pending": pending})
        await store.save(draft, waiting, at=clock())
    async with await NominationStore.open(db_path) as store:
        assert await store.active_draft("tg:1") == waiting
        replacing = waiting.model_copy(
            update={"position": "q2", "pending": None, "replacing": True}
        )
        await store.save(waiting, replacing, at=clock())
    async with await NominationStore.open(db_path) as store:
        assert await store.active_draft("tg:1") == replacing


async def test_a_file_from_before_migration_4_gains_the_new_columns_with_nothing_pending(
    db_path: Path, form: Form, clock: Clock
) -> None:
    written_at_version(db_path, 3)  # as a version-3 file (before the conversation columns)
    with closing(sqlite3.connect(db_path)) as conn:
        conn.execute(
            "INSERT INTO nominations (reference, nominator, form_id, form_version, position,"
            " created_at, updated_at) VALUES ('LSI-AAAAAA', 'tg:2', ?, ?, 'q1', ?, ?)",
            (form.id, form.version, utc_text(clock()), utc_text(clock())),
        )
        conn.commit()
    async with await NominationStore.open(db_path) as store:
        again = await store.active_draft("tg:2")
    draft = NominationState(
        form_id=form.id, form_version=form.version, reference="LSI-AAAAAA", position="q1"
    )
    assert again == draft and again is not None
    assert again.pending is None and again.replacing is False
    with sqlite3.connect(db_path) as conn:
        (version,) = conn.execute("PRAGMA user_version").fetchone()
    assert version == len(MIGRATIONS)
