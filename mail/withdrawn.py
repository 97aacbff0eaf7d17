"""The short email that tells the organisers a nomination was withdrawn by its nominator.

It holds the reference and the dates only: the answers are erased straight after it is queued,
and the email must not keep a copy of them.
"""

from __future__ import annotations

import email.utils
from collections.abc import Sequence
from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP

from flows.form import Form
from flows.round import UK_TIME, aware
from mail.compose import _organiser, _parse_mailbox, header_text, message_id, uk_time
from mail.folding import message_bytes
from storage.types import EmailKind, NewEmail

BODY = """\
{reference} was withdrawn by the nominator on {withdrawn}.

It was first sent on {submitted}. Its answers and files have now been erased, so please delete
any copies of it you hold (the earlier emails with this reference, and any export).

{title}
"""


def compose_withdrawn(
    form: Form,
    reference: str,
    *,
    submitted_at: datetime | None,
    withdrawn_at: datetime,
    mail_from: str,
    organisers: Sequence[str],
) -> list[NewEmail]:
    """The organisers' "was withdrawn" email; none when there are no organisers to tell."""
    body = BODY.format(
        reference=reference,
        withdrawn=uk_time(withdrawn_at),
        submitted=uk_time(submitted_at) if submitted_at is not None else "an earlier date",
        title=form.title,
    )
    subject = f"Withdrawn: nomination {reference}"
    return short_email(
        EmailKind.WITHDRAWN, reference, subject, body, withdrawn_at, mail_from, organisers
    )


def short_email(
    kind: EmailKind,
    reference: str,
    subject: str,
    body: str,
    at: datetime,
    mail_from: str,
    organisers: Sequence[str],
) -> list[NewEmail]:
    """A short plain-text email to the organisers about one nomination, holding no answers
    (withdrawn, or the nominee's answer); none when there are no organisers to tell."""
    sender = _parse_mailbox(mail_from)
    if sender is None:
        raise ValueError(f"MAIL_FROM is not an email address: {mail_from!r}")
    if not organisers:
        return []
    to = [_organiser(address) for address in organisers]
    msg = EmailMessage(policy=SMTP)
    msg["Subject"] = header_text(subject)
    msg["From"] = sender
    msg["To"] = tuple(to)
    msg["Date"] = email.utils.format_datetime(aware(at).astimezone(UK_TIME))
    msg_id = message_id(reference, kind, mail_from)
    msg["Message-ID"] = msg_id
    msg["X-Nomination-Reference"] = header_text(reference)
    msg.set_content(body, subtype="plain", charset="utf-8", cte="quoted-printable")
    recipients = tuple(box.addr_spec for box in to)
    return [
        NewEmail(kind=kind, recipients=recipients, message_id=msg_id, message=message_bytes(msg))
    ]
