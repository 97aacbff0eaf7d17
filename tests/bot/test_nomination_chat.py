"""A nominator completes a nomination through the real bot, the fake Bot API and real email.

Each test runs the real python-telegram-bot Application (wired by `bot.app.open_telegram_bot`, as
`python -m bot` builds it) against the strict fake Bot API, with a real SQLite file; the
`tg` fixture fails a test that left a button spinning, sent oversized callback data or had any
request refused by the fake.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.config import Settings
from bot.screens import texts
from flows.engine import word_count
from flows.form import load_form
from flows.state import Status
from tests.kit.fake_telegram import FakeTelegram
from tests.kit.mailkit import SmtpServer, parse, text_body, wait_for_messages
from tests.kit.nominator import (
    DETAILS,
    NOMINEE,
    ORGANISERS,
    REFERENCE,
    RELATIONSHIP,
    STEPS_INDIVIDUAL,
    MakeSettings,
    Nominator,
    last,
    messages,
    running_bot,
    shown,
)

FORM = load_form()
NOMINATOR_EMAIL = DETAILS[5]

Q1_PARTS = (
    "Priya redesigned discharge planning on Ward 7 and ran a daily huddle at 9am.",
    "She coached three junior sisters to lead the huddles themselves.",
    "The model is now used on four other wards across the trust.",
)
Q1_PART2_EDITED = "She coached five junior sisters and two charge nurses to lead the huddles."
# Award answers need the form's 25 words; this sentence makes a short one long enough.
FILLER = (
    "It changed how the whole ward works, and patients, families and staff all say that "
    "they can see and feel the difference every single day."
)
Q2 = f"Length of stay fell from 6.1 to 4.9 days; delayed discharges halved. {FILLER}"
Q2_CHANGED = (
    "Length of stay fell by 1.2 days (audit, April–September), and readmissions did not rise. "
    "The audit team checked every figure twice before the report went to the trust board."
)
Q3 = f"She ran two focus groups with patients' families and acted on what they said. {FILLER}"
Q4 = f"She chairs the staff race equality network and mentors two overseas nurses. {FILLER}"


async def fill_details(nominator: Nominator) -> None:
    """From the nominee's name to the first award question (consent now comes last)."""
    await nominator.say_all(*DETAILS)
    await nominator.say("/skip")  # the phone number is optional
    await nominator.say(RELATIONSHIP)


def hint_lines(field_id: str) -> list[str]:
    """What the examples screen must say for a question: the form's words, unchanged."""
    form_field = FORM.field(field_id)
    assert form_field.hints_intro is not None
    return [form_field.hints_intro, *(f"• {hint}" for hint in form_field.hints)]


def assert_hints_shown(replies_text: str, field_id: str) -> None:
    number = FORM.field(field_id).number
    assert texts.HINTS_TITLE.format(number=number) in replies_text
    for line in hint_lines(field_id):
        assert line in replies_text.split("\n\n"), f"{field_id} hint missing: {line!r}"


def step(n: int, nominee: str | None = None) -> str:
    """A question's heading; once the nominee is named, it says whose nomination it is."""
    where = f"Step {n} of {STEPS_INDIVIDUAL}"
    return f"Nomination for {nominee} · {where}" if nominee else where


