"""Organisers run the round from Telegram: their commands work for ORGANISER_TELEGRAM_IDS and,
for anyone else, answer exactly as an unknown command does, forged buttons and guessed
references included. Through the real Application, the strict fake Bot API and aiosmtpd."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

import pytest

from bot.app import Services, open_telegram_bot, running
from bot.config import Settings
from bot.screens import texts
from bot.screens.actions import Action
from bot.telegram import serving
from bot.telegram.organisers import RESEND_PREFIX
from tests.kit.fake_telegram import FakeTelegram
from tests.kit.mailkit import SmtpServer, wait_for_messages
from tests.kit.nominator import MakeSettings, Nominator, messages, shown
from tests.kit.organiserkit import start_draft, submit

ORGANISER_ID = 5001
STRANGER_ID = 6001
AWKWARD = 'She said "yes, and",\nthen: ward 7; 100% — ünïcödé'
FORMULA = '=HYPERLINK("http://evil.example","click")'
WHEN = datetime(2026, 11, 2, 10, 30, tzinfo=UTC)


@asynccontextmanager
async def running_bot(settings: Settings) -> AsyncIterator[Services]:
    """The bot as `python -m bot` runs it: Application, outbox worker and polling."""
    async with (
        open_telegram_bot(settings) as telegram,
        running(telegram.services.worker),
        serving(telegram.application, settings, poll_timeout=0.5),
    ):
        yield telegram.services


async def seed(services: Services) -> str:
    """One submitted nomination with awkward answers; returns its reference."""
    form = services.form
    state = await submit(
        services.store,
        form,
        WHEN,
        nominee_type="individual",
        nominee_name="Priya Shah",
        nominee_organisation="Leeds Teaching Hospitals NHS Trust",
        q1=AWKWARD,
        q2=FORMULA,
    )
    return state.reference


def people(tg: FakeTelegram) -> tuple[Nominator, Nominator]:
    """The organiser (who has started the bot before) and a stranger."""
    organiser = tg.user(ORGANISER_ID, "Olu", chat_exists=True)
    return Nominator(tg, organiser), Nominator(tg, tg.user(STRANGER_ID, "Sam"))


async def test_an_organiser_sees_the_round_and_gets_the_csv(
    tg: FakeTelegram, make_settings: MakeSettings
) -> None:
    organiser, _ = people(tg)
    settings = make_settings(organiser_telegram_ids=[ORGANISER_ID])
    async with running_bot(settings) as services:
        reference = await seed(services)
        await start_draft(services.store, services.form, WHEN)

        listed = shown(await organiser.say("/organiser"))
        for name, _about in texts.ORGANISER_COMMANDS:
            assert f"/{name}" in listed

        stats = shown(await organiser.say("/stats"))
        assert "Drafts in progress: 1" in stats
        assert "Submitted: 1" in stats
        assert "Leeds Teaching Hospitals NHS Trust" in stats

        (caption,) = messages(await organiser.say("/export"))
        assert caption.text == texts.EXPORT_CAPTION.format(count=1)
        (document,) = tg.documents
        assert document.chat_id == ORGANISER_ID and document.file_name == "nominations.csv"
        assert document.content.startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
        rows = list(csv.DictReader(io.StringIO(document.content.decode("utf-8-sig"))))
        assert len(rows) == 1
        values = list(rows[0].values())
        assert reference in values
        # The answer comes back whole, newline and commas kept; the formula is neutralised.
        assert AWKWARD in values
        assert FORMULA not in values and "'" + FORMULA in values


async def test_nomination_and_resend_reply_when_the_email_has_gone(
    tg: FakeTelegram, make_settings: MakeSettings, smtp_server: SmtpServer
) -> None:
    organiser, _ = people(tg)
    settings = make_settings(
        organiser_telegram_ids=[ORGANISER_ID],
        smtp_host="127.0.0.1",
        smtp_port=smtp_server.port,
    )
    async with running_bot(settings) as services:
        reference = await seed(services)

        shown_text = shown(await organiser.say(f"/nomination {reference.lower()} "))
        assert "Priya Shah" in shown_text and reference in shown_text
        assert FORMULA in shown_text  # the answer as written, escaped for Telegram
        button = organiser.user.last_message()
        assert button.reply_markup is not None
        labels = [b["text"] for row in button.reply_markup["inline_keyboard"] for b in row]
        assert labels == [texts.RESEND_BUTTON]

        replies = await organiser.say(f"/resend {reference}", expect=2)
        assert [r.text for r in messages(replies)] == [
            texts.RESEND_QUEUED.format(reference=reference),
            texts.RESEND_SENT.format(reference=reference),
        ]
        await wait_for_messages(smtp_server, 1)
        (received,) = smtp_server.handler.received
        assert received.message["Subject"].startswith("Resent: ")

        # The button under /nomination does the same.
        replies = await organiser.tap(texts.RESEND_BUTTON, expect=2)
        assert messages(replies)[-1].text == texts.RESEND_SENT.format(reference=reference)


@pytest.mark.telegram_rejections_expected  # 7777's chat is unknown to Telegram, on purpose
async def test_the_organisers_menu_is_in_their_chat_only(
    tg: FakeTelegram, make_settings: MakeSettings
) -> None:
    people(tg)  # the organiser has started the bot, so Telegram knows their chat
    settings = make_settings(organiser_telegram_ids=[ORGANISER_ID, 7777])  # 7777: never started
    async with running_bot(settings):
        await tg.wait_idle(5.0)
    default = {c["command"] for c in tg.commands[(json.dumps({"type": "default"}), "")]}
    scope = json.dumps({"chat_id": ORGANISER_ID, "type": "chat"}, sort_keys=True)
    theirs = {c["command"] for c in tg.commands[(scope, "")]}
    organiser_commands = {name for name, _ in texts.ORGANISER_COMMANDS}
    assert not organiser_commands & default
    assert organiser_commands <= theirs and default <= theirs
    # 7777 has never written to the bot: Telegram refuses their menu, and the bot carries on.
    (refused,) = tg.rejected
    assert refused.params["scope"]["chat_id"] == 7777


@pytest.mark.telegram_rejections_expected  # their chat is unknown when the bot starts
async def test_an_organiser_new_to_the_bot_gets_the_menu_with_organiser(
    tg: FakeTelegram, make_settings: MakeSettings
) -> None:
    newcomer = Nominator(tg, tg.user(7777, "Nia"))  # has never written to the bot
    async with running_bot(make_settings(organiser_telegram_ids=[7777])):
        assert shown(await newcomer.say("/organiser")).startswith(texts.ORGANISER_HELP)
    scope = json.dumps({"chat_id": 7777, "type": "chat"}, sort_keys=True)
    assert {"stats", "export"} <= {c["command"] for c in tg.commands[(scope, "")]}


async def test_a_stranger_learns_nothing(tg: FakeTelegram, make_settings: MakeSettings) -> None:
    organiser, stranger = people(tg)
    settings = make_settings(organiser_telegram_ids=[ORGANISER_ID])
    async with running_bot(settings) as services:
        reference = await seed(services)
        _, draft = await start_draft(services.store, services.form, WHEN)

        unknown = shown(await stranger.say("/no_such_command"))
        for command in ("/stats", "/export", "/organiser", f"/nomination {reference}"):
            assert shown(await stranger.say(command)) == unknown, command
        assert shown(await stranger.say(f"/resend {reference}")) == unknown
        assert not tg.documents

        # A forged Resend button: answered as any unreadable button is, and nothing queued.
        await stranger.say("/start")
        await stranger.user.press_forged(texts.START_BUTTON, "nonsense")
        garbage = shown(await stranger.settle())
        await stranger.user.press_forged(texts.START_BUTTON, RESEND_PREFIX + reference)
        forged = shown(await stranger.settle())
        assert forged == garbage
        # The Resend button as /nomination draws it now, forged the same way.
        await stranger.user.press_forged(
            texts.START_BUTTON, f"-:-:{Action.RESEND.value}:{reference}"
        )
        assert shown(await stranger.settle()) == garbage
        assert len(await services.store.outbox.rows()) == 0

        # A guessed reference of a draft answers, even to an organiser, as an unknown one.
        draft_said = shown(await organiser.say(f"/nomination {draft.reference}"))
        made_up = shown(await organiser.say("/nomination LSI-ZZZZZZ"))
        assert draft_said == texts.NO_SUCH_NOMINATION.format(reference=draft.reference)
        assert made_up == texts.NO_SUCH_NOMINATION.format(reference="LSI-ZZZZZZ")


@pytest.mark.telegram_rejections_expected  # the failed reply is provoked on purpose
async def test_organisers_hear_of_an_error_once_without_the_answer(
    tg: FakeTelegram, make_settings: MakeSettings
) -> None:
    organiser, stranger = people(tg)
    settings = make_settings(organiser_telegram_ids=[ORGANISER_ID])
    async with running_bot(settings):
        await organiser.say("/organiser")
        for _ in range(2):
            tg.fail_next("sendMessage", error_code=400, description="Bad Request: boom")
            await stranger.say("/start")
        await tg.wait_idle(5.0)
    alerts = [r for r in organiser.user.unread() if "hit an error" in r.text]
    assert len(alerts) == 1, alerts
    assert "BadRequest" in alerts[0].text
    assert tg.token not in alerts[0].text and "boom" not in alerts[0].text


async def test_a_long_nomination_comes_whole_over_several_messages(
    tg: FakeTelegram, make_settings: MakeSettings
) -> None:
    organiser, _ = people(tg)
    long_answers = {
        f"q{n}": " ".join(f"Answer{n} word{i} <b>&amp;" for i in range(160)) for n in range(1, 5)
    }
    async with running_bot(make_settings(organiser_telegram_ids=[ORGANISER_ID])) as services:
        state = await submit(services.store, services.form, WHEN, **long_answers)
        replies = messages(await organiser.say(f"/nomination {state.reference}", expect=2))
    assert len(replies) >= 2  # each within Telegram's limit, or the fake would have refused it
    text = "\n\n".join(r.text for r in replies)
    for answer in long_answers.values():
        assert answer in text  # word for word, markup-looking text and all
