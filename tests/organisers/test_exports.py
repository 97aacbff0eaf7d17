"""Exports of the submitted nominations: the CSV and JSON read back, the panel pack parsed."""

from __future__ import annotations

import csv
import email
import email.policy
import io
import json
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest

from bot.services.exports import (
    REFERENCE,
    SUBMITTED_UK,
    SUBMITTED_UTC,
    VERSION,
    csv_bytes,
    csv_text,
    json_text,
    neutralised,
)
from flows.engine import as_asked, visible_fields
from flows.form import Form, FormField
from flows.reading import entry, private_fields
from flows.round import Round
from flows.state import NominationState
from mail.compose import compose_submission
from mail.panel import panel_pack
from storage import NominationStore
from storage.types import EmailKind, NominationRecord
from tests.kit.organiserkit import submit

SUMMER = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)  # 00:30 on 2 July in the UK

AWKWARD = {
    "nominee_type": "individual",
    "nominee_name": '=HYPERLINK("http://evil.example","click me")',
    "nominee_role": 'Lead, "Band 7"\nand, on a second line, more',
    "nominee_organisation": "مستشفى الملكة 🏥 Queen's Hospital",
    "nominee_aware": "no",
    "nominator_name": "-Sam O'Neil",
    "nominator_email": "sam@nhs.example",
    "nominator_phone": "+44 7700 900123",
    "nominator_relationship": "@colleague; 'friend'",
    "consent": "yes",
    "q1": 'First, "quoted" paragraph.\n\nSecond paragraph,\twith a tab; שלום עולם 👩‍⚕️',
    "q2": "\ttab first, then =SUM(A1:A9)",
    "q3": "Line one\r\nline two (CRLF)\n\n\n  indented after blank lines",
    "q4": "Plain answer, nothing odd.",
}
TEAM = {
    "nominee_type": "team",
    "team_name": "Ward 7 Discharge Team",
    "nominee_role": "Priya Shah, Senior Staff Nurse",
    "nominee_organisation": "Leeds Teaching Hospitals NHS Trust",
    "nominee_aware": "yes",
    "nominator_name": "Alex Kim",
    "nominator_email": "alex@nhs.example",
    "nominator_relationship": "colleague",
    "consent": "yes",
    "q1": "They led it.",
    "q2": "Waits fell.",
    "q3": "Others copied it.",
    "q4": "It lasts.",
}


@pytest.fixture
async def records(store: NominationStore, form: Form) -> list[NominationRecord]:
    await submit(store, form, SUMMER, **AWKWARD)
    await submit(store, form, SUMMER + timedelta(hours=1), **TEAM)
    await store.create_draft("telegram:draft", form, form.fields[0].id, at=SUMMER)
    return await store.submitted()


def expected_cells(form: Form, record: NominationRecord, for_panel: bool) -> list[str]:
    asked = {f.id for f in visible_fields(form, record.state)}
    hidden = private_fields(form) if for_panel else set()
    return [
        f.display(record.state.answer(f.id)) if f.id in asked and record.state.answer(f.id) else ""
        for f in form.fields
        if f.id not in hidden
    ]


@pytest.mark.parametrize("for_panel", [False, True])
def test_csv_reads_back_cell_for_cell(
    form: Form, records: list[NominationRecord], for_panel: bool
) -> None:
    raw = csv_bytes(csv_text(form, records, for_panel=for_panel))
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    header, body = rows[0], rows[1:]
    assert header[:4] == [REFERENCE, SUBMITTED_UTC, SUBMITTED_UK, VERSION]
    assert len(body) == 2  # one row per submitted nomination; the draft is not exported
    for row, record in zip(body, records, strict=True):
        assert len(row) == len(header)
        assert row[0] == record.state.reference
        assert row[3] == str(record.version or 1)
        answers = row[4:]
        wanted = expected_cells(form, record, for_panel)
        assert answers == [neutralised(cell) for cell in wanted]
        # The apostrophe is the only change: take it off and the answer is exact.
        assert [a[1:] if a != w else a for a, w in zip(answers, wanted, strict=True)] == wanted
    first = body[0]
    assert first[header.index("Nominee")] == "'" + AWKWARD["nominee_name"]
    assert first[header.index("Organisation")] == AWKWARD["nominee_organisation"]
    assert ("Nominator's email" in header) is not for_panel
    assert ("Nominator's phone" in header) is not for_panel