async def test_a_full_nomination_with_buttons_and_commands(
    tg: FakeTelegram, settings: Settings, tmp_path: Path
) -> None:
    async with running_bot(settings) as services:
        jo = Nominator(tg, tg.user(1001, "Jo"))

        # Welcome: the award's title, its introduction, one button.
        (welcome,) = await jo.say("/start")
        assert welcome.text.startswith(FORM.title)
        for paragraph in FORM.introduction:  # the whole introduction, word for word
            assert paragraph in welcome.text
        assert welcome.buttons == [texts.START_BUTTON]

        # A press asks the first step.
        (question,) = await jo.tap(texts.START_BUTTON)
        assert question.text.startswith(step(1))
        assert question.buttons == ["An individual", "A team"]  # nothing to review yet

        replies = await jo.tap("An individual")
        assert last(replies).text.startswith(step(2))
        assert "What is the nominee's full name?" in last(replies).text

        # Details typed, one step each; the optional phone skipped with /skip.
        for number, answer in enumerate(DETAILS, start=2):
            (reply,) = await jo.say(answer)
            assert reply.text.startswith(step(number + 1, NOMINEE)), reply.text
        (reply,) = await jo.say("/skip")
        assert reply.text.startswith(step(9, NOMINEE))
        assert "How do you know the nominee?" in reply.text
        # The award questions come next (consent is asked last), starting with the guidance.
        (q1,) = await jo.say(RELATIONSHIP)
        assert FORM.guidance in q1.text
        assert "Question 1 of 4" in q1.text
        assert FORM.field("q1").prompt in q1.text
        assert q1.button_rows[0] == [texts.BUTTON_HINTS, texts.BUTTON_DONE]

        # Examples by button: the question keeps its keyboard (no edit), the examples follow.
        (hints,) = await jo.tap(texts.BUTTON_HINTS)
        assert hints.kind == "message"
        assert_hints_shown(hints.text, "q1")
        assert tg.chat(jo.user.chat_id).messages[q1.message_id].reply_markup is not None

        # An answer over three messages, with the running word count after each.
        part_ids = []
        for count, part in enumerate(Q1_PARTS, start=1):
            (saved,) = await jo.say(part)
            part_ids.append(jo.sent[-1]["message_id"])
            words = word_count("\n\n".join(Q1_PARTS[:count]))
            assert saved.text.startswith(f"Saved: {words} of 500 words so far."), saved.text

        (q2,) = await jo.say("/done")
        assert "Question 2 of 4" in q2.text and FORM.field("q2").prompt in q2.text
        (hints,) = await jo.say("/hints")
        assert_hints_shown(hints.text, "q2")
        await jo.say(Q2)

        # /back shows Q1 again with everything said so far; Done keeps it and moves on.
        (back,) = await jo.say("/back")
        assert "Question 1 of 4" in back.text
        assert "\n\n".join(Q1_PARTS) in back.text
        (again,) = await jo.say("/done")
        assert "Question 2 of 4" in again.text and Q2 in again.text
        (q3,) = await jo.say("/done")
        assert "Question 3 of 4" in q3.text

        (hints,) = await jo.tap(texts.BUTTON_HINTS)
        assert_hints_shown(hints.text, "q3")
        await jo.say(Q3)

        # /review before the end: Q4 is outstanding, and a button goes straight to it.
        replies = await jo.say("/review")
        review = shown(replies)
        assert "Before you can submit:" in review and "• Q4: not answered yet" in review
        replies = await jo.tap("Go to: Q4")
        assert "Question 4 of 4" in last(replies).text
        (hints,) = await jo.say("/hints")
        assert_hints_shown(hints.text, "q4")
        await jo.say(Q4)
        # Gone to from the review while unanswered: on to the next unanswered question, the
        # declaration and consent, which come last, just before Submit (issue 16).
        replies = await jo.say("/done")
        assert FORM.field("consent").prompt in last(replies).text
        await jo.tap(texts.BUTTON_YES)

        # Editing a sent message changes the answer it gave.
        (revised,) = await jo.edit(part_ids[1], Q1_PART2_EDITED)
        q1_now = "\n\n".join((Q1_PARTS[0], Q1_PART2_EDITED, Q1_PARTS[2]))
        assert revised.text == (
            f"Your edit is saved. {FORM.field('q1').label} now has {word_count(q1_now)} words."
        )

        replies = await jo.say("/review")
        review = shown(replies)
        assert q1_now in review
        assert Q1_PARTS[1] not in review
        for answer in (*DETAILS[:3], "Jo Bloggs", NOMINATOR_EMAIL, RELATIONSHIP, Q2, Q3, Q4):
            assert answer in review
        assert "Nominator's phone: Not given" in review
        assert "Consent to share: Yes" in review
        assert last(replies).buttons[0] == texts.SUBMIT_BUTTON
        assert "Change: Q2" in last(replies).buttons

        # Change Q2 from the review: the first message replaces the answer (it says so, and
        # offers Add to it instead); Done returns to the review.
        replies = await jo.tap("Change: Q2")
        assert Q2 in last(replies).text
        assert texts.REPLACING in last(replies).text
        assert texts.BUTTON_ADD_TO in last(replies).buttons
        (saved,) = await jo.say(Q2_CHANGED)
        assert saved.text.startswith(f"Saved: {word_count(Q2_CHANGED)} of 500 words so far.")
        replies = await jo.say("/done")
        review = shown(replies)
        assert review.startswith(texts.REVIEW_TITLE.split("{")[0])
        assert Q2_CHANGED in review and Q2 not in review

        # And a detail, changed with a typed answer, comes straight back to the review too.
        replies = await jo.tap("Change: Organisation")
        assert "Your current answer: Leeds Teaching Hospitals NHS Trust" in last(replies).text
        replies = await jo.say("Leeds Community Healthcare NHS Trust")
        assert "Organisation: Leeds Community Healthcare NHS Trust" in shown(replies)

        replies = await jo.tap(texts.SUBMIT_BUTTON)
        confirmation = last(replies)
        match = REFERENCE.search(confirmation.text)
        assert match is not None, confirmation.text
        reference = match.group()
        assert texts.SUBMITTED in confirmation.text
        # No SMTP here: the emails are files, and the screen says so rather than "on its way".
        folder = settings.mail_outbox_dir
        assert texts.TRIAL_SUBMITTED.format(folder=folder) in confirmation.text
        assert confirmation.buttons == []

        record = await services.store.get(reference)
        assert record is not None and record.state.status is Status.SUBMITTED
        assert record.state.answer("q1") == q1_now
        assert await jo.draft(services) is None

        report = await services.worker.run_once()
        assert report.sent == 2

    emails = {p.name.removeprefix(f"{reference}-"): p for p in (tmp_path / "outbox").glob("*.eml")}
    assert set(emails) == {"organisers.eml", "nominator.eml"}
    organisers = parse(emails["organisers.eml"].read_bytes())
    body = text_body(organisers)
    assert q1_now in body and Q1_PARTS[1] not in body
    assert Q2_CHANGED in body and Q2 not in body
    for answer in (Q3, Q4, "Leeds Community Healthcare NHS Trust"):
        assert answer in body


