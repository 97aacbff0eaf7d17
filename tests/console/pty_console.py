"""`python -m bot` in a pseudo-terminal, as a person runs it: it sees a real tty (so it chooses the
terminal front end), its log lines and its conversation share that one screen, and each line is
typed only after the bot has shown its prompt."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import subprocess
import sys
import termios
from pathlib import Path
from types import TracebackType

REPO = Path(__file__).resolve().parents[2]
PROMPT = "\n> "
# A safety net against a hung bot, not a speed check: a turn normally takes milliseconds.
TURN_TIMEOUT = 30.0


def console_env(tmp_path: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "USER": "tester",
        "TERM": "dumb",
        "DATABASE_PATH": str(tmp_path / "nominations.sqlite3"),
        "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
        "ORGANISER_EMAILS": "awards@example.nhs.uk",
        "MAIL_FROM": "Nomination Bot <nominations@example.nhs.uk>",
        "LOG_LEVEL": "INFO",
        "PYTHONPATH": str(REPO),
    }


def _take_terminal() -> None:
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class PtyConsole:
    """The bot at a terminal: `say` a line and get everything shown until the next prompt."""

    def __init__(
        self,
        tmp_path: Path,
        *,
        unset: tuple[str, ...] = (),
        env: dict[str, str] | None = None,
        args: tuple[str, ...] = (),
    ) -> None:
        self.tmp_path = tmp_path
        self.args = args  # a command, such as ("judge",); none: what a fresh machine runs
        self.unset = unset  # settings left out, as on a fresh machine
        self.env = env or {}  # settings added or replaced
        self.transcript = ""
        self._fd = -1
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> PtyConsole:
        parent, child = pty.openpty()
        self._fd = parent
        self._process = subprocess.Popen(
            # No command: a tty and no token mean the nominators' terminal.
            [sys.executable, "-m", "bot", *self.args],
            stdin=child,
            stdout=child,
            stderr=child,
            cwd=self.tmp_path,
            env={
                k: v
                for k, v in (console_env(self.tmp_path) | self.env).items()
                if k not in self.unset
            },
            close_fds=True,
            # Its own session, with this terminal as its controlling one: Ctrl-C then reaches
            # it as SIGINT, as at a real terminal.
            preexec_fn=_take_terminal,
        )
        os.close(child)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        os.close(self._fd)

    def _read(self) -> str:
        ready, _, _ = select.select([self._fd], [], [], TURN_TIMEOUT)
        assert ready, f"the bot stopped answering; so far:\n{self.transcript[-2000:]}"
        try:
            data = os.read(self._fd, 65536)
        except OSError:  # the bot exited and the terminal closed
            return ""
        return data.decode("utf-8", errors="replace").replace("\r\n", "\n")

    def until_prompt(self) -> str:
        """Everything the bot shows until it waits for input again."""
        shown = ""
        while not shown.endswith(PROMPT):
            chunk = self._read()
            if not chunk:
                break
            shown += chunk
        self.transcript += shown
        return shown

    def say(self, line: str) -> str:
        """Type a line and press Enter; returns what the bot shows in reply (without the echo)."""
        os.write(self._fd, (line + "\n").encode())
        shown = self.until_prompt()
        echo = line + "\n"
        return shown[len(echo) :] if shown.startswith(echo) else shown

    def say_all(self, *lines: str) -> str:
        return "".join(self.say(line) for line in lines)

    def interrupt(self) -> str:
        """Press Ctrl-C; returns what the bot shows, once it has exited (with status 0)."""
        return self._until_exit(b"\x03")

    def quit(self) -> str:
        """Type quit; returns the goodbye, once the bot has exited."""
        return self._until_exit(b"quit\n")

    def _until_exit(self, keys: bytes) -> str:
        os.write(self._fd, keys)
        shown = ""
        while chunk := self._read():
            shown += chunk
        assert self._process is not None
        assert self._process.wait(TURN_TIMEOUT) == 0
        self.transcript += shown
        return shown