def test_csv_times_sort_and_show_uk_time(form: Form, records: list[NominationRecord]) -> None:
    rows = list(csv.DictReader(io.StringIO(csv_text(form, records), newline="")))
    assert rows[0][SUBMITTED_UTC] == "2026-07-01T23:30:00+00:00"
    assert rows[0][SUBMITTED_UK] == "2026-07-02 00:30"  # BST
    assert [r[SUBMITTED_UTC] for r in rows] == sorted(r[SUBMITTED_UTC] for r in rows)


def test_json_keeps_every_answer_exactly(form: Form, records: list[NominationRecord]) -> None:
    document = json.loads(json_text(form, records))
    assert [f["id"] for f in document["fields"]] == [f.id for f in form.fields]
    first = document["nominations"][0]
    assert first["reference"] == records[0].state.reference
    assert first["answers"]["nominee_name"] == AWKWARD["nominee_name"]  # no apostrophe in JSON
    assert first["answers"]["q3"] == AWKWARD["q3"]
    assert first["answers"]["team_name"] is None  # not asked of an individual
    assert first["answers"]["nominee_aware"] == "No"
    panel = json.loads(json_text(form, records, for_panel=True))
    assert "nominator_email" not in panel["nominations"][0]["answers"]


class PackParser(HTMLParser):
    """Text of each nomination's page, its answers one by one, and anything that loads a file."""

    def __init__(self) -> None:
        super().__init__()
        self.pages: list[dict[str, object]] = []
        self.heading_of_page: list[str] = []
        self.external: list[str] = []
        self.contents: list[str] = []
        self._answer: list[str] | None = None
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in {"script", "link", "img", "iframe"} or found.get("src"):
            self.external.append(tag)
        if tag == "section" and found.get("class") == "nomination":
            self.pages.append({"text": [], "answers": [], "heading": ""})
        elif tag == "h2" and self.pages:
            self._in = "heading"
        elif tag == "li":
            self._in = "contents"
            self.contents.append("")
        elif "answer" in (found.get("class") or "").split():
            self._answer = []
        elif tag == "br" and self._answer is not None:
            self._answer.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"div", "span"} and self._answer is not None and self.pages:
            answers = self.pages[-1]["answers"]
            assert isinstance(answers, list)
            answers.append("".join(self._answer))
            self._answer = None
        if tag in {"h2", "li"}:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._answer is not None:
            self._answer.append(data)
        if self._in == "contents":
            self.contents[-1] += data
        if self.pages:
            page = self.pages[-1]
            text = page["text"]
            assert isinstance(text, list)
            text.append(data)
            if self._in == "heading":
                page["heading"] = str(page["heading"]) + data


@pytest.mark.parametrize("for_panel", [False, True])
def test_panel_pack_has_every_answer_word_for_word(
    form: Form, records: list[NominationRecord], for_panel: bool
) -> None:
    html = panel_pack(
        form,
        records,
        for_panel=for_panel,
        generated_at=SUMMER,
        round_dates=Round(closes_at=datetime(2026, 6, 30, 16, 0, tzinfo=UTC)),
    )
    parser = PackParser()
    parser.feed(html)
    parser.close()
    assert parser.external == []  # self-contained: nothing to fetch
    assert html.count('class="nomination"') == len(records)
    assert "page-break-before: always" in html
    assert len(parser.contents) == len(records)
    assert parser.contents[1].startswith(
        "Ward 7 Discharge Team, Leeds Teaching Hospitals NHS Trust"
    )
    for page, record in zip(parser.pages, records, strict=True):
        text = "".join(page["text"])  # type: ignore[arg-type]
        reading_heading = str(page["heading"])
        organisation = record.state.answer("nominee_organisation") or ""
        assert reading_heading.endswith(organisation)
        hidden = private_fields(form) if for_panel else set()
        for f in visible_fields(form, record.state):
            answer = record.state.answer(f.id)
            if answer is None or f.id in hidden:
                continue
            shown = entry(as_asked(form, record.state, f.id), record.state)  # a team's words
            if shown.label is None:
                assert f"{shown.text}." in text
            else:
                # A line break is a <br> whether typed as CRLF or LF; every character else is kept.
                exact = f.display(answer).replace("\r\n", "\n")
                assert exact in page["answers"]  # type: ignore[operator]
    for private in ("sam@nhs.example", "+44 7700 900123", "alex@nhs.example"):
        assert (private in html) is not for_panel
    assert "Nominations closed at 5pm on Tuesday 30 June 2026." in html