# Answers awkward for HTML, email and Telegram alike, each typed as the user would.
AWKWARD = {
    "q1": (
        "<b>not bold</b> & &amp; \"quoted\" 'single' a < b > c 😀 👩🏽‍⚕️ 🏴󠁧󠁢󠁳󠁣󠁴󠁿 🇬🇧",
        "Line one of the second part\nline two, after a single break",
    ),
    "q2": ("مرحبا بالعالم — التحسين المستمر\nשלום עולם, שיפור מתמיד", FILLER),
    "q3": ("Focus groups: 3; surveys: 120 responses (89% satisfied).", FILLER),
    "q4": ("She chairs the staff race equality network.", FILLER),
}


async def test_organisers_and_nominator_receive_the_email_over_smtp(
    tg: FakeTelegram, make_settings: MakeSettings, smtp_server: SmtpServer
) -> None:
    # The email check (with SMTP, on by default) has its own end-to-end tests in
    # test_email_check.py; here the emails themselves are the point.
    settings = make_settings(
        smtp_host="127.0.0.1", smtp_port=smtp_server.port, verify_nominator_email=False
    )
    async with running_bot(settings) as services:
        stop = asyncio.Event()
        worker = asyncio.create_task(services.worker.run(stop, idle_poll=0.2))
        try:
            sam = Nominator(tg, tg.user(1002, "Sam"))
            await sam.start_individual()
            await fill_details(sam)
            for parts in AWKWARD.values():
                for part in parts:
                    await sam.say(part)
                await sam.say("/done")
            await sam.tap(texts.BUTTON_YES)  # consent, asked last
            replies = await sam.tap(texts.SUBMIT_BUTTON)
            match = REFERENCE.search(last(replies).text)
            assert match is not None
            reference = match.group()
            await wait_for_messages(smtp_server, 2)
        finally:
            stop.set()
            await worker

    received = {tuple(r.rcpt_tos): r for r in smtp_server.handler.received}
    assert set(received) == {ORGANISERS, (NOMINATOR_EMAIL,)}
    organisers = received[ORGANISERS].message
    copy = received[(NOMINATOR_EMAIL,)].message
    assert [a.addr_spec for a in organisers["To"].addresses] == list(ORGANISERS)
    assert [a.addr_spec for a in copy["To"].addresses] == [NOMINATOR_EMAIL]
    assert NOMINEE in organisers["Subject"] and NOMINEE not in copy["Subject"]
    for message in (organisers, copy):
        assert reference in message["Subject"]
        body = text_body(message)
        for parts in AWKWARD.values():
            assert "\n\n".join(parts) in body
        for detail in (*DETAILS[:3], "Jo Bloggs", NOMINATOR_EMAIL, RELATIONSHIP):
            assert detail in body


