"""Hostile input: over 200 messages, presses and updates nobody should send, against the real bot.

Each one gets a sensible reply or is ignored by design. The `tg` fixture fails the test on any
request the strict fake Bot API refused; `no_crashes` fails it on any update that reached the
error handler; and what was saved before stays saved.
"""

from __future__ import annotations

import logging
import os
import re
import time
from typing import Any

import pytest

from bot.app import Services
from bot.config import Settings
from bot.screens import texts
from flows.evidence import size_text
from flows.state import NominationState
from flows.text import typed
from tests.kit.fake_telegram import FakeTelegram, Reply
from tests.kit.nominator import DETAILS, Nominator, messages, running_bot
from tests.reliability import corpus

SAVED = re.compile(r"^Saved: ")
FIRST_QUESTION = "q1"


@pytest.fixture
def no_crashes(caplog: pytest.LogCaptureFixture) -> Any:
    """Fails the test if any update failed (the error handler logs each at ERROR)."""
    caplog.set_level(logging.ERROR)
    yield caplog
    failed = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert not failed, f"updates failed: {failed[:5]}"


async def at_first_question(alex: Nominator) -> None:
    await alex.start_individual()
    await alex.say_all(*DETAILS)
    await alex.say("/skip")
    await alex.say("Line manager")


async def stored(alex: Nominator, services: Services) -> NominationState:
    draft = await alex.draft(services)
    assert draft is not None
    return draft


async def type_each(alex: Nominator, inputs: list[str]) -> list[str]:
    """Send each input at the first long question; return those the bot said it saved."""
    saved = []
    for text in inputs:
        replies = messages(await alex.say(text))
        assert replies, f"no reply to {text[:40]!r}"
        if SAVED.match(replies[-1].text):
            saved.append(text)
    return saved


def as_stored(text: str) -> str:
    """How a typed part reads back: as typed, bar surrounding space, control characters and
    unpaired surrogates (flows.text.typed)."""
    return typed(text).strip()


async def test_hostile_texts_at_a_long_answer_are_saved_as_typed_or_refused(
    tg: FakeTelegram, settings: Settings, no_crashes: Any
) -> None:
    inputs = [
        *corpus.UNICODE_TROUBLE,
        *corpus.MARKUP_SPECIALS,
        *corpus.LONG_MESSAGES,
        *corpus.CRLF,
        *corpus.generated(900 if os.environ.get("SOAK") else 90),
    ]
    assert len(inputs) >= 150
    async with running_bot(settings) as services:
        # A fresh nominator for each batch, so that no answer reaches the word limit.
        saved_by: dict[Nominator, list[str]] = {}
        for n, start in enumerate(range(0, len(inputs), 30)):
            alex = Nominator(tg, tg.user(2000 + n, "Alex"), quiet=0.02)
            await at_first_question(alex)
            before = await stored(alex, services)
            saved_by[alex] = await type_each(alex, inputs[start : start + 30])
            after = await stored(alex, services)
            # The details given before are untouched, and every saved part is there, in order.
            assert {k: v for k, v in after.answers.items() if k != FIRST_QUESTION} == {
                k: v for k, v in before.answers.items() if k != FIRST_QUESTION
            }
            parts = [p.text for p in after.answers.get(FIRST_QUESTION, ())]
            assert [as_stored(p) for p in parts] == [as_stored(t) for t in saved_by[alex]]
    assert sum(len(s) for s in saved_by.values()) > len(inputs) // 2


async def test_commands_in_the_middle_of_answers_lose_nothing(
    tg: FakeTelegram, settings: Settings, no_crashes: Any
) -> None:
    async with running_bot(settings) as services:
        sam = Nominator(tg, tg.user(3001, "Sam"), quiet=0.02)
        await at_first_question(sam)
        await sam.say("The first part of my answer.")
        details = {k: v for k, v in (await stored(sam, services)).answers.items()}
        for command in corpus.COMMANDS:
            replies = messages(await sam.say(command))
            assert replies, f"no reply to {command!r}"
        draft = await stored(sam, services)
        # Typed commands move around or ask, but never drop an answer (delete asks first).
        for field_id, parts in details.items():
            if field_id != FIRST_QUESTION:
                assert draft.answers.get(field_id) == parts, field_id
        assert draft.answers[FIRST_QUESTION][0].text == "The first part of my answer."


