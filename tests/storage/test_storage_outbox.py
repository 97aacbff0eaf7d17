"""The outbox as the mail worker sees it: what is due, and recording each attempt."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from flows.form import Form
from flows.state import REVIEW, Status
from storage import NominationStore, Outbox, OutboxRowNotPending
from storage.types import EmailKind, NewEmail, OutboxRow, OutboxStatus

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
ME = "sender-a"
LEASE = timedelta(minutes=5)


def email(reference: str, kind: EmailKind) -> NewEmail:
    return NewEmail(
        kind=kind,
        recipients=(f"{kind.value}@example.nhs.uk", "Awards Team <awards@example.nhs.uk>"),
        message_id=f"<{reference}.{kind.value}@nominations.example>",
        message=b"Subject: Nomination\r\n\r\nbinary \xff\x00 safe\r\n",
    )


async def submit_with_email(
    store: NominationStore, form: Form, nominator: str, at: datetime
) -> str:
    draft = await store.create_draft(nominator, form, REVIEW, at=at)
    done = draft.model_copy(update={"status": Status.SUBMITTED})
    emails = [email(draft.reference, kind) for kind in (EmailKind.ORGANISERS, EmailKind.NOMINATOR)]
    await store.save(draft, done, at=at, outbox=emails)
    return draft.reference


def ids(rows: list[OutboxRow]) -> list[int]:
    return [row.id for row in rows]


async def claim(outbox: Outbox, row_id: int, claimant: str = ME, now: datetime = T0) -> OutboxRow:
    """Claim a row that must be free, as a sender does before sending it."""
    row = await outbox.claim(row_id, claimant, now=now, until=now + LEASE)
    assert row is not None, f"row {row_id} could not be claimed"
    return row


async def test_an_empty_outbox_has_nothing_due(store: NominationStore) -> None:
    assert await store.outbox.due(T0, 10) == []
    assert await store.outbox.next_due_at() is None
    assert await store.outbox.rows() == []


async def test_rows_are_due_from_their_submission_oldest_first(
    store: NominationStore, form: Form
) -> None:
    late = await submit_with_email(store, form, "tg:2", T0 + timedelta(minutes=5))
    early = await submit_with_email(store, form, "tg:1", T0)

    assert await store.outbox.due(T0 - timedelta(seconds=1), 10) == []
    due_now = await store.outbox.due(T0, 10)
    assert [(r.reference, r.kind) for r in due_now] == [
        (early, EmailKind.ORGANISERS),
        (early, EmailKind.NOMINATOR),
    ]
    later = await store.outbox.due(T0 + timedelta(hours=1), 10)
    assert [r.reference for r in later] == [early, early, late, late]
    assert [r.reference for r in await store.outbox.due(T0 + timedelta(hours=1), 3)] == [
        early,
        early,
        late,
    ]
    assert await store.outbox.next_due_at() == T0


async def test_a_row_keeps_what_was_queued(store: NominationStore, form: Form) -> None:
    reference = await submit_with_email(store, form, "tg:1", T0)

    row = (await store.outbox.due(T0, 1))[0]

    queued = email(reference, EmailKind.ORGANISERS)
    assert row.recipients == queued.recipients
    assert row.message == queued.message
    assert row.message_id == queued.message_id
    assert row.status is OutboxStatus.PENDING
    assert (row.attempts, row.last_error, row.sent_at) == (0, None, None)
    assert row.created_at == row.next_attempt_at == T0


async def test_a_retry_waits_until_its_next_attempt(store: NominationStore, form: Form) -> None:
    await submit_with_email(store, form, "tg:1", T0)
    first, second = await store.outbox.due(T0, 10)
    retry_at = T0 + timedelta(minutes=2)

    await claim(store.outbox, first.id)
    await store.outbox.mark_retry(
        first.id, attempts=1, next_attempt_at=retry_at, error="421 try again later", claimant=ME
    )

    assert ids(await store.outbox.due(T0 + timedelta(minutes=1), 10)) == [second.id]
    assert await store.outbox.next_due_at() == T0  # the second row is still due now
    await claim(store.outbox, second.id)
    await store.outbox.mark_sent(second.id, T0 + timedelta(seconds=1), claimant=ME)
    assert await store.outbox.next_due_at() == retry_at
    (retried,) = await store.outbox.due(retry_at, 10)
    assert retried.id == first.id
    assert (retried.attempts, retried.last_error, retried.status) == (
        1,
        "421 try again later",
        OutboxStatus.PENDING,
    )
    assert retried.next_attempt_at == retry_at


async def test_sent_and_failed_rows_are_no_longer_due(store: NominationStore, form: Form) -> None:
    await submit_with_email(store, form, "tg:1", T0)
    first, second = await store.outbox.due(T0, 10)
    sent_at = T0 + timedelta(seconds=3)

    for row in (first, second):
        await claim(store.outbox, row.id)
    await store.outbox.mark_sent(first.id, sent_at, claimant=ME)
    await store.outbox.mark_failed(second.id, attempts=8, error="550 no such user", claimant=ME)

    assert await store.outbox.due(T0 + timedelta(days=365), 10) == []
    assert await store.outbox.next_due_at() is None
    sent, failed = await store.outbox.rows()
    assert (sent.status, sent.sent_at, sent.attempts) == (OutboxStatus.SENT, sent_at, 1)
    assert (failed.status, failed.attempts, failed.last_error, failed.sent_at) == (
        OutboxStatus.FAILED,
        8,
        "550 no such user",
        None,
    )


async def test_rows_can_be_listed_by_status(store: NominationStore, form: Form) -> None:
    await submit_with_email(store, form, "tg:1", T0)
    await submit_with_email(store, form, "tg:2", T0)
    a, b, c, d = await store.outbox.rows()
    await claim(store.outbox, a.id)
    await claim(store.outbox, c.id)
    await store.outbox.mark_sent(a.id, T0, claimant=ME)
    await store.outbox.mark_failed(c.id, attempts=3, error="boom", claimant=ME)

    assert ids(await store.outbox.rows()) == [a.id, b.id, c.id, d.id]
    assert ids(await store.outbox.rows([OutboxStatus.PENDING])) == [b.id, d.id]
    assert ids(await store.outbox.rows({OutboxStatus.SENT, OutboxStatus.FAILED})) == [a.id, c.id]
    assert await store.outbox.rows(()) == []


async def mark(outbox: Outbox, how: str, row_id: int, claimant: str = ME) -> None:
    if how == "sent":
        await outbox.mark_sent(row_id, T0, claimant=claimant)
    elif how == "retry":
        await outbox.mark_retry(
            row_id, attempts=2, next_attempt_at=T0, error="x", claimant=claimant
        )
    else:
        await outbox.mark_failed(row_id, attempts=2, error="x", claimant=claimant)


@pytest.mark.parametrize("how", ["sent", "retry", "failed"])
async def test_only_pending_rows_can_be_marked(
    store: NominationStore, form: Form, how: str
) -> None:
    await submit_with_email(store, form, "tg:1", T0)
    row = (await store.outbox.rows())[0]
    await claim(store.outbox, row.id)
    await store.outbox.mark_sent(row.id, T0, claimant=ME)

    with pytest.raises(OutboxRowNotPending):
        await mark(store.outbox, how, row.id)
    with pytest.raises(OutboxRowNotPending):
        await mark(store.outbox, how, 9999)

    assert (await store.outbox.rows())[0].status is OutboxStatus.SENT


async def test_the_outbox_survives_a_restart(db_path: Path, form: Form) -> None:
    async with await NominationStore.open(db_path) as store:
        await submit_with_email(store, form, "tg:1", T0)
        first, _ = await store.outbox.due(T0, 10)
        await claim(store.outbox, first.id)
        await store.outbox.mark_retry(
            first.id,
            attempts=1,
            next_attempt_at=T0 + timedelta(minutes=1),
            error="timeout",
            claimant=ME,
        )
        before = await store.outbox.rows()

    async with await NominationStore.open(db_path) as store:
        assert await store.outbox.rows() == before


@pytest.mark.parametrize("how", ["sent", "retry", "failed"])
async def test_only_the_claimant_can_mark_a_row(
    store: NominationStore, form: Form, how: str
) -> None:
    await submit_with_email(store, form, "tg:1", T0)
    row = (await store.outbox.rows())[0]

    with pytest.raises(OutboxRowNotPending):
        await mark(store.outbox, how, row.id)  # nobody has claimed it
    await claim(store.outbox, row.id, "sender-b")
    with pytest.raises(OutboxRowNotPending):
        await mark(store.outbox, how, row.id)  # sender-b holds it

    await mark(store.outbox, how, row.id, "sender-b")
    marked = (await store.outbox.rows())[0]
    assert marked.status is not OutboxStatus.PENDING or marked.attempts == 2
    assert (marked.claimed_by, marked.claimed_until) == (None, None)  # let go once recorded


async def test_a_claimed_row_belongs_to_one_sender_until_its_lease_runs_out(
    store: NominationStore, form: Form
) -> None:
    await submit_with_email(store, form, "tg:1", T0)
    first, second = await store.outbox.rows()

    held = await claim(store.outbox, first.id, "sender-a")
    assert (held.claimed_by, held.claimed_until) == ("sender-a", T0 + LEASE)
    just_before = T0 + LEASE - timedelta(microseconds=1)
    assert (
        await store.outbox.claim(first.id, "sender-b", now=just_before, until=T0 + 2 * LEASE)
        is None
    )
    assert ids(await store.outbox.due(just_before, 10)) == [second.id]
    await claim(store.outbox, second.id, "sender-b")
    # No spinning on held rows: the earliest a sender could do anything is when a lease runs out.
    assert await store.outbox.next_due_at() == T0 + LEASE

    # sender-a died mid-send: once its lease is over, sender-b takes the row, unchanged.
    taken = await claim(store.outbox, first.id, "sender-b", now=T0 + LEASE)
    assert (taken.message_id, taken.message, taken.attempts) == (
        first.message_id,
        first.message,
        0,
    )
    with pytest.raises(OutboxRowNotPending):
        await store.outbox.mark_sent(first.id, T0, claimant="sender-a")  # too late
    await store.outbox.mark_sent(first.id, T0 + LEASE, claimant="sender-b")
    assert await store.outbox.claim(first.id, "sender-a", now=T0 + 9 * LEASE, until=T0) is None


async def test_a_claim_can_insist_the_row_is_due(store: NominationStore, form: Form) -> None:
    await submit_with_email(store, form, "tg:1", T0)
    row = (await store.outbox.rows())[0]
    await claim(store.outbox, row.id)
    later = T0 + timedelta(minutes=10)
    await store.outbox.mark_retry(row.id, attempts=1, next_attempt_at=later, error="x", claimant=ME)

    too_soon = T0 + timedelta(minutes=1)
    assert await store.outbox.claim(row.id, ME, now=too_soon, until=later, due_by=too_soon) is None
    # `outbox --send` tries every pending row whatever its backoff: it claims without due_by.
    assert await store.outbox.claim(row.id, ME, now=too_soon, until=later) is not None


async def test_senders_on_two_connections_never_both_claim_a_row(db_path: Path, form: Form) -> None:
    async with (
        await NominationStore.open(db_path) as one,
        await NominationStore.open(db_path) as two,
    ):
        for n in range(10):
            await submit_with_email(one, form, f"tg:{n}", T0)
        rows = await one.outbox.rows()

        async def take_all(store: NominationStore, who: str) -> list[int]:
            taken = []
            for row in rows:
                if await store.outbox.claim(row.id, who, now=T0, until=T0 + LEASE):
                    taken.append(row.id)
                await asyncio.sleep(0)
            return taken

        won_by_one, won_by_two = await asyncio.gather(take_all(one, "one"), take_all(two, "two"))

    assert sorted(won_by_one + won_by_two) == ids(rows)
