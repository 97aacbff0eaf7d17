"""Organisers' export: every submitted nomination as one CSV row, readable in Excel."""

from __future__ import annotations

import csv
from typing import TextIO

from bot.app import Services
from flows import engine
from mail.compose import uk_time

# A cell starting with one of these is a formula to Excel: a nominator could plant one.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


async def write_csv(services: Services, out: TextIO) -> int:
    """Write the CSV; returns the number of nominations written."""
    form = services.form
    writer = csv.writer(out)
    writer.writerow(["Reference", "Submitted (UK time)", *(f.label for f in form.fields)])
    count = 0
    for record in await services.store.submitted():
        visible = {f.id for f in engine.visible_fields(form, record.state)}
        answers = [
            _cell(f.display(record.state.answer(f.id))) if f.id in visible else ""
            for f in form.fields
        ]
        submitted = uk_time(record.submitted_at) if record.submitted_at else ""
        writer.writerow([record.state.reference, submitted, *answers])
        count += 1
    return count
