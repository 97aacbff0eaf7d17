"""The short email that tells the organisers the nominee answered (issue 19): approved, or
declined and so withdrawn, with the note the nominee left them, if any.

Like the "was withdrawn" email it holds no answers (a declined nomination's are erased straight
after it is queued): the reference, the date, the outcome and the nominee's own note.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from flows.form import Form
from flows.text import without_overrides
from mail.compose import uk_time
from mail.withdrawn import short_email
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
    body = (APPROVED if approved else DECLINED).format(
        reference=reference, decided=uk_time(decided_at)
    )
    if note:
        body += NOTE.format(shared=SHARED if share_note else "", note=without_overrides(note))
    else:
        body += NO_NOTE
    body += TITLE.format(title=form.title)
    subject = f"Nominee {'approved' if approved else 'declined'}: nomination {reference}"
    return short_email(
        EmailKind.APPROVAL, reference, subject, body, decided_at, mail_from, organisers
    )
