"""A nomination amended after its nominee approved it (issue 19), through the real Application
and the strict fake Bot API: it stays approved; its nominee is told once, with the nomination as
it now reads; the organisers' /nomination says the approval came before the last change."""

from __future__ import annotations

from bot.app import open_telegram_bot
from bot.jobs.approvals import ApprovalReminders
from bot.screens import texts
from bot.screens.actions import Action, label
from bot.telegram.approvals import ApprovalReminderLoop
from bot.telegram.output import TelegramOutput
from bot.telegram.runtime import serving
from flows.approval import APPROVAL_COLUMN, READS_BEFORE_CHANGE, ApprovalStatus
from tests.bot.test_nominee_approval import submitted, to_review
from tests.kit.fake_telegram import FakeTelegram
from tests.kit.nominator import MakeSettings, Nominator, shown

ORGANISER = 5401
NEW_Q2 = "Answer 2, amended after the approval: the audit now shows falls down by a third. " * 2


async def test_an_approved_nomination_amended_is_told_to_its_nominee_once_and_shown_so(
    tg: FakeTelegram, make_settings: MakeSettings
) -> None:
    settings = make_settings(
        verify_nominator_email=False, nominee_approval=True, organiser_telegram_ids=[ORGANISER]
    )
    organiser = Nominator(tg, tg.user(ORGANISER, "Olu", chat_exists=True))
    async with (
        open_telegram_bot(settings) as telegram,
        serving(telegram.application, settings, poll_timeout=0.5),
    ):
        services = telegram.services
        # The nominee's notices, sent as the bot's own loop sends them, run here by the test.
        loop = ApprovalReminderLoop(TelegramOutput(telegram.application.bot))
        notices = ApprovalReminders(services.approvals, loop.send, lambda: "")
        jo = Nominator(tg, tg.user(5402, "Jo"))
        await to_review(jo)
        reference, token, _ = await submitted(jo)
        priya = Nominator(tg, tg.user(5403, "Priya"))
        await priya.say(f"/start nominee-{token}")
        await priya.tap(label(Action.APPROVE))
        assert shown(await priya.tap(label(Action.NO_NOTE))) == texts.APPROVAL_THANKS
        assert await notices.run_once() == 0  # approved, and unchanged: nothing to tell
        looked_up = shown(await organiser.say(f"/nomination {reference}"))
        assert READS_BEFORE_CHANGE not in looked_up

        await jo.settle(1)  # told that Priya approved
        (listing,) = await jo.say("/mynominations")
        await jo.tap("Amend 1", message_id=listing.message_id)
        await jo.say("/edit Q2")
        await jo.say(NEW_Q2)
        await jo.say("/done")
        await jo.say("/submit")

        approval = await services.store.approvals.of_nomination(reference)
        assert approval is not None and approval.status is ApprovalStatus.APPROVED  # not undone
        looked_up = shown(await organiser.say(f"/nomination {reference}"))
        assert f"{APPROVAL_COLUMN}: {READS_BEFORE_CHANGE}" in looked_up
        assert await notices.run_once() == 1
        (told,) = await priya.user.replies(1)
        assert told.text.startswith(
            texts.APPROVAL_CHANGED.format(award=services.form.title, nominee="")
        )
        assert NEW_Q2.strip() in told.text and texts.APPROVAL_CHANGED_AFTER in told.text
        assert told.buttons == []
        assert await notices.run_once() == 0  # once for each change
