"""The organisers' command line over a programme of two awards (issue 19): `stats` per award and
in total, `export --award ID` one award alone, an unknown id refused with the ids there are."""

from __future__ import annotations

from pathlib import Path

from flows.programme import Programme
from storage import NominationStore
from tests.kit.organiserkit import start_draft, submit
from tests.organisers.conftest import EXAMPLE_PROGRAMME
from tests.organisers.test_organiser_cli import ANSWERS, AT, run_bot


async def test_stats_and_export_per_award(
    store: NominationStore, programme: Programme, tmp_path: Path
) -> None:
    lsi, learning = programme.forms
    shipped = await submit(store, lsi, AT, **ANSWERS)
    example = await submit(store, learning, AT, nominee_name="Sam Patel", teaching="Weekly.")
    await start_draft(store, learning, AT)
    programme_file = str(EXAMPLE_PROGRAMME)

    stats = run_bot(tmp_path, "stats", AWARDS_FILE=programme_file)
    assert stats.returncode == 0, stats.stderr
    assert "Submitted: 2" in stats.stdout  # in total
    assert "By award:" in stats.stdout
    assert "Leading for Service Improvement and Innovation (lsi): 0 in progress, 1 submitted" in (
        stats.stdout
    )
    assert "Building a Learning Culture (learning): 1 in progress, 1 submitted" in stats.stdout

    alone = run_bot(tmp_path, "export", "--award", "learning", AWARDS_FILE=programme_file)
    assert alone.returncode == 0, alone.stderr
    assert example.reference in alone.stdout and shipped.reference not in alone.stdout
    assert "Award:" not in alone.stdout  # one award reads as if served alone
    both = run_bot(tmp_path, "export", AWARDS_FILE=programme_file)
    assert shipped.reference in both.stdout and example.reference in both.stdout
    assert "Award: Example award: Building a Learning Culture (learning)" in both.stdout

    unknown = run_bot(tmp_path, "export", "--award", "nope", AWARDS_FILE=programme_file)
    assert unknown.returncode == 2
    assert "No award has the id 'nope'; the awards are: lsi, learning." in unknown.stderr


async def test_without_a_programme_stats_says_nothing_of_awards(
    store: NominationStore, programme: Programme, tmp_path: Path
) -> None:
    await submit(store, programme.forms[0], AT, **ANSWERS)
    stats = run_bot(tmp_path, "stats")
    assert stats.returncode == 0, stats.stderr
    assert "By award:" not in stats.stdout