def test_a_reading_works_out_the_fields_asked_once_per_nomination(
    form: Form, records: list[NominationRecord], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The panel pack at 2,000 nominations spent most of its reading repeating this: the
    headline, the organisation and the nominee's name each worked it out again."""
    import flows.journey
    import flows.reading

    calls: list[str] = []

    def counted(form: Form, state: NominationState) -> tuple[FormField, ...]:
        calls.append(state.reference)
        return visible_fields(form, state)

    monkeypatch.setattr(flows.reading, "visible_fields", counted)
    monkeypatch.setattr(flows.journey, "visible_fields", counted)
    html = panel_pack(form, records, for_panel=True, generated_at=SUMMER)
    assert html.count('class="nomination"') == len(records)
    assert calls == [r.state.reference for r in records]


def test_panel_pack_escapes_what_nominators_typed(
    form: Form, records: list[NominationRecord]
) -> None:
    html = panel_pack(form, records, for_panel=True, generated_at=SUMMER)
    assert "=HYPERLINK(&#34;http://evil.example&#34;,&#34;click me&#34;)" in html
    assert "<script" not in html


async def test_bidi_overrides_never_reach_an_export(store: NominationStore, form: Form) -> None:
    """A right-to-left override makes 'Sam <RLO>fdp.exe' read as 'Sam exe.pdf'; it is kept as
    typed but every export (CSV, JSON, the panel pack) shows the text in its typed order."""
    name = "Sam \u202efdp.exe\u202c \u2067Jones\u2069"
    state = await submit(store, form, SUMMER, **{**AWKWARD, "nominee_name": name})
    records = await store.submitted()
    assert records[0].state.answer("nominee_name") == name  # stored as typed

    outputs = [
        csv_text(form, records),
        json.loads(json_text(form, records))["nominations"][0]["answers"]["nominee_name"],
        panel_pack(form, records, for_panel=False, generated_at=SUMMER),
    ]

    for output in outputs:
        assert "Sam fdp.exe Jones" in str(output)
        assert not any(c in str(output) for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2069")
    assert state.reference in outputs[0]


def test_a_team_reads_as_a_team_in_the_email_the_panel_pack_and_the_csv(
    form: Form, records: list[NominationRecord]
) -> None:
    team = records[1]
    assert team.state.answer("nominee_type") == "team"
    emails = compose_submission(
        form,
        team.state,
        submitted_at=SUMMER,
        mail_from="Bot <bot@awards.example>",
        organisers=("awards@awards.example",),
    )
    organisers = next(e for e in emails if e.kind is EmailKind.ORGANISERS)
    message = email.message_from_bytes(organisers.message, policy=email.policy.default)
    body = message.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    pack = panel_pack(form, [team], for_panel=False, generated_at=SUMMER)
    for shown in (text.casefold(), pack.casefold()):  # the text email's headings are capitals
        assert "the team knows about this nomination." in shown
        assert "about the team" in shown
        assert "how the nominator knows the team" in shown
        assert "team lead and their job title" in shown
        for individual in ("the nominee knows", "about the nominee", "knows the nominee"):
            assert individual not in shown
    header = next(csv.reader(io.StringIO(csv_text(form, records))))
    assert "Job title or role / Team lead and role" in header
    assert "Nominee knows / Team knows" in header
    assert "Relationship to nominee / Relationship to team" in header
