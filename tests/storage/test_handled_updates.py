"""An update's id rides in the transaction of its effects (issue 17): committed with them, rolled
back with them, and recognised afterwards; and marked answered once its handler is done."""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from storage.nominations import NominationStore
from storage.schema import MIGRATIONS
from storage.updates import HANDLING, Handling, Seen
from tests.storage.schema_history import written_at_version


async def test_an_update_id_is_committed_and_rolled_back_with_its_effects(tmp_path: Path) -> None:
    async with await NominationStore.open(tmp_path / "bot.db") as store:
        db = store._db  # the transaction itself is what is tested
        token = HANDLING.set(Handling(41))
        try:
            with pytest.raises(RuntimeError):
                async with db.write_now():
                    raise RuntimeError("the effects failed")
            assert not store.update_handled(41)
            async with db.write_now():
                pass
        finally:
            HANDLING.reset(token)
        assert store.update_handled(41)
        assert not store.update_handled(42)
        async with db.write_now():  # no update being handled: nothing recorded
            pass
        assert not store.update_handled(42)


async def test_a_handled_update_is_unanswered_until_marked_and_marks_share_a_write(
    tmp_path: Path,
) -> None:
    async with await NominationStore.open(tmp_path / "bot.db") as store:
        for update_id in (51, 52, 53):
            token = HANDLING.set(Handling(update_id))
            try:
                async with store._db.write_now():
                    pass
            finally:
                HANDLING.reset(token)
        assert [store.update_seen(i) for i in (50, 51)] == [Seen.NEW, Seen.UNANSWERED]
        commits = store._db._commits
        await asyncio.gather(*(store.answered_updates.mark(i) for i in (51, 52)))
        assert store._db._commits == commits + 1  # finishing together: one write
        seen = [store.update_seen(i) for i in (51, 52, 53)]
        assert seen == [Seen.ANSWERED, Seen.ANSWERED, Seen.UNANSWERED]


async def test_updates_handled_before_the_answered_mark_existed_count_as_answered(
    tmp_path: Path,
) -> None:
    path = tmp_path / "bot.db"
    # The schema just before the column came.
    before = next(n for n, m in enumerate(MIGRATIONS) if "ADD COLUMN answered" in m)
    written_at_version(path, before)
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("INSERT INTO handled_updates (update_id, at) VALUES (61, 0)")
        conn.commit()
    async with await NominationStore.open(path) as store:
        assert store.update_seen(61) is Seen.ANSWERED  # not shown again after the upgrade