async def test_a_restart_half_way_loses_nothing(tg: FakeTelegram, settings: Settings) -> None:
    sam = Nominator(tg, tg.user(1003, "Sam"))
    async with running_bot(settings):
        await sam.start_individual()
        await sam.say_all(*DETAILS[:4])  # name, role, organisation, "yes": now at step 6
        (asked,) = await sam.say("/status")
        assert step(6) in asked.text
    assert len(tg.calls("setMyCommands")) == 1  # each start registers the commands once

    async with running_bot(settings) as services:
        (welcome,) = await sam.say("/start")
        assert welcome.buttons == [
            texts.CONTINUE_BUTTON.format(progress=step(6)),
            texts.LIST_BUTTON,
        ]
        replies = await sam.tap(welcome.buttons[0])
        question = last(replies)
        assert question.text.startswith(step(6, NOMINEE))
        assert FORM.field("nominator_name").prompt in question.text
        await sam.say_all(*DETAILS[4:])
        await sam.say("/skip")
        await sam.say(RELATIONSHIP)
        await sam.say(AWKWARD["q1"][0])

        draft = await sam.draft(services)
        assert draft is not None
        assert [draft.answer(f) for f in ("nominee_name", "nominee_role")] == list(DETAILS[:2])
        assert draft.answer("nominee_aware") == "yes"
        assert draft.position == "q1"
    assert len(tg.calls("setMyCommands")) == 2

    # Restarted again in the middle of a long answer: the answer so far is shown with Q1.
    async with running_bot(settings) as services:
        (welcome,) = await sam.say("/start")
        assert welcome.buttons == [
            texts.CONTINUE_BUTTON.format(progress="Question 1 of 4"),
            texts.LIST_BUTTON,
        ]
        replies = await sam.tap(welcome.buttons[0])
        assert "Question 1 of 4" in last(replies).text
        assert texts.CURRENT_ANSWER in last(replies).text
        assert AWKWARD["q1"][0] in last(replies).text
        (saved,) = await sam.say(AWKWARD["q1"][1])
        assert saved.text.startswith("Saved: ")
        draft = await sam.draft(services)
        assert draft is not None
        assert draft.answer("q1") == "\n\n".join(AWKWARD["q1"])
        review = shown(await sam.say("/review"))
        for answer in (*DETAILS[:3], *DETAILS[4:], RELATIONSHIP, "\n\n".join(AWKWARD["q1"])):
            assert answer in review
        assert "Nominee knows: Yes" in review


async def test_buttons_from_earlier_messages_change_nothing(
    tg: FakeTelegram, settings: Settings
) -> None:
    async with running_bot(settings) as services:
        kim = Nominator(tg, tg.user(1004, "Kim"))
        await kim.say("/start")
        await kim.tap(texts.START_BUTTON)
        (first_question,) = await kim.say("individual")  # typed: its buttons stay on step 1
        assert first_question.text.startswith(step(2))
        step_one = messages(tg.chat(kim.user.chat_id).events)[1]
        assert step_one.text.startswith(step(1)) and "An individual" in step_one.buttons
        await kim.say_all(*DETAILS[:2])
        before = await kim.draft(services)

        # "A team" on step 1, pressed at step 4: said to be old, then shown where Kim is.
        replies = await kim.tap("A team", message_id=step_one.message_id, expect=2)
        stale, here = replies
        assert stale.text == texts.STALE_BUTTON
        assert here.text.startswith(step(4, NOMINEE))
        assert await kim.draft(services) == before

        # A button of the review, pressed after the nomination was sent, does nothing to a new one.
        await kim.say_all(*DETAILS[2:])
        await kim.say("/skip")
        await kim.say(RELATIONSHIP)
        await kim.answer_questions({k: " ".join(v) for k, v in AWKWARD.items()})
        replies = await kim.tap(texts.BUTTON_YES)  # consent, asked last
        old_review = last(replies)
        assert old_review.buttons[0] == texts.SUBMIT_BUTTON
        q1_saved = next(
            r for r in messages(tg.chat(kim.user.chat_id).events) if r.text.startswith("Saved:")
        )
        assert q1_saved.buttons == [texts.BUTTON_DONE, texts.BUTTON_CLEAR]
        await kim.say("/review")  # a second review; its Submit is the one pressed
        await kim.tap(texts.SUBMIT_BUTTON)
        (sent,) = await services.store.submitted()

        # With no draft: the old review's button says the nomination was sent, and does nothing.
        replies = await kim.tap("Change: Q1", message_id=old_review.message_id)
        assert last(replies).text == texts.STALE_SUBMITTED
        assert await kim.draft(services) is None

        # With a new draft: an old Done acts on its own nomination, which was sent, so it says
        # so, and never touches the draft that is current now.
        await kim.say("/start")
        await kim.tap(texts.START_BUTTON)
        fresh = await kim.draft(services)
        assert fresh is not None and fresh.reference != sent.state.reference
        # Only the nominator's own details, carried over from the last one (issue 16).
        assert set(fresh.answers) == {"nominator_name", "nominator_email"}
        (reply,) = await kim.tap(texts.BUTTON_DONE, message_id=q1_saved.message_id)
        assert reply.text == texts.STALE_SUBMITTED
        assert await kim.draft(services) == fresh
        record = await services.store.get(sent.state.reference)
        assert record is not None and record.state == sent.state
