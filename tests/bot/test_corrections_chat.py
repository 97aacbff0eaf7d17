"""Issue 7's corrections through the real Telegram front end and the strict fake Bot API:
Start again asks first, text typed at the review is offered and kept, a Go to changes nothing
else, and an error re-asks its question with the buttons."""

from __future__ import annotations

from bot.config import Settings
from bot.screens import texts
from flows.form import load_form
from flows.state import Confirmation
from tests.kit.fake_telegram import FakeTelegram
from tests.kit.nominator import DETAILS, RELATIONSHIP, Nominator, last, running_bot, shown

FORM = load_form()
LONG = (
    "She rebuilt the discharge pathway with the whole ward, and patients, families and staff all "
    "say that they can see and feel the difference every single day."
)


async def reach_q1(person: Nominator) -> None:
    await person.start_individual()
    await person.say_all(*DETAILS)
    await person.say("/skip")
    await person.say(RELATIONSHIP)


async def test_start_again_asks_first_and_no_keeps_the_answer(
    tg: FakeTelegram, settings: Settings
) -> None:
    async with running_bot(settings) as services:
        una = Nominator(tg, tg.user(7001, "Una"))
        await reach_q1(una)
        (saved,) = await una.say(LONG)
        assert texts.BUTTON_CLEAR in saved.buttons
        (ask,) = await una.tap(texts.BUTTON_CLEAR)
        assert ask.text.startswith("Clear your 27-word answer to Q1?")
        assert ask.buttons == ["Yes, clear it", "No, keep it"]
        replies = await una.tap("No, keep it")
        assert replies[0].text == texts.KEPT[Confirmation.CLEAR]
        assert "Question 1 of 4" in last(replies).text
        draft = await una.draft(services)
        assert draft is not None and draft.answer("q1") == LONG
        # Typed yes answers the question too.
        await una.say("/clear")
        await una.say("yes")
        draft = await una.draft(services)
        assert draft is not None and draft.answer("q1") is None


async def test_text_typed_at_the_review_is_offered_and_saved_on_yes(
    tg: FakeTelegram, settings: Settings
) -> None:
    async with running_bot(settings) as services:
        viv = Nominator(tg, tg.user(7002, "Viv"))
        await reach_q1(viv)
        await viv.say("/review")
        (offer,) = await viv.say(LONG)
        assert "Save this as your answer to Q1?" in offer.text and LONG in offer.text
        assert offer.buttons == ["Yes, save it", "No"]
        draft = await viv.draft(services)
        assert draft is not None and draft.answer("q1") is None and draft.pending is not None
        # Kept until Viv chooses, even across /start.
        (welcome,) = await viv.say("/start")
        (again,) = await viv.tap(welcome.buttons[0])
        assert "Save this as your answer to Q1?" in again.text
        (saved,) = await viv.tap("Yes, save it")
        assert saved.text.startswith("Saved: 27 of 500 words so far.")
        review = shown(await viv.say("/done"))
        assert LONG in review and "• Q2: not answered yet" in review


async def test_a_go_to_then_back_goes_to_the_previous_question(
    tg: FakeTelegram, settings: Settings
) -> None:
    async with running_bot(settings) as services:
        wyn = Nominator(tg, tg.user(7003, "Wyn"))
        await reach_q1(wyn)
        await wyn.say(LONG)
        await wyn.say("/done")
        await wyn.say("/review")
        replies = await wyn.tap("Go to: Q2")
        assert "Question 2 of 4" in last(replies).text
        (back,) = await wyn.say("/back")
        assert "Question 1 of 4" in back.text
        (saved,) = await wyn.say("And it lasted.")
        assert saved.text.startswith("Saved: ")
        draft = await wyn.draft(services)
        assert draft is not None and draft.answer("q1") == f"{LONG}\n\nAnd it lasted."


async def test_a_yes_no_error_shows_the_question_and_its_buttons(
    tg: FakeTelegram, settings: Settings
) -> None:
    async with running_bot(settings):
        xan = Nominator(tg, tg.user(7004, "Xan"))
        await xan.start_individual()
        await xan.say_all(*DETAILS[:3])  # now asked whether the nominee knows
        (reply,) = await xan.say("maybe")
        assert reply.text.startswith("'maybe' is not a yes or a no.")
        assert FORM.field("nominee_aware").prompt in reply.text
        assert reply.buttons == [
            texts.BUTTON_YES,
            texts.BUTTON_NO,
            texts.BUTTON_BACK,
            texts.BUTTON_REVIEW,
        ]
        # A number, a tag and a long paste are each quoted back, safely and briefly.
        (seven,) = await xan.say("7")
        assert seven.text.startswith("'7' is not a yes or a no. Choose Yes or No, or type it.")
        (tag,) = await xan.say("<b>no</b>")
        assert tag.text.startswith("'<b>no</b>' is not a yes or a no.")
        (paste,) = await xan.say("perhaps " * 12)
        assert paste.text.startswith("'perhaps perhaps perhaps perhaps perhaps…' is not a yes")


async def test_an_early_look_at_the_review_does_not_trap_the_nominator(
    tg: FakeTelegram, settings: Settings
) -> None:
    """Issue 16: Review answers at Step 2, then Go to the first question; from then on each
    answer shows the next question, as the form goes, not the whole review again."""
    async with running_bot(settings) as services:
        wyn = Nominator(tg, tg.user(7016, "Wyn"))
        await wyn.say("/start")
        (asked,) = await wyn.tap(texts.START_BUTTON)
        assert texts.BUTTON_REVIEW not in asked.buttons  # nothing answered, nothing to review
        (second,) = await wyn.tap("An individual")
        assert texts.BUTTON_REVIEW in second.buttons
        review = last(await wyn.say("/review"))
        go_to = [b for b in review.buttons if b.startswith("Go to: ")]
        assert go_to[0] == f"Go to: {FORM.field('nominee_name').label}"
        await wyn.tap(go_to[0])
        for typed, step in zip(DETAILS, range(3, 9), strict=True):
            reply = last(await wyn.say(typed))
            assert f"Step {step} of 14" in reply.text, (typed, reply.text)
            assert "Before you can submit" not in reply.text
        draft = await wyn.draft(services)
        assert draft is not None and draft.filling_gaps and draft.position == "nominator_phone"


async def test_typed_text_at_the_review_is_offered_only_where_it_fits(
    tg: FakeTelegram, settings: Settings
) -> None:
    """Issue 16: "yes" typed at the review goes to the yes/no question, not to a name; text no
    outstanding question can take is refused, saying what the review expects, and kept nowhere."""
    async with running_bot(settings) as services:
        yan = Nominator(tg, tg.user(7017, "Yan"))
        await yan.start_individual()
        await yan.say("/review")
        (offer,) = await yan.say("yes")
        aware = FORM.field("nominee_aware")
        assert f"Save this as your answer to {aware.number or aware.label}?" in offer.text
        assert "Nominee's name" not in offer.text
        await yan.tap("No")
        await yan.tap(f"Go to: {FORM.field('nominee_name').label}")
        await yan.say_all(*DETAILS, "/skip", RELATIONSHIP)
        for _ in range(4):
            await yan.say_all(LONG, "/done")
        await yan.say("/review")  # only the consent, a yes/no question, is left
        (refused,) = await yan.say("Thanks so much")
        assert refused.text.startswith("Your message was not saved: it doesn't answer any")
        assert texts.BUTTON_REVIEW in refused.buttons
        draft = await yan.draft(services)
        assert draft is not None and draft.pending is None
