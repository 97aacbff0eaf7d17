"""SIGKILL during the submit transaction: a nomination's submitted status and its outbox rows are
in the file together, or not at all."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

WRITER = Path(__file__).with_name("storage_submit_writer.py")
REPO = Path(__file__).resolve().parents[2]
EMAILS_PER_SUBMISSION = 2


def start_writer(path: Path, **env: str) -> subprocess.Popen[bytes]:
    python_path = [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]
    return subprocess.Popen(
        [sys.executable, str(WRITER), str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(python_path), **env},
    )


def read_line(writer: subprocess.Popen[bytes]) -> bytes:
    assert writer.stdout is not None
    line = writer.stdout.readline()
    if not line:
        raise AssertionError(f"the writer ended: {writer.communicate(timeout=30)[1].decode()}")
    return line


def kill(writer: subprocess.Popen[bytes]) -> int:
    """SIGKILL the writer; the last ACK it printed, counting any still in the pipe."""
    writer.send_signal(signal.SIGKILL)
    rest, _ = writer.communicate(timeout=30)
    assert writer.returncode == -signal.SIGKILL
    acks = [int(line.split()[1]) for line in rest.splitlines() if line.startswith(b"ACK ")]
    return max(acks, default=0)


def nominations(path: Path) -> dict[str, tuple[str, int]]:
    """Each nominator's nomination: its status and how many outbox rows it has."""
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = conn.execute(
            "SELECT n.nominator, n.status,"
            " (SELECT count(*) FROM outbox AS o WHERE o.nomination_id = n.id)"
            " FROM nominations AS n"
        ).fetchall()
    return {nominator: (status, emails) for nominator, status, emails in rows}


def assert_all_or_nothing(found: dict[str, tuple[str, int]]) -> None:
    for nominator, (status, emails) in found.items():
        assert (status, emails) in {("draft", 0), ("submitted", EMAILS_PER_SUBMISSION)}, (
            f"{nominator}: {status} with {emails} outbox rows"
        )


@pytest.mark.parametrize("where", ["before_outbox", "after_outbox"])
def test_killed_inside_the_submit_transaction_leaves_no_trace_of_it(
    tmp_path: Path, where: str
) -> None:
    path = tmp_path / "nominations.sqlite3"
    writer = start_writer(path, PAUSE_AT_SUBMIT="3", PAUSE_WHERE=where)
    try:
        lines = [read_line(writer) for _ in range(3)]
    finally:
        acked = kill(writer)
    assert lines == [b"ACK 1\n", b"ACK 2\n", b"PAUSED 3\n"]
    assert acked == 0

    found = nominations(path)

    assert_all_or_nothing(found)
    assert found["tg:1"] == found["tg:2"] == ("submitted", EMAILS_PER_SUBMISSION)
    assert found["tg:3"] == ("draft", 0)  # the half-done submission is wholly undone


def test_killed_at_random_moments_every_submission_is_whole(tmp_path: Path) -> None:
    seed = random.randrange(2**32)
    rng = random.Random(seed)
    for round_ in range(3):
        path = tmp_path / f"round{round_}" / "nominations.sqlite3"
        writer = start_writer(path)
        try:
            kill_after = rng.randint(3, 40)
            seen = 0
            while seen < kill_after:
                seen = int(read_line(writer).split()[1])
            # The writer runs on a little, so the kill lands anywhere in a submission.
            time.sleep(rng.uniform(0, 0.02))
        finally:
            acked = max(kill(writer), seen)

        found = nominations(path)

        assert_all_or_nothing(found)
        for n in range(1, acked + 1):
            assert found[f"tg:{n}"] == ("submitted", EMAILS_PER_SUBMISSION), (seed, round_, n)
