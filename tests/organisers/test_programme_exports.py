"""The organisers' tools over a programme of two awards (issue 19), on a real SQLite file: the
exports and the panel pack grouped by award, or one award's alone with --award (exactly what a bot
serving that award alone exports); each award's figures; an organiser of one award scoped to it."""

from __future__ import annotations

import io
import json
from argparse import Namespace
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.cli import scores
from bot.services.exports import csv_text
from bot.services.organisers import (
    ExportFormat,
    NotFound,
    OrganiserService,
    OrganiserSettings,
    Submitted,
    UnknownAward,
)
from flows.programme import Programme
from flows.round import Round
from mail.delivery import FileTransport, OutboxWorker
from storage import NominationStore, sent
from storage.db import second_connection
from storage.evidence import EvidenceStore
from tests.kit.organiserkit import Clock, start_draft, submit

SETTINGS = OrganiserSettings(
    mail_from="Nomination Bot <nominations@awards.example>",
    organiser_emails=("awards@hee.example",),
    round_dates=Round(),
    max_email_bytes=20 * 1024 * 1024,
)


@pytest.fixture
async def service(
    store: NominationStore, db_path: Path, tmp_path: Path, clock: Clock, programme: Programme
) -> AsyncIterator[OrganiserService]:
    async def confirmed(*_: object) -> bool:
        return True

    files = await EvidenceStore.open(db_path)
    try:
        async with second_connection(db_path) as db:
            worker = OutboxWorker(store.outbox, FileTransport(tmp_path / "out"), clock=clock)
            yield OrganiserService(
                programme.first.form,
                store,
                files,
                db,
                worker,
                SETTINGS,
                email_confirmed=confirmed,
                clock=clock,
                programme=programme,
            )
    finally:
        await files.close()


async def two_awards(store: NominationStore, programme: Programme, clock: Clock) -> tuple[str, str]:
    lsi, learning = programme.forms
    one = await submit(store, lsi, clock.now, nominee_type="individual", nominee_name="Priya Shah")
    two = await submit(store, learning, clock.now, nominee_name="Sam Patel", teaching="Weekly.")
    await start_draft(store, learning, clock.now)
    return one.reference, two.reference


async def test_an_export_groups_by_award_and_one_award_reads_as_if_served_alone(
    service: OrganiserService, store: NominationStore, programme: Programme, clock: Clock
) -> None:
    lsi_ref, learning_ref = await two_awards(store, programme, clock)
    both = await service.export(ExportFormat.CSV)
    assert both.count == 2
    lsi_at = both.text.index("Award: Leading for Service Improvement and Innovation (lsi)")
    learning_at = both.text.index("Award: Example award: Building a Learning Culture (learning)")
    assert lsi_at < both.text.index(lsi_ref) < learning_at < both.text.index(learning_ref)
    assert "Q1 Helping others learn" in both.text[learning_at:]  # each award's own columns
    assert "Q1 Helping others learn" not in both.text[:learning_at]

    alone = await service.export(ExportFormat.CSV, award="learning")
    (learning_record,) = [r for r in await store.submitted() if r.state.reference == learning_ref]
    assert alone.count == 1
    assert alone.text == csv_text(programme.forms[1], [learning_record])

    document = json.loads((await service.export(ExportFormat.JSON)).text)
    assert document["programme"] == "Example Leadership Awards"
    assert [a["award"] for a in document["awards"]] == ["lsi", "learning"]
    assert [n["reference"] for n in document["awards"][1]["nominations"]] == [learning_ref]

    pack = (await service.export(ExportFormat.HTML, for_panel=True)).text
    assert pack.count("<html") == 1 and pack.count("</body>") == 1
    assert "<title>Example Leadership Awards: panel pack</title>" in pack
    assert "Priya Shah" in pack and "Sam Patel" in pack

    with pytest.raises(UnknownAward):
        await service.export(ExportFormat.CSV, award="nope")
    with pytest.raises(UnknownAward):  # an award outside the organiser's own
        await service.export(ExportFormat.CSV, award="lsi", scope=frozenset({"learning"}))


