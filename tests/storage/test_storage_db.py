"""Opening the database file: migrations, refusal of newer files, permissions, pragmas."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import stat
from contextlib import closing
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from storage import NominationStore, SchemaTooNew
from storage.db import connect, from_utc_text, split_statements, utc_text
from storage.schema import MIGRATIONS


def _pragma(path: Path, name: str) -> object:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(f"PRAGMA {name}").fetchone()[0]


def _tables(path: Path) -> set[str]:
    with closing(sqlite3.connect(path)) as conn:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {name for (name,) in rows}


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _create_with_mode(path: Path, mode: int) -> None:
    path.parent.mkdir(parents=True)
    path.touch()
    path.chmod(mode)


async def test_an_empty_file_is_migrated_to_the_latest_version(db_path: Path) -> None:
    conn = await connect(db_path)
    await conn.close()

    assert _pragma(db_path, "user_version") == len(MIGRATIONS)
    assert {"nominations", "answer_parts", "outbox"} <= _tables(db_path)


async def test_reopening_a_migrated_file_changes_nothing(db_path: Path) -> None:
    await (await connect(db_path)).close()
    schema_version = _pragma(db_path, "schema_version")

    await (await connect(db_path)).close()

    assert _pragma(db_path, "schema_version") == schema_version
    assert _pragma(db_path, "user_version") == len(MIGRATIONS)


async def test_a_file_from_a_newer_version_is_refused_untouched(db_path: Path) -> None:
    await (await connect(db_path)).close()
    newer = len(MIGRATIONS) + 1
    with closing(sqlite3.connect(db_path)) as conn:
        conn.execute(f"PRAGMA user_version = {newer}")

    with pytest.raises(SchemaTooNew, match=f"schema version {newer}.*only up to {len(MIGRATIONS)}"):
        await connect(db_path)

    assert _pragma(db_path, "user_version") == newer


async def test_a_failing_migration_leaves_no_trace(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await (await connect(db_path)).close()
    broken = "CREATE TABLE future (id INTEGER PRIMARY KEY); INSERT INTO no_such_table VALUES (1)"
    monkeypatch.setattr("storage.db.MIGRATIONS", (*MIGRATIONS, broken))

    with pytest.raises(sqlite3.OperationalError, match="no_such_table"):
        await connect(db_path)

    assert _pragma(db_path, "user_version") == len(MIGRATIONS)
    assert "future" not in _tables(db_path)


async def test_a_new_migration_is_applied_once(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await (await connect(db_path)).close()
    monkeypatch.setattr(
        "storage.db.MIGRATIONS", (*MIGRATIONS, "CREATE TABLE future (id INTEGER PRIMARY KEY);")
    )

    await (await connect(db_path)).close()
    await (await connect(db_path)).close()

    assert _pragma(db_path, "user_version") == len(MIGRATIONS) + 1
    assert "future" in _tables(db_path)


def test_statements_split_on_semicolons_outside_comments_and_quotes() -> None:
    script = """
        -- a comment; with a semicolon
        CREATE TABLE a (x TEXT DEFAULT 'b;c');
        CREATE INDEX a_x ON a (x) WHERE x = ';';
    """
    assert split_statements(script) == [
        "-- a comment; with a semicolon\n        CREATE TABLE a (x TEXT DEFAULT 'b;c');",
        "CREATE INDEX a_x ON a (x) WHERE x = ';';",
    ]


async def test_files_are_readable_by_their_owner_only(db_path: Path) -> None:
    previous = os.umask(0)  # the laxest umask: the modes must come from the code, not the umask
    try:
        conn = await connect(db_path)
        try:
            await conn.execute("CREATE TEMP TABLE t (x)")  # any statement; WAL files now exist
            sidecars = [db_path.with_name(db_path.name + s) for s in ("-wal", "-shm")]
            for path in [db_path, *sidecars]:
                assert _mode(path) == 0o600, path
        finally:
            await conn.close()
    finally:
        os.umask(previous)


async def test_an_existing_readable_file_is_made_private(db_path: Path) -> None:
    _create_with_mode(db_path, 0o644)

    await (await connect(db_path)).close()

    assert _mode(db_path) == 0o600


async def test_the_connection_is_configured(db_path: Path) -> None:
    conn = await connect(db_path)
    try:

        async def value(pragma: str) -> object:
            return next(iter(await conn.execute_fetchall(f"PRAGMA {pragma}")))[0]

        assert await value("journal_mode") == "wal"
        assert await value("synchronous") == 1  # NORMAL
        assert await value("foreign_keys") == 1
        assert await value("busy_timeout") == 5000
        assert conn.isolation_level is None
    finally:
        await conn.close()
    assert _pragma(db_path, "journal_mode") == "wal"  # WAL is a property of the file


async def test_store_opens_as_a_context_manager(db_path: Path) -> None:
    async with await NominationStore.open(db_path) as store:
        assert await store.count_by_status() == {"draft": 0, "submitted": 0, "withdrawn": 0}


def test_datetimes_are_stored_as_sortable_utc_text() -> None:
    at = datetime(2025, 3, 1, 10, 0, 0, 5, tzinfo=timezone(timedelta(hours=1)))

    text = utc_text(at)

    assert text == "2025-03-01T09:00:00.000005+00:00"
    assert from_utc_text(text) == at
    assert from_utc_text(text).tzinfo == UTC
    earlier, later = datetime(2025, 3, 1, tzinfo=UTC), datetime(2025, 3, 1, 0, 0, 1, tzinfo=UTC)
    assert utc_text(earlier) < utc_text(later)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        utc_text(datetime(2025, 3, 1))


async def test_many_connections_can_create_one_new_database_at_once(tmp_path: Path) -> None:
    """Switching a new file to WAL fails at once ("database is locked") for all but one of
    several connections doing it together; each must wait its turn instead."""
    for round_ in range(25):
        path = tmp_path / f"round{round_}" / "nominations.sqlite3"

        opened = await asyncio.gather(*(connect(path) for _ in range(4)), return_exceptions=True)

        for conn in opened:
            if not isinstance(conn, BaseException):
                await conn.close()
        assert [c for c in opened if isinstance(c, BaseException)] == [], f"round {round_}"
        assert _pragma(path, "journal_mode") == "wal"
        assert _pragma(path, "user_version") == len(MIGRATIONS)
