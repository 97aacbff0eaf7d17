"""A colleague's supporting statement as the organisers read it: on its own email under the
nomination's reference (the nomination already sent), or as a text file on the nomination's own
email (sent later)."""

from __future__ import annotations

import email.utils
import hashlib
import re
from collections.abc import Sequence
from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP

from flows.evidence import EvidenceFile
from flows.round import UK_TIME, aware
from flows.text import without_overrides
from mail.compose import STATEMENT_FIELD, header_text, uk_time
from mail.folding import message_bytes
from storage.evidence import Attachment
from storage.types import EmailKind, NewEmail

_ID_UNSAFE = re.compile(r"[^A-Za-z0-9-]")

BODY = """\
Supporting statement for {reference}
Nominee: {nominee}

From: {name}
Their role: {role}
How they know the nominee: {relationship}
Sent: {sent}

{statement}
"""


def statement_text(
    reference: str, nominee: str, answers: dict[str, str], *, sent_at: datetime
) -> str:
    """The statement as plain text, every answer the colleague gave and when they sent it."""
    return BODY.format(
        reference=reference,
        nominee=without_overrides(nominee),
        name=without_overrides(answers.get("name", "")),
        role=without_overrides(answers.get("role", "")),
        relationship=without_overrides(answers.get("relationship", "")),
        sent=uk_time(sent_at),
        statement=without_overrides(answers.get("statement", "")),
    )


def compose_statement_email(
    reference: str,
    nominee: str,
    answers: dict[str, str],
    *,
    token: str,
    sent_at: datetime,
    mail_from: str,
    organisers: Sequence[str],
) -> NewEmail | None:
    """The organisers' email for one statement ("Supporting statement for LSI-…"); None when
    there are no organisers to send it to. `token` (the link's) makes its Message-ID unique."""
    if not organisers:
        return None
    _, sender = email.utils.parseaddr(header_text(mail_from))
    domain = sender.rpartition("@")[2] or "localhost"
    msg = EmailMessage(policy=SMTP)
    msg["Subject"] = header_text(f"Supporting statement for {reference}")
    msg["From"] = header_text(mail_from)
    msg["To"] = ", ".join(header_text(a) for a in organisers)
    msg["Date"] = email.utils.format_datetime(aware(sent_at).astimezone(UK_TIME))
    msg_id = f"<support-{_ID_UNSAFE.sub('-', reference)}-{_ID_UNSAFE.sub('-', token)}@{domain}>"
    msg["Message-ID"] = msg_id
    msg["X-Nomination-Reference"] = header_text(reference)
    body = statement_text(reference, nominee, answers, sent_at=sent_at)
    msg.set_content(body, subtype="plain", charset="utf-8", cte="quoted-printable")
    recipients = tuple(email.utils.parseaddr(header_text(a))[1] for a in organisers)
    return NewEmail(
        kind=EmailKind.SUPPORT,
        recipients=recipients,
        message_id=msg_id,
        message=message_bytes(msg),
    )


def statement_attachment(
    reference: str, nominee: str, answers: dict[str, str], *, number: int, sent_at: datetime
) -> Attachment:
    """A statement as a text file on the nomination's email, sent with it."""
    data = statement_text(reference, nominee, answers, sent_at=sent_at).encode("utf-8")
    file = EvidenceFile(
        id=-number,
        reference=reference,
        field_id=STATEMENT_FIELD,
        name=f"Supporting statement {number}.txt",
        caption=None,
        media_type="text/plain",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        added_at=sent_at,
    )
    return Attachment(file, data)
