"""SmtpTransport against a real aiosmtpd server: plain, AUTH, STARTTLS and implicit TLS."""

from __future__ import annotations

import base64
import logging
import ssl
from dataclasses import replace

import pytest
import trustme

from flows.form import Form
from mail.delivery import (
    OutboxWorker,
    PermanentFailure,
    SmtpConfig,
    SmtpTransport,
    TemporaryFailure,
)
from storage import NominationStore
from storage.types import EmailKind, NewEmail, OutboxRow, OutboxStatus
from tests.kit.mailkit import (
    SMTP_PASSWORD,
    SMTP_USER,
    SUBMITTED_AT,
    SmtpServer,
    StartSmtp,
    assert_wire_safe,
    compose,
    free_port,
    html_body,
    html_text,
    parse,
    submit,
    submitted_state,
    text_body,
)

# aiosmtpd warns about AUTH without TLS; the AUTH server here listens on loopback only.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")


def row_for(email: NewEmail, row_id: int = 1) -> OutboxRow:
    return OutboxRow(
        id=row_id,
        reference="LSI-7K3Q9M",
        kind=email.kind,
        recipients=email.recipients,
        message_id=email.message_id,
        message=email.message,
        status=OutboxStatus.PENDING,
        attempts=0,
        next_attempt_at=SUBMITTED_AT,
        last_error=None,
        created_at=SUBMITTED_AT,
        sent_at=None,
    )


async def test_both_emails_reach_the_server_with_every_answer(
    store: NominationStore, form: Form, smtp_server: SmtpServer
) -> None:
    state, emails = await submit(store, form)
    worker = OutboxWorker(
        store.outbox, SmtpTransport(smtp_server.config()), clock=lambda: SUBMITTED_AT
    )

    report = await worker.run_once()

    assert (report.sent, report.retrying, report.failed) == (2, 0, 0)
    received = smtp_server.handler.by_message_id()
    assert set(received) == {e.message_id for e in emails}
    for sent in emails:
        (arrived,) = received[sent.message_id]
        assert arrived.mail_from == "nominations@awards.example"
        assert tuple(arrived.rcpt_tos) == sent.recipients
        assert arrived.data == sent.message  # byte for byte, nothing rewritten on the way
        assert_wire_safe(arrived.data)
        msg = parse(arrived.data)
        text, shown = text_body(msg), html_text(html_body(msg))
        for question in (f for f in form.fields if f.is_question):
            answer = state.answer(question.id)
            assert answer is not None
            assert answer in text
            assert answer in shown
        assert "<script>" not in html_body(msg)
    organisers = received[next(e.message_id for e in emails if e.kind is EmailKind.ORGANISERS)]
    assert organisers[0].rcpt_tos == ["awards@hee.example", "panel@hee.example"]
    assert parse(organisers[0].data)["Reply-To"].addresses[0].addr_spec == "sian.jones@nhs.example"
    rows = await store.outbox.rows()
    assert [r.status for r in rows] == [OutboxStatus.SENT, OutboxStatus.SENT]


async def test_logs_in_with_auth_login_or_plain(form: Form, auth_smtp_server: SmtpServer) -> None:
    email = submitted_state(form)
    sent = compose(form, email)[0]
    config = auth_smtp_server.config(username=SMTP_USER, password=SMTP_PASSWORD)
    await SmtpTransport(config).send(row_for(sent))

    (arrived,) = auth_smtp_server.handler.received
    assert arrived.authenticated
    assert arrived.data == sent.message


async def test_unauthenticated_send_is_refused_for_good(
    form: Form, auth_smtp_server: SmtpServer
) -> None:
    sent = compose(form, submitted_state(form))[0]
    with pytest.raises(PermanentFailure, match="530"):
        await SmtpTransport(auth_smtp_server.config()).send(row_for(sent))
    assert auth_smtp_server.handler.received == []


async def test_starttls_with_a_trusted_certificate(
    form: Form, starttls_smtp_server: SmtpServer
) -> None:
    sent = compose(form, submitted_state(form))[1]
    config = starttls_smtp_server.config(username=SMTP_USER, password=SMTP_PASSWORD)
    await SmtpTransport(config).send(row_for(sent))

    (arrived,) = starttls_smtp_server.handler.received
    assert arrived.authenticated
    assert parse(arrived.data)["Message-ID"] == sent.message_id


async def test_starttls_checks_the_certificate_against_the_system_store(
    form: Form, starttls_smtp_server: SmtpServer
) -> None:
    sent = compose(form, submitted_state(form))[0]
    config = starttls_smtp_server.config(
        username=SMTP_USER, password=SMTP_PASSWORD, tls_context=None
    )
    with pytest.raises(TemporaryFailure, match=r"(?i)certificate"):
        await SmtpTransport(config).send(row_for(sent))
    assert starttls_smtp_server.handler.received == []


async def test_starttls_required_but_server_offers_none(smtp_server: SmtpServer) -> None:
    """SMTP_STARTTLS=true against a server without it: refuse rather than log in in clear."""
    config = smtp_server.config(starttls=True, username=SMTP_USER, password=SMTP_PASSWORD)
    with pytest.raises(TemporaryFailure, match=r"(?i)starttls"):
        await SmtpTransport(config).check()