def other_kinds(tg: FakeTelegram, chat_id: int) -> dict[str, dict[str, Any]]:
    """Message contents of every other kind Telegram delivers where text is expected, by kind."""
    old = next(iter(tg.chat(chat_id).messages.values()))
    return {
        "video note": {
            "video_note": {
                "file_id": "DQAC1",
                "file_unique_id": "AQAD1",
                "length": 240,
                "duration": 3,
            }
        },
        "poll": {
            "poll": {
                "id": "5001",
                "question": "Best ward?",
                "options": [
                    {"persistent_id": "p7", "text": "7", "voter_count": 0},
                    {"persistent_id": "p8", "text": "8", "voter_count": 0},
                ],
                "total_voter_count": 0,
                "is_closed": False,
                "is_anonymous": True,
                "type": "regular",
                "allows_multiple_answers": False,
                "allows_revoting": False,
                "members_only": False,
            }
        },
        "dice": {"dice": {"emoji": "🎲", "value": 4}},
        "animation": {
            "animation": {
                "file_id": "CgAC1",
                "file_unique_id": "AQAD2",
                "width": 320,
                "height": 240,
                "duration": 2,
            }
        },
        "audio": {"audio": {"file_id": "CQAC1", "file_unique_id": "AQAD3", "duration": 120}},
        "video": {
            "video": {
                "file_id": "BAAC1",
                "file_unique_id": "AQAD4",
                "width": 640,
                "height": 480,
                "duration": 5,
            }
        },
        "venue": {
            "venue": {
                "location": {"latitude": 51.5, "longitude": -0.1},
                "title": "Ward 7",
                "address": "1 Hospital Road",
            },
            "location": {"latitude": 51.5, "longitude": -0.1},
        },
        # A forward and a reply are text: at a long answer they are parts of it.
        "forward": {
            "text": FORWARDED,
            "forward_origin": {
                "type": "user",
                "date": int(time.time()) - 3600,
                "sender_user": {"id": 4242, "is_bot": False, "first_name": "Someone"},
            },
        },
        "reply": {"text": REPLIED, "reply_to_message": old.payload},
    }


FORWARDED = "A forwarded answer"
REPLIED = "A reply to an old message"

# At an award question a photo or document is supporting evidence, fetched from Telegram: like
# any file a real user sends, these exist on the (fake) server. Small, but of the right kind:
# Telegram sends every photo as a JPEG.
JPEG = b"\xff\xd8\xff\xe0" + bytes(64)
PDF = b"%PDF-1.4\n%hostile corpus\n%%EOF\n"


def only_message(replies: list[Reply], kind: str) -> str:
    """The text of the one new message a reply to `kind` must be."""
    found = messages(replies)
    assert len(found) == 1, f"{kind}: expected one reply, got {[r.text for r in found]}"
    return found[0].text


