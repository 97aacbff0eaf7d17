"""Several nominations at once, through the real Application and the strict fake Bot API: two
drafts interleaved, each question naming its nominee, buttons on old messages acting on their own
nomination (or saying it has moved on), /mynominations with Continue, Review and View."""

from __future__ import annotations

from bot.config import Settings
from bot.screens import texts
from flows.state import Status
from tests.kit.fake_telegram import FakeTelegram
from tests.kit.nominator import (
    DETAILS,
    NOMINEE,
    RELATIONSHIP,
    STEPS_INDIVIDUAL,
    Nominator,
    last,
    messages,
    running_bot,
)

OTHER = "Sam Patel"


def heading(nominee: str, step: int) -> str:
    return f"Nomination for {nominee} · Step {step} of {STEPS_INDIVIDUAL}"


async def test_two_drafts_interleaved_with_buttons_from_both(
    tg: FakeTelegram, settings: Settings
) -> None:
    async with running_bot(settings) as services:
        jo = Nominator(tg, tg.user(2001, "Jo"))
        store = services.store
        await jo.start_individual()
        (priya_role,) = await jo.say(NOMINEE)
        assert priya_role.text.startswith(heading(NOMINEE, 3))
        priya = await jo.draft(services)
        assert priya is not None

        # A second draft beside the first; typed answers go to the one last started.
        (first_step,) = await jo.say("/new")
        assert first_step.text.startswith(f"Step 1 of {STEPS_INDIVIDUAL}")
        await jo.tap("An individual")
        (sam_role,) = await jo.say(OTHER)
        assert sam_role.text.startswith(heading(OTHER, 3))
        (sam_org,) = await jo.say("Ward Sister")
        assert sam_org.text.startswith(heading(OTHER, 4))
        sam = await jo.draft(services)
        assert sam is not None and sam.reference != priya.reference
        assert sam.answer("nominee_role") == "Ward Sister"
        stored_priya = await store.get(priya.reference)
        assert stored_priya is not None and stored_priya.state == priya

        # Priya's Back, on her question still waiting: it acts on Priya's draft, which becomes
        # the one worked on; the next typed answer is hers.
        (back,) = await jo.tap(texts.BUTTON_BACK, message_id=priya_role.message_id)
        assert back.text.startswith(heading(NOMINEE, 2))
        (again,) = await jo.tap(texts.BUTTON_KEEP)
        assert again.text.startswith(heading(NOMINEE, 3))
        await jo.say("Senior Staff Nurse")
        now_priya = await jo.draft(services)
        assert now_priya is not None and now_priya.reference == priya.reference
        assert now_priya.answer("nominee_role") == "Senior Staff Nurse"
        stored_sam = await store.get(sam.reference)
        assert stored_sam is not None and stored_sam.state == sam  # untouched

        # Sam's role question has moved on: its Back says so and changes neither draft.
        stale, here = await jo.tap(texts.BUTTON_BACK, message_id=sam_role.message_id, expect=2)
        assert stale.text == texts.STALE_BUTTON
        assert here.text.startswith(heading(NOMINEE, 4))
        assert await jo.draft(services) == now_priya
        stored_sam = await store.get(sam.reference)
        assert stored_sam is not None and stored_sam.state == sam

        # The list: newest first, each with its nominee, status, reference and button.
        (listing,) = await jo.say("/mynominations")
        assert f"1. {OTHER}: draft, Step 4 of {STEPS_INDIVIDUAL}. Reference {sam.reference}" in (
            listing.text
        )
        assert (
            f"2. {NOMINEE}: draft, Step 4 of {STEPS_INDIVIDUAL}. Reference {priya.reference}"
            in (listing.text)
        )
        assert listing.buttons == ["Continue 1", "Continue 2", texts.ANOTHER_BUTTON]
        (continued,) = await jo.tap("Continue 1", message_id=listing.message_id)
        assert continued.text.startswith(heading(OTHER, 4))
        await jo.say("St Elsewhere NHS Trust")
        sam_now = await jo.draft(services)
        assert sam_now is not None and sam_now.reference == sam.reference
        assert sam_now.answer("nominee_organisation") == "St Elsewhere NHS Trust"
        # The same list's other button still works: it picks Priya's draft again.
        (back_to_priya,) = await jo.tap("Continue 2", message_id=listing.message_id)
        assert back_to_priya.text.startswith(heading(NOMINEE, 4))
        current = await jo.draft(services)
        assert current is not None and current.reference == priya.reference


