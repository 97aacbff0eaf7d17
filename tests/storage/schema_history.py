"""Database files as an earlier version of the bot wrote them: the real migrations up to a
version, applied by plain sqlite3, so a migration is tested on the schema it will meet."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from storage.schema import MIGRATIONS


def written_at_version(path: Path, version: int) -> None:
    """Create `path` at schema `version` (the first `version` migrations), empty."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA journal_mode = WAL")
        for script in MIGRATIONS[:version]:
            conn.executescript(script)
        conn.execute(f"PRAGMA user_version = {version}")
        conn.commit()
