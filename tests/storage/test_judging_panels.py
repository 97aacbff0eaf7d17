"""A person on two awards' panels (issues 18 and 19), on a real SQLite file: a place on each,
one per award, and one nomination open at a time across them, so that what they type next (a
reason, a comment) is for the nomination they opened last, whichever award it is."""

from __future__ import annotations

from datetime import UTC, datetime

from storage import NominationStore

AT = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
LSI, LEARNING = "leading_for_service_improvement", "example_learning_culture"


async def test_a_judge_of_two_awards_has_one_nomination_open_at_a_time(
    store: NominationStore,
) -> None:
    judging = store.judging
    places = []
    for form_id, token_hash in ((LSI, "hash-lsi"), (LEARNING, "hash-learning")):
        await judging.invite(form_id, token_hash, at=AT)
        place = await judging.claim(token_hash, 101, at=AT)
        assert place is not None and place.form_id == form_id
        places.append(place)
    await judging.invite(LSI, "hash-other", at=AT)
    someone = await judging.claim("hash-other", 202, at=AT)
    assert someone is not None
    lsi, learning = places

    await judging.set_current(lsi.id, "LSI-AAAAAA")
    await judging.set_current(someone.id, "LSI-AAAAAA")
    await judging.set_current(learning.id, "EXLC-BBBBBB")
    now = {p.form_id: p.current for p in await judging.judges_of(101)}
    assert now == {LSI: None, LEARNING: "EXLC-BBBBBB"}
    # Someone else's open nomination is theirs still.
    theirs = await judging.judge(LSI, 202)
    assert theirs is not None and theirs.current == "LSI-AAAAAA"
