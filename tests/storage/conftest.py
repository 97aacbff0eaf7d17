"""Fixtures for the storage tests: a real SQLite file in tmp_path, the shipped form, a clock."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Callable
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from flows.form import Form, load_form
from storage import NominationStore


@pytest.fixture(scope="session")
def form() -> Form:
    return load_form()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "nominations.sqlite3"


@pytest.fixture
async def store(db_path: Path) -> AsyncIterator[NominationStore]:
    async with await NominationStore.open(db_path) as opened:
        yield opened


@dataclass
class Clock:
    """Hands out strictly increasing, timezone-aware instants."""

    now: datetime = field(default_factory=lambda: datetime(2025, 3, 1, 9, 30, tzinfo=UTC))

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1, microseconds=1)
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


_AUDIT_SCHEMA = """
CREATE TABLE audit (n INTEGER PRIMARY KEY, tbl TEXT, op TEXT, key TEXT);
CREATE TRIGGER audit_parts_insert AFTER INSERT ON answer_parts BEGIN
    INSERT INTO audit (tbl, op, key)
    VALUES ('answer_parts', 'INSERT', NEW.field_id || '#' || NEW.seq);
END;
CREATE TRIGGER audit_parts_update AFTER UPDATE ON answer_parts BEGIN
    INSERT INTO audit (tbl, op, key)
    VALUES ('answer_parts', 'UPDATE', NEW.field_id || '#' || NEW.seq);
END;
CREATE TRIGGER audit_parts_delete AFTER DELETE ON answer_parts BEGIN
    INSERT INTO audit (tbl, op, key)
    VALUES ('answer_parts', 'DELETE', OLD.field_id || '#' || OLD.seq);
END;
CREATE TRIGGER audit_nominations_insert AFTER INSERT ON nominations BEGIN
    INSERT INTO audit (tbl, op, key) VALUES ('nominations', 'INSERT', NEW.reference);
END;
CREATE TRIGGER audit_nominations_update AFTER UPDATE ON nominations BEGIN
    INSERT INTO audit (tbl, op, key) VALUES ('nominations', 'UPDATE', NEW.reference);
END;
CREATE TRIGGER audit_nominations_delete AFTER DELETE ON nominations BEGIN
    INSERT INTO audit (tbl, op, key) VALUES ('nominations', 'DELETE', OLD.reference);
END;
"""


@dataclass
class Audit:
    """Every row change made to answer_parts and nominations, as logged by test-only triggers."""

    path: Path

    def take(self) -> list[tuple[str, str, str]]:
        """The changes since the last take, as (table, operation, key), in order."""
        with closing(sqlite3.connect(self.path, isolation_level=None)) as conn:
            rows = conn.execute("SELECT tbl, op, key FROM audit ORDER BY n").fetchall()
            conn.execute("DELETE FROM audit")
        return [(str(t), str(o), str(k)) for t, o, k in rows]


@pytest.fixture
def row_changes(store: NominationStore, db_path: Path) -> Callable[[], list[tuple[str, str, str]]]:
    """Install the audit triggers in the (already created) test database; returns Audit.take."""
    with closing(sqlite3.connect(db_path, isolation_level=None)) as conn:
        conn.executescript(_AUDIT_SCHEMA)
    return Audit(db_path).take


@pytest.fixture
def table_rows(db_path: Path) -> Callable[[str], list[tuple[object, ...]]]:
    """Read a whole table straight from the file, as another process would."""

    def read(sql: str) -> list[tuple[object, ...]]:
        with closing(sqlite3.connect(db_path)) as conn:
            return [tuple(r) for r in conn.execute(sql).fetchall()]

    return read
