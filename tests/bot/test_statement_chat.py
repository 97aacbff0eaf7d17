"""A colleague's statement follows the same rules as a nominator's answers, because the same
engine runs it: Back, Change then retype (it replaces), Add to it, Start again asking first, an
edited message revising the statement, a stale button, and the typed commands that stand for
buttons, an old button from before, and a stranger's forged one. Through the real Application
and the strict fake Bot API."""

from __future__ import annotations

from bot.screens import texts
from flows.state import Confirmation
from flows.validation import word_count
from storage.statements import LinkStatus
from tests.bot.test_supporting_statements import STATEMENT, ask_for_link, to_review
from tests.kit.fake_telegram import FakeTelegram
from tests.kit.nominator import NOMINEE, MakeSettings, Nominator, last, running_bot, shown

MORE = "She also mentors every new starter on the ward."


async def test_back_change_add_to_start_again_and_edits(
    tg: FakeTelegram, make_settings: MakeSettings
) -> None:
    async with running_bot(make_settings(verify_nominator_email=False)) as services:
        jo = Nominator(tg, tg.user(7001, "Jo"))
        await to_review(jo)
        token = await ask_for_link(jo)
        kim = Nominator(tg, tg.user(7002, "Kim"))
        await kim.say(f"/start support-{token}")
        await kim.say_all("Kim Lee", "Matron")

        # Back: the previous step, with its answer; a new one replaces it.
        back = shown(await kim.tap(texts.BUTTON_BACK))
        assert f"Supporting statement for {NOMINEE} · Step 2 of 4" in back
        assert texts.CURRENT_SHORT.format(answer="Matron") in back
        await kim.say("Senior Matron")
        at_relationship = await kim.say("I was her matron")
        assert "Step 4 of 4" in shown(at_relationship)

        # The statement in two parts, each counted, then Done: the review.
        saved = shown(await kim.say(STATEMENT))
        assert texts.PART_SAVED_LIMIT.format(words=13, max_words=300) in saved
        first_part = kim.sent[-1]["message_id"]
        stale_done = last(await kim.say(MORE)).message_id
        review = shown(await kim.tap(texts.BUTTON_DONE))
        assert STATEMENT in review and MORE in review and "Your role: Senior Matron" in review

        # An edited message revises its part of the statement.
        (revised,) = await kim.edit(first_part, "Priya halved our discharge waits.")
        assert revised.text == texts.REVISED.format(field="Statement", words=14, word_s="words")
        link = await services.store.support.get(token)
        assert link is not None and link.answers["statement"] == (
            f"Priya halved our discharge waits.\n\n{MORE}"
        )

        # A button from an earlier message says so and shows where the statement is now.
        stale = shown(await kim.tap(texts.BUTTON_DONE, message_id=stale_done))
        assert stale.startswith(texts.STALE_BUTTON) and "Your supporting statement" in stale

        # Change, then retype: the new text replaces the old.
        changing = shown(await kim.tap(texts.CHANGE_BUTTON.format(label="Statement")))
        assert texts.REPLACING in changing
        await kim.say(STATEMENT)
        replaced = shown(await kim.tap(texts.BUTTON_DONE))
        assert STATEMENT in replaced and MORE not in replaced

        # Change, then Add to it: the new text goes after the old.
        await kim.tap(texts.CHANGE_BUTTON.format(label="Statement"))
        await kim.tap(texts.BUTTON_ADD_TO)
        await kim.say(MORE)
        added = shown(await kim.say("/done"))  # the typed command, as for a nominator
        assert STATEMENT in added and MORE in added

        # Start again asks first; No keeps it, Yes clears it.
        await kim.tap(texts.CHANGE_BUTTON.format(label="Statement"))
        await kim.tap(texts.BUTTON_ADD_TO)
        asked = shown(await kim.tap(texts.BUTTON_CLEAR))
        words = word_count(f"{STATEMENT}\n\n{MORE}")
        assert texts.CONFIRM[Confirmation.CLEAR].format(words=words, label="Statement") in asked
        kept = shown(await kim.tap(texts.CONFIRM_NO[Confirmation.CLEAR]))
        assert texts.KEPT[Confirmation.CLEAR] in kept
        await kim.tap(texts.BUTTON_CLEAR)
        await kim.tap(texts.CONFIRM_YES[Confirmation.CLEAR])
        cleared = await services.store.support.get(token)
        assert cleared is not None and "statement" not in cleared.answers

        await kim.say(STATEMENT)
        await kim.tap(texts.BUTTON_DONE)
        assert shown(await kim.tap(texts.SUPPORT_SEND_BUTTON)) == texts.SUPPORT_SENT.format(
            nominee=NOMINEE
        )
        await jo.settle(1)
        sent = await services.store.support.get(token)
        assert sent is not None and sent.status is LinkStatus.SENT
        assert sent.answers == {
            "name": "Kim Lee",
            "role": "Senior Matron",
            "relationship": "I was her matron",
            "statement": STATEMENT,
        }
        # The nominator's draft is as it was: none of this reached it.
        draft = await jo.draft(services)
        assert draft is not None and STATEMENT not in str(draft.answers)


async def test_another_command_pauses_the_statement_and_the_link_carries_on(
    tg: FakeTelegram, make_settings: MakeSettings
) -> None:
    async with running_bot(make_settings(verify_nominator_email=False)) as services:
        jo = Nominator(tg, tg.user(7101, "Jo"))
        await to_review(jo)
        token = await ask_for_link(jo)
        kim = Nominator(tg, tg.user(7102, "Kim"))
        await kim.say(f"/start support-{token}")
        await kim.say("Kim Lee")
        await kim.say("/start")  # not one of the statement's: it waits
        await kim.tap(texts.START_BUTTON)  # her own nomination
        own = await kim.draft(services)
        assert own is not None
        link = await services.store.support.get(token)
        assert link is not None and link.paused and link.answers == {"name": "Kim Lee"}

        again = shown(await kim.say(f"/start support-{token}"))
        assert f"Supporting statement for {NOMINEE} · Step 2 of 4" in again
        await kim.say("Matron")
        carried_on = await services.store.support.get(token)
        assert carried_on is not None and carried_on.answers["role"] == "Matron"
        assert await kim.draft(services) == own

        # A Change button from before statements ran on the engine still works; a stranger's
        # press on someone else's statement is told the link doesn't work, and changes nothing.
        await kim.user.press_data(f"sup:c:name:{token}")
        changing = shown(await kim.settle(1))
        assert texts.CURRENT_SHORT.format(answer="Kim Lee") in changing
        sam = Nominator(tg, tg.user(7103, "Sam"))
        await sam.say("/start")  # a message with a keyboard to press on
        await sam.user.press_data(f"sup:w:{token}:-:a:Impostor")
        assert shown(await sam.settle(1)) == texts.SUPPORT_UNKNOWN_LINK
        unchanged = await services.store.support.get(token)
        assert unchanged is not None and unchanged.answers == carried_on.answers
