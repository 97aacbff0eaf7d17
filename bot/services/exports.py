"""Organisers' exports of the submitted nominations: CSV for Excel, JSON, and private files.

One row (or object) per nomination and one column per form field, each answer as a person reads
it (`FormField.display`). The panel pack (HTML) is `mail.panel`; both take what to leave out for
the judging panel from `flows.reading.private_fields`, so the exports never disagree about it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC
from enum import StrEnum
from typing import TextIO

from flows.approval import APPROVAL_COLUMN, READS, ApprovalStatus
from flows.engine import visible_fields
from flows.form import Form, FormField
from flows.reading import private_fields
from flows.round import UK_TIME
from storage.types import NominationRecord


class ExportFormat(StrEnum):
    CSV = "csv"
    JSON = "json"
    HTML = "html"  # the panel pack


def encoding(fmt: ExportFormat) -> str:
    """How an export's file is encoded: CSV with a byte-order mark, so that Excel reads it as
    UTF-8; the others plain UTF-8."""
    return "utf-8-sig" if fmt is ExportFormat.CSV else "utf-8"


# A cell starting with one of these is a formula to Excel: a nominator could plant one.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
REFERENCE = "Reference"
SUBMITTED_UTC = "Submitted (ISO 8601, UTC)"
SUBMITTED_UK = "Submitted (UK time)"
VERSION = "Version"  # 1 as first sent; each amendment sent adds one (issue 9)


def neutralised(text: str) -> str:
    """A cell Excel shows as the text typed, never runs: a formula gets a leading apostrophe."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def exported_fields(form: Form, *, for_panel: bool) -> tuple[FormField, ...]:
    hidden = private_fields(form) if for_panel else frozenset()
    return tuple(f for f in form.fields if f.id not in hidden)


def answers_of(form: Form, record: NominationRecord, *, for_panel: bool) -> dict[str, str | None]:
    """{field id: the answer as read, or None when not asked or not answered}."""
    asked = {f.id for f in visible_fields(form, record.state)}
    return {
        f.id: f.display(answer)
        if f.id in asked and (answer := record.state.answer(f.id)) is not None
        else None
        for f in exported_fields(form, for_panel=for_panel)
    }


def _times(record: NominationRecord) -> tuple[str, str]:
    """ISO 8601 in UTC, and UK local time as 'YYYY-MM-DD HH:MM', which Excel sorts as a date."""
    if record.submitted_at is None:
        return "", ""
    at = record.submitted_at.astimezone(UTC)
    return at.isoformat(timespec="seconds"), f"{at.astimezone(UK_TIME):%Y-%m-%d %H:%M}"


_ROWS_A_WRITE = 50  # a few hundred kilobytes of text at a time

Approvals = Mapping[str, ApprovalStatus]
"""{reference: the nominee's approval} where an award asks (issue 19); None: no award asks."""


def approval_of(approvals: Approvals | None, reference: str) -> list[str]:
    """The approval column's cell, or no cell at all when no award asks."""
    if approvals is None:
        return []
    status = approvals.get(reference)
    return [READS[status] if status is not None else ""]


class CsvExport:
    """The CSV written as it goes: the header at once, then the rows of the nominations handed
    in, _ROWS_A_WRITE at a time (a write a row costs more than the rows themselves)."""

    def __init__(
        self,
        out: TextIO,
        form: Form,
        *,
        for_panel: bool = False,
        approvals: Approvals | None = None,
    ) -> None:
        self._out, self._form, self._for_panel = out, form, for_panel
        self._approvals = approvals
        self._fields = exported_fields(form, for_panel=for_panel)
        labels = (form.column_label(f.id) for f in self._fields)
        approval = [APPROVAL_COLUMN] if approvals is not None else []
        self._rows([[REFERENCE, SUBMITTED_UTC, SUBMITTED_UK, VERSION, *approval, *labels]])

    def write(self, records: Iterable[NominationRecord]) -> None:
        rows = []
        for record in records:
            answers = answers_of(self._form, record, for_panel=self._for_panel)
            cells = [neutralised(answers[f.id] or "") for f in self._fields]
            version = str(record.version or 1)
            reference = record.state.reference
            status = approval_of(self._approvals, reference)
            rows.append([reference, *_times(record), version, *status, *cells])
            if len(rows) == _ROWS_A_WRITE:
                self._rows(rows)
                rows = []
        self._rows(rows)

    def _rows(self, rows: list[list[str]]) -> None:
        batch = io.StringIO()
        csv.writer(batch).writerows(rows)
        self._out.write(batch.getvalue())

    def finish(self) -> None:
        """Nothing follows the last row."""


