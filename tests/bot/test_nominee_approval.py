"""The nominee's approval (issue 19), through the real Application, the strict fake Bot API and a
real SMTP server: after Submit the nominator gets a link to forward; the nominee sees the award,
the award answers and who wrote supporting statements (not what, and never the nominator's
email), and approves or declines with an optional note; the organisers get a short email either
way; the nominator is told, with the note only if it was shared. A decline withdraws the
nomination. A used link and a guessed one get the same reply. One reminder, with a fresh link."""

from __future__ import annotations

import json
import re
from email.message import EmailMessage

from bot.screens import texts
from bot.screens.actions import Action, label
from flows.approval import ApprovalStatus
from flows.state import Status
from tests.bot.test_supporting_statements import (
    ANSWERS,
    NOMINATOR_EMAIL,
    STATEMENT,
    ask_for_link,
    delivering,
    write_statement,
)
from tests.kit.fake_telegram import FakeTelegram
from tests.kit.mailkit import SmtpServer, text_body, wait_for_messages
from tests.kit.nominator import (
    DETAILS,
    NOMINEE,
    REFERENCE,
    RELATIONSHIP,
    MakeSettings,
    Nominator,
    messages,
    running_bot,
    shown,
)

LINK = re.compile(r"https://t\.me/nomination_test_bot\?start=nominee-([A-Za-z0-9_-]+)")
QUICKLY = 2 / 86400  # days: two seconds
NOTE = "Thank you, Jo! I'm delighted."
DECLINE_NOTE = "Please withdraw it: I would rather not be named this year."


async def to_review(jo: Nominator, *, knows: str = "yes") -> str:
    """A whole nomination up to its review; returns the review."""
    await jo.start_individual()
    await jo.say_all(*DETAILS[:3], knows, *DETAILS[4:])
    await jo.say("/skip")  # the phone number is optional
    await jo.say(RELATIONSHIP)
    for answer in ANSWERS:
        await jo.say(answer)
        await jo.say("/done")
    return shown(await jo.tap(texts.BUTTON_YES))  # consent, asked last


async def submitted(jo: Nominator) -> tuple[str, str, str]:
    """Submit: the reference, the link's token, and what the nominator was shown."""
    sent = shown(await jo.tap(texts.SUBMIT_BUTTON, expect=2))
    reference, link = REFERENCE.search(sent), LINK.search(sent)
    assert reference is not None and link is not None, sent
    return reference.group(), link.group(1), sent


def emails(smtp_server: SmtpServer, subject: str) -> list[EmailMessage]:
    return [r.message for r in smtp_server.handler.received if r.message["Subject"] == subject]


async def test_the_nominee_approves_and_a_used_or_guessed_link_tells_nothing(
    tg: FakeTelegram, make_settings: MakeSettings, smtp_server: SmtpServer
) -> None:
    settings = make_settings(
        smtp_host="127.0.0.1",
        smtp_port=smtp_server.port,
        verify_nominator_email=False,
        nominee_approval=True,
    )
    async with running_bot(settings) as services, delivering(services):
        jo = Nominator(tg, tg.user(5101, "Jo"))
        review = await to_review(jo)
        assert texts.APPROVAL_SURPRISE not in review  # the nominee knows already
        # A colleague's statement first, so that the nominee sees who supports them.
        kim = Nominator(tg, tg.user(5102, "Kim"))
        await write_statement(kim, await ask_for_link(jo))
        await kim.tap(texts.SUPPORT_SEND_BUTTON)
        await jo.settle(1)  # told the statement arrived
        await jo.say("/review")
        reference, token, sent = await submitted(jo)
        assert texts.APPROVAL_LINK.format(nominee=NOMINEE) in sent
        assert len(token) >= 16  # 96 random bits

        # Opened by Jo, the link says whom it is for, and still works.
        assert shown(await jo.say(f"/start nominee-{token}")) == texts.APPROVAL_OWN_LINK
        priya = Nominator(tg, tg.user(5103, "Priya"))
        opened = shown(await priya.say(f"/start nominee-{token}"))
        assert services.form.title in opened
        for seen in (*ANSWERS, "Supporting statements from: Kim Lee."):
            assert seen in opened
        for private in (STATEMENT, NOMINATOR_EMAIL, "Bloggs", RELATIONSHIP):
            assert private not in opened
        assert priya.user.buttons() == [label(Action.APPROVE), label(Action.NOMINEE_DECLINE)]

        assert shown(await priya.tap(label(Action.APPROVE))) == texts.APPROVAL_NOTE
        assert shown(await priya.say(NOTE)) == texts.APPROVAL_SHARE
        assert shown(await priya.tap(label(Action.SHARE_NOTE))) == texts.APPROVAL_THANKS
        told = shown(await jo.settle(1))
        assert texts.APPROVAL_APPROVED.format(nominee=NOMINEE, reference=reference) in told
        assert NOTE in told

        # Used now: neither Priya again nor anyone else gets in; a guess is told the same.
        sam = Nominator(tg, tg.user(5104, "Sam"))
        for someone, payload in (
            (priya, f"nominee-{token}"),
            (sam, f"nominee-{token}"),
            (sam, "nominee-AAAAAAAAAAAAAAAA"),
            (sam, "nominee-"),
        ):
            assert shown(await someone.say(f"/start {payload}")) == texts.APPROVAL_UNKNOWN_LINK
        approval = await services.store.approvals.of_nomination(reference)
        assert approval is not None and approval.status is ApprovalStatus.APPROVED
        # Priya's /mydata holds her answer and note, and nothing of Jo's.
        (caption,) = messages(await priya.say("/mydata"))
        held = texts.MY_DATA_COUNTS["nominee_approvals"].format(count=1)
        assert caption.text == texts.MY_DATA_CAPTION.format(held=held)
        document = tg.documents[-1].content.decode()
        (answer,) = json.loads(document)["nominee_approvals"]
        assert answer["status"] == "approved" and answer["note"] == NOTE
        assert answer["nominee"] == NOMINEE and answer["note_shared_with_nominator"]
        for private in (*ANSWERS, NOMINATOR_EMAIL, reference, "Bloggs"):
            assert private not in document
        # Priya's typing is her own again: the bot's welcome, not a note.
        assert texts.APPROVAL_SHARE not in shown(await priya.say("hello"))
        await wait_for_messages(smtp_server, 3)  # nomination (statement attached), copy, approval

    (email,) = emails(smtp_server, f"Nominee approved: nomination {reference}")
    body = text_body(email)
    assert NOTE in body and "(also shown to the nominator)" in body
    for private in ANSWERS:
        assert private not in body


