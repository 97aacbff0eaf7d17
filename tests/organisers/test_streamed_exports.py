"""Exports written a page at a time (OrganiserService.write_export) are byte for byte the exports
of the whole round read at once, across several pages of nominations."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest

from bot.services.exports import JsonExport, csv_text, json_text
from bot.services.organisers import ExportFormat, OrganiserService
from flows.form import Form
from mail.panel import panel_pack
from storage import NominationStore
from storage.sent import PAGE
from tests.kit.organiserkit import Clock, submit


async def written(organisers: OrganiserService, fmt: ExportFormat, *, for_panel: bool) -> str:
    out = io.StringIO()
    assert await organisers.write_export(fmt, out, for_panel=for_panel) == PAGE + 7
    return out.getvalue()


@pytest.mark.parametrize("for_panel", [False, True])
async def test_page_by_page_is_byte_for_byte_the_whole_read(
    organisers: OrganiserService, store: NominationStore, form: Form, clock: Clock, for_panel: bool
) -> None:
    for n in range(PAGE + 7):  # two pages and a bit
        await submit(
            store,
            form,
            clock.now + timedelta(minutes=n),
            nominee_type="individual",
            nominee_name=f"=Nominee {n}",
            nominee_organisation="Leeds Teaching Hospitals NHS Trust",
            nominator_email=f"n{n}@nhs.example",
            q1=f'Answer {n}, "quoted",\nover two lines',
        )
    whole = await store.submitted()
    assert len(whole) == PAGE + 7
    assert await written(organisers, ExportFormat.CSV, for_panel=for_panel) == csv_text(
        form, whole, for_panel=for_panel
    )
    assert await written(organisers, ExportFormat.JSON, for_panel=for_panel) == json_text(
        form, whole, for_panel=for_panel
    )
    pack = await written(organisers, ExportFormat.HTML, for_panel=for_panel)
    assert pack == panel_pack(form, whole, for_panel=for_panel, generated_at=clock.now)
    assert pack.count('<section class="nomination"') == PAGE + 7


@pytest.mark.parametrize("count", [0, 1, 3])
async def test_the_streamed_json_is_what_json_dumps_writes(
    store: NominationStore, form: Form, clock: Clock, count: int
) -> None:
    for _ in range(count):
        await submit(store, form, clock.now, nominee_type="individual", q3="Line one\nline two")
    out = io.StringIO()
    export = JsonExport(out, form)
    export.write(await store.submitted())
    export.finish()
    text = out.getvalue()
    document = json.loads(text)
    assert len(document["nominations"]) == count
    assert text == json.dumps(document, ensure_ascii=False, indent=2) + "\n"
