"""The panel pack: every submitted nomination in one self-contained HTML file, for judges.

A contents page, then each nomination on its own printed page, headed by the nominee and their
organisation. With `for_panel`, the nominator's contact details and organisers' notes are left
out (flows.reading.private_fields), so the file can go to the judges as it is. Answers are
escaped once, by the template, as in the email.
"""

from __future__ import annotations

import io
import pickle
import secrets
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, TextIO
from urllib.parse import quote

from markupsafe import Markup

from flows.approval import APPROVAL_COLUMN, READS, ApprovalStatus
from flows.evidence import EvidenceFile
from flows.form import NOT_GIVEN, Form
from flows.reading import read
from flows.round import Round
from flows.statement import STATEMENT_FIELDS
from mail.compose import file_line, templates, uk_time
from storage.types import NominationRecord


def panel_pack(
    form: Form,
    records: Sequence[NominationRecord],
    *,
    for_panel: bool,
    generated_at: datetime,
    round_dates: Round | None = None,
    files: Mapping[str, Sequence[EvidenceFile]] | None = None,
    files_folder: str | None = None,
    statements: Mapping[str, Sequence[Mapping[str, str]]] | None = None,
    approvals: Mapping[str, ApprovalStatus] | None = None,
) -> str:
    """The pack as one HTML document. `files` lists each nomination's supporting files (by
    reference) with their sizes and SHA-256; with `files_folder`, each links to its copy at
    `<files_folder>/<reference>/<name>` (see files_beside_pack). `statements` holds each
    nomination's sent supporting statements (their answers by step: name, role, relationship,
    statement), printed under it. `approvals` holds the nominee's approval, where the award asks
    (issue 19)."""
    out = io.StringIO()
    with PackWriter(
        form, for_panel=for_panel, files_folder=files_folder, approvals=approvals
    ) as pack:
        pack.add(records, files=files or {}, statements=statements or {})
        pack.finish(out, generated_at=generated_at, round_dates=round_dates)
    return out.getvalue()


class PackWriter:
    """The pack written in flat memory. Each nomination's page is rendered as it is added (a
    page of the store at a time) and kept in a temporary file with its line of the contents,
    since the contents, which come first, need them all; `finish` then writes the head, the
    contents and the pages, in that order, straight into the output."""

    def __init__(
        self,
        form: Form,
        *,
        for_panel: bool,
        files_folder: str | None = None,
        approvals: Mapping[str, ApprovalStatus] | None = None,
    ) -> None:
        self._form, self._for_panel, self._folder = form, for_panel, files_folder
        self._approvals = approvals or {}
        self._contents, self._pages = _Spool(), _Spool()
        self._page = templates().get_template("panel_nomination.html")
        # "N of TOTAL" is written before TOTAL is known: a token no answer can hold stands in.
        self._total = f"@@total-{secrets.token_hex(8)}@@"

    def __enter__(self) -> PackWriter:
        return self

    def __exit__(self, *_: object) -> None:
        self._contents.close()
        self._pages.close()

    def add(
        self,
        records: Iterable[NominationRecord],
        *,
        files: Mapping[str, Sequence[EvidenceFile]],
        statements: Mapping[str, Sequence[Mapping[str, str]]],
    ) -> None:
        """Nominations in the pack's order, with their files and sent statements by reference."""
        for record in records:
            reference = record.state.reference
            reading = read(self._form, record.state, for_panel=self._for_panel)
            item = {
                "reading": reading,
                "submitted": uk_time(record.submitted_at) if record.submitted_at else NOT_GIVEN,
                "files": [self._file(file) for file in files.get(reference, ())],
                "approval": READS[a] if (a := self._approvals.get(reference)) else None,
                "statements": [
                    {field_id: answers.get(field_id, "") for field_id in STATEMENT_FIELDS}
                    for answers in statements.get(reference, ())
                ],
            }
            index = len(self._pages) + 1
            page = self._page.render(
                item=item,
                index=index,
                total=self._total,
                not_given=NOT_GIVEN,
                approval_label=APPROVAL_COLUMN,
            )
            self._pages.add(page)
            line = {"nominee": reading.nominee, "organisation": reading.organisation}
            self._contents.add({"reading": {**line, "reference": reading.reference}})

    def _file(self, file: EvidenceFile) -> dict[str, str | None]:
        href = None
        if self._folder is not None:
            href = "/".join(quote(p) for p in (self._folder, *pack_file_path(file)))
        return {"line": file_line(self._form, file), "sha256": file.sha256, "href": href}

    def finish(
        self, out: TextIO, *, generated_at: datetime, round_dates: Round | None = None
    ) -> int:
        """Write the whole pack to `out`; how many nominations it holds."""
        total = str(len(self._pages))
        chunks = (
            templates()
            .get_template("panel.html")
            .generate(
                form=self._form,
                nominations=self._contents,
                # Rendered by panel_nomination.html, which escaped every answer once already.
                pages=(Markup(page.replace(self._total, total)) for page in self._pages),  # noqa: S704
                for_panel=self._for_panel,
                generated=uk_time(generated_at),
                closing=(round_dates or Round()).closed_sentence(),
                not_given=NOT_GIVEN,
            )
        )
        out.writelines(chunks)
        return len(self._pages)


class _Spool:
    """Values in a temporary file, read back one at a time, as often as wanted."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close)
        self._count = 0

    def add(self, entry: object) -> None:
        pickle.dump(entry, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self._count += 1

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Any]:
        self._file.seek(0)
        for _ in range(self._count):
            yield pickle.load(self._file)  # noqa: S301 (written by this process, just now)
        self._file.seek(0, io.SEEK_END)  # any entry added later goes after the last

    def close(self) -> None:
        self._file.close()


def pack_file_path(file: EvidenceFile) -> tuple[str, str]:
    """Where a file goes in the folder beside the pack: its nomination's reference, then a name
    made unique by the file's number (two files may share a name)."""
    return file.reference, f"{file.id}-{file.name}"
