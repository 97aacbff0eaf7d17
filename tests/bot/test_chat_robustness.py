"""The bot under awkward use: groups, hostile text, photos, commands, flood control, concurrency.

Like test_nomination_chat.py, each test drives the real Application against the strict fake Bot
API; the `tg` fixture fails a test on any refused request, unanswered callback query or oversized
callback data.
"""

from __future__ import annotations

import asyncio
import re

from bot.config import Settings
from bot.screens import texts
from bot.telegram.html import screen_messages
from flows import engine
from flows.effects import Problem
from flows.engine import word_count
from flows.events import GoToReview
from flows.form import load_form
from flows.state import NominationState
from tests.kit.fake_telegram import FakeTelegram, Reply, parse_html, utf16_length
from tests.kit.mailkit import SmtpServer, parse, text_body
from tests.kit.nominator import (
    DETAILS,
    REFERENCE,
    MakeSettings,
    Nominator,
    last,
    messages,
    running_bot,
    shown,
)

FORM = load_form()

BOT_LINK = "https://t.me/nomination_test_bot?start=nominate"


def quoted(reply: Reply) -> list[str]:
    """The text of each blockquote in a message, as the user sees it."""
    units = reply.text.encode("utf-16-le")
    return [
        units[2 * e["offset"] : 2 * (e["offset"] + e["length"])].decode("utf-16-le")
        for e in reply.entities
        if e["type"] == "blockquote"
    ]


def assert_pieces_make(pieces: list[str], text: str) -> None:
    """`pieces`, in order, are all of `text`, cut only where it has whitespace."""
    at = 0
    for piece in pieces:
        found = text.find(piece, at)
        assert found >= 0, f"{piece[:60]!r}… is not next in the answer"
        assert not text[at:found].strip(), f"skipped {text[at:found][:60]!r}"
        at = found + len(piece)
    assert not text[at:].strip(), f"left out {text[at:][:60]!r}"


async def test_groups_get_a_private_chat_link_and_nothing_is_stored(
    tg: FakeTelegram, settings: Settings
) -> None:
    async with running_bot(settings) as services:
        ward = tg.group(title="Ward 7 team")
        alex = tg.user(2001, "Alex")

        await ward.send(alex, "/start")
        await tg.wait_idle()
        (refusal,) = ward.unread()
        assert refusal.text == texts.GROUP_REFUSED.format(link=BOT_LINK)
        assert refusal.reply_markup == {
            "inline_keyboard": [[{"text": "Open a private chat", "url": BOT_LINK}]]
        }

        # Chatter, and a command meant for another bot, get no reply at all.
        await ward.send(alex, "Has anyone nominated Priya yet? She deserves it.")
        await ward.send(alex, "/start@some_other_bot")
        await tg.wait_idle(quiet=0.3)
        assert ward.unread() == []

        # A command addressed to this bot by name is refused the same way.
        await ward.send(alex, "/help@nomination_test_bot")
        await tg.wait_idle()
        assert [r.text for r in ward.unread()] == [refusal.text]

        assert await services.store.active_draft(Nominator(tg, alex).key) is None
        assert await services.store.count_by_status() == {
            "draft": 0,
            "submitted": 0,
            "withdrawn": 0,
        }
        assert alex.user_id not in tg.chats  # nothing went to Alex privately either

        # Following the link opens the private chat with "/start nominate": the usual welcome.
        (welcome,) = await Nominator(tg, alex).say("/start nominate")
        assert welcome.buttons == [texts.START_BUTTON]


# A 4000-UTF-16-unit paragraph of everything HTML, emoji and bidirectional text can trip on.
HOSTILE_UNIT = "<b>not bold</b>&amp;\"q\"'s'<i>x</i>&lt;a>&#169;👩🏽‍⚕️🏴󠁧󠁢󠁳󠁣󠁴󠁿🇬🇧😀مرحبا־שלום‏ "  # one word


def hostile_paragraph(units: int = 4000) -> str:
    text = ""
    while utf16_length(text + HOSTILE_UNIT) <= units:
        text += HOSTILE_UNIT
    return text.rstrip()


