"""NominationService over the in-memory store: the fast tier (no SQLite, no network). The same
rules run against the real SQLite store in tests/storage and end to end in tests/bot."""

from __future__ import annotations

from bot.services.nominating import NominationService, Outcome
from flows.effects import Ask, Review, Submitted
from flows.events import Answer, Done, Submit
from tests.unit.conftest import RecordingComposer
from tests.unit.fakes import FakeDraftStore

DETAILS = ("colleague", "Alex Jones", "Sam", "sam@nhs.example", "They stayed late")


async def fill(service: NominationService, nominator: str = "n1") -> None:
    """From nothing to the review of a complete tiny-form nomination."""
    await service.continue_nomination(nominator)
    for text in DETAILS:
        await service.apply(nominator, Answer(text))
    await service.apply(nominator, Done())


async def test_continue_starts_a_draft_at_the_first_question(
    service: NominationService, store: FakeDraftStore
) -> None:
    outcome = await service.continue_nomination("n1")

    assert outcome.state is not None
    assert [type(e) for e in outcome.effects] == [Ask]
    assert outcome.state.position == "who"
    assert await store.active_draft("n1") == outcome.state


async def test_continue_carries_on_with_the_same_draft(service: NominationService) -> None:
    first = await service.continue_nomination("n1")
    await service.apply("n1", Answer("colleague"))

    again = await service.continue_nomination("n1")

    assert first.state is not None and again.state is not None
    assert again.state.reference == first.state.reference
    assert again.state.position == "colleague_name"
    assert again.state.answers.keys() == {"who"}


async def test_an_answer_is_saved_before_the_outcome_returns(
    service: NominationService, store: FakeDraftStore
) -> None:
    await service.continue_nomination("n1")
    outcome = await service.apply("n1", Answer("colleague"))

    assert await store.active_draft("n1") == outcome.state


async def test_without_a_draft_nothing_happens(
    service: NominationService, store: FakeDraftStore
) -> None:
    outcome = await service.apply("n1", Answer("hello"))

    assert outcome.state is None and outcome.effects == ()
    assert store.records == {}


async def test_a_condition_that_fails_refuses_the_event(
    service: NominationService, store: FakeDraftStore
) -> None:
    started = await service.continue_nomination("n1")

    outcome = await service.apply("n1", Answer("colleague"), only_if=lambda draft: False)

    assert outcome.refused
    assert outcome.state == started.state == await store.active_draft("n1")


async def test_submitting_queues_the_emails_in_the_same_save_and_wakes_the_worker(
    service: NominationService,
    store: FakeDraftStore,
    composer: RecordingComposer,
    woken: list[int],
) -> None:
    await fill(service)
    draft = await store.active_draft("n1")
    assert draft is not None and draft.at_review
    assert store.outbox == [] and woken == []

    outcome = await service.apply("n1", Submit())

    assert [type(e) for e in outcome.effects] == [Submitted]
    assert composer.composed == [draft.reference]
    assert len(store.outbox) == 1
    assert woken == [1]
    record = await store.get(draft.reference)
    assert record is not None and record.state.is_submitted and record.submitted_at is not None
    assert await store.active_draft("n1") is None


async def test_was_submitted_knows_a_reference_by_its_code(service: NominationService) -> None:
    await fill(service)
    submitted = await service.apply("n1", Submit())
    assert submitted.state is not None
    code = submitted.state.reference.rsplit("-", 1)[-1]
    await service.continue_nomination("n2")

    assert await service.was_submitted("n1", code)
    assert not await service.was_submitted("n2", code)  # not n2's: as unknown as a made-up one
    assert not await service.was_submitted("n2", "000002")  # n2's draft: not sent
    assert not await service.was_submitted("n1", "ZZZZZZ")  # no such nomination


async def test_delete_erases_only_the_nominators_draft(
    service: NominationService, store: FakeDraftStore
) -> None:
    await service.continue_nomination("n1")
    await service.continue_nomination("n2")

    assert await service.delete("n1")
    assert not await service.delete("n1")
    assert await store.active_draft("n1") is None
    assert await store.active_draft("n2") is not None


async def test_one_nominators_answers_never_reach_anothers_draft(
    service: NominationService,
) -> None:
    await service.continue_nomination("n1")
    await service.continue_nomination("n2")
    await service.apply("n1", Answer("colleague"))

    n2 = await service.draft("n2")
    assert n2 is not None and n2.answers == {}


async def test_the_review_follows_the_last_answer(service: NominationService) -> None:
    await service.continue_nomination("n1")
    for text in DETAILS:
        await service.apply("n1", Answer(text))

    outcome = await service.apply("n1", Done())

    assert [type(e) for e in outcome.effects] == [Review]


async def test_a_button_acts_on_its_own_draft_and_never_on_another_nominators(
    service: NominationService, store: FakeDraftStore
) -> None:
    first = (await service.continue_nomination("n1")).state
    second = (await service.start_another("n1")).state
    theirs = (await service.continue_nomination("n2")).state
    assert first is not None and second is not None and theirs is not None
    assert await service.draft("n1") == second

    # A button from the first draft's message: it answers the first, which becomes current.
    outcome = await service.apply("n1", Answer("colleague"), code=first.reference.split("-")[1])
    assert outcome.state is not None and outcome.state.reference == first.reference
    assert await service.draft("n1") == outcome.state
    second_now = await store.get(second.reference)
    assert second_now is not None and second_now.state == second

    # Another nominator's reference code reaches nothing of theirs.
    code = theirs.reference.split("-")[1]
    assert (await service.apply("n1", Answer("colleague"), code=code)).state is None
    assert await service.continue_draft("n1", code) == Outcome(None)
    assert await service.own("n1", code) is None
    assert not await service.delete("n1", code)
    assert await service.draft("n2") == theirs
    listed = await service.nominations("n1")
    assert [r.state.reference for r in listed] == [second.reference, first.reference]
