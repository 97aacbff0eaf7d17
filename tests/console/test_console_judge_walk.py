"""The judge's trial at the terminal, walked as a first judge would: what they are told when
nothing is left for them to score."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bot.app import open_services
from bot.app_judging import judging_conversation
from bot.console.judging import JudgeConsole
from bot.screens import texts
from flows.form import load_form
from storage import NominationStore
from storage.clock import utc_now
from tests.console.walkkit import trial_settings
from tests.kit.organiserkit import submit
from tests.organisers.test_organiser_cli import ANSWERS, AT

FORM = load_form()


@asynccontextmanager
async def judging_trial(tmp_path: Path, *, nominations: int = 1) -> AsyncIterator[JudgeConsole]:
    """The terminal judge's trial with judging open and `nominations` sent (0 or 1), at the
    judge's opening screen; what it says is in `judge.out`."""
    settings = trial_settings(tmp_path)
    async with await NominationStore.open(settings.database_path) as store:
        if nominations:
            await submit(store, FORM, AT, **ANSWERS)
        await store.judging.set_open(FORM.id, opened=True, at=utc_now())
    async with open_services(settings) as services:
        judging = judging_conversation(settings, services)
        assert judging is not None
        judge = JudgeConsole(judging, -4242, out=io.StringIO())
        judge.draw(await judge.opening())
        yield judge


async def test_a_judge_who_declared_a_conflict_with_every_nomination_is_told_so(
    tmp_path: Path,
) -> None:
    async with judging_trial(tmp_path) as judge:
        for line in ("Ada Lovelace", "Director of Nursing", "NHS England", "judge"):
            await judge.handle(line)
        assert "  2) Yes, I have a conflict" in judge.out.getvalue()
        await judge.handle("2")
        await judge.handle("She is my sister.")
        before = len(judge.out.getvalue())
        await judge.handle("1")  # Next nomination
        await judge.handle("judge")
        said = " ".join(judge.out.getvalue()[before:].split())
    recused = " ".join(texts.JUDGE_RECUSED_THE_ONE.split())
    assert said.count(recused) == 2  # from Next nomination, and from judge
    assert texts.JUDGE_NONE_YET not in said


async def test_a_judge_from_the_nominees_organisation_is_told_why_none_is_theirs(
    tmp_path: Path,
) -> None:
    organisation = ANSWERS["nominee_organisation"]
    async with judging_trial(tmp_path) as judge:
        # As typed, not as the nominator typed it: the same organisation all the same.
        for line in ("Ada Lovelace", "Director of Nursing", organisation.upper() + ".", "judge"):
            await judge.handle(line)
        said = " ".join(judge.out.getvalue().split())
    own = texts.JUDGE_OWN_THE_ONE
    assert " ".join(own.split()) in said
    assert texts.JUDGE_NONE_YET not in said


async def test_a_judge_who_stopped_half_way_through_joining_is_welcomed_again(
    tmp_path: Path,
) -> None:
    async with judging_trial(tmp_path, nominations=0) as first:
        await first.handle("Ada Lovelace")  # then quit
        out = io.StringIO()
        again = JudgeConsole(first.judging, -4242, out=out)
        again.draw(await again.opening())
    said = " ".join(out.getvalue().split())
    welcome = texts.JUDGE_WELCOME.format(award=FORM.title)
    assert said.startswith(welcome) and said.endswith(texts.JUDGE_ASK["role"])


async def test_the_check_of_scores_does_not_put_a_colon_after_a_question(tmp_path: Path) -> None:
    async with judging_trial(tmp_path) as judge:
        for line in ("Ada Lovelace", "Director of Nursing", "NHS England", "judge", "1"):
            await judge.handle(line)
        for score in ("4", "3", "2", "5", "skip"):
            await judge.handle(score)
        shown = judge.out.getvalue()
    check = shown[shown.rindex(texts.JUDGE_CHECK) :]
    assert "Q2 How do they know it worked? – 3 (Good evidence)" in check
    assert "?:" not in check
