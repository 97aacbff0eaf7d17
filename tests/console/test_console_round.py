"""The terminal follows the round's dates as Telegram does: the rules are the service's."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.screens import texts
from flows.round import Round

REPO = Path(__file__).resolve().parents[2]


def run_console(tmp_path: Path, lines: list[str], **settings: str) -> str:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "USER": "tester",
        "DATABASE_PATH": str(tmp_path / "nominations.sqlite3"),
        "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
        "ORGANISER_EMAILS": "awards@example.nhs.uk",
        "PYTHONPATH": str(REPO),
        **settings,
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot", "console"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
        check=True,
    )
    return done.stdout


def read(out: str) -> str:
    """The terminal's words as one line: it wraps every paragraph, the round's news too, at its
    width."""
    return " ".join(out.split())


def drafts(tmp_path: Path) -> int:
    with sqlite3.connect(tmp_path / "nominations.sqlite3") as conn:
        return int(conn.execute("SELECT count(*) FROM nominations").fetchone()[0])


def test_before_opening_the_terminal_explains_and_starts_nothing(tmp_path: Path) -> None:
    opens = datetime.now(UTC) + timedelta(days=2)
    out = run_console(tmp_path, ["start", "1"], NOMINATIONS_OPEN_AT=opens.isoformat())
    opening = Round(opens_at=opens).opening_sentence()
    assert opening is not None
    assert texts.ROUND_NOT_OPEN.format(opening=opening) in read(out)
    assert texts.START_BUTTON not in out  # nothing offered, nothing asked
    assert drafts(tmp_path) == 0


def test_after_closing_the_terminal_says_so_and_starts_nothing(tmp_path: Path) -> None:
    closes = datetime.now(UTC) - timedelta(minutes=5)
    out = run_console(tmp_path, ["start"], NOMINATIONS_CLOSE_AT=closes.isoformat())
    closed = Round(closes_at=closes).closed_sentence()
    assert closed is not None
    assert texts.ROUND_CLOSED.format(closed=closed) in read(out)
    assert drafts(tmp_path) == 0
