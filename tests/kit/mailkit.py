"""The mail test kit: a recording SMTP handler, a fake clock, awkward nominations, parsing and
assertion helpers. The fixtures that start servers and open stores are in conftest.py."""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import ssl
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from html.parser import HTMLParser
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from flows.form import Form
from flows.state import REVIEW, NominationState, Part, Status
from mail.compose import compose_submission
from mail.delivery import OutboxPort, SmtpConfig
from storage import NominationStore
from storage.evidence import Attachment
from storage.types import NewEmail

MAIL_FROM = "Nomination Bot <nominations@awards.example>"
ORGANISERS = ("awards@hee.example", "Award Panel <panel@hee.example>")
SUBMITTED_AT = datetime(2026, 11, 26, 14, 5, tzinfo=UTC)
SMTP_USER = "bot@awards.example"
SMTP_PASSWORD = "correct horse battery staple 7!"

LONG_PARAGRAPH = " ".join(f"improvement{i}" for i in range(400))[:4000]
NASTY_ANSWERS: dict[str, tuple[str, ...]] = {
    "nominee_type": ("individual",),
    "nominee_name": ("Zoë O'Brien-Ngũgĩ",),
    "nominee_role": ('Ward Sister <Band 7> & "lead"',),
    "nominee_organisation": ("Leeds Teaching Hospitals NHS Trust",),
    "nominee_aware": ("no",),
    "nominator_name": ('Dr Siân "Taff" Jones, RN',),
    "nominator_email": ("sian.jones@nhs.example",),
    "nominator_relationship": ("line manager",),
    "consent": ("yes",),
    # Two parts: a long answer sent as two messages, joined by a blank line.
    "q1": (
        "<script>alert(\"owned\")</script> & &amp; <b>not bold</b> 'single' 😀👩🏽‍⚕️\n"
        "second line, same paragraph",
        "    indented line after a blank line\ttab   and trailing spaces   ",
    ),
    "q2": (LONG_PARAGRAPH,),
    "q3": ("مرحبا بالعالم — التحسين المستمر\nשלום עולם, שיפור מתמיד\nmixed: NHS ‏עברית‏ 123",),
    "q4": ("https://example.nhs.uk/" + "a" * 1500 + "\n\n\n\nafter three blank lines.\n.\n..",),
}


def nomination_answers(**overrides: str | None) -> dict[str, tuple[Part, ...]]:
    """The awkward answers, with some fields replaced (a str) or removed (None)."""
    answers = {key: tuple(Part(text=t) for t in texts) for key, texts in NASTY_ANSWERS.items()}
    for key, value in overrides.items():
        if value is None:
            answers.pop(key, None)
        else:
            answers[key] = (Part(text=value),)
    return answers


def submitted_state(
    form: Form, reference: str = "LSI-7K3Q9M", **overrides: str | None
) -> NominationState:
    return NominationState(
        form_id=form.id,
        form_version=form.version,
        reference=reference,
        status=Status.SUBMITTED,
        position=REVIEW,
        answers=nomination_answers(**overrides),
    )


def compose(form: Form, state: NominationState, **kwargs: Any) -> list[NewEmail]:
    options: dict[str, Any] = {
        "submitted_at": SUBMITTED_AT,
        "mail_from": MAIL_FROM,
        "organisers": ORGANISERS,
    }
    options.update(kwargs)
    return compose_submission(form, state, **options)


def composer(
    form: Form,
    state: NominationState,
    submitted_at: datetime,
    attachments: Sequence[Attachment] = (),
    *,
    email_confirmed: bool,
) -> list[NewEmail]:
    """mail.compose as the service calls it (bot.service.Composer), with the kit's addresses."""
    return compose(
        form,
        state,
        submitted_at=submitted_at,
        attachments=attachments,
        email_confirmed=email_confirmed,
    )


def parse(raw: bytes) -> EmailMessage:
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def text_body(msg: EmailMessage) -> str:
    """The plain-text part, decoded, with the wire's CRLF line endings read back as LF."""
    return _body(msg, "plain")


def html_body(msg: EmailMessage) -> str:
    return _body(msg, "html")


def _body(msg: EmailMessage, subtype: str) -> str:
    part = msg.get_body((subtype,))
    assert isinstance(part, EmailMessage)
    content = part.get_content()
    assert isinstance(content, str)
    return content.replace("\r\n", "\n")


class _TextExtractor(HTMLParser):
    """The text a reader sees, roughly: character references decoded, <br> as a line break."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.chunks.append("\n")

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)


def html_text(html: str) -> str:
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    return "".join(extractor.chunks)


def assert_wire_safe(raw: bytes) -> None:
    """CRLF line endings only, and no line over SMTP's 998-octet limit."""
    assert b"\n" not in raw.replace(b"\r\n", b""), "bare LF"
    assert b"\r" not in raw.replace(b"\r\n", b""), "bare CR"
    longest = max(len(line) for line in raw.split(b"\r\n"))
    assert longest <= 998, f"a line of {longest} octets"


