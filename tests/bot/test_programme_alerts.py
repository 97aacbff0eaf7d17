"""Organisers' alerts in a programme (issue 19): an email of one award's nomination that cannot be
delivered is told to ORGANISER_TELEGRAM_IDS and to that award's own organisers, each person once,
and not to another award's organisers."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from tests.bot.test_programme_chat import (
    LEARNING_DESCRIPTION,
    LSI_DESCRIPTION,
    LSI_FORM,
    award_entry,
    write_programme,
)
from tests.kit.fake_telegram import FakeTelegram
from tests.kit.mailkit import SmtpServer, submit
from tests.kit.nominator import MakeSettings, running_bot

EVERYONE, BOTH, LSI_ONLY, LEARNING_ONLY = 9100, 9101, 9102, 9103


async def test_a_failed_email_is_told_to_its_awards_organisers_and_everyones_once_each(
    tg: FakeTelegram, make_settings: MakeSettings, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    awards = write_programme(
        tmp_path,
        award_entry(
            "lsi", LSI_FORM, LSI_DESCRIPTION, -timedelta(days=5), timedelta(days=35),
            f"organiser_telegram_ids = [{BOTH}, {LSI_ONLY}]",
        ),
        award_entry(
            "learning", "learning.toml", LEARNING_DESCRIPTION, -timedelta(days=1),
            timedelta(days=30), f"organiser_telegram_ids = [{LEARNING_ONLY}]",
        ),
    )  # fmt: skip
    users = {i: tg.user(i, "Organiser", chat_exists=True) for i in (EVERYONE, BOTH, LSI_ONLY)}
    users[LEARNING_ONLY] = tg.user(LEARNING_ONLY, "Organiser", chat_exists=True)
    smtp_server.handler.reject_with = "550 5.1.1 No such mailbox"
    settings = make_settings(
        awards_file=awards,
        organiser_telegram_ids=[EVERYONE, BOTH],
        smtp_host="127.0.0.1",
        smtp_port=smtp_server.port,
    )
    async with running_bot(settings) as services:
        lsi = services.programme.award("lsi")
        assert lsi is not None
        state, emails = await submit(services.store, lsi.form)
        await services.worker.run_once()
        await tg.wait_idle(5.0)
    told = {
        i: [r.text for r in user.unread() if "could not be delivered" in r.text]
        for i, user in users.items()
    }
    assert len(emails) >= 1
    for organiser in (EVERYONE, BOTH, LSI_ONLY):  # BOTH is in both lists: told once
        assert len(told[organiser]) == len(emails), told
        assert all(state.reference in text for text in told[organiser])
    assert told[LEARNING_ONLY] == []
