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
from datetime import datetime
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from flows.evidence import EvidenceFile, size_text
from flows.form import NOT_GIVEN, Form
from flows.journey import nominator_email
from flows.reading import Reading, read
from flows.round import UK_TIME, Round, aware, uk_date
from flows.state import NominationState
from flows.text import without_overrides
from mail.folding import message_bytes
from storage.evidence import Attachment
from storage.types import EmailKind, NewEmail

# C0 and C1 controls, DEL, and the Unicode line and paragraph separators: never allowed in a header.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9-]")
UNCONFIRMED = "email address not confirmed"
# The "question" a colleague's supporting statement is filed under when it goes as a text file.
STATEMENT_FIELD = "support"


def header_text(text: str) -> str:
    """User text made safe for a header: control characters and line breaks become single spaces,
    and bidi overrides go (see flows.text)."""
    return " ".join(_CONTROLS.sub(" ", without_overrides(text)).split())


def uk_time(moment: datetime) -> str:
    """E.g. 'Thursday 26 November 2026, 14:05 (UK time)'; a naive time is taken to be UTC."""
    local = aware(moment).astimezone(UK_TIME)
    return f"{uk_date(local)}, {local:%H:%M} (UK time)"


def message_id(
    reference: str, kind: EmailKind, mail_from: str, *, resent_at: datetime | None = None
) -> str:
    """The stable Message-ID of one of a nomination's emails.

    E.g. <nomination-LSI-7K3Q9M-organisers@host>, the host taken from the From address. A resent
    email is a new message, so it gets its own id, made unique by the time it was resent.
    """
    sender = _parse_mailbox(mail_from)
    domain = sender.domain if sender is not None and sender.domain else "localhost"
    resent = "" if resent_at is None else f"-resent-{aware(resent_at):%Y%m%dT%H%M%S%f}"
    return f"<nomination-{_ID_UNSAFE.sub('-', reference)}-{kind.value}{resent}@{domain}>"


@dataclass(frozen=True, slots=True)
class _Context:
    """What every email of one nomination shares."""

    form: Form
    state: NominationState
    submitted_at: datetime
    mail_from: str
    sender: Address
    organisers: tuple[Address, ...]
    nominator: Address | None
    round: Round
    attachments: tuple[Attachment, ...] = ()
    max_bytes: int | None = None  # MAIL_MAX_MB: over it, the files are left to the panel pack
    email_confirmed: bool = True

    @property
    def reading(self) -> Reading:
        return read(self.form, self.state)


def _context(
    form: Form,
    state: NominationState,
    *,
    submitted_at: datetime,
    mail_from: str,
    organisers: Sequence[str],
    round_dates: Round | None,
    attachments: Sequence[Attachment] = (),
    max_bytes: int | None = None,
    email_confirmed: bool = True,
) -> _Context:
    """What every email of a nomination is made from. An address the nominator did not confirm
    gets nothing (no copy, no Reply-To), and the organisers are told."""
    sender = _parse_mailbox(mail_from)
    if sender is None:
        raise ValueError(f"MAIL_FROM is not an email address: {mail_from!r}")
    return _Context(
        form=form,
        state=state,
        submitted_at=submitted_at,
        mail_from=mail_from,
        sender=sender,
        organisers=tuple(_organiser(address) for address in organisers),
        nominator=_nominator(form, state) if email_confirmed else None,
        round=round_dates or Round(),
        attachments=tuple(attachments),
        max_bytes=max_bytes,
        email_confirmed=email_confirmed,
    )


def compose_submission(
    form: Form,
    state: NominationState,
    *,
    submitted_at: datetime,
    mail_from: str,
    organisers: Sequence[str],
    round_dates: Round | None = None,
    attachments: Sequence[Attachment] = (),
    max_bytes: int | None = None,
    email_confirmed: bool = True,
) -> list[NewEmail]:
    """The emails a submission sends: the organisers' (if there are any) and the nominator's copy.

    With `email_confirmed` False (the nominator did not prove their address: issue 12), there is
    no copy and no Reply-To, and the organisers' email says the address is not confirmed.

    The nominator's copy (and the organisers' Reply-To) is left out when the nominator's email
    address cannot be used in a header, e.g. a non-ASCII local part; the organisers still get the
    nomination with the address in its body. With `round_dates`, both give the closing date.
    The organisers' email carries `attachments` (the supporting files) unless it would then be
    over `max_bytes`; then it says the files are in the panel pack. Both emails list the files.
    """
    context = _context(
        form,
        state,
        submitted_at=submitted_at,
        mail_from=mail_from,
        organisers=organisers,
        round_dates=round_dates,
        attachments=attachments,
        max_bytes=max_bytes,
        email_confirmed=email_confirmed,
    )
    emails: list[NewEmail] = []
    if context.organisers:
        emails.append(_organisers_email(context, resent_at=None))
    if context.nominator is not None:
        emails.append(
            _email(
                context,
                EmailKind.NOMINATOR,
                # Never the nominee's name: a subject line shows on a lock screen and in a shared
                # inbox's list, and the nominee may not know about the nomination.
                subject=f"Your nomination {state.reference} has been received",
                to=[context.nominator],
                reply_to=context.organisers[0] if context.organisers else None,
                message_id=message_id(state.reference, EmailKind.NOMINATOR, mail_from),
                date=submitted_at,
            )
        )
    return emails


