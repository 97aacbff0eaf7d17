"""The nominator's data through the real process and the strict fake Bot API: /mydata's JSON
document parsed back field by field, /privacy, and /delete naming the one draft it erases."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from bot.app import open_telegram_bot
from bot.jobs.retention import RetentionScheduler, RetentionSettings
from bot.screens import texts
from bot.services.my_data import MyData
from bot.telegram import TelegramOutput, serving
from bot.telegram.mydata import DataHandlers
from flows.form import load_form
from storage.clock import utc_now
from storage.db import SharedConnection, connect
from storage.purge import PurgeStore
from storage.types import NominationRecord
from tests.kit.fake_telegram import FakeTelegram
from tests.kit.nominator import (
    DETAILS,
    NOMINEE,
    RELATIONSHIP,
    MakeSettings,
    Nominator,
    messages,
    running_bot,
    shown,
)

OTHER = "Sam Patel"
STRANGERS_NOMINEE = "Zara Okonkwo"
AUDIT = b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"\n%%EOF\n"
Q1 = "She rebuilt the discharge checklist with the whole ward team."
FORM = load_form()


def when(text: Any) -> datetime:
    assert isinstance(text, str)
    at = datetime.fromisoformat(text)
    assert at.tzinfo is not None
    return at


def expected_answers(record: NominationRecord) -> list[dict[str, str]]:
    return [
        {"field": f.id, "label": f.label, "answer": f.display(record.state.answer(f.id))}
        for f in FORM.fields
        if record.state.answer(f.id) is not None
    ]


def check_nomination(entry: dict[str, Any], record: NominationRecord, nominee: str) -> None:
    assert set(entry) == {
        "reference",
        "status",
        "nominee",
        "started_at",
        "changed_at",
        "sent_at",
        "answers",
        "files",
        "versions",
    }
    assert entry["reference"] == record.state.reference
    assert entry["status"] == "draft"
    assert entry["nominee"] == nominee
    assert when(entry["started_at"]) == record.created_at
    assert when(entry["changed_at"]) == record.updated_at
    assert entry["sent_at"] is None
    assert entry["answers"] == expected_answers(record)
    # Without a versions table, one version: the nomination as it is now.
    (version,) = entry["versions"]
    assert version["version"] == 1
    assert when(version["at"]) == record.updated_at
    assert version["answers"] == entry["answers"]


async def test_mydata_sends_everything_held_and_nothing_of_anyone_else(
    tg: FakeTelegram, make_settings: MakeSettings
) -> None:
    settings = make_settings(verify_nominator_email=False)
    async with running_bot(settings) as services:
        jo = Nominator(tg, tg.user(5001, "Jo"))
        bo = Nominator(tg, tg.user(5002, "Bo"))
        await bo.start_individual()
        await bo.say(STRANGERS_NOMINEE)

        # Jo: a draft for Priya up to Q1, with a file; then a second draft for Sam.
        await jo.start_individual()
        await jo.say_all(*DETAILS)
        await jo.say("/skip")
        await jo.say(RELATIONSHIP)
        await jo.user.send_document(file_name="audit.pdf", data=AUDIT, caption="Ward 7 audit")
        assert "Saved audit.pdf" in shown(await jo.settle(1))
        await jo.say(Q1)
        await jo.say("/new")
        await jo.tap("An individual")
        await jo.say(OTHER)

        (caption,) = messages(await jo.say("/mydata"))
        assert caption.text == texts.MY_DATA_CAPTION.format(held="2 nomination(s)")
        (document,) = tg.documents
        assert document.chat_id == jo.user.user_id
        assert document.file_name == texts.MY_DATA_FILE == "my-nomination-data.json"
        assert STRANGERS_NOMINEE.encode() not in document.content
        assert AUDIT[:64] not in document.content  # names and sizes, never the bytes

        held = json.loads(document.content.decode("utf-8"))
        sections = {"nominations", "supporting_statements", "judging", "nominee_approvals"}
        assert set(held) == {"about", "made_at", "you", *sections}
        assert held["supporting_statements"] == [] and held["nominee_approvals"] == []
        assert held["you"] == jo.key
        when(held["made_at"])
        records = await services.store.of_nominator(jo.key)
        sam, priya = records  # newest first
        assert [n["reference"] for n in held["nominations"]] == [
            sam.state.reference,
            priya.state.reference,
        ]
        check_nomination(held["nominations"][0], sam, OTHER)
        check_nomination(held["nominations"][1], priya, NOMINEE)
        assert held["nominations"][0]["files"] == []
        (file,) = await services.evidence.store.list_for(priya.state.reference)
        assert held["nominations"][1]["files"] == [
            {
                "question": "q1",
                "name": "audit.pdf",
                "size_bytes": len(AUDIT),
                "type": "application/pdf",
                "caption": "Ward 7 audit",
                "added_at": file.added_at.isoformat(),
            }
        ]
        answered = {a["field"]: a["answer"] for a in held["nominations"][1]["answers"]}
        assert answered["q1"] == Q1 and answered["nominee_name"] == NOMINEE

        # Someone with nothing held is told so, with an empty document.
        (none,) = messages(await Nominator(tg, tg.user(5003, "Al")).say("/mydata"))
        assert none.text == texts.MY_DATA_NONE
        assert json.loads(tg.documents[-1].content)["nominations"] == []


async def test_delete_with_two_drafts_names_the_one_it_erases_and_keeps_the_other(
    tg: FakeTelegram, make_settings: MakeSettings
) -> None:
    async with running_bot(make_settings()) as services:
        jo = Nominator(tg, tg.user(5011, "Jo"))
        await jo.start_individual()
        await jo.say(NOMINEE)
        priya = await jo.draft(services)
        await jo.say("/new")
        await jo.tap("An individual")
        await jo.say(OTHER)
        sam = await jo.draft(services)
        assert priya is not None and sam is not None

        (ask,) = await jo.say("/delete")
        assert ask.text.startswith(f"Delete your nomination for {OTHER} ({sam.reference})?")
        await jo.tap(texts.DELETE_YES)
        assert await services.store.get(sam.reference) is None
        kept = await services.store.get(priya.reference)
        assert kept is not None and kept.state.answer("nominee_name") == NOMINEE


async def test_privacy_says_what_is_kept_why_how_long_and_who_sees_it(
    tg: FakeTelegram, make_settings: MakeSettings
) -> None:
    async with running_bot(make_settings(draft_retention_days=30)):
        al = Nominator(tg, tg.user(5021, "Al"))
        notice = shown(await al.say("/privacy"))
        assert notice.startswith("What we keep:")
        assert "Why:" in notice and "Who sees it:" in notice and "How long:" in notice
        assert f"the {FORM.organiser} award organisers" in notice
        assert "for 30 days is deleted" in notice
        assert "/mydata" in notice
        # A colleague's statement: what is kept, who sees it, and when it goes.
        assert "supporting statement" in notice and "never sees its text" in notice
        assert "when it is withdrawn" in notice
        # /help lists both commands.
        help_text = shown(await al.say("/help"))
        assert "/privacy" in help_text and "/mydata" in help_text


async def test_the_retention_warning_reaches_the_chat_and_its_continue_carries_on(
    tg: FakeTelegram, make_settings: MakeSettings
) -> None:
    """The warning through the real Bot API client and the strict fake server; the schedule's
    rules are tests/organisers/test_purge.py's, with the same controllable clock."""
    settings = make_settings()
    async with (
        open_telegram_bot(settings) as telegram,
        serving(telegram.application, settings, poll_timeout=0.5),
    ):
        services = telegram.services
        jo = Nominator(tg, tg.user(5031, "Jo"))
        await jo.start_individual()
        (question,) = await jo.say(NOMINEE)
        draft = await jo.draft(services)
        assert draft is not None
        output = TelegramOutput(telegram.application.bot)
        files = services.evidence.store
        data = DataHandlers(
            MyData(FORM, services.store.of_nominator, files.list_for),
            output,
            FORM,
            retention_days=90,
            clock=utc_now,
        )
        clock = [utc_now() + timedelta(days=84)]
        conn = await connect(settings.database_path)
        try:
            scheduler = RetentionScheduler(
                PurgeStore(SharedConnection(conn), files.blob_path),
                services.store,
                files,
                FORM,
                data.warn,
                RetentionSettings(90),
                clock=lambda: clock[0],
            )
            assert (await scheduler.run_once()).warned == 1
            (warning,) = await jo.user.replies(1, timeout=5.0)
            assert warning.text.startswith(f"Your draft nomination for {NOMINEE} has not changed")
            assert warning.button_rows == [[texts.REMINDER_CONTINUE_BUTTON]]
            assert shown(await jo.tap(texts.REMINDER_CONTINUE_BUTTON)) == question.text

            clock[0] = utc_now() + timedelta(days=91)
            assert (await scheduler.run_once()).erased == 1
        finally:
            await conn.close()
        assert await services.store.get(draft.reference) is None
        assert shown(await jo.say("/mynominations")).endswith(texts.MY_NOMINATIONS_NONE)
