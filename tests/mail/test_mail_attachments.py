"""Supporting files in the organisers' email: attached byte for byte under their names (a
non-ASCII name RFC 2231-encoded), the same bytes every time, and left to the panel pack, saying
so, when the email would be over MAIL_MAX_MB. The panel pack lists and links them."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from flows.evidence import EvidenceFile
from flows.form import Form
from mail.panel import pack_file_path, panel_pack
from storage.evidence import Attachment
from storage.types import EmailKind, NominationRecord
from tests.kit.mailkit import assert_wire_safe, compose, parse, submitted_state, text_body

AT = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
PDF = b"%PDF-1.7\r\n" + bytes(range(256)) * 64


def attachment(data: bytes, name: str, field_id: str = "q1", number: int = 1) -> Attachment:
    file = EvidenceFile(
        id=number,
        reference="LSI-7K3Q9M",
        field_id=field_id,
        name=name,
        caption="Ward audit",
        media_type="application/pdf",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        added_at=AT,
    )
    return Attachment(file, data)


def organisers_email(form: Form, **kwargs: object) -> bytes:
    (email,) = [
        e for e in compose(form, submitted_state(form), **kwargs) if e.kind is EmailKind.ORGANISERS
    ]
    return email.message


def test_files_are_attached_byte_for_byte_under_their_names(form: Form) -> None:
    files = [attachment(PDF, "Übersicht – Station 7.pdf"), attachment(b"%PDF-2", "a.pdf", "q3", 2)]
    raw = organisers_email(form, attachments=files, max_bytes=20 * 1024 * 1024)
    assert_wire_safe(raw)
    assert b"filename*=utf-8''" in raw  # RFC 2231, not a raw UTF-8 header
    message = parse(raw)
    got = {part.get_filename(): part.get_content() for part in message.iter_attachments()}
    assert got == {"Übersicht – Station 7.pdf": PDF, "a.pdf": b"%PDF-2"}
    body = text_body(message)
    assert "Attached to this email:" in body and '"Ward audit"' in body
    # The same nomination always gives the same bytes (a resend after a crash is identical).
    assert organisers_email(form, attachments=files, max_bytes=20 * 1024 * 1024) == raw


def test_an_email_over_the_limit_leaves_the_files_to_the_panel_pack(form: Form) -> None:
    files = [attachment(PDF, "audit.pdf")]
    raw = organisers_email(form, attachments=files, max_bytes=len(PDF))
    message = parse(raw)
    assert list(message.iter_attachments()) == []
    body = text_body(message)
    assert "They are in the panel pack" in body and "audit.pdf" in body
    assert b"Content-Disposition: attachment" not in raw


def test_the_panel_pack_lists_and_links_each_file(form: Form) -> None:
    file = attachment(PDF, "audit.pdf").file
    record = NominationRecord(
        state=submitted_state(form), nominator="tg:1", created_at=AT, updated_at=AT, submitted_at=AT
    )
    html = panel_pack(
        form,
        [record],
        for_panel=True,
        generated_at=AT,
        files={record.state.reference: [file]},
        files_folder="pack-files",
    )
    assert file.sha256 in html and "Q1: audit.pdf" in html
    assert 'href="pack-files/LSI-7K3Q9M/1-audit.pdf"' in html
    assert pack_file_path(file) == ("LSI-7K3Q9M", "1-audit.pdf")
