"""The terminal cannot give a colleague a link to open (links open in Telegram): its list of
nominations says so plainly, rather than offering a /support it has no way to answer."""

from __future__ import annotations

from pathlib import Path

from bot.screens import texts
from tests.console.test_console_e2e import run_console


def test_the_terminal_list_says_asking_a_colleague_needs_telegram(tmp_path: Path) -> None:
    result = run_console(tmp_path, ["1", "1", "Priya Shah", "list", "quit"])

    assert result.returncode == 0, result.stderr
    listing = result.stdout[result.stdout.index("Your nominations, newest first") :]
    assert "needs the Telegram bot" in " ".join(listing.split())
    assert "/support" not in result.stdout
    assert texts.SUPPORT_HINT_TERMINAL.split(":")[0] in " ".join(listing.split())
