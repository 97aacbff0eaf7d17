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