HOSTILE_SHORT = '<b>Zoë</b> & "co" <script>x</script> &amp; 🇬🇧 مرحبا'
# Award answers need the form's 25 words; this sentence makes a short one long enough.
FILLER = (
    "It changed how the whole ward works, and patients, families and staff all say that "
    "they can see and feel the difference every single day."
)
HOSTILE_PARTS = (
    "Short opener: a < b > c && d; <tg-spoiler>not hidden</tg-spoiler> 👨‍👩‍👧‍👦",
    hostile_paragraph(),
    "Middle line\n\twith a tab, and   three spaces\nעברית בסוף",
    hostile_paragraph(3990),
    hostile_paragraph(),
    hostile_paragraph(2500),
)


async def test_hostile_text_is_shown_exactly_as_typed_within_telegram_limits(
    tg: FakeTelegram, settings: Settings
) -> None:
    q1 = "\n\n".join(HOSTILE_PARTS)
    assert utf16_length(q1) > 3 * 4096
    assert word_count(q1) < 500  # still submittable
    async with running_bot(settings) as services:
        ali = Nominator(tg, tg.user(2002, "Ali"))
        await ali.start_individual()
        await ali.say(HOSTILE_SHORT)  # the nominee's name
        await ali.say_all(*DETAILS[1:])
        await ali.say("/skip")
        await ali.say(HOSTILE_SHORT[:100])  # the relationship
        for part in HOSTILE_PARTS:
            (saved,) = await ali.say(part)
            assert saved.text.startswith("Saved: ")
        await ali.say("/done")
        for field in ("q2", "q3", "q4"):
            await ali.say(f"{field}: {HOSTILE_SHORT} {FILLER}")
            await ali.say("/done")
        await ali.tap(texts.BUTTON_YES)  # consent, asked last

        # However busy the machine, wait for every part of the review, not just the first.
        draft = await ali.draft(services)
        assert draft is not None
        at_review = engine.handle(services.form, draft, GoToReview())
        parts = sum(
            len(screen_messages(screen))
            for screen in services.screens.render(at_review.state, at_review.effects)
        )
        replies = await ali.say("/review", expect=parts)
        review = messages(replies)
        assert len(review) <= 2  # a message or two, however long the answers
        for message in review:
            assert utf16_length(message.text) <= 4096
            assert parse_html(message.html).text.strip() == message.text
        assert f"Nominee: {HOSTILE_SHORT}" in review[0].text
        assert review[0].text.startswith("Check your nomination")
        assert review[-1].buttons[0] == texts.SUBMIT_BUTTON
        # Q1 is too long to show whole on the review (issue 12): its opening and a button.
        assert texts.REVIEW_SHORTENED.format(label="Q1") in shown(replies)
        for field in ("q2", "q3", "q4"):
            assert f"{field}: {HOSTILE_SHORT}" in shown(replies)

        # Shown in full on request, split the same careful way.
        full = messages(await ali.tap("Show Q1 in full"))
        for message in full:
            assert utf16_length(message.text) <= 4096
            assert parse_html(message.html).text.strip() == message.text
        assert_pieces_make([q for m in full for q in quoted(m)], q1)
        for part in (HOSTILE_PARTS[0], HOSTILE_PARTS[2]):
            assert any(part in m.text for m in full)

        # The question revisited shows the whole answer so far, split the same careful way.
        replies = await ali.tap("Change: Q1", message_id=review[-1].message_id)
        assert_pieces_make([q for m in messages(replies) for q in quoted(m)], q1)
        assert "Question 1 of 4" in shown(replies)
        await ali.say("/review")

        replies = await ali.tap(texts.SUBMIT_BUTTON)
        assert REFERENCE.search(last(replies).text)
        assert (await services.worker.run_once()).sent == 2

    (organisers,) = settings.mail_outbox_dir.glob("*-organisers.eml")
    body = text_body(parse(organisers.read_bytes()))
    assert q1 in body
    assert f"Nominee: {HOSTILE_SHORT}" in body


