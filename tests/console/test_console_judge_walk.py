"""The judge's trial at the terminal, walked as a first judge would: what they are told when
nothing is left for them to score."""

from __future__ import annotations

import io
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


async def test_a_judge_who_declared_a_conflict_with_every_nomination_is_told_so(
    tmp_path: Path,
) -> None:
    settings = trial_settings(tmp_path)
    async with await NominationStore.open(settings.database_path) as store:
        await submit(store, FORM, AT, **ANSWERS)
        await store.judging.set_open(FORM.id, opened=True, at=utc_now())
    async with open_services(settings) as services:
        judging = judging_conversation(settings, services)
        assert judging is not None
        out = io.StringIO()
        judge = JudgeConsole(judging, -4242, out=out)
        judge.draw(await judge.opening())
        for line in ("Ada Lovelace", "Director of Nursing", "NHS England", "judge"):
            await judge.handle(line)
        assert "  2) Yes, I have a conflict" in out.getvalue()
        await judge.handle("2")
        await judge.handle("She is my sister.")
        before = len(out.getvalue())
        await judge.handle("1")  # Next nomination
        await judge.handle("judge")
        said = " ".join(out.getvalue()[before:].split())
    recused = " ".join(texts.JUDGE_RECUSED_THE_ONE.split())
    assert said.count(recused) == 2  # from Next nomination, and from judge
    assert texts.JUDGE_NONE_YET not in said


async def test_a_judge_from_the_nominees_organisation_is_told_why_none_is_theirs(
    tmp_path: Path,
) -> None:
    settings = trial_settings(tmp_path)
    async with await NominationStore.open(settings.database_path) as store:
        await submit(store, FORM, AT, **ANSWERS)
        await store.judging.set_open(FORM.id, opened=True, at=utc_now())
    organisation = ANSWERS["nominee_organisation"]
    async with open_services(settings) as services:
        judging = judging_conversation(settings, services)
        assert judging is not None
        out = io.StringIO()
        judge = JudgeConsole(judging, -4242, out=out)
        judge.draw(await judge.opening())
        # As typed, not as the nominator typed it: the same organisation all the same.
        for line in ("Ada Lovelace", "Director of Nursing", organisation.upper() + ".", "judge"):
            await judge.handle(line)
    said = " ".join(out.getvalue().split())
    own = texts.JUDGE_OWN_THE_ONE
    assert " ".join(own.split()) in said
    assert texts.JUDGE_NONE_YET not in said


async def test_a_judge_who_stopped_half_way_through_joining_is_welcomed_again(
    tmp_path: Path,
) -> None:
    settings = trial_settings(tmp_path)
    async with await NominationStore.open(settings.database_path) as store:
        await store.judging.set_open(FORM.id, opened=True, at=utc_now())
    async with open_services(settings) as services:
        judging = judging_conversation(settings, services)
        assert judging is not None
        first = JudgeConsole(judging, -4242, out=io.StringIO())
        first.draw(await first.opening())
        await first.handle("Ada Lovelace")  # then quit
        out = io.StringIO()
        again = JudgeConsole(judging, -4242, out=out)
        again.draw(await again.opening())
    said = " ".join(out.getvalue().split())
    welcome = texts.JUDGE_WELCOME.format(award=FORM.title)
    assert said.startswith(welcome) and said.endswith(texts.JUDGE_ASK["role"])


async def test_the_check_of_scores_does_not_put_a_colon_after_a_question(tmp_path: Path) -> None:
    settings = trial_settings(tmp_path)
    async with await NominationStore.open(settings.database_path) as store:
        await submit(store, FORM, AT, **ANSWERS)
        await store.judging.set_open(FORM.id, opened=True, at=utc_now())
    async with open_services(settings) as services:
        judging = judging_conversation(settings, services)
        assert judging is not None
        out = io.StringIO()
        judge = JudgeConsole(judging, -4242, out=out)
        judge.draw(await judge.opening())
        for line in ("Ada Lovelace", "Director of Nursing", "NHS England", "judge", "1"):
            await judge.handle(line)
        for score in ("4", "3", "2", "5", "skip"):
            await judge.handle(score)
    check = out.getvalue()[out.getvalue().rindex(texts.JUDGE_CHECK) :]
    assert "Q2 How do they know it worked? – 3 (Good evidence)" in check
    assert "?:" not in check