async def test_every_kind_of_message_gets_an_answer_and_changes_nothing(
    tg: FakeTelegram, settings: Settings, no_crashes: Any
) -> None:
    async with running_bot(settings) as services:
        kim = Nominator(tg, tg.user(4001, "Kim"), quiet=0.02)
        await at_first_question(kim)
        await kim.say("Saved before the odd messages.")
        before = await stored(kim, services)
        # Photos and documents are evidence for the question being answered.
        photo = only_message(await kim.send_photo(data=JPEG), "photo")
        captioned = await kim.send_photo(caption="a caption alone", data=JPEG + b"2")
        document = only_message(await kim.send_document(data=PDF), "document")
        assert photo.startswith(f"Saved photo.jpg ({size_text(len(JPEG))}) with Q1.")
        assert only_message(captioned, "captioned photo").startswith("Saved photo.jpg")
        assert document.startswith(f"Saved nomination.pdf ({size_text(len(PDF))}) with Q1.")
        # Everything else that is not text is asked to be typed instead.
        untyped = {
            "sticker": kim.send_sticker,
            "voice note": kim.send_voice,
            "location": kim.send_location,
            "contact": kim.send_contact,
        }
        for kind, send in untyped.items():
            assert only_message(await send(), kind) == texts.NOT_TEXT, kind
        contents = other_kinds(tg, kim.user.user_id)
        for kind, content in contents.items():
            await kim.user.send_content(content)
            reply = only_message(await kim.settle(), kind)
            if "text" in content:
                assert SAVED.match(reply), f"{kind}: {reply!r}"
            else:
                assert reply == texts.NOT_TEXT, f"{kind}: {reply!r}"
        after = await stored(kim, services)
        # The text kinds were added to the answer; nothing else changed.
        parts = [p.text for p in after.answers[FIRST_QUESTION]]
        assert parts == [p.text for p in before.answers[FIRST_QUESTION]] + [FORWARDED, REPLIED]
        assert {k: v for k, v in after.answers.items() if k != FIRST_QUESTION} == {
            k: v for k, v in before.answers.items() if k != FIRST_QUESTION
        }
        kept = await services.evidence.store.list_for(after.reference)
        assert [(f.name, f.caption) for f in kept] == [
            ("photo.jpg", "our ward"),
            ("photo.jpg", "a caption alone"),
            ("nomination.pdf", None),
        ]


async def test_a_flood_double_presses_made_up_buttons_and_strangers(
    tg: FakeTelegram, settings: Settings, no_crashes: Any
) -> None:
    async with running_bot(settings) as services:
        flo = Nominator(tg, tg.user(5001, "Flo"), quiet=0.05, timeout=20)
        await at_first_question(flo)
        flood = [f"flood part {n}" for n in range(1, 51)]
        for text in flood:  # 50 messages at once, without waiting for a reply
            await flo.user.send(text)
        await flo.settle(expect=50)
        draft = await stored(flo, services)
        assert [p.text for p in draft.answers[FIRST_QUESTION]] == flood

        # The same button twice, at once: acted on once.
        message_id = flo.user.last_message().message_id
        await flo.user.press(texts.BUTTON_DONE, message_id=message_id)
        await flo.user.press(texts.BUTTON_DONE, message_id=message_id)
        await flo.settle()
        moved = await stored(flo, services)
        assert moved.position == "q2"

        # Callback data the bot never sent, on its own latest message.
        for data in ["zzz", "x" * 64, "🙂", "nav:nowhere", "done:q99", "back", "0"]:
            await flo.user.press_data(data)
        await tg.wait_idle(5, quiet=0.1)
        assert (await stored(flo, services)).position == "q2"

        # Updates for chats the bot does not know: a channel post, a group, a member change.
        channel = {"id": -1009, "type": "channel", "title": "News"}
        tg.register_chat(channel)  # a bot gets a channel's posts only as a member of it
        tg.enqueue_update(
            {"channel_post": {"message_id": 1, "chat": channel, "date": 1, "text": "/start"}}
        )
        group = tg.group(-4242, title="Ward 7")
        await group.send(tg.user(5002, "Gus"), "hello bot")
        await group.send(tg.user(5002, "Gus"), "/start@nomination_test_bot")
        tg.enqueue_update(
            {
                "my_chat_member": {
                    "chat": channel,
                    "from": tg.user_dict(5003),
                    "date": 1,
                    "old_chat_member": {"status": "left", "user": tg.bot_user()},
                    "new_chat_member": {"status": "left", "user": tg.bot_user()},
                }
            }
        )
        await tg.wait_idle(5, quiet=0.1)
        # Still serving: the nominator carries on where they were.
        replies = messages(await flo.say("Still here."))
        assert SAVED.match(replies[-1].text)
