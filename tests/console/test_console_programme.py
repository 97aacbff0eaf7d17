"""An awards programme in the terminal (issue 19): the same conversation as in Telegram, its
buttons numbered. The choice of award, More about one, and a nomination for the second award."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
EXAMPLE_PROGRAMME = REPO / "flows" / "forms" / "example_programme.toml"


def run_console_programme(tmp_path: Path, lines: list[str]) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "USER": "tester",
        "DATABASE_PATH": str(tmp_path / "nominations.sqlite3"),
        "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
        "ORGANISER_EMAILS": "awards@example.nhs.uk",
        "MAIL_FROM": "Nomination Bot <nominations@example.nhs.uk>",
        "AWARDS_FILE": str(EXAMPLE_PROGRAMME),
        "PYTHONPATH": str(REPO),
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", "console"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
        check=False,
    )


def test_the_terminal_offers_the_awards_and_starts_the_one_chosen(tmp_path: Path) -> None:
    lines = [
        "help",
        "4",  # More about: the example award
        "1",  # Nominate for this award
        "Priya Shah",
        "quit",
    ]
    result = run_console_programme(tmp_path, lines)

    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Example Leadership Awards" in out
    assert "Several awards are taking nominations. Type start to choose which one." in out
    assert "Choose the award you want to make a nomination for." in out
    assert "1) Leading for Service Improvement and Innovation" in out
    assert "4) More about: Example award: Building a Learning Culture" in out
    assert "This is an example award, not a real one." in out
    assert "1) Nominate for this award" in out
    assert "What is the nominee's full name?" in out
    with closing(sqlite3.connect(tmp_path / "nominations.sqlite3")) as conn:
        rows = conn.execute(
            "SELECT n.reference, n.form_id, p.text FROM nominations AS n"
            " JOIN answer_parts AS p ON p.nomination_id = n.id WHERE p.field_id = 'nominee_name'"
        ).fetchall()
    ((reference, form_id, name),) = rows
    assert reference.startswith("EXLC-") and form_id == "example_learning_culture"
    assert name == "Priya Shah"
