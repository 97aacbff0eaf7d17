"""The short email that tells the organisers the nominee answered (issue 19): approved, or
declined and so withdrawn, with the note the nominee left them, if any.

Like the "was withdrawn" email it holds no answers (a declined nomination's are erased straight
after it is queued): the reference, the date, the outcome and the nominee's own note.
"""

from __future__ import annotations

import email.utils
from collections.abc import Sequence
from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP

from flows.form import Form
from flows.round import UK_TIME, aware
from flows.text import without_overrides
from mail.compose import _organiser, _parse_mailbox, header_text, message_id, uk_time
from mail.folding import message_bytes
from storage.types import EmailKind, NewEmail

APPROVED = """\
The nominee approved nomination {reference} on {decided}. It can go forward to judging.
"""
DECLINED = """\
The nominee declined nomination {reference} on {decided}, so it has been withdrawn.

Its answers and files have now been erased, so please delete any copies of it you hold (the
earlier emails with this reference, and any export).
"""
NOTE = """
Their note to you{shared}:

{note}
"""
NO_NOTE = "\nThey left no note.\n"
SHARED = " (also shown to the nominator)"
TITLE = "\n{title}\n"


def compose_approval(
    form: Form,
    reference: str,
    *,
    approved: bool,
    note: str | None,
    share_note: bool,
    decided_at: datetime,
    mail_from: str,
    organisers: Sequence[str],
) -> list[NewEmail]:
    """The organisers' email of the nominee's answer; none when there are no organisers."""
    sender = _parse_mailbox(mail_from)
    if sender is None:
        raise ValueError(f"MAIL_FROM is not an email address: {mail_from!r}")
    if not organisers:
        return []
    to = [_organiser(address) for address in organisers]
    msg = EmailMessage(policy=SMTP)
    outcome = "approved" if approved else "declined"
    msg["Subject"] = header_text(f"Nominee {outcome}: nomination {reference}")
    msg["From"] = sender
    msg["To"] = tuple(to)
    msg["Date"] = email.utils.format_datetime(aware(decided_at).astimezone(UK_TIME))
    msg_id = message_id(reference, EmailKind.APPROVAL, mail_from)
    msg["Message-ID"] = msg_id
    msg["X-Nomination-Reference"] = header_text(reference)
    body = (APPROVED if approved else DECLINED).format(
        reference=reference, decided=uk_time(decided_at)
    )
    if note:
        body += NOTE.format(shared=SHARED if share_note else "", note=without_overrides(note))
    else:
        body += NO_NOTE
    body += TITLE.format(title=form.title)
    msg.set_content(body, subtype="plain", charset="utf-8", cte="quoted-printable")
    return [
        NewEmail(
            kind=EmailKind.APPROVAL,
            recipients=tuple(box.addr_spec for box in to),
            message_id=msg_id,
            message=message_bytes(msg),
        )
    ]