async def test_implicit_tls(form: Form, start_smtp: StartSmtp, tls_ca: trustme.CA) -> None:
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls_ca.issue_cert("127.0.0.1").configure_cert(server_tls)
    client_tls = ssl.create_default_context()
    tls_ca.configure_trust(client_tls)
    server = start_smtp(ssl_context=server_tls)
    sent = compose(form, submitted_state(form))[0]
    config = server.config(use_tls=True, starttls=True, tls_context=client_tls)
    await SmtpTransport(config).send(row_for(sent))
    assert len(server.handler.received) == 1


@pytest.mark.parametrize(
    ("reply", "failure"),
    [
        ("451 4.3.0 Try again later", TemporaryFailure),
        ("421 4.3.2 Shutting down", TemporaryFailure),
        ("550 5.1.1 No such mailbox", PermanentFailure),
        ("554 5.7.1 Rejected as spam", PermanentFailure),
    ],
)
async def test_server_replies_are_classified(
    form: Form, smtp_server: SmtpServer, reply: str, failure: type[Exception]
) -> None:
    sent = compose(form, submitted_state(form))[0]
    smtp_server.handler.reject_with = reply
    with pytest.raises(failure, match=reply[:3]):
        await SmtpTransport(smtp_server.config()).send(row_for(sent))


async def test_some_recipients_refused_counts_as_sent(
    form: Form, smtp_server: SmtpServer, caplog: pytest.LogCaptureFixture
) -> None:
    """Re-sending would give the accepting recipients a second copy; the refusal is logged."""
    sent = compose(form, submitted_state(form))[0]
    smtp_server.handler.refuse_recipients["panel@hee.example"] = "550 5.1.1 No such mailbox"
    with caplog.at_level(logging.WARNING, logger="mail.delivery"):
        await SmtpTransport(smtp_server.config()).send(row_for(sent))
    (arrived,) = smtp_server.handler.received
    assert arrived.rcpt_tos == ["awards@hee.example"]
    assert "1 of 2 recipients refused: 550 5.1.1 No such mailbox" in caplog.text


async def test_all_recipients_refused(form: Form, smtp_server: SmtpServer) -> None:
    sent = compose(form, submitted_state(form))[0]
    refusals = smtp_server.handler.refuse_recipients
    refusals["awards@hee.example"] = "550 5.1.1 No such mailbox"
    refusals["panel@hee.example"] = "452 4.2.2 Mailbox full"
    with pytest.raises(TemporaryFailure, match="452"):
        await SmtpTransport(smtp_server.config()).send(row_for(sent))
    refusals["panel@hee.example"] = "553 5.1.3 Bad address"
    with pytest.raises(PermanentFailure, match="all recipients refused"):
        await SmtpTransport(smtp_server.config()).send(row_for(sent))
    assert smtp_server.handler.received == []


async def test_check_logs_in_and_quits_without_sending(
    auth_smtp_server: SmtpServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    config = auth_smtp_server.config(username=SMTP_USER, password=SMTP_PASSWORD)
    await SmtpTransport(config).check()
    assert auth_smtp_server.handler.attempts == 0
    assert_password_not_logged(caplog)


async def test_check_with_the_wrong_password_is_permanent(
    auth_smtp_server: SmtpServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    config = auth_smtp_server.config(username=SMTP_USER, password=SMTP_PASSWORD + "x")
    with pytest.raises(PermanentFailure, match="535") as failure:
        await SmtpTransport(config).check()
    assert SMTP_PASSWORD not in failure.value.reason
    assert_password_not_logged(caplog, SMTP_PASSWORD + "x")


async def test_check_with_nothing_listening_is_temporary() -> None:
    config = SmtpConfig(host="127.0.0.1", port=free_port(), starttls=False, timeout=2)
    with pytest.raises(TemporaryFailure, match=r"(?i)connect"):
        await SmtpTransport(config).check()


def test_password_is_never_in_repr() -> None:
    config = SmtpConfig(host="smtp.example", username=SMTP_USER, password=SMTP_PASSWORD)
    assert SMTP_PASSWORD not in repr(config)
    assert SMTP_PASSWORD not in str(config)
    assert SMTP_PASSWORD not in repr(SmtpTransport(config))
    assert SMTP_USER in repr(config)
    assert replace(config, password="other") != config


def assert_password_not_logged(
    caplog: pytest.LogCaptureFixture, password: str = SMTP_PASSWORD
) -> None:
    """Neither the password nor its AUTH encodings, in any of our (or aiosmtplib's) records.

    aiosmtpd, the test server, logs as "mail.log" and is not ours to judge.
    """
    plain = base64.b64encode(f"\0{SMTP_USER}\0{password}".encode()).decode()
    login = base64.b64encode(password.encode()).decode()
    ours = [r for r in caplog.records if r.name != "mail.log"]
    text = "\n".join(r.getMessage() + (r.exc_text or "") for r in ours)
    for secret in (password, plain, login):
        assert secret not in text
