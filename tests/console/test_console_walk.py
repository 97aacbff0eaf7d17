"""What a first user trips on in the terminal, found by walking the README's trial: each test
is one stumble, typed into the real Console over a real database."""

from __future__ import annotations

from pathlib import Path

from bot.screens import texts
from tests.console.walkkit import typist

TEAM_OR_INDIVIDUAL = "Are you nominating an individual or a team?"


async def test_1_after_no_nomination_in_progress_starts_one(tmp_path: Path) -> None:
    async with typist(tmp_path) as me:
        assert "1) Start a nomination" in await me.opening()
        said = await me.type("review")  # nothing to review yet
        assert texts.NO_DRAFT_TO.format(start="Type start") in said
        assert "1) Start a nomination" in said
        assert TEAM_OR_INDIVIDUAL in await me.type("1")


async def test_a_long_answer_is_typed_in_parts_not_sent(tmp_path: Path) -> None:
    """Telegram's "send it in several parts" and "Send more" are typed lines at a terminal."""
    async with typist(tmp_path) as me:
        await me.opening()
        for line in ("1", "1", "Priya Shah", "Nurse", "Leeds", "1", "Jo Bloggs", "jo@nhs.net"):
            await me.type(line)
        await me.type("skip")  # phone
        asked = " ".join((await me.type("Line manager")).split())
        assert "You can type it in several parts, then type done." in asked
        saved = " ".join((await me.type("She redesigned discharge planning.")).split())
        assert "Type more, or type done when you have finished." in saved
        empty = " ".join((await me.type("   ")).split())
        assert empty.startswith("That line was empty, so nothing was added. Type more, or")
        assert "send" not in (asked + saved + empty).casefold()