class JsonExport:
    """The JSON written as it goes, byte for byte as `json.dumps(document, indent=2)` would
    write the whole document: the form and fields at once, then each nomination handed in.
    With `lead`, those keys come first; with `depth`, the document is written as it stands that
    many levels inside another (a programme's awards, issue 19), with no line break after it."""

    def __init__(
        self,
        out: TextIO,
        form: Form,
        *,
        for_panel: bool = False,
        lead: Mapping[str, object] | None = None,
        depth: int = 0,
        approvals: Approvals | None = None,
    ) -> None:
        self._out, self._form, self._for_panel = out, form, for_panel
        self._pad = "\n" + "  " * depth
        self._approvals = approvals
        head = {
            **(lead or {}),
            "form": {"id": form.id, "version": form.version, "title": form.title},
            "fields": [
                {"id": f.id, "label": form.column_label(f.id)}
                for f in exported_fields(form, for_panel=for_panel)
            ],
        }
        # The head's closing "\n}" is left off: "nominations" goes on after it.
        self._write(_dumps(head)[: -len("\n}")] + ',\n  "nominations": [')
        self._count = 0

    def _write(self, text: str) -> None:
        # Strings never hold a raw line break in JSON: each one starts a line of the layout.
        self._out.write(text if self._pad == "\n" else text.replace("\n", self._pad))

    def write(self, records: Iterable[NominationRecord]) -> None:
        for record in records:
            nomination = {
                "reference": record.state.reference,
                "submitted_at": _times(record)[0],
                "submitted_uk_time": _times(record)[1],
                "version": record.version or 1,
                **self._approval(record.state.reference),
                "answers": answers_of(self._form, record, for_panel=self._for_panel),
            }
            # Each nomination sits two levels deep.
            text = _dumps(nomination).replace("\n", "\n    ")
            self._write(("," if self._count else "") + "\n    " + text)
            self._count += 1

    def _approval(self, reference: str) -> dict[str, ApprovalStatus | None]:
        if self._approvals is None:
            return {}
        return {"nominee_approval": self._approvals.get(reference) or None}

    def finish(self) -> None:
        self._write("\n  ]\n}" if self._count else "]\n}")
        if self._pad == "\n":
            self._out.write("\n")


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


def csv_text(
    form: Form,
    records: Sequence[NominationRecord],
    *,
    for_panel: bool = False,
    approvals: Approvals | None = None,
) -> str:
    """The CSV (without its byte-order mark: see csv_bytes)."""
    return _whole(CsvExport, form, records, for_panel=for_panel, approvals=approvals)


def json_text(
    form: Form,
    records: Sequence[NominationRecord],
    *,
    for_panel: bool = False,
    approvals: Approvals | None = None,
) -> str:
    """The nominations as JSON: the fields (id and label) once, then each nomination's answers."""
    return _whole(JsonExport, form, records, for_panel=for_panel, approvals=approvals)


def _whole(
    kind: type[CsvExport] | type[JsonExport],
    form: Form,
    records: Sequence[NominationRecord],
    *,
    for_panel: bool,
    approvals: Approvals | None,
) -> str:
    """An export written whole, in memory."""
    out = io.StringIO()
    export = kind(out, form, for_panel=for_panel, approvals=approvals)
    export.write(records)
    export.finish()
    return out.getvalue()


def csv_bytes(text: str) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel opens it as UTF-8."""
    return text.encode("utf-8-sig")
