"""`nomination-bot judge` in a pseudo-terminal, as a judge runs it on a fresh machine (issue 18):
the terminal's user joins the panel, scores a nomination with numbered choices, changes a score
and submits; and `nomination-bot judging open|close|status`, which the trial opens it with."""

from __future__ import annotations

from argparse import Namespace
from datetime import timedelta
from functools import partial
from pathlib import Path

import pytest

from bot import cli
from bot.app import open_services
from bot.app_judging import judging_conversation
from bot.screens import texts
from flows.form import load_form
from storage import NominationStore
from storage.clock import utc_now
from tests.bot.test_programme_chat import LSI_FORM, award_entry, write_programme
from tests.console.pty_console import PtyConsole
from tests.console.walkkit import trial_settings
from tests.kit.organiserkit import submit
from tests.organisers.test_organiser_cli import ANSWERS, AT, run_bot

FORM = load_form()


def db_of(tmp_path: Path) -> Path:
    return tmp_path / "data" / "nominations.sqlite3"  # where run_bot's commands look


async def one_nomination_judging_open(tmp_path: Path) -> str:
    async with await NominationStore.open(db_of(tmp_path)) as store:
        state = await submit(store, FORM, AT, **ANSWERS)
        await store.judging.set_open(FORM.id, opened=True, at=utc_now())
    return state.reference


async def judging_at_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], action: str
) -> list[str]:
    """`nomination-bot judging ACTION`'s lines, run in this process over the test's database."""
    settings = trial_settings(tmp_path, database_path=db_of(tmp_path))
    async with open_services(settings) as services:
        conversation = judging_conversation(settings, services)
        assert conversation is not None
        assert await cli.judging.run(Namespace(action=action), conversation.panel) == 0
    return capsys.readouterr().out.splitlines()


async def test_a_judge_joins_scores_changes_a_score_and_submits_at_the_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reference = await one_nomination_judging_open(tmp_path)
    env = {"DATABASE_PATH": str(db_of(tmp_path))}
    with PtyConsole(tmp_path, env=env, args=("judge",)) as judge:
        opening = judge.until_prompt()
        assert texts.JUDGE_ASK["name"] in opening
        judge.say_all("Ada Lovelace", "Director of Nursing")
        joined = " ".join(judge.say("NHS England").split())  # as read, not as wrapped
        # Telegram's "Send /judge" is the terminal's typed word.
        assert "Type judge to score your next nomination" in joined and "/judge" not in joined
        shown = judge.say("judge")
        assert "Priya Shah" in shown and "She led the discharge project," in shown
        assert "  1) No conflict\n  2) Yes, I have a conflict" in shown
        first = judge.say("1")
        assert "Criterion 1 of 4" in first and "  4) 4 Strong evidence" in first
        judge.say_all("4", "3", "2")
        comment = judge.say("5")
        assert "Type it, or type skip." in comment and "  1) Skip" in comment
        check = judge.say("Strong on outcomes.")
        assert "(Good evidence)" in check and "Comment: Strong on outcomes." in check
        assert "  2) Change Q2" in check and "  6) Submit scores" in check
        again = judge.say("2")  # Change Q2
        assert "Your score before: 3 (Good evidence)." in again
        changed = judge.say("1")
        assert "(Little evidence)" in changed and "(Good evidence)" not in changed
        assert "Please type the number" in judge.say("skip")  # no Skip on this screen
        saved = judge.say("6")
        assert texts.JUDGE_SUBMITTED in saved and "  1) Next nomination" in saved
        assert texts.JUDGE_SCORED_THE_ONE in judge.say("1")  # not "all 1 of your nominations"
        mine = judge.say("myscores")
        assert f"{reference} Priya Shah: Q1 4, Q2 1, Q3 2, Q4 5" in mine
        assert f"  1) Change {reference} Priya Shah" in mine
        reopened = judge.say("1")  # scores change until judging closes
        assert texts.JUDGE_CHECK in reopened and "  6) Submit scores" in reopened
        assert texts.JUDGE_SUBMITTED in judge.say("6")
        assert texts.JUDGE_CONSOLE_BYE in judge.quit()

    assert await judging_at_the_command_line(tmp_path, capsys, "status") == [
        texts.JUDGING_CLI_STATE.format(state="open"),
        texts.JUDGING_CLI_PANEL.format(count=1),
        "Ada Lovelace, Director of Nursing: 1 of 1 scored",
    ]


async def test_judging_opens_and_closes_on_the_command_line_and_the_judge_waits_for_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    judging = partial(judging_at_the_command_line, tmp_path, capsys)
    assert await judging("status") == [
        texts.JUDGING_CLI_STATE.format(state="not open"),
        texts.JUDGING_CLI_NO_JUDGES,
    ]
    assert (await judging("open"))[0] == texts.JUDGING_CLI_OPENED
    assert (await judging("status"))[0] == texts.JUDGING_CLI_STATE.format(state="open")
    assert (await judging("close"))[0] == texts.JUDGING_CLI_CLOSED
    assert await cli.judging.run(Namespace(action="open"), None) == 2  # a form not judged
    assert capsys.readouterr().err.strip() == texts.NO_JUDGING
    refused = run_bot(tmp_path, "judge")  # as an organiser runs it, once judging has closed
    assert refused.returncode == 1
    assert refused.stdout == texts.JUDGE_CONSOLE_NOT_OPEN + "\n"  # one line: how to open it


async def test_judging_at_the_terminal_is_the_named_awards_in_a_programme(tmp_path: Path) -> None:
    days = (-timedelta(days=5), timedelta(days=35))
    awards = write_programme(
        tmp_path,
        award_entry("lsi", LSI_FORM, "Service improvement.", *days),
        award_entry("learning", "learning.toml", "Helping others learn.", *days),
    )
    settings = trial_settings(tmp_path, database_path=db_of(tmp_path), awards_file=awards)
    async with open_services(settings) as services:
        first = judging_conversation(settings, services)  # --award left out: the first judged
        named = judging_conversation(settings, services, award="learning")
        assert first is not None and first.panel.form_id == FORM.id
        assert named is not None and named.panel.form_id == "example_learning_culture"
        assert judging_conversation(settings, services, award="nope") is None
