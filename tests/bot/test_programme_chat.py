"""An awards programme in one bot (issue 19), through the real Application, the strict fake Bot
API and a real SMTP server: three awards, one closed and one not yet open; with one open the start
is as it was; once a second opens, /start offers both and says when the closed one closed; More
about this award; the same nominee in two awards by one nominator, each email to its own award's
organisers; Nominate them for another award carries the nominee's and nominator's details and no
award answers; /mynominations names each nomination's award."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from bot.app import Services, make_transport
from bot.config import Settings
from bot.screens import texts
from flows.state import Confirmation, Status
from mail.delivery import OutboxWorker
from tests.bot.test_amend_withdraw import ANSWERS
from tests.kit.fake_telegram import FakeTelegram
from tests.kit.mailkit import SmtpServer, wait_for_messages
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
from tests.kit.organiserkit import START, Clock

REPO = Path(__file__).resolve().parents[2]
FORMS = REPO / "flows" / "forms"
TINY = REPO / "tests" / "forms" / "tiny.toml"
LSI_TITLE = "Leading for Service Improvement and Innovation"
LEARNING_TITLE = "Example award: Building a Learning Culture"
LSI_ORGANISERS = "lsi-panel@hee.example"
LEARNING_ORGANISERS = "learning-panel@hee.example"
JO_EMAIL = DETAILS[5]


def iso(delta: timedelta) -> str:
    return (START + delta).isoformat()


def award_entry(
    award_id: str,
    form: str,
    description: str,
    opens: timedelta,
    closes: timedelta,
    *extra: str,
) -> str:
    """One [[award]] of a programme file, its dates relative to START; `extra`, more keys."""
    lines = [
        "[[award]]",
        f'id = "{award_id}"',
        f'form = "{form}"',
        f'description = "{description}"',
        f'open_at = "{iso(opens)}"',
        f'close_at = "{iso(closes)}"',
        *extra,
    ]
    return "\n".join(lines) + "\n"


def write_programme(tmp_path: Path, *awards: str) -> Path:
    """The programme file of these awards, beside copies of the forms they name."""
    (tmp_path / "learning.toml").write_text(
        (FORMS / "example_learning_culture.toml").read_text(), encoding="utf-8"
    )
    (tmp_path / "tiny.toml").write_text(TINY.read_text(), encoding="utf-8")
    path = tmp_path / "awards.toml"
    path.write_text('title = "HEE Test Awards 2027"\n\n' + "\n".join(awards), encoding="utf-8")
    return path


LSI_FORM = str(FORMS / "leading_for_service_improvement.toml")
LSI_DESCRIPTION = "Leading a service improvement or innovation."
LEARNING_DESCRIPTION = "Helping the people around them learn."


def programme_file(tmp_path: Path) -> Path:
    """Three awards at START: the shipped one open, the example one opening in a day, and a
    tiny one closed an hour ago."""
    return write_programme(
        tmp_path,
        award_entry(
            "lsi", LSI_FORM, LSI_DESCRIPTION, -timedelta(days=5), timedelta(days=35),
            f'organiser_emails = ["{LSI_ORGANISERS}"]', "organiser_telegram_ids = [9001]",
        ),
        award_entry(
            "learning", "learning.toml", LEARNING_DESCRIPTION, timedelta(days=1),
            timedelta(days=30), f'organiser_emails = ["{LEARNING_ORGANISERS}"]',
            "organiser_telegram_ids = [9002]",
        ),
        award_entry(
            "thanks", "tiny.toml", "Saying thank you.", -timedelta(days=20), -timedelta(hours=1)
        ),
    )  # fmt: skip


def programme_settings(
    tg: FakeTelegram, tmp_path: Path, make_settings: MakeSettings, smtp_server: SmtpServer
) -> Settings:
    for organiser in (9001, 9002):  # each award's organiser has started the bot before
        tg.user(organiser, "Organiser", chat_exists=True)
    return make_settings(
        awards_file=programme_file(tmp_path),
        smtp_host="127.0.0.1",
        smtp_port=smtp_server.port,
        verify_nominator_email=False,
    )


async def send_lsi(jo: Nominator, *, started: bool = False) -> None:
    """The shipped award's nomination of Priya, from the welcome's Start (or, `started`, from its
    first question) to Submit."""
    if not started:
        await jo.tap(texts.START_BUTTON)
    await jo.tap("An individual")
    await jo.say_all(*DETAILS)
    await jo.say("/skip")  # the optional phone number
    await jo.say(RELATIONSHIP)
    await jo.answer_questions(ANSWERS)
    await jo.tap(texts.BUTTON_YES)  # consent, asked last: now at the review
    await jo.tap(texts.SUBMIT_BUTTON)


def recipients(smtp_server: SmtpServer) -> list[set[str]]:
    return [set(item.rcpt_tos) for item in smtp_server.handler.received]


async def test_a_programme_of_three_awards_with_one_nominee_in_two(
    tg: FakeTelegram, make_settings: MakeSettings, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    clock = Clock()
    settings = programme_settings(tg, tmp_path, make_settings, smtp_server)
    async with running_bot(settings, clock=clock) as services:
        stop = asyncio.Event()
        # Delivering by the test's clock, as the nominations are stamped by it.
        delivery = OutboxWorker(services.store.outbox, make_transport(settings), clock=clock)
        worker = asyncio.create_task(delivery.run(stop, idle_poll=0.2))
        try:
            await nominate_in_two_awards(tg, services, clock, smtp_server)
        finally:
            stop.set()
            await worker


async def nominate_in_two_awards(
    tg: FakeTelegram, services: Services, clock: Clock, smtp_server: SmtpServer
) -> None:
    jo = Nominator(tg, tg.user(3001, "Jo"))
    # One award open: the start is as it was, that award's welcome.
    welcome, dates = messages(await jo.say("/start"))
    assert welcome.text.startswith(LSI_TITLE)
    assert welcome.buttons == [texts.START_BUTTON]
    assert dates.text.startswith("Nominations close at")  # the open award's own dates
    await send_lsi(jo)
    (lsi,) = await services.store.submitted()
    assert lsi.state.reference.startswith("LSI-")
    await wait_for_messages(smtp_server, 2)
    # The award's email to its own organisers, the copy to Jo; no offer of another award yet.
    assert sorted(map(sorted, recipients(smtp_server))) == [[JO_EMAIL], [LSI_ORGANISERS]]
    assert texts.ANOTHER_AWARD_BUTTON not in shown(jo.user.unread())

    # A day later the example award opens: /start offers both, and says the third has closed.
    clock.advance(timedelta(days=2))
    (choice,) = messages(await jo.say("/start"))
    assert choice.text.startswith("HEE Test Awards 2027")
    assert f"{LSI_TITLE}: Leading a service improvement or innovation." in choice.text
    assert f"{LEARNING_TITLE}: Helping the people around them learn." in choice.text
    assert "A Tiny Thank-You Award is closed. Nominations closed at" in choice.text
    more_about = texts.MORE_ABOUT_NAMED.format(title=LEARNING_TITLE)
    assert choice.buttons == [
        LSI_TITLE,
        texts.MORE_ABOUT_NAMED.format(title=LSI_TITLE),
        LEARNING_TITLE,
        more_about,
    ]
    (more,) = messages(await jo.tap(more_about, message_id=choice.message_id))
    assert "This is an example award, not a real one." in more.text
    assert "Answer the two questions with real examples" in more.text  # its guidance
    assert more.buttons == [texts.AWARD_START_BUTTON]

    # The same nominee in the example award: Jo's own details are offered with Keep.
    (first,) = messages(await jo.tap(texts.AWARD_START_BUTTON))
    assert "What is the nominee's full name?" in first.text
    learning_draft = await jo.draft(services)
    assert learning_draft is not None and learning_draft.reference.startswith("EXLC-")
    assert learning_draft.answer("nominator_email") == JO_EMAIL
    assert learning_draft.answer("nominee_name") is None
    await jo.say_all(NOMINEE, "Practice Educator", "Leeds Teaching Hospitals NHS Trust")
    (keep,) = messages(await jo.tap(texts.BUTTON_KEEP))  # Jo's name
    await jo.tap(texts.BUTTON_KEEP)  # Jo's email
    await jo.say("/skip")  # the phone
    for answer in ("She runs teaching on the ward every week. " * 3, "Staff ask more. " * 5):
        await jo.say(answer)
        await jo.say("/done")
    sent = await jo.tap(texts.SUBMIT_BUTTON, expect=2)
    offer = messages(sent)[-1]
    assert offer.text == texts.ANOTHER_AWARD_OFFER
    assert offer.buttons == [texts.ANOTHER_AWARD_BUTTON]
    await wait_for_messages(smtp_server, 4)
    later = sorted(map(sorted, recipients(smtp_server)[2:]))
    assert later == [[LEARNING_ORGANISERS], [JO_EMAIL]] or later == [
        [JO_EMAIL],
        [LEARNING_ORGANISERS],
    ]

    # Nominate them for another award: the one other open award, its nominee's and
    # nominator's details filled in, each shown for checking; no award answers copied.
    await jo.tap(texts.ANOTHER_AWARD_BUTTON, message_id=offer.message_id)
    again = await jo.draft(services)
    assert again is not None and again.reference.startswith("LSI-")
    assert again.answer("nominee_name") == NOMINEE
    assert again.answer("nominee_role") == "Practice Educator"
    assert again.answer("nominator_email") == JO_EMAIL
    assert not any(again.answer(q) for q in ("q1", "q2", "q3", "q4"))

    # /mynominations names each nomination's award.
    (listing,) = messages(await jo.say("/mynominations"))
    assert listing.text.count(f"Award: {LSI_TITLE}") == 2
    assert listing.text.count(f"Award: {LEARNING_TITLE}") == 1
    records = await services.store.of_nominator(jo.key)
    assert sorted(r.state.form_id for r in records if r.state.status is Status.SUBMITTED) == [
        "example_learning_culture",
        "leading_for_service_improvement",
    ]
    assert keep is not None
    await organisers_see_their_own_award(tg, services)
    await withdrawn_to_its_own_organisers(jo, smtp_server)


async def withdrawn_to_its_own_organisers(jo: Nominator, smtp_server: SmtpServer) -> None:
    """Withdrawing the example award's nomination tells that award's organisers alone."""
    (listing,) = messages(await jo.say("/mynominations"))
    # Newest first: the draft for the shipped award, the example award's, the shipped award's.
    (question,) = messages(await jo.tap("Withdraw 2", message_id=listing.message_id))
    await jo.tap(texts.CONFIRM_YES[Confirmation.WITHDRAW], message_id=question.message_id)
    await wait_for_messages(smtp_server, 5)
    assert recipients(smtp_server)[4:] == [{LEARNING_ORGANISERS}]


async def organisers_see_their_own_award(tg: FakeTelegram, services: Services) -> None:
    """The example award's organiser: its nominations and figures, and nothing of the other's,
    which answers as an unknown reference; the shipped award's organiser the other way round."""
    lsi, learning = sorted(await services.store.submitted(), key=lambda r: r.state.form_id)[::-1]
    assert lsi.state.form_id == "leading_for_service_improvement"
    learning_organiser = Nominator(tg, tg.user(9002, "Lee"))
    lsi_organiser = Nominator(tg, tg.user(9001, "Lou"))
    refused = shown(await learning_organiser.say(f"/nomination {lsi.state.reference}"))
    assert refused == texts.NO_SUCH_NOMINATION.format(reference=lsi.state.reference)
    assert NOMINEE not in refused
    allowed = shown(await learning_organiser.say(f"/nomination {learning.state.reference}"))
    assert learning.state.reference in allowed and NOMINEE in allowed
    refused = shown(await lsi_organiser.say(f"/nomination {learning.state.reference}"))
    assert refused == texts.NO_SUCH_NOMINATION.format(reference=learning.state.reference)
    assert lsi.state.reference in shown(
        await lsi_organiser.say(f"/nomination {lsi.state.reference}")
    )

    stats = shown(await learning_organiser.say("/stats"))
    assert "Submitted: 1" in stats
    assert f"{LEARNING_TITLE} (learning): 0 in progress, 1 submitted" in stats
    assert LSI_TITLE not in stats
    stats = shown(await lsi_organiser.say("/stats"))
    assert f"{LSI_TITLE} (lsi): 1 in progress, 1 submitted" in stats
    assert LEARNING_TITLE not in stats


