"""An amended nomination's emails: the usual ones (mail.compose), marked "Amended" in the
subject and at the top, and beginning with what changed since the version last sent.

What changed is listed question by question. A short answer shows old → new; a long one (Q1–Q4)
says it changed and by how many words, since its whole new text follows in the nomination below:
an awards administrator reading forty of these wants to see at a glance which parts to re-read.
"""

from __future__ import annotations

import email
import html
import re
from collections.abc import Mapping, Sequence
from email.message import EmailMessage
from email.policy import SMTP

from flows.form import Form
from flows.state import NominationState
from flows.validation import word_count
from mail.folding import message_bytes
from storage.types import NewEmail

AMENDED = "Amended"
NO_CHANGES = "No answers changed."
_BODY_TAG = re.compile(r"<body[^>]*>", re.IGNORECASE)


def changes(form: Form, previous: Mapping[str, Sequence[str]], state: NominationState) -> list[str]:
    """One line per answer that changed, in the form's order."""
    lines: list[str] = []
    for f in form.fields:
        old = "\n\n".join(previous.get(f.id, ())) or None
        new = state.answer(f.id)
        if old == new:
            continue
        name = f.label
        if f.number and not f.label.startswith(f.number):  # "Q2 Measuring…" names itself
            name = f"{f.number} ({f.label})"
        if f.is_long:
            before, after = word_count(old), word_count(new)
            lines.append(f"{name}: changed, {before} → {after} words. The new text is below.")
        else:
            lines.append(f"{name}: {f.display(old)} → {f.display(new)}")
    return lines


def summary(reference: str, version: int, lines: Sequence[str]) -> str:
    head = f"{AMENDED}: this is version {version} of nomination {reference}. What changed:"
    return "\n".join([head, *(f"- {line}" for line in lines or [NO_CHANGES])])


def amended(message: NewEmail, text: str, version: int) -> NewEmail:
    """The email marked as amended, `text` at the top of each body, under its own Message-ID."""
    msg = email.message_from_bytes(message.message, _class=EmailMessage, policy=SMTP)
    subject = str(msg["Subject"])
    del msg["Subject"]
    msg["Subject"] = f"{AMENDED}: {subject}"
    message_id = message.message_id.replace("@", f"-amended-v{version}@", 1)
    del msg["Message-ID"]
    msg["Message-ID"] = message_id
    for part in msg.walk():
        if part.get_content_disposition() == "attachment" or part.is_multipart():
            continue
        if not isinstance(part, EmailMessage):
            continue
        if part.get_content_type() == "text/plain":
            body = f"{text}\n\n{part.get_content()}"
            part.set_content(body, subtype="plain", charset="utf-8", cte="quoted-printable")
        elif part.get_content_type() == "text/html":
            block = _html_summary(text)
            page = str(part.get_content())
            match = _BODY_TAG.search(page)
            at = match.end() if match else 0
            page = page[:at] + block + page[at:]
            part.set_content(page, subtype="html", charset="utf-8", cte="quoted-printable")
    return NewEmail(message.kind, message.recipients, message_id, message_bytes(msg))


# The summary's HTML: in the nomination's own column (mail/templates/nomination.html), not at
# the window's edge, with its changes as a list.
_BOX = (
    '<div style="max-width:680px; margin:0 auto; padding:16px 16px 0 16px;">'
    '<div style="border-left:4px solid #005eb8; background-color:#f0f4f5; padding:8px 12px;">'
    '<p style="margin:0 0 4px 0;"><strong>{head}</strong></p>'
    '<ul style="margin:0; padding:0 0 0 20px;">{items}</ul></div></div>'
)


def _html_summary(text: str) -> str:
    """`summary`'s text as HTML: its first line in bold, then a list item a change."""
    head, *rest = text.split("\n")
    items = "".join(f"<li>{html.escape(line.removeprefix('- '))}</li>" for line in rest)
    return _BOX.format(head=html.escape(head), items=items)