async def test_non_text_messages_and_bad_answers_are_explained_and_change_nothing(
    tg: FakeTelegram, settings: Settings
) -> None:
    async with running_bot(settings) as services:
        ana = Nominator(tg, tg.user(2003, "Ana"))
        await ana.start_individual()
        await ana.say_all(*DETAILS[:5])  # up to the email address
        before = await ana.draft(services)

        for send in (ana.send_sticker, ana.send_voice, ana.send_location, ana.send_contact):
            (reply,) = await send()
            assert reply.text == texts.NOT_TEXT
            assert reply.text.startswith("Please type your answer")
        # Photos and files are welcome at the award questions (issue 9), so away from them the
        # reply says where they go.
        for send in (ana.send_photo, ana.send_document):
            (reply,) = await send()
            assert reply.text == texts.FILE_NOT_HERE
        assert await ana.draft(services) == before

        (reply,) = await ana.say("/frobnicate")
        # No SMTP here, so no emailed code: the commands listed leave out its words (issue 16).
        assert reply.text == f"{texts.UNKNOWN_COMMAND}\n\n{texts.TELEGRAM_HELP_NO_CODES}"
        assert "/newcode" not in reply.text and "/newcode" in texts.TELEGRAM_HELP

        # Each error says what is wrong and how to fix it, then asks the question again, with
        # its buttons (Review included).
        email_prompt = FORM.field("nominator_email").prompt
        (reply,) = await ana.say("jo.bloggs at nhs dot net")
        assert reply.text.startswith(texts.PROBLEMS[Problem.BAD_EMAIL])
        assert email_prompt in reply.text and texts.BUTTON_REVIEW in reply.buttons
        (reply,) = await ana.say("/skip")
        assert reply.text.startswith(texts.PROBLEMS[Problem.CANNOT_SKIP])
        assert email_prompt in reply.text and texts.BUTTON_REVIEW in reply.buttons
        assert await ana.draft(services) == before

        await ana.say(DETAILS[5])
        (reply,) = await ana.say("call me on the ward")
        phone = FORM.field("nominator_phone")
        assert reply.text.startswith(str(phone.pattern_error))
        assert phone.prompt in reply.text and texts.BUTTON_SKIP in reply.buttons
        # A UK number with spaces and an extension is a phone number.
        (reply,) = await ana.say("0113 243 3144 ext 5521")
        assert FORM.field("nominator_relationship").prompt in reply.text
        await ana.say("/back")
        await ana.say("07700 900123")
        await ana.say("Colleague")

        # At an award question: nothing typed yet, so Done explains; a photo changes nothing.
        (reply,) = await ana.say("/done")
        assert reply.text.startswith(texts.EMPTY_LONG.format(label="Q1"))
        assert FORM.field("q1").prompt in reply.text
        await ana.say("First part of the answer.")
        at_q1 = await ana.draft(services)
        (reply,) = await ana.send_voice()
        assert reply.text == texts.NOT_TEXT
        assert await ana.draft(services) == at_q1

        # Back to the first step: a wrong choice lists the choices, with their buttons.
        await ana.say("/edit 1")
        (reply,) = await ana.say("a dog")
        options = "An individual, A team"
        assert reply.text.startswith(texts.PROBLEMS[Problem.NOT_AN_OPTION].format(options=options))
        assert reply.buttons[:2] == ["An individual", "A team"]
        assert texts.BUTTON_REVIEW in reply.buttons
        after = await ana.draft(services)
        assert after is not None and at_q1 is not None
        assert after.answers == at_q1.answers
        assert after.answer("nominator_phone") == "07700 900123"


