"""The nominee's approval per award (issue 19): in a programme, only the award whose entry says
`nominee_approval = true` asks, its nominee sees it in that award's words, and the organisers'
short email goes to that award's organisers alone."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from bot.app import make_transport
from bot.screens import texts
from bot.screens.actions import Action, label
from mail.delivery import OutboxWorker
from tests.bot.test_nominee_approval import LINK
from tests.bot.test_programme_chat import (
    JO_EMAIL,
    LEARNING_DESCRIPTION,
    LEARNING_ORGANISERS,
    LEARNING_TITLE,
    LSI_DESCRIPTION,
    LSI_FORM,
    LSI_ORGANISERS,
    LSI_TITLE,
    award_entry,
    send_lsi,
    write_programme,
)
from tests.kit.fake_telegram import FakeTelegram
from tests.kit.mailkit import SmtpServer, wait_for_messages
from tests.kit.nominator import NOMINEE, MakeSettings, Nominator, messages, running_bot, shown
from tests.kit.organiserkit import Clock


def two_awards(tmp_path: Path) -> Path:
    """The shipped award and the example one, both open; only the example asks its nominees."""
    return write_programme(
        tmp_path,
        award_entry(
            "lsi", LSI_FORM, LSI_DESCRIPTION, -timedelta(days=5), timedelta(days=35),
            f'organiser_emails = ["{LSI_ORGANISERS}"]',
        ),
        award_entry(
            "learning", "learning.toml", LEARNING_DESCRIPTION, -timedelta(days=1),
            timedelta(days=30), f'organiser_emails = ["{LEARNING_ORGANISERS}"]',
            "nominee_approval = true",
        ),
    )  # fmt: skip


async def test_only_the_award_that_asks_sends_its_nominee_a_link(
    tg: FakeTelegram, make_settings: MakeSettings, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    clock = Clock()
    settings = make_settings(
        awards_file=two_awards(tmp_path),
        smtp_host="127.0.0.1",
        smtp_port=smtp_server.port,
        verify_nominator_email=False,
    )
    async with running_bot(settings, clock=clock) as services:
        stop = asyncio.Event()
        delivery = OutboxWorker(services.store.outbox, make_transport(settings), clock=clock)
        worker = asyncio.create_task(delivery.run(stop, idle_poll=0.2))
        try:
            jo = Nominator(tg, tg.user(3101, "Jo"))
            (choice,) = messages(await jo.say("/start"))
            await jo.tap(LEARNING_TITLE, message_id=choice.message_id)
            await jo.say_all(NOMINEE, "Practice Educator", "Leeds Teaching Hospitals NHS Trust")
            await jo.say_all("Jo Bloggs", JO_EMAIL)
            await jo.say("/skip")  # the phone
            for answer in ("She runs teaching on the ward every week. " * 3, "Staff ask. " * 5):
                await jo.say(answer)
                await jo.say("/done")
            sent = shown(await jo.tap(texts.SUBMIT_BUTTON, expect=3))
            link = LINK.search(sent)
            assert link is not None, sent  # the example award asks its nominee
            await wait_for_messages(smtp_server, 2)

            priya = Nominator(tg, tg.user(3102, "Priya"))
            opened = shown(await priya.say(f"/start nominee-{link.group(1)}"))
            assert LEARNING_TITLE in opened and LSI_TITLE not in opened
            await priya.tap(label(Action.APPROVE))
            assert shown(await priya.tap(label(Action.NO_NOTE))) == texts.APPROVAL_THANKS
            await wait_for_messages(smtp_server, 3)
            approval = smtp_server.handler.received[-1]
            assert approval.rcpt_tos == [LEARNING_ORGANISERS]  # that award's organisers alone

            # The shipped award does not ask: its Submit gives no link.
            jo.user.unread()  # told that Priya approved
            choice = messages(await jo.say("/start"))[-1]
            await jo.tap(LSI_TITLE, message_id=choice.message_id)
            await send_lsi(jo, started=True)
            sent = {r.state.form_id: r for r in await services.store.submitted()}
            assert sorted(sent) == ["example_learning_culture", "leading_for_service_improvement"]
            lsi = sent["leading_for_service_improvement"].state.reference
            assert await services.store.approvals.of_nomination(lsi) is None  # no link made
        finally:
            stop.set()
            await worker
