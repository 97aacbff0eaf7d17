"""NominationStore: drafts survive restarts, saves write only what changed, submitting is final."""

from __future__ import annotations

import itertools
import re
import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from flows.form import Form
from flows.state import REVIEW, NominationState, Part, Status
from storage import NominationFinal, NominationStore, UnknownNomination
from storage.types import EmailKind, NewEmail, OutboxStatus

Clock = Callable[[], datetime]
RowChanges = Callable[[], list[tuple[str, str, str]]]
TableRows = Callable[[str], list[tuple[object, ...]]]

REFERENCE = re.compile(r"^LSI-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}$")

AWKWARD_TEXTS = (
    "Ward 7 — “excellent” 👩🏽‍⚕️🏥 café",
    "تحسين الخدمة في الجناح السابع",  # Arabic, right to left
    "שיפור השירות \u202bmixed RTL\u202c and LTR",
    "line one\nline two\r\n\ttabbed\x00nul",
    "<b>not html</b> & 'quotes' \"double\" ; DROP TABLE nominations; --",
    "Ünïcödé " * 500,  # 4000 characters
)


def replace(state: NominationState, field_id: str, *parts: Part) -> NominationState:
    return state.model_copy(update={"answers": {**state.answers, field_id: parts}})


def append(state: NominationState, field_id: str, part: Part) -> NominationState:
    return replace(state, field_id, *state.answers.get(field_id, ()), part)


def move(state: NominationState, position: str, *, returning: bool = False) -> NominationState:
    return state.model_copy(update={"position": position, "returning_to_review": returning})


def submit(state: NominationState) -> NominationState:
    return state.model_copy(update={"status": Status.SUBMITTED, "position": REVIEW})


def email(reference: str, kind: EmailKind = EmailKind.ORGANISERS) -> NewEmail:
    message_id = f"<{reference}.{kind.value}@nominations.example>"
    return NewEmail(
        kind=kind,
        recipients=("awards@example.nhs.uk", "second@example.nhs.uk"),
        message_id=message_id,
        message=f"Message-ID: {message_id}\r\n\r\nBody {reference}\r\n".encode(),
    )


def parts_rows(table_rows: TableRows) -> list[tuple[object, ...]]:
    return table_rows("SELECT nomination_id, field_id, seq, source, text FROM answer_parts")


async def test_a_draft_comes_back_identical_after_a_restart(
    db_path: Path, form: Form, clock: Clock
) -> None:
    async with await NominationStore.open(db_path) as store:
        draft = await store.create_draft("tg:12345", form, "nominee_type", at=clock())
        state = draft
        state = replace(state, "nominee_type", Part(text="individual", source="cb:1"))
        state = replace(state, "nominee_name", Part(text=AWKWARD_TEXTS[0], source="msg:2"))
        for n, text in enumerate(AWKWARD_TEXTS):
            state = append(state, "q1", Part(text=text, source=f"msg:{10 + n}"))
        state = append(state, "q2", Part(text="typed in the terminal"))  # no source
        state = move(state, "q3", returning=True)
        await store.save(draft, state, at=clock())

    async with await NominationStore.open(db_path) as store:
        resumed = await store.active_draft("tg:12345")

    assert resumed == state
    assert resumed is not None and resumed.answers["q1"] == tuple(
        Part(text=text, source=f"msg:{10 + n}") for n, text in enumerate(AWKWARD_TEXTS)
    )


async def test_a_new_draft_starts_empty_at_its_position(
    store: NominationStore, form: Form, clock: Clock
) -> None:
    created_at = clock()
    draft = await store.create_draft("local:alice", form, "nominee_type", at=created_at)

    assert draft == NominationState(
        form_id=form.id,
        form_version=form.version,
        reference=draft.reference,
        position="nominee_type",
    )
    assert await store.active_draft("local:alice") == draft
    record = await store.get(draft.reference)
    assert record is not None
    assert record.state == draft
    assert record.nominator == "local:alice"
    assert record.created_at == record.updated_at == created_at
    assert record.submitted_at is None


async def test_nobody_else_sees_the_draft(store: NominationStore, form: Form, clock: Clock) -> None:
    await store.create_draft("tg:1", form, "nominee_type", at=clock())

    assert await store.active_draft("tg:2") is None
    assert await store.active_draft("local:tg:1") is None
    assert await store.get("LSI-222222") is None


