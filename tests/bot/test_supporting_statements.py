"""Supporting statements from colleagues, through the real Application, the strict fake Bot API
and a real SMTP server: the nominator asks for a link, a colleague opens it, answers and sends;
the organisers get the statement (on its own email, or on the nomination's); the nominator is
told without seeing it. A link works once, a cancelled one not at all, and a guessed one tells
nothing; a nomination takes SUPPORT_MAX statements."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.app import Services
from bot.screens import texts
from flows.state import Confirmation
from tests.kit.fake_telegram import FakeTelegram
from tests.kit.mailkit import SmtpServer, text_body, wait_for_messages
from tests.kit.nominator import (
    DETAILS,
    NOMINEE,
    ORGANISERS,
    REFERENCE,
    RELATIONSHIP,
    MakeSettings,
    Nominator,
    last,
    messages,
    running_bot,
    shown,
)

FILLER = (
    "It changed how the whole ward works, and patients, families and staff all say that "
    "they can see and feel the difference every single day."
)
ANSWERS = [f"Question {n} answer. {FILLER}" for n in range(1, 5)]
NOMINATOR_EMAIL = DETAILS[5]
LINK = re.compile(r"https://t\.me/nomination_test_bot\?start=support-([A-Za-z0-9_-]+)")
STATEMENT = "Priya turned our discharge lounge around; waits fell by half in six months."
ORGANISER_ID = 5001
ASK = texts.SUPPORT_ASK_BUTTON.format(nominee=NOMINEE)


@asynccontextmanager
async def delivering(services: Services) -> AsyncIterator[None]:
    stop = asyncio.Event()
    worker = asyncio.create_task(services.worker.run(stop, idle_poll=0.2))
    try:
        yield
    finally:
        stop.set()
        await worker


async def to_review(jo: Nominator) -> None:
    await jo.start_individual()
    await jo.say_all(*DETAILS)
    await jo.say("/skip")  # the phone number is optional
    await jo.say(RELATIONSHIP)
    for answer in ANSWERS:
        await jo.say(answer)
        await jo.say("/done")
    await jo.tap(texts.BUTTON_YES)  # consent, asked last


async def ask_for_link(jo: Nominator) -> str:
    await jo.say("/support")
    match = LINK.search(shown(await jo.tap(ASK)))
    assert match is not None
    return match.group(1)


async def write_statement(kim: Nominator, token: str) -> str:
    """Open the link and answer every step; returns what the review showed."""
    await kim.say(f"/start support-{token}")
    await kim.say_all("Kim Lee", "Matron", "I was her matron for three years")
    await kim.say(STATEMENT)
    return shown(await kim.tap(texts.BUTTON_DONE))


async def test_a_statement_for_a_sent_nomination_is_emailed_and_its_link_works_once(
    tg: FakeTelegram, make_settings: MakeSettings, smtp_server: SmtpServer
) -> None:
    settings = make_settings(
        smtp_host="127.0.0.1", smtp_port=smtp_server.port, verify_nominator_email=False
    )
    async with running_bot(settings) as services, delivering(services):
        jo = Nominator(tg, tg.user(5001, "Jo"))
        await to_review(jo)
        match = REFERENCE.search(last(await jo.tap(texts.SUBMIT_BUTTON)).text)
        assert match is not None
        reference = match.group()
        await wait_for_messages(smtp_server, 2)
        token = await ask_for_link(jo)
        assert len(token) >= 16  # 96 random bits

        # Opened by Jo herself, the link says it is for a colleague, and stays open.
        assert shown(await jo.say(f"/start support-{token}")) == texts.SUPPORT_OWN_LINK

        # The colleague sees the nominee's name, role and organisation and Jo's first name only.
        kim = Nominator(tg, tg.user(5002, "Kim"))
        opened = shown(await kim.say(f"/start support-{token}"))
        for shown_detail in (NOMINEE, DETAILS[1], DETAILS[2], "Jo has nominated"):
            assert shown_detail in opened
        for private in (*ANSWERS, "Bloggs", NOMINATOR_EMAIL, RELATIONSHIP, reference):
            assert private not in opened
        assert f"Supporting statement for {NOMINEE} · Step 1 of 4" in opened
        # Jo opening it now is told the truth: a colleague has it (it no longer "still works").
        assert shown(await jo.say(f"/start support-{token}")) == texts.SUPPORT_OWN_LINK_TAKEN

        await kim.say_all("Kim Lee", "Matron", "I was her matron for three years")
        # Over the limit, as for a nomination's answer: kept, counted, and not sendable.
        too_long = shown(await kim.say("word " * 301))
        assert "That is 1 word over the 300-word limit. Your answer is kept." in too_long
        blocked = shown(await kim.tap(texts.BUTTON_DONE))
        assert texts.SUPPORT_SEND_BUTTON not in kim.user.buttons()
        assert texts.STATEMENT_BLOCKED in blocked
        await kim.say("/back")  # from the review, back to the statement
        asked = shown(await kim.tap(texts.BUTTON_CLEAR))  # Start again asks first
        assert texts.CONFIRM[Confirmation.CLEAR].format(words=301, label="Statement") in asked
        await kim.tap(texts.CONFIRM_YES[Confirmation.CLEAR])
        await kim.say(STATEMENT)
        review = shown(await kim.tap(texts.BUTTON_DONE))
        assert STATEMENT in review and "Your role: Matron" in review
        await kim.tap(texts.CHANGE_BUTTON.format(label="Your role"))
        assert "Your role: Senior Matron" in shown(await kim.say("Senior Matron"))
        sent = shown(await kim.tap(texts.SUPPORT_SEND_BUTTON))
        assert sent == texts.SUPPORT_SENT.format(nominee=NOMINEE)

        told = shown(await jo.settle(1))
        assert told == texts.SUPPORT_ARRIVED.format(nominee=NOMINEE, reference=reference)
        await wait_for_messages(smtp_server, 3)
        assert shown(await jo.say(f"/start support-{token}")) == texts.SUPPORT_OWN_LINK_SENT

        # Kim's /mydata holds what the bot keeps about her: her statement, and nothing of Jo's.
        (caption,) = messages(await kim.say("/mydata"))
        assert caption.text == texts.MY_DATA_CAPTION.format(held="1 supporting statement(s)")
        held = json.loads(tg.documents[-1].content)
        assert held["you"] == kim.key and held["nominations"] == []
        (statement_held,) = held["supporting_statements"]
        assert statement_held["nominee"] == NOMINEE and statement_held["status"] == "sent"
        written = {a["field"]: a["answer"] for a in statement_held["answers"]}
        assert written == {
            "name": "Kim Lee",
            "role": "Senior Matron",
            "relationship": "I was her matron for three years",
            "statement": STATEMENT,
        }
        for private in (*ANSWERS, NOMINATOR_EMAIL, reference, "Bloggs"):
            assert private not in tg.documents[-1].content.decode()

        # Used: neither the colleague again nor anyone else gets in; a guess is told the same.
        sam = Nominator(tg, tg.user(5003, "Sam"))
        for someone, payload in (
            (kim, f"support-{token}"),
            (sam, f"support-{token}"),
            (sam, "support-AAAAAAAAAAAAAAAA"),
            (sam, "support-"),
        ):
            assert shown(await someone.say(f"/start {payload}")) == texts.SUPPORT_UNKNOWN_LINK

        # A forged button naming Jo's sent nomination tells Sam no more than a made-up one.
        await sam.say("/start")
        code = reference.rsplit("-", 1)[1]
        replies = []
        for forged in (f"{code}:R:S:", "ZZZZZZ:R:S:", f"{code}:-:v:", "ZZZZZZ:-:v:"):
            await sam.user.press_data(forged)
            replies.append(shown(await sam.settle(1)))
        assert replies[0] == replies[1] and replies[2] == replies[3]
        assert replies[0] == replies[2] == texts.STALE_GONE

    statements = [
        r.message
        for r in smtp_server.handler.received
        if r.message["Subject"] == f"Supporting statement for {reference}"
    ]
    assert len(statements) == 1
    (statement,) = statements
    assert [a.addr_spec for a in statement["To"].addresses] == list(ORGANISERS)
    body = text_body(statement)
    for said in (STATEMENT, "Kim Lee", "Senior Matron", "I was her matron for three years"):
        assert said in body
    assert statement["X-Nomination-Reference"] == reference


async def test_a_statement_for_a_draft_goes_with_its_email_and_links_can_be_cancelled(
    tg: FakeTelegram, make_settings: MakeSettings, smtp_server: SmtpServer
) -> None:
    settings = make_settings(
        smtp_host="127.0.0.1",
        smtp_port=smtp_server.port,
        verify_nominator_email=False,
        support_max=1,
        organiser_telegram_ids=[ORGANISER_ID],
    )
    organiser = Nominator(tg, tg.user(ORGANISER_ID, "Olu", chat_exists=True))
    async with running_bot(settings) as services, delivering(services):
        jo = Nominator(tg, tg.user(6001, "Jo"))
        await to_review(jo)
        cancelled = await ask_for_link(jo)
        # One statement per nomination here: a second live link is refused.
        assert shown(await jo.tap(ASK)) == texts.SUPPORT_LIMIT.format(maximum=1)
        listing = shown(await jo.say("/mynominations"))
        assert "or cancel a link, send /support." in listing
        await jo.say("/support")
        revoked = shown(await jo.tap(texts.SUPPORT_REVOKE_BUTTON.format(number=1, nominee=NOMINEE)))
        assert revoked.startswith("Link cancelled.")

        # Kim is half-way through her own nomination: the statement leaves it untouched.
        kim = Nominator(tg, tg.user(6002, "Kim"))
        await kim.start_individual()
        await kim.say("Sam Patel")
        own = await kim.draft(services)
        assert own is not None
        gone = shown(await kim.say(f"/start support-{cancelled}"))
        assert gone == texts.SUPPORT_UNKNOWN_LINK

        token = await ask_for_link(jo)  # a cancelled link no longer counts
        review = await write_statement(kim, token)
        assert STATEMENT in review
        assert await kim.draft(services) == own
        await kim.tap(texts.SUPPORT_SEND_BUTTON)
        assert NOMINEE in shown(await jo.settle(1))
        # Her typing goes to her own nomination again.
        await kim.say("Ward Sister")
        after = await kim.draft(services)
        assert after is not None and after.answer("nominee_role") == "Ward Sister"

        await jo.say("/review")
        match = REFERENCE.search(last(await jo.tap(texts.SUBMIT_BUTTON)).text)
        assert match is not None
        await wait_for_messages(smtp_server, 2)
        # Resent, the organisers' email carries the statement as it did at submission.
        await organiser.say(f"/resend {match.group()}", expect=2)
        await wait_for_messages(smtp_server, 3)

    *submitted, resent = smtp_server.handler.received
    received = {tuple(r.rcpt_tos): r.message for r in submitted}
    first, copy = received[ORGANISERS], received[(NOMINATOR_EMAIL,)]
    assert tuple(resent.rcpt_tos) == ORGANISERS
    assert resent.message["Subject"].startswith("Resent: ")
    for organisers in (first, resent.message):
        files = {part.get_filename(): part for part in organisers.iter_attachments()}
        attached = files["Supporting statement 1.txt"].get_content()
        assert STATEMENT in attached and "Kim Lee" in attached and match.group() in attached
    assert STATEMENT not in text_body(copy)
    assert not list(copy.iter_attachments())