async def test_pause_status_delete_and_help(tg: FakeTelegram, settings: Settings) -> None:
    async with running_bot(settings) as services:
        # Every command the bot advertises was registered at start-up, and each is understood.
        (commands,) = tg.commands.values()
        assert [(c["command"], c["description"]) for c in commands] == list(texts.TELEGRAM_COMMANDS)
        assert all(r.ok for r in tg.calls("setMyCommands"))

        lee = Nominator(tg, tg.user(2004, "Lee"))
        (reply,) = await lee.say("/status")
        assert reply.text == texts.NO_DRAFT
        (reply,) = await lee.say("/delete")
        assert reply.text == texts.NO_DRAFT

        (reply,) = await lee.say("/help")
        assert reply.text == texts.TELEGRAM_HELP_NO_CODES  # no SMTP here: no emailed code
        codes = {"newcode", "change_email", "skip_code"}
        for command, _ in texts.TELEGRAM_COMMANDS:
            assert (f"/{command} – " in reply.text) is (command not in codes), command

        await lee.start_individual()
        await lee.say_all(*DETAILS[:2])
        (reply,) = await lee.say("/cancel")
        assert reply.text == texts.PAUSED
        draft = await lee.draft(services)
        assert draft is not None and draft.position == "nominee_organisation"

        (reply,) = await lee.say("/status")
        assert reply.text == (
            f"Your nomination {draft.reference} is at Step 4 of 14. 3 of 14 answered."
        )

        (confirm,) = await lee.say("/delete")
        assert draft.reference in confirm.text
        assert confirm.buttons == [texts.DELETE_YES, texts.DELETE_NO]
        kept, question = await lee.tap(texts.DELETE_NO)
        assert kept.text == texts.DELETE_KEPT
        assert "organisation" in question.text  # "No, keep it" shows the question again
        assert await lee.draft(services) == draft

        await lee.say("/delete")
        (deleted,) = await lee.tap(texts.DELETE_YES)
        assert deleted.text == texts.DELETED
        assert await lee.draft(services) is None
        assert await services.store.get(draft.reference) is None

        (welcome,) = await lee.say("/start")
        assert welcome.buttons == [texts.START_BUTTON]

        # Every advertised command is understood (none falls through to "unknown command").
        for command, _ in texts.TELEGRAM_COMMANDS:
            for reply in await lee.say(f"/{command}"):
                assert texts.UNKNOWN_COMMAND not in reply.text, command


async def test_buttons_of_a_deleted_nomination_say_so_and_do_nothing(
    tg: FakeTelegram, settings: Settings
) -> None:
    async with running_bot(settings) as services:
        max_ = Nominator(tg, tg.user(2005, "Max"))
        await max_.start_individual()
        (first_confirm,) = await max_.say("/delete")
        await max_.say("/delete")
        await max_.tap(texts.DELETE_YES)  # on the second confirmation
        assert await max_.draft(services) is None

        # The first confirmation's "keep" must not claim the deleted nomination was kept,
        # and a button of the deleted nomination must not claim it was sent.
        replies = await max_.tap(texts.DELETE_NO, message_id=first_confirm.message_id)
        assert last(replies).text == texts.STALE_GONE
        step_two = messages(tg.chat(max_.user.chat_id).events)[2]
        assert step_two.buttons == [texts.BUTTON_BACK, texts.BUTTON_REVIEW]
        replies = await max_.tap(texts.BUTTON_REVIEW, message_id=step_two.message_id)
        assert last(replies).text == texts.STALE_GONE
        assert await max_.draft(services) is None
        assert await services.store.count_by_status() == {
            "draft": 0,
            "submitted": 0,
            "withdrawn": 0,
        }


async def test_a_double_tap_acts_once(tg: FakeTelegram, settings: Settings) -> None:
    async with running_bot(settings) as services:
        dee = Nominator(tg, tg.user(2010, "Dee"))
        await dee.say("/start")
        await dee.tap(texts.START_BUTTON)
        # Both taps reach the bot before it has answered the first.
        first = await dee.user.press("An individual")
        second = await dee.user.press("An individual")
        assert first.message_id == second.message_id
        (question,) = await dee.settle(expect=1)
        assert question.text.startswith("Step 2 of 14")
        assert second.answered and second.answer is not None
        assert second.answer.get("text") == texts.ALREADY_DONE
        draft = await dee.draft(services)
        assert draft is not None and draft.position == "nominee_name"


async def test_flood_control_is_waited_out(tg: FakeTelegram, settings: Settings) -> None:
    async with running_bot(settings):
        ray = Nominator(tg, tg.user(2006, "Ray"))
        tg.fail_next("sendMessage", retry_after=1)
        (welcome,) = await ray.say("/start")
        assert welcome.buttons == [texts.START_BUTTON]
        # The fake refuses a call made before retry_after is up, as Telegram does: a second
        # call that got through came after the wait.
        first, second = tg.calls("sendMessage")
        assert (first.status, first.requested_failure) == (429, True)
        assert second.ok and second.params["chat_id"] == ray.user.user_id


