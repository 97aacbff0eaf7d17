"""Listings of buttons made from data stay within Telegram's limits whatever the data (issue 20),
through the real Application and the strict fake Bot API, which refuses a keyboard of more than
100 buttons as Telegram does: 120 files kept before the limits existed, 120 nominations and 120
waiting links, each listed a page at a time, with Next and Previous; and /review and Submit
still work for the nominator with the 120 files (before, every one answered "Sorry, something
went wrong")."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.screens import texts
from tests.kit.fake_telegram import FakeTelegram, Reply
from tests.kit.fake_telegram.records import inline_rows
from tests.kit.nominator import (
    DETAILS,
    NOMINEE,
    REFERENCE,
    RELATIONSHIP,
    MakeSettings,
    Nominator,
    last,
    running_bot,
    shown,
)

ANSWER = (
    "It changed how the whole ward works, and patients, families and staff all say that they "
    "can see and feel the difference every single day."
)
MANY = 120
AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def buttons_of(replies: list[Reply]) -> list[str]:
    return [label for r in replies for row in r.button_rows for label in row]


async def test_long_listings_are_paged_and_review_and_submit_still_work(
    tg: FakeTelegram, make_settings: MakeSettings
) -> None:
    async with running_bot(make_settings(support_max=MANY + 5)) as services:
        ann = Nominator(tg, tg.user(3201, "Ann"))
        await ann.start_individual()
        await ann.say_all(*DETAILS)
        await ann.say("/skip")
        await ann.say(RELATIONSHIP)
        draft = await ann.draft(services)
        assert draft is not None
        for n in range(MANY):  # as many as an older bot, with no limit, let a nominator send
            await services.evidence.store.add(
                draft.reference,
                "q1",
                name=f"scan {n + 1}.pdf",
                caption=None,
                media_type="application/pdf",
                data=b"%PDF-1.7\n%" + str(n).encode(),
                total_limit=10**9,
                at=AT,
            )

        first = await ann.say("/files")
        assert "1. Q1: scan 1.pdf" in shown(first) and "11. Q1" not in shown(first)
        assert texts.PAGE_OF.format(page=1, pages=12) in shown(first)
        assert texts.PAGE_PREVIOUS not in buttons_of(first)
        second = await ann.tap(texts.PAGE_NEXT)
        assert "11. Q1: scan 11.pdf" in shown(second)
        assert texts.FILE_REMOVE_BUTTON.format(number=11) in buttons_of(second)
        back = await ann.tap(texts.PAGE_PREVIOUS)
        assert "1. Q1: scan 1.pdf" in shown(back)
        # Remove 11, from page 2: the numbers close up, as /removefile counts them.
        await ann.tap(texts.PAGE_NEXT)
        removed = await ann.tap(texts.FILE_REMOVE_BUTTON.format(number=11), expect=2)
        assert texts.FILE_REMOVED.format(name="scan 11.pdf") in shown(removed)

        for _ in range(4):
            await ann.say(ANSWER)
            await ann.say("/done")
        review = await ann.tap(texts.BUTTON_YES, expect=2)  # consent: files, then the review
        assert "1. Q1: scan 1.pdf" in shown(review) and NOMINEE in shown(review)
        assert "Submit nomination" in buttons_of(review)
        sent = await ann.tap(texts.SUBMIT_BUTTON)
        match = REFERENCE.search(last(sent).text)
        assert match is not None and match.group() == draft.reference

        # 120 drafts besides the sent one: /mynominations a page at a time.
        for _ in range(MANY):
            await services.service.start_another(ann.key)
        listed = await ann.say("/mynominations")
        assert texts.PAGE_OF.format(page=1, pages=13) in shown(listed)
        assert texts.ANOTHER_BUTTON in buttons_of(listed)
        later = await ann.tap(texts.PAGE_NEXT)
        assert texts.PAGE_OF.format(page=2, pages=13) in shown(later)
        assert any(label.startswith("Continue 11") for label in buttons_of(later))

        # 120 links waiting for the sent nomination: /support pages them too.
        for _ in range(MANY):
            await services.support.ask(ann.key, draft.reference)
        page = await ann.say("/support")
        assert texts.PAGE_PREVIOUS not in buttons_of(page)
        seen = buttons_of(page)
        while texts.PAGE_NEXT in buttons_of(page):  # every link can be reached, page by page
            page = await ann.tap(texts.PAGE_NEXT)
            seen += buttons_of(page)
        cancels = {label for label in seen if label.startswith("Cancel link")}
        assert len(cancels) == MANY
    # The fake refuses a keyboard over 100 buttons as Telegram does, and the `tg` fixture fails
    # the test for any refusal; the largest one sent, for the record:
    sizes = [
        sum(len(row) for row in inline_rows(r.params.get("reply_markup"))) for r in tg.requests
    ]
    assert 0 < max(sizes) <= 40
