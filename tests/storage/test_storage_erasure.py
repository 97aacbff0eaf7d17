"""After /delete, the draft's text is gone from every file SQLite keeps, even if the bot is then
killed without a clean shutdown."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.storage.storage_erase_writer import SECRET

WRITER = Path(__file__).with_name("storage_erase_writer.py")
REPO = Path(__file__).resolve().parents[2]


def test_a_deleted_drafts_text_is_in_no_file_after_a_sigkill(db_path: Path) -> None:
    python_path = [str(REPO), str(WRITER.parent), *filter(None, [os.environ.get("PYTHONPATH")])]
    writer = subprocess.Popen(
        [sys.executable, str(WRITER), str(db_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(python_path)},
    )
    try:
        assert writer.stdout is not None
        line = writer.stdout.readline()
        assert line == b"DELETED\n", writer.communicate(timeout=30)
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.communicate(timeout=30)
    assert writer.returncode == -signal.SIGKILL

    files = {p.name: p.read_bytes() for p in db_path.parent.iterdir()}
    assert {db_path.name, f"{db_path.name}-wal", f"{db_path.name}-shm"} <= files.keys()
    assert files[db_path.name].count(b"compassion") == 0, "the erased text is in the database"
    for name, content in files.items():
        assert SECRET.encode() not in content, f"the erased text is still in {name}"
    # The other nominator's draft is untouched.
    assert b"tg:keeps-theirs" in files[db_path.name] + files[f"{db_path.name}-wal"]