def numbered_parts(who: str, count: int) -> list[str]:
    return [
        f"{who} part {n:02d}: " + " ".join(f"{who.lower()}{n}w{i}" for i in range(30))
        for n in range(1, count + 1)
    ]


async def reach_q1(person: Nominator) -> None:
    await person.start_individual()
    await person.say_all(*DETAILS)
    await person.say("/skip")
    await person.say("Colleague")


async def test_one_users_messages_are_handled_in_order_and_users_never_mix(
    tg: FakeTelegram, settings: Settings
) -> None:
    async with running_bot(settings) as services:
        amy = Nominator(tg, tg.user(2007, "Amy"))
        ben = Nominator(tg, tg.user(2008, "Ben"))
        await reach_q1(amy)
        await reach_q1(ben)

        # Ten parts sent back to back, without waiting for the bot: saved in the order sent.
        amy_parts = numbered_parts("Amy", 10)
        for part in amy_parts:
            await amy.user.send(part)
        saved = await amy.settle(expect=10)
        counts = [int(m.group(1)) for r in saved if (m := re.match(r"Saved: (\d+) of", r.text))]
        assert counts == [word_count("\n\n".join(amy_parts[:n])) for n in range(1, 11)]
        draft = await amy.draft(services)
        assert draft is not None
        assert [p.text for p in draft.answers["q1"]] == amy_parts

        # Two people typing at once: each reply goes to its own chat, about its own answer.
        ben_parts = numbered_parts("Ben", 6)
        more_amy = numbered_parts("Amy2", 6)
        for mine, theirs in zip(more_amy, ben_parts, strict=True):
            await amy.user.send(mine)
            await ben.user.send(theirs)
        await asyncio.gather(amy.settle(expect=6), ben.settle(expect=6))
        await amy.say("/review")  # Amy's long answer: its opening, and a button to read it all
        amy_review = shown(await amy.tap("Show Q1 in full"))
        ben_review = shown(await ben.say("/review"))
        assert "\n\n".join(amy_parts + more_amy) in amy_review
        assert "\n\n".join(ben_parts) in ben_review

        amy_state, ben_state = await amy.draft(services), await ben.draft(services)
        assert isinstance(amy_state, NominationState) and isinstance(ben_state, NominationState)
        assert amy_state.reference != ben_state.reference
        for request in tg.calls("sendMessage"):
            text = request.params["text"]
            if request.params["chat_id"] == ben.user.chat_id:
                assert not re.search(r"Amy|amy\d", text) and amy_state.reference not in text
            else:
                assert not re.search(r"Ben|ben\d", text) and ben_state.reference not in text


async def test_organisers_hear_on_telegram_when_an_email_cannot_be_delivered(
    tg: FakeTelegram, make_settings: MakeSettings, smtp_server: SmtpServer
) -> None:
    organiser = tg.user(9001, "Organiser", chat_exists=True)
    settings = make_settings(
        smtp_host="127.0.0.1",
        smtp_port=smtp_server.port,
        organiser_telegram_ids=[9001],
        verify_nominator_email=False,  # so that the nominator's copy is sent (and fails) too
    )
    smtp_server.handler.reject_with = "550 5.7.1 Relaying denied"
    async with running_bot(settings) as services:
        eve = Nominator(tg, tg.user(2009, "Eve"))
        await reach_q1(eve)
        for field in ("q1", "q2", "q3", "q4"):
            await eve.say(f"{field}: {FILLER}")
            await eve.say("/done")
        await eve.tap(texts.BUTTON_YES)  # consent, asked last
        replies = await eve.tap(texts.SUBMIT_BUTTON)
        match = REFERENCE.search(last(replies).text)
        assert match is not None
        report = await services.worker.run_once()
        assert (report.sent, report.failed) == (0, 2)
        await tg.wait_idle()

    told = sorted(r.text for r in organiser.unread())
    reference = match.group()
    assert [text.split(":")[0] for text in told] == [
        f"Email for nomination {reference} (nominator) could not be delivered",
        f"Email for nomination {reference} (organisers) could not be delivered",
    ]
    for text in told:
        assert "550" in text and "nomination-bot outbox" in text