async def test_appending_a_part_inserts_one_row_and_leaves_earlier_rows_untouched(
    store: NominationStore,
    form: Form,
    clock: Clock,
    row_changes: RowChanges,
    table_rows: TableRows,
) -> None:
    draft = await store.create_draft("tg:1", form, "q1", at=clock())
    first = append(append(draft, "q1", Part(text="one", source="m1")), "q1", Part(text="two"))
    first = replace(first, "nominee_name", Part(text="Priya Shah"))
    await store.save(draft, first, at=clock())
    before = parts_rows(table_rows)
    row_changes()

    second = append(first, "q1", Part(text="three", source="m3"))
    await store.save(first, second, at=clock())

    assert row_changes() == [
        ("nominations", "UPDATE", draft.reference),
        ("answer_parts", "INSERT", "q1#2"),
    ]
    after = parts_rows(table_rows)
    assert after[: len(before)] == before
    assert after[len(before) :] == [(after[0][0], "q1", 2, "m3", "three")]


async def test_replacing_an_answer_rewrites_only_that_answer(
    store: NominationStore, form: Form, clock: Clock, row_changes: RowChanges
) -> None:
    draft = await store.create_draft("tg:1", form, "q1", at=clock())
    first = append(append(draft, "q1", Part(text="q1 a")), "q1", Part(text="q1 b"))
    first = append(append(first, "q2", Part(text="q2 a")), "q2", Part(text="q2 b"))
    await store.save(draft, first, at=clock())
    row_changes()

    # An edited message revises the first part of Q2: Q2 is rewritten, Q1 is not touched.
    second = replace(first, "q2", Part(text="q2 a, edited"), first.answers["q2"][1])
    await store.save(first, second, at=clock())

    assert row_changes() == [
        ("nominations", "UPDATE", draft.reference),
        ("answer_parts", "DELETE", "q2#0"),
        ("answer_parts", "DELETE", "q2#1"),
        ("answer_parts", "INSERT", "q2#0"),
        ("answer_parts", "INSERT", "q2#1"),
    ]
    assert await store.active_draft("tg:1") == second


async def test_clearing_and_removing_answers_deletes_their_parts(
    store: NominationStore, form: Form, clock: Clock, row_changes: RowChanges
) -> None:
    draft = await store.create_draft("tg:1", form, "q1", at=clock())
    first = append(draft, "q1", Part(text="q1"))
    first = append(first, "team_name", Part(text="Ward 7"))
    first = append(first, "nominee_role", Part(text="Nurse"))
    await store.save(draft, first, at=clock())
    row_changes()

    answers = {k: v for k, v in first.answers.items() if k != "team_name"}
    second = first.model_copy(update={"answers": {**answers, "q1": ()}})
    await store.save(first, second, at=clock())

    assert sorted(row_changes()) == [
        ("answer_parts", "DELETE", "q1#0"),
        ("answer_parts", "DELETE", "team_name#0"),
        ("nominations", "UPDATE", draft.reference),
    ]
    # The schema keeps parts, not empty answers: an answer with no parts comes back unanswered.
    assert await store.active_draft("tg:1") == first.model_copy(
        update={"answers": {"nominee_role": (Part(text="Nurse"),)}}
    )


async def test_moving_through_the_form_updates_just_the_nomination_row(
    store: NominationStore, form: Form, clock: Clock, row_changes: RowChanges
) -> None:
    draft = await store.create_draft("tg:1", form, "nominee_type", at=clock())
    row_changes()

    moved = move(draft, REVIEW)
    at = clock()
    await store.save(draft, moved, at=at)
    back = move(moved, "q2", returning=True)
    await store.save(moved, back, at=clock())

    assert row_changes() == [("nominations", "UPDATE", draft.reference)] * 2
    record = await store.get(draft.reference)
    assert record is not None
    assert record.state == back
    assert record.updated_at > at > record.created_at


async def test_saving_no_change_writes_nothing(
    store: NominationStore, form: Form, clock: Clock, row_changes: RowChanges
) -> None:
    draft = await store.create_draft("tg:1", form, "q1", at=clock())
    row_changes()

    await store.save(draft, draft.model_copy(), at=clock())

    assert row_changes() == []
    record = await store.get(draft.reference)
    assert record is not None and record.updated_at == record.created_at


async def test_several_drafts_the_last_continued_is_current(
    store: NominationStore, form: Form, clock: Clock
) -> None:
    first = await store.create_draft("tg:1", form, "nominee_type", at=clock())
    second = await store.create_draft("tg:1", form, "nominee_type", at=clock())
    assert await store.count_by_status() == {"draft": 2, "submitted": 0, "withdrawn": 0}
    assert await store.active_draft("tg:1") == second

    await store.set_current("tg:1", first.reference)
    assert await store.active_draft("tg:1") == first
    # Saving the other draft (a button from its message) does not move the pointer.
    moved = second.model_copy(update={"position": "q1"})
    await store.save(second, moved, at=clock())
    assert await store.active_draft("tg:1") == first
    listed = await store.of_nominator("tg:1")
    assert [r.state for r in listed] == [moved, first]  # newest first

    first_done = submit(append(first, "q1", Part(text="first nomination")))
    await store.save(first, first_done, at=clock())
    assert await store.active_draft("tg:1") == moved  # the sent one is no longer worked on


