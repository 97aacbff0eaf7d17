"""The round's dates in the conversation, through the real bot and the strict fake Bot API: before
opening nothing is asked, while open the welcome and the confirmation give the closing date,
after closing nothing new starts or is sent (a draft can still be read), and a Submit made
before the closing time counts even when the bot handles it afterwards."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime, timedelta

from bot.app import Services
from bot.screens import texts
from flows.engine import outstanding
from flows.round import Round
from flows.state import REVIEW, NominationState, Status
from tests.kit.fake_telegram import FakeTelegram, bot_command_entities
from tests.kit.mailkit import nomination_answers
from tests.kit.nominator import MakeSettings, Nominator, messages, running_bot, shown
from tests.kit.organiserkit import Clock

AWARD_ANSWER = " ".join(["Priya", "led", "the", "ward's", "change"] * 6)


async def ready_draft(services: Services, nominator: Nominator) -> NominationState:
    """A complete draft at the review, made before the round closed."""
    form = services.form
    draft = await services.store.create_draft(
        nominator.key, form, form.fields[0].id, at=datetime.now(UTC) - timedelta(days=1)
    )
    answers = nomination_answers(q1=AWARD_ANSWER, q2=AWARD_ANSWER, q3=AWARD_ANSWER, q4=AWARD_ANSWER)
    ready = draft.model_copy(update={"answers": answers, "position": REVIEW})
    assert outstanding(form, ready) == ()
    await services.store.save(draft, ready, at=datetime.now(UTC) - timedelta(days=1))
    return ready


async def test_before_opening_start_explains_and_asks_nothing(
    tg: FakeTelegram, make_settings: MakeSettings
) -> None:
    opens = datetime.now(UTC) + timedelta(days=3)
    alex = Nominator(tg, tg.user(1001, "Alex"))
    async with running_bot(make_settings(nominations_open_at=opens)) as services:
        (notice,) = messages(await alex.say("/start"))
        (again,) = messages(await alex.say("Priya Shah"))  # typed, as if to begin
        assert await alex.draft(services) is None
    opening = Round(opens_at=opens).opening_sentence()
    assert opening is not None
    assert notice.text == texts.ROUND_NOT_OPEN.format(opening=opening)
    assert again.text == notice.text
    assert notice.reply_markup is None  # nothing to press, nothing asked


async def test_while_open_the_welcome_and_confirmation_give_the_closing_date(
    tg: FakeTelegram, make_settings: MakeSettings
) -> None:
    closes = datetime.now(UTC) + timedelta(days=10)
    closing = Round(closes_at=closes).closing_sentence()
    assert closing is not None
    alex, sam = Nominator(tg, tg.user(1001, "Alex")), Nominator(tg, tg.user(1002, "Sam"))
    async with running_bot(make_settings(nominations_close_at=closes)) as services:
        welcome = shown(await alex.say("/start", expect=2))
        assert closing in welcome
        assert "9 days from now" in welcome  # under 14 days: how long remains
        await ready_draft(services, sam)
        confirmation = shown(await sam.say("/submit", expect=2))
        assert texts.SUBMITTED in confirmation and closing in confirmation
        (record,) = await services.store.submitted()
        assert record.nominator == sam.key
        await services.worker.send_pending_now()
    # Both emails give the closing date (as .eml files: no SMTP server in this test).
    settings = make_settings(nominations_close_at=closes)
    emails = sorted(settings.mail_outbox_dir.glob("*.eml"))
    assert len(emails) == 2
    for path in emails:
        body = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        plain = body.get_body(preferencelist=("plain",))
        assert plain is not None and closing in plain.get_content().replace("\n", " ")


async def test_after_closing_nothing_new_starts_or_is_sent_and_drafts_stay(
    tg: FakeTelegram, make_settings: MakeSettings
) -> None:
    closes = datetime.now(UTC) - timedelta(hours=1)
    closed = Round(closes_at=closes).closed_sentence()
    assert closed is not None
    refusal = texts.ROUND_CLOSED.format(closed=closed)
    alex, sam = Nominator(tg, tg.user(1001, "Alex")), Nominator(tg, tg.user(1002, "Sam"))
    async with running_bot(make_settings(nominations_close_at=closes)) as services:
        assert shown(await alex.say("/start")) == refusal
        assert shown(await alex.say("Priya Shah"))  # typed, as if to begin == refusal
        assert await alex.draft(services) is None

        draft = await ready_draft(services, sam)
        assert refusal in shown(await sam.say("/start", expect=2))
        review = shown(await sam.say("/review"))
        assert texts.REVIEW_TITLE.format(reference=draft.reference) in review
        assert refusal in shown(await sam.tap(texts.SUBMIT_BUTTON))  # pressed
        assert refusal in shown(await sam.say("/submit"))  # and typed
        kept = await sam.draft(services)
        assert kept is not None and kept.status is Status.DRAFT
        assert kept.answers == draft.answers
        assert await services.store.submitted() == []


async def test_a_submit_made_before_closing_counts_when_handled_after(
    tg: FakeTelegram, make_settings: MakeSettings
) -> None:
    clock = Clock(datetime.now(UTC))
    closes = clock.now + timedelta(hours=1)
    settings = make_settings(nominations_close_at=closes)
    sam = Nominator(tg, tg.user(1002, "Sam"))
    async with running_bot(settings, clock=clock) as services:
        draft = await ready_draft(services, sam)
    # The bot is down (a restart, a slow queue): Sam sends /submit a minute before the close…
    typed_at = closes - timedelta(minutes=1)
    await sam.user.send_content(
        {
            "text": "/submit",
            "entities": bot_command_entities("/submit"),
            "date": int(typed_at.timestamp()),
        }
    )
    # …and the bot handles it only after the round has closed.
    clock.advance(timedelta(hours=2))
    async with running_bot(settings, clock=clock) as services:
        confirmation = shown(await sam.settle(expect=2))
        assert texts.SUBMITTED in confirmation
        (record,) = await services.store.submitted()
        assert record.state.reference == draft.reference
