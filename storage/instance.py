"""One bot per database: an OS lock on `<database>.lock`, held for the life of the process.

Two bots on one database would each answer the same nominators and run their own outbox worker.
The lock is an advisory `flock`: the kernel lets go of it when the process ends however it ends
(even by SIGKILL), so there is never a stale lock to clear by hand. The command-line tools
(`outbox`, `export`, `check`) do not take it, and run alongside a bot.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path
from types import TracebackType
from typing import Self

from storage.errors import StorageError
from storage.files import PRIVATE_FILE_MODE, make_private_dir


class AlreadyRunning(StorageError):
    """Another process holds the database's instance lock."""

    def __init__(self, database: Path, holder: str) -> None:
        who = f" (process {holder})" if holder else ""
        super().__init__(
            f"Another copy of the bot is already running on {database}{who}. "
            "Stop it first, or set DATABASE_PATH to another file."
        )
        self.database = database


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


class InstanceLock:
    """`with InstanceLock(database):` holds the lock, or raises AlreadyRunning at once."""

    def __init__(self, database: Path) -> None:
        self.database = Path(database)
        self.path = lock_path(self.database)
        self._fd: int | None = None

    def acquire(self) -> None:
        make_private_dir(self.path.parent)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, PRIVATE_FILE_MODE)
        try:
            os.fchmod(fd, PRIVATE_FILE_MODE)
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            os.close(fd)
            raise AlreadyRunning(self.database, holder) from None
        except BaseException:
            os.close(fd)
            raise
        # The holder's process id, only to name it in the refusal; the lock is what counts.
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
            os.close(fd)  # closing the descriptor lets go of the lock

    def __enter__(self) -> Self:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()
