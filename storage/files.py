"""Files the bot writes beside its database: readable by their owner only, whatever the umask.

Every file the bot creates holds personal data (a nomination, an email, an export), so each is
made with mode 0600 and each directory with 0700. Use:

- `write_private(path, data)` to write a whole file from bytes (the .eml files);
- `private_text_file(path, encoding=..., newline=...)` to stream text into one (the CSV export):
  `with private_text_file(out, encoding="utf-8-sig", newline="") as f: writer = csv.writer(f)`;
- `create_private(path)` to make sure a file exists and is private, without writing to it;
- `make_private_dir(directory)` for a directory of such files.

The first two write to a temporary file in the same directory and rename it into place: a reader
(or the file after a power cut) has the whole old file or the whole new one, never part of one.
A file that already exists at `path` is replaced, so a laxer mode left by an older version goes
with it.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

PRIVATE_FILE_MODE = 0o600
PRIVATE_DIR_MODE = 0o700


def write_private(path: Path, data: bytes) -> None:
    """Write `data` as the whole of `path`, mode 0600, atomically and durably."""
    with _private_temp(path) as fd:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]


@contextmanager
def private_text_file(
    path: Path, *, encoding: str = "utf-8", newline: str | None = None
) -> Iterator[TextIO]:
    """A text file to write `path` through, mode 0600; it replaces `path` only when the block
    ends without an error (on an error, `path` is left as it was)."""
    # closefd=False: _private_temp still needs the descriptor to fsync it.
    with (
        _private_temp(path) as fd,
        open(fd, "w", encoding=encoding, newline=newline, closefd=False) as text,
    ):
        yield text


def create_private(path: Path) -> None:
    """Create `path` empty with mode 0600 if it is missing; make it 0600 if it is laxer."""
    make_private_dir(path.parent)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, PRIVATE_FILE_MODE)
    except FileExistsError:
        # By path, not by opening it: closing a descriptor would drop this process's SQLite locks
        # on a database file (POSIX locks belong to the process, not the descriptor).
        if path.stat().st_mode & 0o077:
            path.chmod(PRIVATE_FILE_MODE)
        return
    try:
        os.fchmod(fd, PRIVATE_FILE_MODE)  # exactly 0600: the umask may have taken bits away
    finally:
        os.close(fd)


def make_private_dir(directory: Path) -> None:
    """Create `directory` and any missing parents if need be; each one made here gets mode
    0700 (mkdir's own `parents` would make them with the umask's mode: a pack's folder 0755)."""
    if directory.is_dir():
        return  # an existing directory is the operator's choice; only what we create is ours
    make_private_dir(directory.parent)
    with contextlib.suppress(FileExistsError):  # made meanwhile: by us, or the operator
        directory.mkdir(mode=PRIVATE_DIR_MODE)
        directory.chmod(PRIVATE_DIR_MODE)  # exactly 0700: the umask may have taken bits away


@contextmanager
def _private_temp(path: Path) -> Iterator[int]:
    """A descriptor on a new 0600 file beside `path`; renamed over `path` on success."""
    path = Path(path)
    make_private_dir(path.parent)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, PRIVATE_FILE_MODE)
    try:
        os.fchmod(fd, PRIVATE_FILE_MODE)
        yield fd
        os.fsync(fd)
        os.close(fd)
        fd = -1
        os.replace(tmp, path)
    except BaseException:
        if fd >= 0:
            os.close(fd)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_directory(path.parent)


def _fsync_directory(directory: Path) -> None:
    """Make a rename itself durable (POSIX); a no-op where directories can't be opened."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
