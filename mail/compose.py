"""Composing a submitted nomination's emails: the organisers' copy and the nominator's copy.

Pure: the same form, state and time always give the same bytes, so a re-send after a crash is the
same message with the same Message-ID. User text reaches headers only after `header_text` has
removed line breaks and control characters; the bodies are quoted-printable, so no line of the
message is ever longer than the SMTP limit, however long a paragraph is.
"""

from __future__ import annotations

import email.utils
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from functools import cache
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from flows.engine import nominee_name, visible_fields, word_count
from flows.form import NOT_GIVEN, Form, FormField
from flows.state import NominationState
from storage.types import EmailKind, NewEmail

UK_TIME = ZoneInfo("Europe/London")
UNNAMED_NOMINEE = "(nominee not named)"

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
# C0 and C1 controls, DEL, and the Unicode line and paragraph separators: never allowed in a header.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9-]")


def header_text(text: str) -> str:
    """User text made safe for a header: control characters and line breaks become single spaces."""
    return " ".join(_CONTROLS.sub(" ", text).split())


def uk_time(moment: datetime) -> str:
    """E.g. 'Thursday 26 November 2026, 14:05 (UK time)'; a naive time is taken to be UTC."""
    local = _aware(moment).astimezone(UK_TIME)
    return (
        f"{_DAYS[local.weekday()]} {local.day} {_MONTHS[local.month - 1]} {local.year}, "
        f"{local:%H:%M} (UK time)"
    )


def message_id(reference: str, kind: EmailKind, mail_from: str) -> str:
    """The stable Message-ID of one of a nomination's emails.

    E.g. <nomination-LSI-7K3Q9M-organisers@host>, the host taken from the From address.
    """
    sender = _parse_mailbox(mail_from)
    domain = sender.domain if sender is not None and sender.domain else "localhost"
    return f"<nomination-{_ID_UNSAFE.sub('-', reference)}-{kind.value}@{domain}>"


def compose_submission(
    form: Form,
    state: NominationState,
    *,
    submitted_at: datetime,
    mail_from: str,
    organisers: Sequence[str],
) -> list[NewEmail]:
    """The emails a submission sends: the organisers' (if there are any) and the nominator's copy.

    The nominator's copy (and the organisers' Reply-To) is left out when the nominator's email
    address cannot be used in a header, e.g. a non-ASCII local part; the organisers still get the
    nomination with the address in its body.
    """
    sender = _parse_mailbox(mail_from)
    if sender is None:
        raise ValueError(f"MAIL_FROM is not an email address: {mail_from!r}")
    organiser_boxes = [_organiser(address) for address in organisers]
    nominee = header_text(nominee_name(form, state) or "") or UNNAMED_NOMINEE
    nominator = _nominator(form, state)
    content = _content(form, state, submitted_at=submitted_at, nominee=nominee)
    emails: list[NewEmail] = []

    if organiser_boxes:
        emails.append(
            _email(
                EmailKind.ORGANISERS,
                subject=f"Nomination {state.reference}: {nominee} — {form.title}",
                sender=sender,
                to=organiser_boxes,
                reply_to=nominator,
                content=content,
                reference=state.reference,
                mail_from=mail_from,
                submitted_at=submitted_at,
            )
        )
    if nominator is not None:
        emails.append(
            _email(
                EmailKind.NOMINATOR,
                subject=f"Your nomination {state.reference} for {nominee} — {form.title}",
                sender=sender,
                to=[nominator],
                reply_to=organiser_boxes[0] if organiser_boxes else None,
                content=content,
                reference=state.reference,
                mail_from=mail_from,
                submitted_at=submitted_at,
            )
        )
    return emails


@dataclass(frozen=True, slots=True)
class Entry:
    """One answered (or skipped) field as the templates show it."""

    label: str
    text: str | None
    number: str | None = None
    prompt: str | None = None
    words: int = 0
    max_words: int | None = None

    @property
    def is_question(self) -> bool:
        return self.number is not None

    @property
    def word_note(self) -> str:
        """E.g. '312 words, limit 500'."""
        noun = "word" if self.words == 1 else "words"
        limit = f", limit {self.max_words}" if self.max_words is not None else ""
        return f"{self.words} {noun}{limit}"


@dataclass(frozen=True, slots=True)
class SectionView:
    title: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True, slots=True)
class _Content:
    """Everything both emails show, before the kind-specific opening is chosen."""

    form: Form
    reference: str
    nominee: str
    nominator_name: str
    submitted: str
    sections: tuple[SectionView, ...]


