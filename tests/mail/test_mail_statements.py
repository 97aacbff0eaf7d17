"""Colleagues' supporting statements in the organisers' email and the panel pack: a statement is
small text, so it stays attached when the supporting files are left to the panel pack for size;
the nominator's copy never carries its text; the panel pack prints each sent one."""

from __future__ import annotations

from datetime import UTC, datetime

from flows.form import Form
from mail.panel import panel_pack
from mail.statement import statement_attachment
from storage.types import EmailKind, NominationRecord
from tests.kit.mailkit import compose, parse, submitted_state, text_body
from tests.mail.test_mail_attachments import PDF, attachment

AT = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
ANSWERS = {
    "name": "Dr Ama Owusu",
    "role": "Consultant",
    "relationship": "Worked with her for two years",
    "statement": "She turned the ward round & <every> audit into a habit.",
}


def test_an_email_over_the_limit_keeps_the_statement(form: Form) -> None:
    state = submitted_state(form)
    statement = statement_attachment(state.reference, "Priya Shah", ANSWERS, number=1, sent_at=AT)
    emails = compose(
        form, state, attachments=[attachment(PDF, "audit.pdf"), statement], max_bytes=len(PDF)
    )
    (organisers,) = [e for e in emails if e.kind is EmailKind.ORGANISERS]
    message = parse(organisers.message)
    got = {part.get_filename(): part.get_content() for part in message.iter_attachments()}
    assert list(got) == ["Supporting statement 1.txt"]  # the PDF went to the panel pack
    assert ANSWERS["statement"] in got["Supporting statement 1.txt"]
    body = text_body(message)
    assert "They are in the panel pack" in body and "audit.pdf" in body
    assert "SUPPORTING STATEMENTS" in body and "Supporting statement 1.txt" in body
    # The nominator's copy lists no statement and carries none of its words.
    (copy,) = [e for e in emails if e.kind is EmailKind.NOMINATOR]
    assert b"Ama Owusu" not in copy.message and b"Supporting statement" not in copy.message


def test_the_panel_pack_prints_each_sent_statement_under_its_nomination(form: Form) -> None:
    record = NominationRecord(
        state=submitted_state(form), nominator="tg:1", created_at=AT, updated_at=AT, submitted_at=AT
    )
    html = panel_pack(
        form,
        [record],
        for_panel=True,
        generated_at=AT,
        statements={record.state.reference: [ANSWERS]},
    )
    assert "Supporting statement 1" in html
    assert "Dr Ama Owusu" in html and "Worked with her for two years" in html
    assert "She turned the ward round &amp; &lt;every&gt; audit into a habit." in html
    assert "<every>" not in html
    other = panel_pack(form, [record], for_panel=True, generated_at=AT)
    assert "Supporting statement" not in other