class FakeClock:
    """A clock the test moves by hand, so backoffs of minutes pass in no time."""

    def __init__(self, start: datetime = SUBMITTED_AT) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


class Sleeps:
    """An OutboxWorker's waits between passes (its `sleep=`), each noted with the next row due
    when it began. The first `ending` end by themselves, moving `clock` on by their length; the
    rest end only when the worker is woken or stopped."""

    def __init__(self, outbox: OutboxPort, clock: FakeClock | None = None, *, ending: int = 0):
        if ending and clock is None:
            raise ValueError("waits that end by themselves move a FakeClock on")
        self.outbox = outbox
        self.clock = clock
        self.ending = ending
        self.asked: list[tuple[float, datetime | None]] = []  # (seconds, the next row due then)
        self._arrived = asyncio.Event()

    async def __call__(self, seconds: float) -> None:
        self.asked.append((seconds, await self.outbox.next_due_at()))
        self._arrived.set()
        if len(self.asked) > self.ending or self.clock is None:
            await asyncio.Event().wait()  # never ends by itself
        else:
            self.clock.advance(timedelta(seconds=seconds))

    async def until(self, count: int) -> None:
        """Wait until the worker has begun `count` waits (so the pass before each is done)."""
        async with asyncio.timeout(5):
            while len(self.asked) < count:
                self._arrived.clear()
                await self._arrived.wait()


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    authenticated: bool

    @property
    def message(self) -> EmailMessage:
        return parse(self.data)

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])


@dataclass
class RecordingHandler:
    """An aiosmtpd handler that keeps what it accepts and answers as the test tells it.

    `refuse_recipients` maps an address to its RCPT reply. `replies` are DATA answers used up one
    per message before the server starts accepting (e.g. ["451 4.3.0 Try again later"] * 3);
    `reject_with` answers every DATA; `on_data` runs after a message is recorded and before the
    server replies.
    """

    replies: list[str] = field(default_factory=list)
    reject_with: str | None = None
    refuse_recipients: dict[str, str] = field(default_factory=dict)
    on_data: Callable[[], None] | None = None
    received: list[Received] = field(default_factory=list)
    attempts: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if address in self.refuse_recipients:
            return self.refuse_recipients[address]
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.attempts += 1
            if self.reject_with is not None:
                return self.reject_with
            if self.replies:
                return self.replies.pop(0)
            self.received.append(
                Received(
                    mail_from=envelope.mail_from,
                    rcpt_tos=list(envelope.rcpt_tos),
                    data=bytes(envelope.original_content),
                    authenticated=bool(session.authenticated),
                )
            )
        if self.on_data is not None:
            self.on_data()
        return "250 2.0.0 Message accepted"

    def by_message_id(self) -> dict[str, list[Received]]:
        found: dict[str, list[Received]] = {}
        for item in self.received:
            found.setdefault(item.message_id, []).append(item)
        return found


async def wait_for_messages(server: SmtpServer, count: int, within: float = 5.0) -> None:
    """Wait until the server has accepted `count` messages, or for `within` seconds at most
    (the caller checks what arrived; how long it took is for bench/, not tests)."""
    for _ in range(int(within / 0.01)):
        if len(server.handler.received) >= count:
            return
        await asyncio.sleep(0.01)


def check_password(
    server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
) -> AuthResult:
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == SMTP_USER.encode()
        and auth_data.password == SMTP_PASSWORD.encode()
    )
    # handled=False: aiosmtpd sends the 235 or 535 itself.
    return AuthResult(success=ok, handled=False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class SmtpServer:
    controller: Controller
    handler: RecordingHandler
    port: int
    client_tls: ssl.SSLContext | None = None

    def config(self, **kwargs: Any) -> SmtpConfig:
        """Client settings for this server: plain SMTP unless the server offers TLS."""
        options: dict[str, Any] = {
            "host": "127.0.0.1",
            "port": self.port,
            "starttls": self.client_tls is not None,
            "timeout": 5.0,
            "tls_context": self.client_tls,
        }
        options.update(kwargs)
        return SmtpConfig(**options)

    def stop(self) -> None:
        self.controller.stop()


StartSmtp = Callable[..., SmtpServer]


_nominators = iter(range(1, 1_000_000))


async def submit(
    store: NominationStore,
    form: Form,
    *,
    at: datetime = SUBMITTED_AT,
    **overrides: str | None,
) -> tuple[NominationState, list[NewEmail]]:
    """Submit an awkward nomination through the real store, queueing its emails as the bot does."""
    draft = await store.create_draft(
        f"telegram:{next(_nominators)}", form, form.fields[0].id, at=at
    )
    submitted = draft.model_copy(
        update={
            "status": Status.SUBMITTED,
            "position": REVIEW,
            "answers": nomination_answers(**overrides),
        }
    )
    emails = compose(form, submitted, submitted_at=at)
    await store.save(draft, submitted, at=at, outbox=emails)
    return submitted, emails