async def test_with_several_awards_typed_text_asks_which_and_a_closed_awards_button_says_so(
    tg: FakeTelegram, make_settings: MakeSettings, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    clock = Clock()
    settings = programme_settings(tg, tmp_path, make_settings, smtp_server)
    async with running_bot(settings, clock=clock) as services:
        sam = Nominator(tg, tg.user(3002, "Sam"))
        welcome, _ = messages(await sam.say("/start"))  # one award open: its welcome
        several = texts.HELP_AWARDS.format(start="Send /start")
        assert several not in shown(await sam.say("/help"))
        clock.advance(timedelta(days=2))  # the shipped and the example award open, the tiny closed
        assert shown(await sam.say("/help")).endswith(several)  # /start asks which award
        # That welcome's Start, pressed now, asks which award, as /start would.
        (asked,) = messages(await sam.tap(texts.START_BUTTON, message_id=welcome.message_id))
        assert asked.text.startswith("HEE Test Awards 2027") and LEARNING_TITLE in asked.buttons
        assert await sam.draft(services) is None
        await sam.user.press_data("not-a-button")  # a button it cannot read: the same
        assert shown(await sam.settle()).startswith("HEE Test Awards 2027")
        (choice,) = messages(await sam.say("Priya Shah"))  # typed, as if to begin
        assert choice.text.startswith("HEE Test Awards 2027")
        assert await sam.draft(services) is None

        clock.advance(timedelta(days=30))  # both have closed since the choice was shown
        (closed,) = messages(await sam.tap(LEARNING_TITLE, message_id=choice.message_id))
        assert closed.text.startswith(LEARNING_TITLE)
        assert f"{LEARNING_TITLE} is closed. Nominations closed at" in closed.text
        assert closed.buttons == []
        assert await sam.draft(services) is None


async def test_another_award_with_several_open_asks_which_and_carries_the_nominee(
    tg: FakeTelegram, make_settings: MakeSettings, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    clock = Clock()
    clock.advance(timedelta(days=2))
    settings = programme_settings(tg, tmp_path, make_settings, smtp_server)
    # The tiny award open again too: two awards besides the one nominated for.
    path = settings.awards_file
    assert path is not None
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(iso(-timedelta(hours=1)), iso(timedelta(days=40))), "utf-8")
    async with running_bot(settings, clock=clock) as services:
        kim = Nominator(tg, tg.user(3003, "Kim"))
        (start,) = messages(await kim.say("/start"))
        await kim.tap(LEARNING_TITLE)
        # A second tap of the same choice begins no second draft.
        assert messages(await kim.tap(LEARNING_TITLE, message_id=start.message_id, expect=0)) == []
        assert len(await services.store.of_nominator(kim.key)) == 1
        await kim.say_all(NOMINEE, "Practice Educator", "Leeds Teaching Hospitals NHS Trust")
        await kim.say_all("Kim Lee", "kim.lee@nhs.example", "/skip")
        for answer in ("She runs teaching on the ward every week. " * 3, "Staff ask more. " * 5):
            await kim.say(answer)
            await kim.say("/done")
        offer = messages(await kim.tap(texts.SUBMIT_BUTTON, expect=2))[-1]
        (choice,) = messages(await kim.tap(texts.ANOTHER_AWARD_BUTTON, message_id=offer.message_id))
        assert texts.AWARDS_CHOOSE_AGAIN in choice.text
        assert LEARNING_TITLE not in choice.buttons  # not the award just nominated for
        assert choice.buttons[0] == LSI_TITLE and "A Tiny Thank-You Award" in choice.buttons
        await kim.tap(LSI_TITLE, message_id=choice.message_id)
        again = await kim.draft(services)
        assert again is not None and again.reference.startswith("LSI-")
        assert again.answer("nominee_name") == NOMINEE
        assert again.answer("nominator_name") == "Kim Lee"
        assert again.answer("teaching") is None and again.answer("q1") is None

        # After the example award closes, withdrawing is refused with its own closing date.
        clock.advance(timedelta(days=40))
        (listing,) = messages(await kim.say("/mynominations"))
        (refused,) = messages(await kim.tap("Withdraw 2", message_id=listing.message_id))
        learning = services.programme.award("learning")
        assert learning is not None
        assert (learning.round.closed_sentence() or "?") in refused.text
