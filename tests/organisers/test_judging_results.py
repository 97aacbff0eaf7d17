"""Judging's results over a real SQLite file (issue 18): three judges' scores submitted through
the judging store, the leaderboard's raw and normalised figures checked against arithmetic done
by hand, the scores CSV read back, and the shortlist choosing what the panel pack prints."""

from __future__ import annotations

import csv
import io
import math
from datetime import timedelta

import pytest

from bot.services.leaderboard import LeaderboardService, NotJudged, Shortlisted, Unlisted
from bot.services.organisers import ExportFormat, OrganiserService
from bot.services.scores_export import COLUMNS, COMMENT
from flows.form import Form
from flows.judging.criteria import judging_of
from storage import NominationStore
from tests.kit.organiserkit import Clock, submit

NOMINEES = {"N1": "Priya Shah", "N2": "Tom Okafor", "N3": "Mei Chen", "N4": "Sam Lee"}
# Each judge gives one mark to every criterion of a nomination, so their weighted mean is that
# mark. A is lenient, B harsh; C scores two only, so C's raw marks stand.
MARKS = {
    "A": {"N1": 5, "N2": 4, "N3": 4, "N4": 3},
    "B": {"N1": 2, "N2": 3, "N3": 1},
    "C": {"N3": 4, "N4": 5},
}
ASSIGNED = {"A": ("N1", "N2", "N3", "N4"), "B": ("N1", "N2", "N3", "N4"), "C": ("N1", "N3", "N4")}
JUDGE_NAMES = {"A": "Dr Ana Okafor", "B": "-Ben Hughes", "C": "Cara Dunn"}


async def judged_round(store: NominationStore, form: Form, clock: Clock) -> dict[str, str]:
    """Four sent nominations scored by three judges; C recused from N1. {N1: its reference}."""
    refs = {}
    for n, (key, name) in enumerate(NOMINEES.items()):
        state = await submit(
            store, form, clock.now + timedelta(minutes=n), nominee_type="individual",
            nominee_name=name, nominee_organisation="Leeds Teaching Hospitals NHS Trust",
        )  # fmt: skip
        refs[key] = state.reference
    judging, scoring = store.judging, store.judging.scoring
    criteria = [c.id for c in (judging_of(form) or pytest.fail("form not judged")).criteria]
    for telegram_id, (judge, name) in enumerate(JUDGE_NAMES.items(), start=100):
        await judging.invite(form.id, f"hash-{judge}", at=clock.now)
        joined = await judging.claim(f"hash-{judge}", telegram_id, at=clock.now)
        assert joined is not None
        await judging.register(joined.id, "name", name, then="")
        await scoring.assign([(joined.id, refs[n]) for n in ASSIGNED[judge]], at=clock.now)
        for n, mark in MARKS[judge].items():
            comment = "=SUM(A1) strong" if (judge, n) == ("A", "N1") else None
            scores = dict.fromkeys(criteria, mark)
            assert await scoring.submit(
                joined.id, refs[n], scores, comment, version=1, at=clock.now
            )
        if judge == "C":
            assert await scoring.recuse(
                joined.id, refs["N1"], "knows the nominee", at=clock.now, instead=None
            )
    return refs


def results(organisers: OrganiserService) -> LeaderboardService:
    assert organisers.results is not None  # the shipped form has a [judging] section
    return organisers.results


