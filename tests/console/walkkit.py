"""A nominator's terminal in this process: the real Console over a real SQLite file, each typed
line handed to it as Enter would, and what it printed since the last line read back."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bot.app import open_services, terminal_conversation
from bot.config import Settings
from bot.console.terminal import Console


def trial_settings(tmp_path: Path, **given: object) -> Settings:
    """The README's trial: no token, no SMTP, the emails written to a folder."""
    values: dict[str, object] = {
        "database_path": tmp_path / "nominations.sqlite3",
        "mail_outbox_dir": tmp_path / "outbox",
        "organiser_emails": ["awards@example.nhs.uk"],
        "smtp_host": None,
        **given,
    }
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


class Typist:
    """Types lines into a Console and reads what each one printed."""

    def __init__(self, console: Console, out: io.StringIO) -> None:
        self.console = console
        self._out = out
        self._read = 0

    def printed(self) -> str:
        text = self._out.getvalue()[self._read :]
        self._read = len(self._out.getvalue())
        return text

    async def opening(self) -> str:
        self.console.draw(await self.console.opening())
        return self.printed()

    async def type(self, line: str) -> str:
        await self.console.handle(line)
        return self.printed()


@asynccontextmanager
async def typist(tmp_path: Path, **given: object) -> AsyncIterator[Typist]:
    async with open_services(trial_settings(tmp_path, **given)) as services:
        out = io.StringIO()
        console = Console(terminal_conversation(services), "local:tester", out=out)
        yield Typist(console, out)
