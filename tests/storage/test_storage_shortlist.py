"""The shortlist's store on a real SQLite file (issue 18): on and off once each, erased with its
nomination by a purge, and its migration upgrading a file written by the schema before it."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

from storage import NominationStore
from storage.db import second_connection
from storage.purge import PurgeStore
from storage.schema import MIGRATIONS
from storage.shortlist import ShortlistStore
from tests.storage.schema_history import written_at_version

AT = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
FORM = "f"
INSERT_SENT = (
    "INSERT INTO nominations (reference, nominator, form_id, form_version, status, position,"
    " created_at, updated_at, submitted_at) VALUES (?, 'tg:1', 'f', 1, 'submitted', 'review',"
    " 't', 't', '2026-01-01T00:00:00.000000+00:00')"
)


def shortlist_migration() -> int:
    (index,) = [i for i, script in enumerate(MIGRATIONS) if "CREATE TABLE shortlist" in script]
    return index


async def test_on_and_off_once_each_and_gone_with_a_purge(db_path: Path) -> None:
    written_at_version(db_path, shortlist_migration())  # the schema before the shortlist
    with closing(sqlite3.connect(db_path)) as conn:
        conn.executemany(INSERT_SENT, [("LSI-AAA234",), ("LSI-BBB234",)])
        conn.execute(INSERT_SENT.replace("'f'", "'another'"), ("LSI-OTHER2",))
        conn.commit()
    async with (
        await NominationStore.open(db_path) as store,  # migrates: the sent ones are kept
        second_connection(db_path) as db,
    ):
        shortlist = ShortlistStore(db)
        assert await shortlist.references() == []
        assert await shortlist.add("LSI-BBB234", FORM, at=AT)
        assert not await shortlist.add("LSI-BBB234", FORM, at=AT)  # on it already
        assert not await shortlist.add("LSI-NONE99", FORM, at=AT)
        assert not await shortlist.add("LSI-OTHER2", FORM, at=AT)  # another award's
        assert await shortlist.add("LSI-AAA234", FORM, at=AT)
        assert await shortlist.remove("LSI-AAA234")
        assert not await shortlist.remove("LSI-AAA234")
        assert await shortlist.references() == ["LSI-BBB234"]

        purges = PurgeStore(db, lambda sha: db_path.parent / sha)
        erased = await purges.erase_submitted_before(AT + timedelta(days=365))
        assert {e.reference for e in erased} == {"LSI-AAA234", "LSI-BBB234", "LSI-OTHER2"}
        assert await shortlist.references() == []
        with closing(sqlite3.connect(db_path)) as conn:
            assert conn.execute("SELECT count(*) FROM shortlist").fetchone() == (0,)
        assert (await store.count_by_status())["submitted"] == 0