async def test_a_sent_nomination_is_listed_with_its_date_and_viewed_read_only(
    tg: FakeTelegram, settings: Settings
) -> None:
    async with running_bot(settings) as services:
        jo = Nominator(tg, tg.user(2002, "Jo"))
        answers = {
            f"q{n}": f"Answer {n}. " + "The ward changed for the better. " * 5 for n in "1234"
        }
        await jo.start_individual()
        await jo.say_all(*DETAILS)
        await jo.say("/skip")  # the optional phone number
        await jo.say(RELATIONSHIP)
        await jo.answer_questions(answers)
        await jo.tap(texts.BUTTON_YES)  # consent, asked last: now at the review
        await jo.tap(texts.SUBMIT_BUTTON)
        (sent,) = await services.store.submitted()
        assert sent.state.status is Status.SUBMITTED and sent.submitted_at is not None

        await jo.say("/new")
        (listing,) = await jo.say("/mynominations")
        date = f"{sent.submitted_at.day} {sent.submitted_at:%B %Y}"
        assert f"2. {NOMINEE}: sent on {date}. Reference {sent.state.reference}." in listing.text
        assert "1. " + texts.NOMINEE_NOT_NAMED in listing.text
        assert listing.buttons == [
            "Continue 1",
            "View 2",
            "Amend 2",
            "Withdraw 2",
            texts.ANOTHER_BUTTON,
        ]

        (view,) = await jo.tap("View 2", message_id=listing.message_id)
        assert view.text.startswith(
            texts.VIEW_TITLE.format(reference=sent.state.reference, date=date)
        )
        assert answers["q3"].strip() in view.text and view.buttons == [texts.LIST_BUTTON]

        # A button of the sent nomination's review acts on that nomination, not the new draft.
        fresh = await jo.draft(services)
        saved = next(
            r for r in messages(tg.chat(jo.user.chat_id).events) if r.text.startswith("Saved:")
        )
        (reply,) = await jo.tap(texts.BUTTON_DONE, message_id=saved.message_id)
        assert reply.text == texts.STALE_SUBMITTED
        assert await jo.draft(services) == fresh


async def test_delete_erases_the_draft_its_confirmation_named(
    tg: FakeTelegram, settings: Settings
) -> None:
    async with running_bot(settings) as services:
        jo = Nominator(tg, tg.user(2003, "Jo"))
        await jo.start_individual()
        await jo.say(NOMINEE)
        priya = await jo.draft(services)
        await jo.say("/new")
        await jo.tap("An individual")
        await jo.say(OTHER)
        sam = await jo.draft(services)
        assert priya is not None and sam is not None

        # /delete asks about the draft being worked on (Sam's), by its reference.
        (asked,) = await jo.say("/delete")
        assert sam.reference in asked.text and priya.reference not in asked.text
        # Jo moves to Priya's draft, then answers the old question: Sam's draft goes.
        (listing,) = await jo.say("/mynominations")
        await jo.tap("Continue 2", message_id=listing.message_id)
        await jo.tap(texts.DELETE_YES, message_id=asked.message_id)

        assert await services.store.get(sam.reference) is None
        kept = await services.store.get(priya.reference)
        assert kept is not None and kept.state.answer("nominee_name") == NOMINEE
        remaining = await services.store.of_nominator(jo.key)
        assert [r.state.reference for r in remaining] == [priya.reference]


async def test_a_second_nomination_offers_the_nominators_own_details(
    tg: FakeTelegram, settings: Settings
) -> None:
    """Issue 16: the nominator's name and email from their last nomination are offered with
    Keep in the next one, not asked from scratch."""
    async with running_bot(settings) as services:
        ada = Nominator(tg, tg.user(7301, "Ada"))
        await ada.start_individual()
        await ada.say_all(*DETAILS)  # the nominee, then Jo Bloggs and their email
        await ada.say("/new")
        await ada.tap("An individual")
        asked = last(await ada.say_all("Sam Lee", "Physiotherapist", "Leeds Community", "yes"))
        assert texts.CURRENT_SHORT.format(answer="Jo Bloggs") in asked.text
        assert texts.BUTTON_KEEP in asked.buttons
        email = last(await ada.tap(texts.BUTTON_KEEP))
        assert texts.CURRENT_SHORT.format(answer=DETAILS[5]) in email.text
        await ada.tap(texts.BUTTON_KEEP)
        draft = await ada.draft(services)
        assert draft is not None and draft.answer("nominee_name") == "Sam Lee"
        assert draft.answer("nominator_name") == "Jo Bloggs"
        assert draft.position == "nominator_phone"