async def test_the_leaderboard_ranks_raw_and_normalised_as_worked_out_by_hand(
    organisers: OrganiserService, store: NominationStore, form: Form, clock: Clock
) -> None:
    refs = await judged_round(store, form, clock)
    board = await results(organisers).board()
    by_key = {
        key: next(line for line in board if line.reference == ref) for key, ref in refs.items()
    }
    # Raw, the mean of judges' means: N1 (5+2)/2 = 3.5, N2 (4+3)/2 = 3.5, N3 (4+1+4)/3 = 3,
    # N4 (3+5)/2 = 4. Ranks: N4, then N1 and N2 tied, then N3.
    assert [by_key[k].standing.raw for k in NOMINEES] == pytest.approx([3.5, 3.5, 3.0, 4.0])
    assert [by_key[k].standing.raw_rank for k in NOMINEES] == [2, 2, 4, 1]
    # Normalised: the nine judge means 5,4,4,3,2,3,1,4,5 give G = 31/9 and S = 8 sqrt(2)/9.
    # A (mean 4, sd sqrt(1/2)) has z = sqrt(2), 0, 0, -sqrt(2): G + zS = G + 16/9, G, G, G - 16/9.
    # B (mean 2, sd sqrt(2/3)) has z = 0, sqrt(3/2), -sqrt(3/2): G, G ± 8 sqrt(3)/9 (N2 +, N3 -).
    # C scored two: raw 4 (N3) and 5 (N4).
    #   N1 (G + 16/9 + G) / 2 = 39/9            N2 (G + G + 8 sqrt(3)/9) / 2
    #   N3 (G + G - 8 sqrt(3)/9 + 4) / 3        N4 (G - 16/9 + 5) / 2 = 10/3
    g, root3 = 31 / 9, math.sqrt(3)
    expected = [39 / 9, g + 4 * root3 / 9, (98 - 8 * root3) / 27, 10 / 3]
    assert [by_key[k].standing.normalised for k in NOMINEES] == pytest.approx(expected)
    assert [line.reference for line in board] == [refs[k] for k in ("N1", "N2", "N4", "N3")]
    assert [line.nominee for line in board] == [NOMINEES[k] for k in ("N1", "N2", "N4", "N3")]
    # Progress from the judging store: C's recusal leaves N1 two judges of two, one recused;
    # B never scored N4, so two of three.
    n1, n4 = by_key["N1"].standing, by_key["N4"].standing
    assert (n1.received, n1.assigned, n1.recusals) == (2, 2, 1)
    assert (n4.received, n4.assigned, n4.recusals) == (2, 3, 0)
    # Spreads: N1 5-2 = 3 and N3 4-1 = 3 and N4 5-3 = 2 are flagged; N2 4-3 = 1 is not.
    assert [by_key[k].standing.disagreement for k in NOMINEES] == [True, False, True, True]


async def test_the_scores_csv_has_a_row_per_judge_nomination_and_criterion(
    organisers: OrganiserService, store: NominationStore, form: Form, clock: Clock
) -> None:
    refs = await judged_round(store, form, clock)
    out = io.StringIO()
    rows_written = await results(organisers).write_scores(out)
    header, *rows = csv.reader(io.StringIO(out.getvalue(), newline=""))
    assert header == list(COLUMNS)
    criteria = (judging_of(form) or pytest.fail("form not judged")).criteria
    # A scored 4 nominations, B 3 and C 2 (C's N1 scores went with the recusal): 9 x 4 criteria.
    assert rows_written == len(rows) == 9 * len(criteria)
    first = dict(zip(header, rows[0], strict=True))
    assert first["Reference"] == refs["N1"] and first["Nominee"] == "Priya Shah"
    assert first["Judge"] == "Dr Ana Okafor"
    assert first["Criterion"] == criteria[0].label and first["Weight"] == "1"
    assert (first["Score"], first["Score means"]) == ("5", "Outstanding evidence")
    assert first[COMMENT] == "'=SUM(A1) strong"  # a formula typed by a judge never runs
    b_rows = [r for r in rows if r[header.index("Judge")] == "'-Ben Hughes"]
    assert len(b_rows) == 3 * len(criteria) and {r[header.index(COMMENT)] for r in b_rows} == {""}


async def test_the_shortlist_chooses_what_the_panel_pack_prints(
    organisers: OrganiserService, store: NominationStore, form: Form, clock: Clock
) -> None:
    refs = await judged_round(store, form, clock)
    board = results(organisers)
    assert await board.toggle_shortlist(refs["N2"].lower()) == Shortlisted(refs["N2"], 1)
    assert await board.toggle_shortlist(refs["N4"]) == Shortlisted(refs["N4"], 2)
    assert await board.toggle_shortlist(refs["N2"]) == Unlisted(refs["N2"], 1)
    assert await board.toggle_shortlist("LSI-NOPE99") == NotJudged("LSI-NOPE99")
    assert await board.shortlist() == [refs["N4"]]
    assert [line.shortlisted for line in await board.board()] == [False, False, True, False]

    pack = io.StringIO()
    count = await organisers.write_export(ExportFormat.HTML, pack, for_panel=True, shortlisted=True)
    assert count == 1
    assert "Sam Lee" in pack.getvalue() and "Priya Shah" not in pack.getvalue()
    every = io.StringIO()
    assert await organisers.write_export(ExportFormat.CSV, every) == 4  # without: the round

    assert await store.withdraw(refs["N4"], at=clock.now)
    assert await board.shortlist() == []  # a withdrawn nomination leaves the shortlist
