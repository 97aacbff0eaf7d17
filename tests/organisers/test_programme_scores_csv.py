"""`nomination-bot scores --format csv` in an awards programme: every award's scores in one file
begin each row with its award; one award's (`--award`) keeps the columns it has when alone."""

from __future__ import annotations

import csv
import io
from argparse import Namespace

import pytest

from bot.cli import scores
from bot.services.organisers import OrganiserService
from bot.services.scores_export import AWARD, COLUMNS
from flows.programme import Programme
from storage import NominationStore
from tests.kit.organiserkit import Clock
from tests.organisers.test_judging_results import NOMINEES, judged_round
from tests.organisers.test_programme_exports import service

__all__ = ["service"]  # the fixture, shared with the programme's exports


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


async def test_every_awards_scores_say_whose_each_row_is_and_one_awards_are_as_alone(
    service: OrganiserService,
    store: NominationStore,
    programme: Programme,
    clock: Clock,
    capsys: pytest.CaptureFixture[str],
) -> None:
    lsi = programme.first
    await judged_round(store, lsi.form, clock)

    assert await scores.run(Namespace(format="csv", output=None, award=None), service) == 0
    header, *rows = rows_of(capsys.readouterr().out)
    assert header == [AWARD, *COLUMNS]
    assert len(rows) == 36 and {row[0] for row in rows} == {lsi.title}
    assert {row[2] for row in rows} == set(NOMINEES.values())  # Nominee, after Award, Reference

    assert await scores.run(Namespace(format="csv", output=None, award="lsi"), service) == 0
    header, *alone = rows_of(capsys.readouterr().out)
    assert header == list(COLUMNS)
    assert alone == [row[1:] for row in rows]