def _content(
    form: Form, state: NominationState, *, submitted_at: datetime, nominee: str
) -> _Content:
    shown = {f.id for f in visible_fields(form, state)}
    sections = []
    for section in form.sections:
        entries = tuple(_entry(f, state) for f in section.fields if f.id in shown)
        if entries:
            sections.append(SectionView(title=section.title, entries=entries))
    return _Content(
        form=form,
        reference=state.reference,
        nominee=nominee,
        nominator_name=state.answer(form.roles.nominator_name) or "",
        submitted=uk_time(submitted_at),
        sections=tuple(sections),
    )


def _entry(form_field: FormField, state: NominationState) -> Entry:
    answer = state.answer(form_field.id)
    if form_field.is_question:
        return Entry(
            label=form_field.label,
            text=answer,
            number=form_field.number,
            prompt=form_field.prompt,
            words=word_count(answer),
            max_words=form_field.max_words,
        )
    return Entry(
        label=form_field.label, text=None if answer is None else form_field.display(answer)
    )


def _email(
    kind: EmailKind,
    *,
    subject: str,
    sender: Address,
    to: Sequence[Address],
    reply_to: Address | None,
    content: _Content,
    reference: str,
    mail_from: str,
    submitted_at: datetime,
) -> NewEmail:
    msg = EmailMessage(policy=SMTP)
    msg_id = message_id(reference, kind, mail_from)
    msg["Subject"] = subject
    msg["From"] = sender
    msg["To"] = tuple(to)
    if reply_to is not None:
        msg["Reply-To"] = reply_to
    msg["Date"] = email.utils.format_datetime(_aware(submitted_at).astimezone(UK_TIME))
    msg["Message-ID"] = msg_id
    msg["X-Nomination-Reference"] = header_text(reference)
    values = {
        "kind": kind.value,
        "form": content.form,
        "reference": content.reference,
        "nominee": content.nominee,
        "nominator_name": content.nominator_name,
        "submitted": content.submitted,
        "sections": content.sections,
        "not_given": NOT_GIVEN,
        "reply_to_nominator": kind is EmailKind.ORGANISERS and reply_to is not None,
    }
    env = _environment()
    text = env.get_template("nomination.txt").render(values)
    html = env.get_template("nomination.html").render(values)
    # Quoted-printable keeps every line short (a 4000-character paragraph included) and the
    # ASCII parts of the message readable in its raw form.
    msg.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    msg.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    # A fixed boundary keeps the bytes reproducible. "=_" can never occur in quoted-printable
    # text (it would be "=3D_"), so the boundary can't collide with a body.
    msg.set_boundary(f"=_nomination-{_ID_UNSAFE.sub('-', reference)[:40]}-{kind.value}")
    return NewEmail(
        kind=kind,
        recipients=tuple(box.addr_spec for box in to),
        message_id=msg_id,
        message=msg.as_bytes(policy=SMTP),
    )


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("mail", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html",), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["line_breaks"] = _line_breaks
    return env


def _line_breaks(text: str) -> Markup:
    """Escapes each line of user text (once) and joins the lines with <br>.

    No newline characters are left in the HTML, so a `white-space: pre-wrap` container keeps the
    writer's spaces without doubling the breaks, and Outlook (which ignores pre-wrap) still breaks.
    """
    return Markup("<br>").join(_LINE_BREAK.split(text))


def _nominator(form: Form, state: NominationState) -> Address | None:
    """The nominator as a mailbox, or None if their address can't go in a header."""
    address = header_text(state.answer(form.roles.nominator_email) or "")
    if not address:
        return None
    name = header_text(state.answer(form.roles.nominator_name) or "")
    return _mailbox(name, address)


def _organiser(address: str) -> Address:
    box = _parse_mailbox(address)
    if box is None:
        raise ValueError(f"not an organiser email address: {address!r}")
    return box


def _parse_mailbox(text: str) -> Address | None:
    """'Name <a@b>' or 'a@b' (trusted configuration) as an Address."""
    name, address = email.utils.parseaddr(header_text(text))
    return _mailbox(name, address) if address else None


def _mailbox(name: str, address: str) -> Address | None:
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain or not local.isascii():
        return None
    try:
        # A non-ASCII domain goes on the wire as IDNA ("xn--…"); SMTP without SMTPUTF8 needs that.
        ascii_domain = domain if domain.isascii() else domain.encode("idna").decode("ascii")
        return Address(display_name=name, addr_spec=f"{local}@{ascii_domain}")
    except (ValueError, UnicodeError, IndexError, HeaderParseError):
        return None


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
