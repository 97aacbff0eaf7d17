"""The one-bot-per-database lock: refused while held, free once let go, private on disk."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from storage.instance import AlreadyRunning, InstanceLock, lock_path


def test_a_second_holder_is_refused_until_the_first_lets_go(db_path: Path) -> None:
    previous = os.umask(0)
    try:
        first = InstanceLock(db_path)
        with first:
            assert stat.S_IMODE(lock_path(db_path).stat().st_mode) == 0o600
            with pytest.raises(
                AlreadyRunning, match=f"running on {db_path} \\(process {os.getpid()}\\)"
            ):
                InstanceLock(db_path).acquire()
            with InstanceLock(db_path.with_name("other.sqlite3")):
                pass  # another database is another bot's business
        with InstanceLock(db_path):
            pass
    finally:
        os.umask(previous)
