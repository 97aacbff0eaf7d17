"""Amend and withdraw in the terminal, through the list: `list`, then a number. Amend opens the
review and Cancel changes keeps the version sent; Withdraw asks, then tells the organisers and
erases the answers."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from bot.screens import texts
from flows.state import Confirmation
from tests.console.test_console_e2e import (
    DECLARATION,
    DETAILS,
    question_lines,
    read_eml,
    run_console,
)


def test_amend_cancel_and_withdraw_through_the_list(tmp_path: Path) -> None:
    lines = [
        *DETAILS,
        *question_lines("q1", "q2", "q3", "q4"),
        *DECLARATION,
        "1",  # Submit
        "list",
        "2",  # Amend 1: the review again
        "list",
        "2",  # Cancel changes 1
        "list",
        "3",  # Withdraw 1
        "1",  # Yes, withdraw it
        "quit",
    ]
    result = run_console(tmp_path, lines)

    assert result.returncode == 0, result.stderr
    out = " ".join(result.stdout.split())  # the terminal wraps long lines
    assert "2) Amend 1" in result.stdout and "3) Withdraw 1" in result.stdout
    assert "2) Cancel changes 1" in result.stdout
    with closing(sqlite3.connect(tmp_path / "nominations.sqlite3")) as conn:
        ((reference, status),) = conn.execute("SELECT reference, status FROM nominations")
        parts = conn.execute("SELECT count(*) FROM answer_parts").fetchone()
    assert status == "withdrawn" and parts == (0,)
    assert texts.AMEND_CANCELLED.format(reference=reference) in out
    assert texts.CONFIRM[Confirmation.WITHDRAW].format(reference=reference) in out
    assert texts.WITHDRAWN_DONE.format(reference=reference) in out
    withdrawn = [
        read_eml(f) for f in (tmp_path / "outbox").glob("*.eml") if f.name.endswith("withdrawn.eml")
    ]
    assert [m["Subject"] for m in withdrawn] == [f"Withdrawn: nomination {reference}"]