def compose_resend(
    form: Form,
    state: NominationState,
    *,
    submitted_at: datetime,
    resent_at: datetime,
    mail_from: str,
    organisers: Sequence[str],
    round_dates: Round | None = None,
    attachments: Sequence[Attachment] = (),
    max_bytes: int | None = None,
    email_confirmed: bool = True,
) -> NewEmail:
    """The organisers' email of a submitted nomination again, as a new message marked Resent."""
    context = _context(
        form,
        state,
        submitted_at=submitted_at,
        mail_from=mail_from,
        organisers=organisers,
        round_dates=round_dates,
        attachments=attachments,
        max_bytes=max_bytes,
        email_confirmed=email_confirmed,
    )
    if not context.organisers:
        raise ValueError("no organisers to resend to: ORGANISER_EMAILS is empty")
    return _organisers_email(context, resent_at=resent_at)


def _organisers_email(context: _Context, *, resent_at: datetime | None) -> NewEmail:
    reading = context.reading
    reference = context.state.reference
    subject = f"{reading.headline} ({reference})"
    if not context.email_confirmed:
        subject += f" - {UNCONFIRMED}"

    def build(attach: bool) -> NewEmail:
        return _email(
            context,
            EmailKind.ORGANISERS,
            subject=subject if resent_at is None else f"Resent: {subject}",
            to=context.organisers,
            reply_to=context.nominator,
            message_id=message_id(
                reference, EmailKind.ORGANISERS, context.mail_from, resent_at=resent_at
            ),
            date=resent_at or context.submitted_at,
            attach=attach,
        )

    email_with_files = build(attach=True)
    if context.max_bytes is None or len(email_with_files.message) <= context.max_bytes:
        return email_with_files
    return build(attach=False)


def _email(
    context: _Context,
    kind: EmailKind,
    *,
    subject: str,
    to: Sequence[Address],
    reply_to: Address | None,
    message_id: str,
    date: datetime,
    attach: bool = False,
) -> NewEmail:
    reference = context.state.reference
    msg = EmailMessage(policy=SMTP)
    msg["Subject"] = header_text(subject)
    msg["From"] = context.sender
    msg["To"] = tuple(to)
    if reply_to is not None:
        msg["Reply-To"] = reply_to
    msg["Date"] = email.utils.format_datetime(aware(date).astimezone(UK_TIME))
    msg["Message-ID"] = message_id
    msg["X-Nomination-Reference"] = header_text(reference)
    values = _values(context.form, context.reading, context.submitted_at, context.round)
    values["kind"] = kind.value
    values["reply_to_nominator"] = kind is EmailKind.ORGANISERS and reply_to is not None
    files, statements = _split(context.attachments)
    values["files"] = [file_line(context.form, a.file) for a in files]
    values["statements"] = [a.file.name for a in statements]
    values["files_attached"] = attach
    values["email_confirmed"] = context.email_confirmed
    env = templates()
    text = env.get_template("nomination.txt").render(values)
    html = env.get_template("nomination.html").render(values)
    # Quoted-printable keeps every line short (a 4000-character paragraph included) and the
    # ASCII parts of the message readable in its raw form.
    msg.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    msg.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    # A fixed boundary keeps the bytes reproducible. "=_" can never occur in quoted-printable
    # text (it would be "=3D_"), so the boundary can't collide with a body.
    boundary = f"=_nomination-{_ID_UNSAFE.sub('-', reference)[:40]}-{kind.value}"
    msg.set_boundary(boundary)
    # Statements are small text: they always go, even when the files are left to the panel pack.
    # Only the organisers' email carries them: the nominator never reads a statement's text.
    sent = context.attachments if attach else statements if kind is EmailKind.ORGANISERS else []
    if sent:
        _attach(msg, sent, boundary)
    return NewEmail(
        kind=kind,
        recipients=tuple(box.addr_spec for box in to),
        message_id=message_id,
        message=message_bytes(msg),
    )


