"""What a first user trips on in the terminal, found by walking the README's trial: each test
is one stumble, typed into the real Console over a real database."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.screens import texts
from flows.form import load_form
from flows.state import REVIEW, Status
from storage import NominationStore
from tests.console.walkkit import typist
from tests.kit.organiserkit import answers, start_draft
from tests.organisers.test_organiser_cli import ANSWERS, AT

FORM = load_form()

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


async def test_a_narrow_terminal_is_wrapped_to_its_width(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A phone's terminal is some 40 columns: lines wrapped at 78 would each wrap again there,
    mid-word. A wide one still gets lines of at most 78, for reading."""
    monkeypatch.setenv("COLUMNS", "40")
    async with typist(tmp_path) as me:
        narrow = (await me.opening()).splitlines()
    assert max(len(line) for line in narrow) <= 40
    assert sum(len(line) > 30 for line in narrow) > 5  # filled, not cut short
    monkeypatch.setenv("COLUMNS", "200")
    async with typist(tmp_path) as me:
        wide = (await me.opening()).splitlines()
    assert 70 < max(len(line) for line in wide) <= 78


async def test_a_review_looked_at_half_way_says_what_is_not_answered_yet(tmp_path: Path) -> None:
    """The list of what stops Submit says "not answered yet"; the answers above it said "Not
    given", as if the nominator had chosen to leave out Q1. An optional one left out still is."""
    async with typist(tmp_path) as me:
        await me.opening()
        for line in ("1", "1", "Priya Shah", "Nurse", "Leeds", "1", "Jo Bloggs", "jo@nhs.net"):
            await me.type(line)
        await me.type("skip")  # the phone, which is optional
        review = await me.type("review")
    assert "Nominator's phone: Not given" in review
    assert "Relationship to nominee: Not answered yet" in review
    q1 = review[review.index("Q1 How") :]
    assert q1.split("\n\n")[1] == "Not answered yet"
    assert "Not given" not in review.replace("Nominator's phone: Not given", "")
    # What stops Submit is one list, a line each, with no blank line between: short for a phone.
    blocked = review[review.index("Before you can submit:") :].split("\n\n")[1]
    assert blocked.splitlines()[:2] == [
        "• Relationship to nominee: not answered yet",
        "• Q1: not answered yet",
    ]


async def test_a_sent_nomination_viewed_offers_the_way_back_to_the_list(tmp_path: Path) -> None:
    """View ended the screen with nothing to type: the list's numbers had gone with it."""
    async with await NominationStore.open(tmp_path / "nominations.sqlite3") as store:
        _, draft = await start_draft(store, FORM, AT, "local:tester")
        sent = {"status": Status.SUBMITTED, "position": REVIEW, "answers": answers(**ANSWERS)}
        await store.save(draft, draft.model_copy(update=sent), at=AT)
    async with typist(tmp_path) as me:
        await me.opening()
        listing = await me.type("list")
        assert "1) View 1" in listing
        viewed = await me.type("1")
        assert viewed.rstrip().endswith("1) Your nominations")
        assert "1) View 1" in await me.type("1")


async def test_a_line_typed_at_the_review_is_what_you_typed_not_a_message(tmp_path: Path) -> None:
    async with typist(tmp_path) as me:
        await me.opening()
        for line in ("1", "1", "Priya Shah", "review"):
            await me.type(line)
        assert "Save this as your answer to" in await me.type("Senior Staff Nurse")
        said = " ".join((await me.type("2")).split())  # No
    assert said.startswith("What you typed was not saved.")
    assert "message" not in said