async def test_figures_per_award_and_an_organiser_of_one_award(
    service: OrganiserService, store: NominationStore, programme: Programme, clock: Clock
) -> None:
    lsi_ref, learning_ref = await two_awards(store, programme, clock)
    figures = [(a.id, drafts, sent) for a, drafts, sent in await service.award_stats()]
    assert figures == [("lsi", 0, 1), ("learning", 1, 1)]
    assert (await service.stats()).submitted == 2

    theirs = frozenset({"learning"})
    assert (await service.stats(theirs)).submitted == 1
    assert (await service.stats(theirs)).drafts == 1
    assert [a.id for a, _, _ in await service.award_stats(theirs)] == ["learning"]
    assert await service.lookup(lsi_ref, theirs) == NotFound(lsi_ref)
    assert isinstance(await service.lookup(learning_ref, theirs), Submitted)
    assert await service.resend(lsi_ref, theirs) == NotFound(lsi_ref)
    mine = await service.export(ExportFormat.CSV, scope=theirs)
    assert mine.count == 1 and lsi_ref not in mine.text


async def test_an_organiser_of_one_award_sees_only_its_judging_results(
    service: OrganiserService,
) -> None:
    # Both awards are judged (each form has a [judging] section), each by its own panel.
    assert service.results is service.boards["lsi"]
    assert list(service.results_in()) == ["lsi", "learning"]
    assert service.results_in(frozenset({"lsi"})) == {"lsi": service.results}
    assert service.results_in(frozenset({"learning"})) == {"learning": service.boards["learning"]}
    assert service.boards["learning"].form.id == "example_learning_culture"


async def test_scores_on_the_command_line_are_each_awards_or_the_one_named(
    service: OrganiserService, capsys: pytest.CaptureFixture[str]
) -> None:
    lsi, learning = service.programme
    assert await scores.run(Namespace(format="text", output=None, award=None), service) == 0
    both = capsys.readouterr().out
    assert both.index(lsi.title) < both.index(learning.title)
    assert await scores.run(Namespace(format="csv", output=None, award="learning"), service) == 0
    header, *rows = capsys.readouterr().out.splitlines()
    assert header.startswith("Reference,") and rows == []  # nothing scored yet
    assert await scores.run(Namespace(format="text", output=None, award="nope"), service) == 2
    assert "the awards are: lsi, learning" in capsys.readouterr().err


async def test_each_award_is_streamed_in_turn_a_page_at_a_time_by_its_form(
    store: NominationStore, db_path: Path, programme: Programme, clock: Clock
) -> None:
    lsi, learning = programme.forms
    mine: dict[str, list[str]] = {lsi.id: [], learning.id: []}
    for _ in range(5):  # interleaved, so that each award's pages skip the other's
        for form in (lsi, learning):
            done = await submit(store, form, clock.now, nominee_type="individual")
            mine[form.id].append(done.reference)
    async with second_connection(db_path) as db:
        only = sent.Forms(only=(learning.id,))
        pages = [[r.state.reference for r in p] async for p in sent.submitted_pages(db, 2, only)]
        # The first award's walk: every form but the others' (a form no longer served too).
        rest = sent.Forms(other_than=(learning.id,))
        first = [r.state.reference async for p in sent.submitted_pages(db, 2, rest) for r in p]
    assert [len(p) for p in pages] == [2, 2, 1]
    assert [ref for p in pages for ref in p] == mine[learning.id]
    assert first == mine[lsi.id]


async def test_the_grouped_json_streamed_is_what_json_dumps_writes_and_one_award_is_streamed(
    service: OrganiserService, store: NominationStore, programme: Programme, clock: Clock
) -> None:
    lsi_ref, learning_ref = await two_awards(store, programme, clock)
    out = io.StringIO()
    assert await service.write_export(ExportFormat.JSON, out, for_panel=True) == 2
    document = json.loads(out.getvalue())
    assert out.getvalue() == json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    assert [a["form"]["id"] for a in document["awards"]] == [f.id for f in programme.forms]

    alone = io.StringIO()
    assert await service.write_export(ExportFormat.HTML, alone, award="lsi") == 1
    assert lsi_ref in alone.getvalue() and learning_ref not in alone.getvalue()
    assert "<title>Leading for Service Improvement and Innovation: panel pack</title>" in (
        alone.getvalue()
    )
    untouched = io.StringIO()
    with pytest.raises(UnknownAward):
        await service.write_export(ExportFormat.CSV, untouched, award="nope")
    assert untouched.getvalue() == ""
