"""Several nominations in the terminal: `new` starts another, `list` shows them all, and a
number chooses which one to carry on with."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from tests.console.test_console_e2e import run_console


def test_list_and_choose_by_number(tmp_path: Path) -> None:
    lines = [
        "1",  # Start a nomination
        "1",  # An individual
        "Priya Shah",
        "new",  # another nomination beside the first
        "1",  # An individual
        "Sam Patel",
        "Ward Sister",  # Sam's role: the draft last started
        "list",
        "2",  # Continue 2: Priya's, the older one
        "Senior Staff Nurse",  # Priya's role
        "quit",
    ]
    result = run_console(tmp_path, lines)

    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Your nominations, newest first" in out
    assert "1. Sam Patel: draft, Step 4 of 14." in out
    assert "2. Priya Shah: draft, Step 3 of 14." in out
    assert "1) Continue 1" in out and "3) Start another nomination" in out
    after_list = out[out.index("Your nominations, newest first") :]
    assert "Nomination for Priya Shah · Step 3 of 14" in after_list
    with closing(sqlite3.connect(tmp_path / "nominations.sqlite3")) as conn:
        roles = dict(
            conn.execute(
                "SELECT name.text, role.text FROM answer_parts AS name"
                " JOIN answer_parts AS role ON role.nomination_id = name.nomination_id"
                " WHERE name.field_id = 'nominee_name' AND role.field_id = 'nominee_role'"
            )
        )
    assert roles == {"Sam Patel": "Ward Sister", "Priya Shah": "Senior Staff Nurse"}