def _split(attachments: Sequence[Attachment]) -> tuple[list[Attachment], list[Attachment]]:
    """The supporting files, and the colleagues' statements (as text files) apart from them."""
    files = [a for a in attachments if a.file.field_id != STATEMENT_FIELD]
    return files, [a for a in attachments if a.file.field_id == STATEMENT_FIELD]


def _attach(msg: EmailMessage, attachments: Sequence[Attachment], boundary: str) -> None:
    """Add the files byte for byte (base64) under their names; the policy writes a non-ASCII
    name with RFC 2231 encoding. The outer boundary is fixed too, so the bytes stay reproducible."""
    for attachment in attachments:
        maintype, _, subtype = attachment.file.media_type.partition("/")
        msg.add_attachment(
            attachment.data,
            maintype=maintype or "application",
            subtype=subtype or "octet-stream",
            filename=attachment.file.name,
        )
    msg.set_boundary(f"{boundary}-files")


def file_line(form: Form, file: EvidenceFile) -> str:
    """E.g. 'Q2: audit.pdf (820 KB), "Before and after"'."""
    number = form.field(file.field_id).number if form.has_field(file.field_id) else None
    line = f"{number or file.field_id}: {file.name} ({size_text(file.size)})"
    return f'{line}, "{file.caption}"' if file.caption else line


def nomination_text(
    form: Form,
    state: NominationState,
    *,
    submitted_at: datetime,
    round_dates: Round | None = None,
) -> str:
    """A submitted nomination as plain text, laid out as the organisers' email lays it out."""
    values = _values(form, read(form, state), submitted_at, round_dates or Round())
    return templates().get_template("nomination_body.txt").render(values)


def _values(
    form: Form, reading: Reading, submitted_at: datetime, round_dates: Round
) -> dict[str, object]:
    """What the templates show of a nomination, whichever email (or none) they are for."""
    return {
        "form": form,
        "reading": reading,
        "reference": reading.reference,
        "submitted": uk_time(submitted_at),
        "closing": round_dates.closing_sentence(),
        "next_steps": form.next_steps_for(round_dates.closes_at is not None),
        "not_given": NOT_GIVEN,
    }


@cache
def templates() -> Environment:
    """The email and panel-pack templates: HTML autoescaped, undefined names an error."""
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
    # CRLF, CR or LF each one break. str methods, not a regular expression: the same lines
    # (CRLF replaced first, as the leftmost match would take it), five times as fast for the
    # panel pack's thousands of answers.
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return Markup("<br>").join(lines)


def _nominator(form: Form, state: NominationState) -> Address | None:
    """The nominator as a mailbox, or None if their address can't go in a header."""
    address = header_text(nominator_email(form, state) or "")
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


# The code that proves a nominator's address (issue 12) ---------------------------------------

CODE_SUBJECT = "Your code to confirm your email address"
CODE_BODY = """\
Your code is {code}

Type this code into the chat with the {title} nomination bot, to confirm that this is your email \
address. It lasts 15 minutes.

If you did not ask for this code, ignore this email. Nothing more will be sent to you.

{organiser}
"""


def compose_code_email(
    form: Form, *, address: str, code: str, token: str, mail_from: str, at: datetime
) -> NewEmail | None:
    """The short email with a code in it; None if `address` cannot go in a header.

    It holds nothing the nominator typed but the address it goes to: not their name, not the
    nominee's, and not the reference (which would tie it to a nomination). Plain text only.
    `token` (random, from the caller) makes its Message-ID unique.
    """
    sender = _parse_mailbox(mail_from)
    to = _mailbox("", header_text(address))
    if sender is None or to is None:
        return None
    domain = sender.domain or "localhost"
    msg = EmailMessage(policy=SMTP)
    msg["Subject"] = CODE_SUBJECT
    msg["From"] = sender
    msg["To"] = to
    msg["Date"] = email.utils.format_datetime(aware(at).astimezone(UK_TIME))
    msg_id = f"<code-{_ID_UNSAFE.sub('-', token)}@{domain}>"
    msg["Message-ID"] = msg_id
    body = CODE_BODY.format(code=code, title=form.title, organiser=form.organiser)
    msg.set_content(body, subtype="plain", charset="utf-8", cte="quoted-printable")
    return NewEmail(
        kind=EmailKind.VERIFY,
        recipients=(to.addr_spec,),
        message_id=msg_id,
        message=message_bytes(msg),
    )
