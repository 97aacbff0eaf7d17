"""A name is not an email address or a phone number (issue 17): a slip of the thumb that puts
one in a name's place is refused, with a message saying what the question asks for, and nothing
is saved. Through the real Application against the strict fake Bot API."""

from __future__ import annotations

from bot.config import Settings
from bot.screens import texts
from flows.effects import Problem
from flows.form import load_form
from tests.kit.fake_telegram import FakeTelegram
from tests.kit.nominator import DETAILS, Nominator, running_bot

FORM = load_form()
REFUSAL = texts.PROBLEMS[Problem.NOT_A_NAME]


def refusal_for(field_id: str) -> str:
    return REFUSAL.format(asks=FORM.field(field_id).prompt)


async def test_an_email_or_phone_number_is_refused_as_the_nominee_and_nominator_name(
    tg: FakeTelegram, settings: Settings
) -> None:
    async with running_bot(settings) as services:
        ana = Nominator(tg, tg.user(2017, "Ana"))
        await ana.start_individual()
        before = await ana.draft(services)
        for slip in ("jo.bloggs@nhs.example", "Jo Bloggs jo.bloggs@nhs.net", "07700 900123"):
            (reply,) = await ana.say(slip)
            assert reply.text.startswith(refusal_for("nominee_name"))
            assert "asks for a name" in reply.text
        assert await ana.draft(services) == before

        await ana.say_all(*DETAILS[:4])  # the nominee's name, role, organisation, aware
        at_nominator = await ana.draft(services)
        (reply,) = await ana.say("jo.bloggs@nhs.example")
        assert reply.text.startswith(refusal_for("nominator_name"))
        assert FORM.field("nominator_name").prompt in reply.text
        assert await ana.draft(services) == at_nominator

        await ana.say(DETAILS[4])  # a real name is taken
        draft = await ana.draft(services)
        assert draft.answer("nominee_name") == DETAILS[0]
        assert draft.answer("nominator_name") == DETAILS[4]


async def test_an_email_is_refused_as_a_team_name(tg: FakeTelegram, settings: Settings) -> None:
    async with running_bot(settings) as services:
        sam = Nominator(tg, tg.user(2018, "Sam"))
        await sam.say("/start")
        await sam.tap(texts.START_BUTTON)
        await sam.tap("A team")
        (reply,) = await sam.say("ward7@nhs.example")
        assert reply.text.startswith(refusal_for("team_name"))
        (reply,) = await sam.say("Ward 7 Discharge Team")
        assert (await sam.draft(services)).answer("team_name") == "Ward 7 Discharge Team"
