"""Withdrawing a nomination erases its colleagues' statements with it, sent or half-written,
from every file SQLite keeps (the log is checkpointed), and their links stop working."""

from __future__ import annotations

from bot.screens import texts
from flows.state import Confirmation
from tests.bot.test_supporting_statements import ask_for_link, to_review
from tests.kit.fake_telegram import FakeTelegram
from tests.kit.nominator import REFERENCE, MakeSettings, Nominator, last, running_bot, shown
from tests.storage.test_storage_versions import database_bytes

SENT_MARK = "Zanzibar-quality discharge planning, every single shift."
HALF_MARK = "Quixotic dedication to the night team"


async def test_withdrawing_erases_the_statements_and_their_links(
    tg: FakeTelegram, make_settings: MakeSettings
) -> None:
    settings = make_settings(verify_nominator_email=False)
    async with running_bot(settings) as services:
        jo = Nominator(tg, tg.user(8001, "Jo"))
        await to_review(jo)
        match = REFERENCE.search(last(await jo.tap(texts.SUBMIT_BUTTON)).text)
        assert match is not None
        kim_link, sam_link = await ask_for_link(jo), await ask_for_link(jo)

        kim = Nominator(tg, tg.user(8002, "Kim"))
        await kim.say(f"/start support-{kim_link}")
        await kim.say_all("Kim Lee", "Matron", "Her matron", SENT_MARK)
        await kim.tap(texts.BUTTON_DONE)
        await kim.tap(texts.SUPPORT_SEND_BUTTON)
        await jo.settle(1)  # told it arrived
        sam = Nominator(tg, tg.user(8003, "Sam"))
        await sam.say(f"/start support-{sam_link}")
        await sam.say_all("Sam Patel", "Porter", "We share the night shift", HALF_MARK)
        before = database_bytes(settings.database_path)
        assert SENT_MARK.encode() in before and HALF_MARK.encode() in before

        (listing,) = await jo.say("/mynominations")
        await jo.tap("Withdraw 1", message_id=listing.message_id)
        done = shown(await jo.tap(texts.CONFIRM_YES[Confirmation.WITHDRAW]))
        assert done == texts.WITHDRAWN_DONE.format(reference=match.group())

        after = database_bytes(settings.database_path)
        for mark in (SENT_MARK, HALF_MARK, "Her matron", "We share the night shift"):
            assert mark.encode() not in after, f"{mark!r} is still in the database files"
        assert await services.store.support.of_nomination(match.group()) == []
        for colleague, token in ((kim, kim_link), (sam, sam_link)):
            gone = shown(await colleague.say(f"/start support-{token}"))
            assert gone == texts.SUPPORT_UNKNOWN_LINK