async def test_a_nominator_can_make_several_nominations(
    store: NominationStore, form: Form, clock: Clock
) -> None:
    first = await store.create_draft("tg:1", form, "nominee_type", at=clock())
    first_done = submit(append(first, "q1", Part(text="first nomination")))
    await store.save(first, first_done, at=clock())

    assert await store.active_draft("tg:1") is None
    second = await store.create_draft("tg:1", form, "nominee_type", at=clock())

    assert second.reference != first.reference
    assert await store.active_draft("tg:1") == second
    record = await store.get(first.reference)
    assert record is not None and record.state == first_done


async def test_references_are_unique_and_easy_to_read(
    store: NominationStore, form: Form, clock: Clock
) -> None:
    drafts = [
        await store.create_draft(f"tg:{n}", form, "nominee_type", at=clock()) for n in range(300)
    ]

    references = [d.reference for d in drafts]
    assert all(REFERENCE.match(r) for r in references), references
    assert len(set(references)) == len(references)


async def test_a_reference_already_taken_is_drawn_again(
    store: NominationStore, form: Form, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    draws = iter(["LSI-AAAAAA", "LSI-AAAAAA", "LSI-AAAAAA", "LSI-BBBBBB"])
    monkeypatch.setattr("storage.nominations.new_reference", lambda prefix: next(draws))

    first = await store.create_draft("tg:1", form, "nominee_type", at=clock())
    second = await store.create_draft("tg:2", form, "nominee_type", at=clock())

    assert (first.reference, second.reference) == ("LSI-AAAAAA", "LSI-BBBBBB")


async def test_submitting_records_the_time_and_queues_email_in_the_same_transaction(
    store: NominationStore, form: Form, clock: Clock, row_changes: RowChanges
) -> None:
    draft = await store.create_draft("tg:1", form, "q4", at=clock())
    answered = append(draft, "q4", Part(text="last answer"))
    await store.save(draft, answered, at=clock())
    row_changes()
    emails = [email(draft.reference), email(draft.reference, EmailKind.NOMINATOR)]

    at = clock()
    await store.save(answered, submit(answered), at=at, outbox=emails)

    record = await store.get(draft.reference)
    assert record is not None
    assert record.state == submit(answered)
    assert record.submitted_at == record.updated_at == at
    rows = await store.outbox.rows()
    assert [(r.reference, r.kind, r.message_id, r.message) for r in rows] == [
        (draft.reference, e.kind, e.message_id, e.message) for e in emails
    ]
    assert all(r.status is OutboxStatus.PENDING and r.attempts == 0 for r in rows)
    assert all(r.next_attempt_at == r.created_at == at for r in rows)
    assert row_changes() == [("nominations", "UPDATE", draft.reference)]


async def test_if_the_email_cannot_be_queued_the_submission_is_rolled_back(
    store: NominationStore, form: Form, clock: Clock
) -> None:
    other = await store.create_draft("tg:2", form, "q4", at=clock())
    await store.save(other, submit(other), at=clock(), outbox=[email("LSI-SAMEID")])
    draft = await store.create_draft("tg:1", form, "q4", at=clock())
    answered = append(draft, "q4", Part(text="kept"))
    await store.save(draft, answered, at=clock())

    final = append(answered, "q4", Part(text="not kept"))
    duplicate = [email(draft.reference), email("LSI-SAMEID")]
    with pytest.raises(sqlite3.IntegrityError, match="message_id"):
        await store.save(answered, submit(final), at=clock(), outbox=duplicate)

    assert await store.active_draft("tg:1") == answered
    assert [r.reference for r in await store.outbox.rows()] == [other.reference]
    # Nothing is left half-done on the connection: the next save works.
    await store.save(answered, submit(final), at=clock(), outbox=[email(draft.reference)])
    record = await store.get(draft.reference)
    assert record is not None and record.state == submit(final)


async def test_a_submitted_nomination_cannot_be_saved_again(
    store: NominationStore, form: Form, clock: Clock
) -> None:
    draft = await store.create_draft("tg:1", form, "q4", at=clock())
    done = submit(append(draft, "q4", Part(text="final")))
    await store.save(draft, done, at=clock())

    with pytest.raises(NominationFinal):
        await store.save(done, move(done, "q1"), at=clock())
    # A stale draft state (saved after submission, e.g. a late message) is refused too.
    with pytest.raises(NominationFinal):
        await store.save(draft, move(draft, "q1"), at=clock())

    record = await store.get(draft.reference)
    assert record is not None and record.state == done


async def test_a_submitted_nomination_cannot_be_deleted(
    store: NominationStore, form: Form, clock: Clock
) -> None:
    draft = await store.create_draft("tg:1", form, "q4", at=clock())
    done = submit(append(draft, "q4", Part(text="final")))
    await store.save(draft, done, at=clock())

    assert await store.delete_draft(draft.reference) is False

    record = await store.get(draft.reference)
    assert record is not None and record.state == done


async def test_deleting_a_draft_erases_it_and_its_answers(
    store: NominationStore,
    form: Form,
    clock: Clock,
    table_rows: TableRows,
) -> None:
    keep = await store.create_draft("tg:2", form, "q1", at=clock())
    await store.save(keep, append(keep, "q1", Part(text="stays")), at=clock())
    draft = await store.create_draft("tg:1", form, "q1", at=clock())
    await store.save(draft, append(draft, "q1", Part(text="goes")), at=clock())

    assert await store.delete_draft(draft.reference) is True

    assert await store.get(draft.reference) is None
    assert await store.active_draft("tg:1") is None
    assert [row[-1] for row in parts_rows(table_rows)] == ["stays"]
    assert await store.delete_draft(draft.reference) is False
    # The nominator can start again.
    assert (await store.create_draft("tg:1", form, "q1", at=clock())).reference != draft.reference


async def test_saving_a_deleted_draft_is_refused(
    store: NominationStore, form: Form, clock: Clock
) -> None:
    draft = await store.create_draft("tg:1", form, "q1", at=clock())
    await store.delete_draft(draft.reference)

    with pytest.raises(UnknownNomination):
        await store.save(draft, move(draft, "q2"), at=clock())


async def test_states_of_different_nominations_cannot_be_mixed(
    store: NominationStore, form: Form, clock: Clock
) -> None:
    draft = await store.create_draft("tg:1", form, "q1", at=clock())
    other = draft.model_copy(update={"reference": "LSI-234567"})

    with pytest.raises(ValueError, match="cannot save"):
        await store.save(draft, other, at=clock())


async def test_times_must_be_timezone_aware(
    store: NominationStore, form: Form, clock: Clock
) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        await store.create_draft("tg:1", form, "q1", at=clock().replace(tzinfo=None))


async def test_submitted_lists_nominations_in_submission_order(
    store: NominationStore, form: Form, clock: Clock
) -> None:
    submitted_at = {}
    drafts = {}
    states = {}
    for n in range(5):
        drafts[n] = await store.create_draft(f"tg:{n}", form, "q1", at=clock())
        states[n] = append(append(drafts[n], "q1", Part(text=f"{n} a")), "q2", Part(text=f"{n} b"))
    await store.create_draft("tg:99", form, "q1", at=clock())  # a draft stays out of the export
    for n in (3, 0, 4, 1):  # submitted in a different order from creation
        submitted_at[n] = clock()
        await store.save(drafts[n], submit(states[n]), at=submitted_at[n])

    records = await store.submitted()

    assert [r.state for r in records] == [submit(states[n]) for n in (3, 0, 4, 1)]
    assert [r.submitted_at for r in records] == [submitted_at[n] for n in (3, 0, 4, 1)]
    assert [r.nominator for r in records] == ["tg:3", "tg:0", "tg:4", "tg:1"]
    assert await store.count_by_status() == {"draft": 2, "submitted": 4, "withdrawn": 0}


async def test_timestamps_keep_their_instant_whatever_the_offset(
    store: NominationStore, form: Form, clock: Clock
) -> None:
    at = clock().astimezone(timezone(timedelta(hours=-5)))
    draft = await store.create_draft("tg:1", form, "q1", at=at)

    record = await store.get(draft.reference)
    assert record is not None
    assert record.created_at == at
    assert record.created_at.utcoffset() == timedelta(0)


def test_reference_codes_never_use_confusable_characters() -> None:
    from storage.nominations import REFERENCE_ALPHABET, new_reference

    assert not set("0O1IL") & set(REFERENCE_ALPHABET)
    codes = [new_reference("LSI") for _ in itertools.repeat(None, 2000)]
    assert all(REFERENCE.match(code) for code in codes)
    # Random, not sequential: 31**6 codes, so 2,000 draws repeat one only by chance (about 1 in
    # 440: the store retries a clash). Almost all are distinct; asking for all of them was flaky.
    assert len(set(codes)) >= 1995
