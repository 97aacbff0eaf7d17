"""`nomination-bot scores` and `export --shortlisted` as organisers run them, in a process of
their own over the round judged in test_judging_results."""

from __future__ import annotations

import csv
import io
import stat
from pathlib import Path

from bot.screens import texts
from bot.services.scores_export import COLUMNS
from flows.form import Form
from storage import NominationStore
from storage.db import second_connection
from storage.shortlist import ShortlistStore
from tests.kit.organiserkit import Clock
from tests.organisers.test_judging_results import NOMINEES, judged_round
from tests.organisers.test_organiser_cli import run_bot


async def test_scores_prints_the_leaderboard_and_writes_the_csv(
    store: NominationStore, form: Form, clock: Clock, tmp_path: Path
) -> None:
    refs = await judged_round(store, form, clock)
    shown = run_bot(tmp_path, "scores")
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    first = lines.index(next(line for line in lines if line.startswith("1. ")))
    assert lines[first] == f"1. {refs['N1']} Priya Shah"
    assert "normalised 4.33 · raw 3.50 (rank 2) · scored 2 of 2 · 1 recused" in lines[first + 1]
    assert "⚠ judges disagree" in lines[first + 1]
    assert lines[first + 6] == f"4. {refs['N3']} Mei Chen"

    path = tmp_path / "scores.csv"
    written = run_bot(tmp_path, "scores", "--format", "csv", "--output", str(path))
    assert written.returncode == 0, written.stderr
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    header, *rows = csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""))
    assert header == list(COLUMNS) and len(rows) == 36
    assert {row[1] for row in rows} == set(NOMINEES.values())
    assert f"{len(rows)} score(s) written" in written.stderr


async def test_the_shortlisted_panel_pack_prints_the_shortlist_only(
    store: NominationStore, form: Form, clock: Clock, tmp_path: Path, db_path: Path
) -> None:
    refs = await judged_round(store, form, clock)
    async with second_connection(db_path) as db:
        assert await ShortlistStore(db).add(refs["N3"], form.id, at=clock.now)
    pack = tmp_path / "pack.html"
    args = ("export", "--format", "html", "--for-panel", "--shortlisted", "--output", str(pack))
    result = run_bot(tmp_path, *args)
    assert result.returncode == 0, result.stderr
    assert "1 nomination(s) written" in result.stderr
    html = pack.read_text(encoding="utf-8")
    assert "Mei Chen" in html and "Priya Shah" not in html


def test_scores_of_an_award_without_judging_say_so(tmp_path: Path) -> None:
    tiny = Path(__file__).resolve().parents[1] / "forms" / "tiny.toml"  # no [judging] section
    result = run_bot(tmp_path, "scores", FORM_FILE=str(tiny))
    assert result.returncode == 2
    assert result.stderr.strip() == texts.NO_JUDGING
