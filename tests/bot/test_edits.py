"""Editing a message that was not saved as an answer says so instead of staying silent."""

from __future__ import annotations

from bot.config import Settings
from bot.screens import texts
from flows.effects import Problem
from tests.kit.fake_telegram import FakeTelegram
from tests.kit.nominator import DETAILS, Nominator, running_bot


async def test_editing_a_refused_answer_asks_for_it_again(
    tg: FakeTelegram, settings: Settings
) -> None:
    async with running_bot(settings) as services:
        kit = Nominator(tg, tg.user(3101, "Kit"))
        await kit.start_individual()
        await kit.say_all(*DETAILS[:5])  # up to "What is your email address?"
        (refused,) = await kit.say("kit at nhs dot net")
        assert refused.text.startswith(texts.PROBLEMS[Problem.BAD_EMAIL])
        mistyped = kit.sent[-1]

        (reply,) = await kit.edit(mistyped["message_id"], "kit@nhs.net")

        assert reply.text == texts.EDIT_NOT_AN_ANSWER
        draft = await kit.draft(services)
        assert draft is not None
        assert draft.position == "nominator_email" and draft.answer("nominator_email") is None
        (next_step,) = await kit.say("kit@nhs.net")
        assert "phone" in next_step.text
