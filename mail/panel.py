"""The panel pack: every submitted nomination in one self-contained HTML file, for judges.

A contents page, then each nomination on its own printed page, headed by the nominee and their
organisation. With `for_panel`, the nominator's contact details and organisers' notes are left
out (flows.reading.private_fields), so the file can go to the judges as it is. Answers are
escaped once, by the template, as in the email.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from urllib.parse import quote

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
    files = files or {}
    approvals = approvals or {}
    statements = statements or {}
    nominations = [
        {
            "reading": read(form, record.state, for_panel=for_panel),
            "submitted": uk_time(record.submitted_at) if record.submitted_at else NOT_GIVEN,
            "files": [
                {
                    "line": file_line(form, file),
                    "sha256": file.sha256,
                    "href": None
                    if files_folder is None
                    else "/".join(quote(p) for p in (files_folder, *pack_file_path(file))),
                }
                for file in files.get(record.state.reference, ())
            ],
            "approval": READS[s] if (s := approvals.get(record.state.reference)) else None,
            "statements": [
                {field_id: answers.get(field_id, "") for field_id in STATEMENT_FIELDS}
                for answers in statements.get(record.state.reference, ())
            ],
        }
        for record in records
    ]
    return (
        templates()
        .get_template("panel.html")
        .render(
            form=form,
            nominations=nominations,
            for_panel=for_panel,
            generated=uk_time(generated_at),
            closing=(round_dates or Round()).closed_sentence(),
            not_given=NOT_GIVEN,
            approval_label=APPROVAL_COLUMN,
        )
    )


def pack_file_path(file: EvidenceFile) -> tuple[str, str]:
    """Where a file goes in the folder beside the pack: its nomination's reference, then a name
    made unique by the file's number (two files may share a name)."""
    return file.reference, f"{file.id}-{file.name}"
