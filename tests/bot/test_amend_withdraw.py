"""Amending and withdrawing a sent nomination, through the real Application, the strict fake
Bot API and a real SMTP server. Amend reopens it at the review; sending again emails "Amended"
under the same reference, beginning with what changed; Cancel changes keeps the version sent.
Withdraw asks first, tells the organisers and erases the answers from the database files (a
tombstone stays); old Amend and Withdraw buttons say it is withdrawn; after the closing date
both are refused."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.app import Services
from bot.screens import texts
from flows.round import Round
from flows.state import Confirmation, Status
from tests.bot.test_round_chat import ready_draft
from tests.kit.fake_telegram import FakeTelegram
from tests.kit.mailkit import SmtpServer, text_body, wait_for_messages
from tests.kit.nominator import (
    DETAILS,
    ORGANISERS,
    RELATIONSHIP,
    MakeSettings,
    Nominator,
    running_bot,
    shown,
)
from tests.kit.organiserkit import Clock

MARKER = "Zanzibarquokka"  # a word in every award answer, to look for in the database files
ANSWERS = {f"q{n}": f"Answer {n}: {MARKER} led the ward's change. " * 4 for n in "1234"}


def database_bytes(path: Path) -> bytes:
    """The database file and its write-ahead log, as they are on disk."""
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


async def send_one(jo: Nominator, services: Services) -> str:
    await jo.start_individual()
    await jo.say_all(*DETAILS)
    await jo.say("/skip")  # the optional phone number
    await jo.say(RELATIONSHIP)
    await jo.answer_questions(ANSWERS)
    await jo.tap(texts.BUTTON_YES)  # consent, asked last: now at the review
    await jo.tap(texts.SUBMIT_BUTTON)
    (sent,) = await services.store.submitted()
    return sent.state.reference


async def test_withdraw_asks_tells_the_organisers_and_erases_the_answers(
    tg: FakeTelegram, make_settings: MakeSettings, smtp_server: SmtpServer
) -> None:
    settings = make_settings(
        smtp_host="127.0.0.1", smtp_port=smtp_server.port, verify_nominator_email=False
    )
    async with running_bot(settings) as services:
        stop = asyncio.Event()
        worker = asyncio.create_task(services.worker.run(stop, idle_poll=0.2))
        try:
            jo = Nominator(tg, tg.user(3001, "Jo"))
            reference = await send_one(jo, services)
            await wait_for_messages(smtp_server, 2)
            assert MARKER.encode() in database_bytes(settings.database_path)

            (listing,) = await jo.say("/mynominations")
            assert listing.buttons == ["View 1", "Amend 1", "Withdraw 1", texts.ANOTHER_BUTTON]
            (question,) = await jo.tap("Withdraw 1", message_id=listing.message_id)
            assert question.text == texts.CONFIRM[Confirmation.WITHDRAW].format(reference=reference)
            # No keeps it as it was.
            (kept,) = await jo.tap(texts.CONFIRM_NO[Confirmation.WITHDRAW])
            assert kept.text == texts.KEPT[Confirmation.WITHDRAW]
            record = await services.store.get(reference)
            assert record is not None and record.state.status is Status.SUBMITTED

            (question,) = await jo.tap("Withdraw 1", message_id=listing.message_id)
            (done,) = await jo.tap(
                texts.CONFIRM_YES[Confirmation.WITHDRAW], message_id=question.message_id
            )
            assert done.text == texts.WITHDRAWN_DONE.format(reference=reference)
            await wait_for_messages(smtp_server, 3)
        finally:
            stop.set()
            await worker

        # A tombstone: the reference, its status and dates, and nothing of the answers.
        tomb = await services.store.get(reference)
        assert tomb is not None and tomb.state.status is Status.WITHDRAWN
        assert tomb.state.answers == {} and tomb.submitted_at is not None
        assert await services.store.submitted() == []
        assert MARKER.encode() not in database_bytes(settings.database_path)

        # The old list's Withdraw, and its question's Yes, say it is withdrawn; nothing is sent.
        (again,) = await jo.tap("Withdraw 1", message_id=listing.message_id)
        assert again.text == texts.ALREADY_WITHDRAWN.format(reference=reference)
        (yes_again,) = await jo.tap(
            texts.CONFIRM_YES[Confirmation.WITHDRAW], message_id=question.message_id
        )
        assert yes_again.text == again.text
        (amend,) = await jo.tap("Amend 1", message_id=listing.message_id)
        assert amend.text == again.text
        (listing,) = await jo.say("/mynominations")
        assert f"Withdrawn on {datetime.now(UTC).day} " in listing.text
        assert reference in listing.text and listing.buttons == [texts.ANOTHER_BUTTON]

    withdrawn = smtp_server.handler.received[2]
    assert tuple(withdrawn.rcpt_tos) == ORGANISERS
    assert withdrawn.message["Subject"] == f"Withdrawn: nomination {reference}"
    body = text_body(withdrawn.message)
    assert f"{reference} was withdrawn by the nominator" in body
    assert MARKER not in body and len(smtp_server.handler.received) == 3


async def test_amend_sends_what_changed_under_the_same_reference_and_cancel_keeps_the_sent(
    tg: FakeTelegram, make_settings: MakeSettings, smtp_server: SmtpServer
) -> None:
    settings = make_settings(
        smtp_host="127.0.0.1", smtp_port=smtp_server.port, verify_nominator_email=False
    )
    new_q2 = "Answer 2, amended: the audit now shows falls down by a third. " * 3
    async with running_bot(settings) as services:
        stop = asyncio.Event()
        worker = asyncio.create_task(services.worker.run(stop, idle_poll=0.2))
        try:
            jo = Nominator(tg, tg.user(3003, "Jo"))
            reference = await send_one(jo, services)
            await wait_for_messages(smtp_server, 2)
            (listing,) = await jo.say("/mynominations")
            (review,) = await jo.tap("Amend 1", message_id=listing.message_id)
            assert texts.REVIEW_TITLE.format(reference=reference) in review.text
            await jo.say("/edit Q2")
            await jo.say(new_q2)
            await jo.say("/done")
            # Not sent yet: the organisers' exports still read the version sent.
            (before,) = await services.store.submitted()
            assert before.state.answer("q2") == ANSWERS["q2"].strip() and before.version == 1
            await jo.say("/submit")
            await wait_for_messages(smtp_server, 4)
            (after,) = await services.store.submitted()
            assert after.state.reference == reference and after.version == 2
            assert after.state.answer("q2") == new_q2.strip()

            # A second amendment, abandoned: the version sent stays in force.
            (listing,) = await jo.say("/mynominations")
            await jo.tap("Amend 1", message_id=listing.message_id)
            await jo.say("/edit Q3")
            await jo.say("Something I then thought better of, at some length for the panel.")
            await jo.say("/done")
            (listing,) = await jo.say("/mynominations")
            assert "Cancel changes 1" in listing.buttons
            (cancelled,) = await jo.tap("Cancel changes 1", message_id=listing.message_id)
            assert cancelled.text == texts.AMEND_CANCELLED.format(reference=reference)
            kept = await services.store.get(reference)
            assert kept is not None and kept.state.status is Status.SUBMITTED
            assert kept.state.answer("q3") == ANSWERS["q3"].strip()
            assert kept.state.answer("q2") == new_q2.strip()
        finally:
            stop.set()
            await worker

    received = smtp_server.handler.received
    assert len(received) == 4
    organisers, copy = sorted(received[2:], key=lambda r: tuple(r.rcpt_tos) != ORGANISERS)
    assert tuple(organisers.rcpt_tos) == ORGANISERS
    for message in (organisers.message, copy.message):
        assert message["Subject"].startswith("Amended: ") and reference in message["Subject"]
        assert message["X-Nomination-Reference"] == reference
        body = text_body(message)
        assert body.startswith(f"Amended: this is version 2 of nomination {reference}.")
        changed = body.split("\n\n", 1)[0]
        assert "Q2" in changed and "Q1" not in changed and "Q3" not in changed
        assert new_q2.strip() in body and ANSWERS["q1"].strip() in body  # the whole nomination


async def test_withdraw_is_refused_after_the_closing_date(
    tg: FakeTelegram, make_settings: MakeSettings
) -> None:
    clock = Clock(datetime.now(UTC))
    closes = clock.now + timedelta(hours=1)
    settings = make_settings(nominations_close_at=closes)
    sam = Nominator(tg, tg.user(3002, "Sam"))
    async with running_bot(settings, clock=clock) as services:
        draft = await ready_draft(services, sam)
        await sam.say("/submit")
        record = await services.store.get(draft.reference)
        assert record is not None and record.state.status is Status.SUBMITTED
        clock.advance(timedelta(hours=2))  # the round has closed
        (listing,) = await sam.say("/mynominations", expect=1)
        closed = Round(closes_at=closes).closed_sentence()
        refusal = texts.WITHDRAW_CLOSED.format(closed=closed, reference=draft.reference)
        assert shown(await sam.tap("Withdraw 1", message_id=listing.message_id)) == refusal
        assert shown(await sam.tap("Amend 1", message_id=listing.message_id)) == refusal
        record = await services.store.get(draft.reference)
        assert record is not None and record.state.status is Status.SUBMITTED
        assert record.state.answers == draft.answers


async def test_withdraw_without_smtp_erases_the_eml_files_of_its_emails(
    tg: FakeTelegram, make_settings: MakeSettings
) -> None:
    """Without SMTP the emails are .eml files holding the answers: a withdrawal erases them,
    and keeps only the organisers' "was withdrawn" email, which holds none."""
    settings = make_settings(verify_nominator_email=False)
    outbox = settings.mail_outbox_dir
    async with running_bot(settings) as services:
        jo = Nominator(tg, tg.user(3002, "Jo"))
        reference = await send_one(jo, services)
        await services.worker.run_once()
        before = sorted(p.name for p in outbox.iterdir())
        assert before == [f"{reference}-nominator.eml", f"{reference}-organisers.eml"]
        assert all(MARKER.encode() in (outbox / name).read_bytes() for name in before)

        (listing,) = await jo.say("/mynominations")
        (question,) = await jo.tap("Withdraw 1", message_id=listing.message_id)
        await jo.tap(texts.CONFIRM_YES[Confirmation.WITHDRAW], message_id=question.message_id)
        await services.worker.run_once()

    after = sorted(p.name for p in outbox.iterdir())
    assert after == [f"{reference}-withdrawn.eml"]
    assert MARKER.encode() not in (outbox / after[0]).read_bytes()