async def test_a_decline_with_a_note_withdraws_the_nomination(
    tg: FakeTelegram, make_settings: MakeSettings, smtp_server: SmtpServer
) -> None:
    settings = make_settings(
        smtp_host="127.0.0.1",
        smtp_port=smtp_server.port,
        verify_nominator_email=False,
        nominee_approval=True,
    )
    async with running_bot(settings) as services, delivering(services):
        jo = Nominator(tg, tg.user(5201, "Jo"))
        # A surprise: the review says, before Submit, that the nominee will be asked.
        assert texts.APPROVAL_SURPRISE in await to_review(jo, knows="no")
        reference, token, _ = await submitted(jo)

        priya = Nominator(tg, tg.user(5202, "Priya"))
        await priya.say(f"/start nominee-{token}")
        asked = shown(await priya.tap(label(Action.NOMINEE_DECLINE)))
        assert asked == texts.APPROVAL_NOTE_DECLINE
        # A command leaves the note: nothing is decided, and the link opens at the start again.
        await priya.say("/help")
        assert texts.APPROVAL_QUESTION in shown(await priya.say(f"/start nominee-{token}"))
        assert label(Action.APPROVE) in priya.user.buttons()
        await priya.tap(label(Action.NOMINEE_DECLINE))
        assert shown(await priya.say(DECLINE_NOTE)) == texts.APPROVAL_SHARE
        assert shown(await priya.tap(label(Action.KEEP_NOTE))) == texts.APPROVAL_WITHDRAWN
        told = shown(await jo.settle(1))
        assert told == texts.APPROVAL_DECLINED.format(nominee=NOMINEE, reference=reference)

        record = await services.store.get(reference)
        assert record is not None and record.state.status is Status.WITHDRAWN
        assert record.state.answers == {}
        approval = await services.store.approvals.of_nomination(reference)
        assert approval is not None and approval.status is ApprovalStatus.DECLINED
        assert approval.note is None
        assert shown(await priya.say(f"/start nominee-{token}")) == texts.APPROVAL_UNKNOWN_LINK
        await wait_for_messages(smtp_server, 3)  # nomination, copy, decline

    (email,) = emails(smtp_server, f"Nominee declined: nomination {reference}")
    body = text_body(email)
    assert DECLINE_NOTE in body and "withdrawn" in body and "shown to the nominator" not in body
    for private in ANSWERS:
        assert private not in body


async def test_one_reminder_with_a_fresh_link(
    tg: FakeTelegram, make_settings: MakeSettings
) -> None:
    settings = make_settings(
        verify_nominator_email=False,
        nominee_approval=True,
        nominee_approval_remind_days=QUICKLY,
    )
    async with running_bot(settings) as services:
        jo = Nominator(tg, tg.user(5301, "Jo"), timeout=10.0)
        await to_review(jo)
        reference, token, _ = await submitted(jo)

        (reminder,) = await jo.user.replies(1, timeout=10.0)
        said = texts.APPROVAL_REMINDER.format(nominee=NOMINEE, reference=reference)
        assert said.split(" Forward")[0] in reminder.text
        fresh = LINK.search(reminder.text)
        assert fresh is not None and fresh.group(1) != token
        approval = await services.store.approvals.of_nomination(reference)
        assert approval is not None and approval.reminded_at is not None  # kept: at most once

        priya = Nominator(tg, tg.user(5302, "Priya"))
        assert shown(await priya.say(f"/start nominee-{token}")) == texts.APPROVAL_UNKNOWN_LINK
        opened = shown(await priya.say(f"/start nominee-{fresh.group(1)}"))
        assert texts.APPROVAL_QUESTION in opened
