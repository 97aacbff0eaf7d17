"""Proving the nominator's address, through the service over the real store and the real email
composer: the code arrives in the outbox (read back from the queued message, as a nominator would
read it), and the limits hold: 15 minutes, 5 attempts, 3 codes an hour per nominator and per
address. Unconfirmed nominations reach the organisers marked, with no copy."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from bot.services.email_codes import EmailCheck
from bot.services.nominating import NominationService, Outcome
from flows.effects import AskCode, CodeProblem, EmailChecked, Submitted
from flows.events import Answer, ChangeEmail, Done, Edit, ResendCode, SkipCode, Submit
from flows.form import Form, load_form
from mail.compose import UNCONFIRMED, compose_code_email
from storage import NominationStore
from storage.types import EmailKind, NewEmail, OutboxRow
from tests.kit.mailkit import composer, parse, text_body
from tests.unit.conftest import TINY_FORM

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
MAIL_FROM = "Nomination Bot <bot@example.nhs.uk>"
MARKER = "PHISH-MARKER click http://evil.example"
ADDRESS = "sam@nhs.example"
CODE = re.compile(r"Your code is (\d{6})")


@dataclass
class Clock:
    now: datetime = START

    def __call__(self) -> datetime:
        self.now += timedelta(microseconds=1)
        return self.now


@pytest.fixture(scope="module")
def tiny_form() -> Form:
    return load_form(TINY_FORM)


def compose_code(
    form: Form, *, address: str, code: str, token: str, at: datetime
) -> NewEmail | None:
    return compose_code_email(
        form, address=address, code=code, token=token, mail_from=MAIL_FROM, at=at
    )


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def service(store: NominationStore, tiny_form: Form, clock: Clock) -> NominationService:
    check = EmailCheck(store.email_codes, compose_code)
    return NominationService(store, tiny_form, compose=composer, clock=clock, email_check=check)


async def to_email(service: NominationService, nominator: str, address: str = ADDRESS) -> Outcome:
    """Answer up to the email address, with the marker typed into both names."""
    await service.continue_nomination(nominator)
    for text in ("colleague", f"Alex {MARKER}", f"Sam {MARKER}"):
        await service.apply(nominator, Answer(text))
    return await service.apply(nominator, Answer(address))


async def code_rows(store: NominationStore) -> list[OutboxRow]:
    return [r for r in await store.outbox.rows() if r.kind is EmailKind.VERIFY]


async def latest_code(store: NominationStore) -> str:
    rows = await code_rows(store)
    found = CODE.search(text_body(parse(rows[-1].message)))
    assert found is not None
    return found.group(1)


async def finish(service: NominationService, nominator: str) -> tuple[object, ...]:
    for event in (Answer("Kind and patient"), Done(), Submit()):
        outcome = await service.apply(nominator, event)
    return outcome.effects


async def test_the_code_is_queued_with_the_step_and_holds_none_of_the_typed_text(
    service: NominationService, store: NominationStore
) -> None:
    outcome = await to_email(service, "tg:1")

    assert outcome.effects == (AskCode(ADDRESS, sent=True),)
    (row,) = await code_rows(store)
    assert row.recipients == (ADDRESS,)
    msg = parse(row.message)
    whole = row.message.decode("ascii", "replace") + text_body(msg)
    assert "PHISH" not in whole and "Alex" not in whole and "Sam " not in whole
    assert outcome.state is not None and outcome.state.reference not in whole
    assert msg["Subject"] == "Your code to confirm your email address"
    assert "ignore this email" in text_body(msg)
    assert CODE.search(text_body(msg))


async def test_the_right_code_typed_with_a_space_confirms_and_the_copy_is_sent(
    service: NominationService, store: NominationStore
) -> None:
    await to_email(service, "tg:1")
    code = await latest_code(store)

    outcome = await service.apply("tg:1", Answer(f"{code[:3]} {code[3:]}"))

    assert outcome.effects[0] == EmailChecked(confirmed=True)
    assert outcome.state is not None and outcome.state.pending is None
    effects = await finish(service, "tg:1")
    assert effects == (Submitted(outcome.state.reference),)
    kinds = [r.kind for r in await store.outbox.rows()]
    assert kinds == [EmailKind.VERIFY, EmailKind.ORGANISERS, EmailKind.NOMINATOR]


async def test_skipping_sends_the_nomination_marked_unconfirmed_with_no_copy(
    service: NominationService, store: NominationStore
) -> None:
    await to_email(service, "tg:1")
    skipped = await service.apply("tg:1", SkipCode())
    assert skipped.effects[0] == EmailChecked(confirmed=False)

    effects = await finish(service, "tg:1")

    assert skipped.state is not None
    assert effects == (Submitted(skipped.state.reference, copy_sent=False),)
    rows = [r for r in await store.outbox.rows() if r.kind is not EmailKind.VERIFY]
    assert [r.kind for r in rows] == [EmailKind.ORGANISERS]
    organisers = parse(rows[0].message)
    assert UNCONFIRMED in organisers["Subject"]
    assert "Email address not confirmed" in text_body(organisers)
    assert organisers["Reply-To"] is None


async def test_wrong_codes_count_down_then_the_code_is_spent(
    service: NominationService, store: NominationStore
) -> None:
    await to_email(service, "tg:1")
    code = await latest_code(store)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for left in (4, 3, 2, 1):
        outcome = await service.apply("tg:1", Answer(wrong))
        assert outcome.effects == (AskCode(ADDRESS, problem=CodeProblem.WRONG, attempts_left=left),)
    spent = await service.apply("tg:1", Answer(wrong))
    assert spent.effects == (AskCode(ADDRESS, problem=CodeProblem.EXPIRED),)
    # Even the right code is refused now: five attempts were used.
    late = await service.apply("tg:1", Answer(code))
    assert late.effects == (AskCode(ADDRESS, problem=CodeProblem.EXPIRED),)


async def test_a_code_lasts_15_minutes(
    service: NominationService, store: NominationStore, clock: Clock
) -> None:
    await to_email(service, "tg:1")
    code = await latest_code(store)
    clock.now += timedelta(minutes=15)
    outcome = await service.apply("tg:1", Answer(code))
    assert outcome.effects == (AskCode(ADDRESS, problem=CodeProblem.EXPIRED),)


async def test_three_codes_an_hour_per_nominator_then_it_says_when(
    service: NominationService, store: NominationStore, clock: Clock
) -> None:
    first = clock.now
    await to_email(service, "tg:1")
    for _ in range(2):
        clock.now += timedelta(minutes=10)
        assert (await service.apply("tg:1", ResendCode())).effects == (AskCode(ADDRESS, sent=True),)

    refused = await service.apply("tg:1", ResendCode())

    assert len(await code_rows(store)) == 3
    (ask,) = refused.effects
    assert isinstance(ask, AskCode) and ask.problem is CodeProblem.TOO_MANY_CODES
    assert ask.until is not None and first < ask.until - timedelta(hours=1) < first + timedelta(
        seconds=1
    )
    # Changing the address does not reset the nominator's count.
    await service.apply("tg:1", ChangeEmail())
    other = await service.apply("tg:1", Answer("other@nhs.example"))
    assert (
        isinstance(other.effects[0], AskCode)
        and other.effects[0].problem is CodeProblem.TOO_MANY_CODES
    )


async def test_one_person_asking_never_uses_up_an_address_for_another(
    service: NominationService, store: NominationStore
) -> None:
    await to_email(service, "tg:666", "victim@example.com")
    for _ in range(2):
        await service.apply("tg:666", ResendCode())
    refused = await service.apply("tg:666", ResendCode())
    assert refused.effects[0] == AskCode(
        "victim@example.com", problem=CodeProblem.TOO_MANY_CODES, until=refused.effects[0].until
    )
    # The address's owner is sent codes as if the stranger had never asked.
    owner = await to_email(service, "tg:1", "Victim@example.com")
    assert owner.effects == (AskCode("Victim@example.com", sent=True),)
    for _ in range(2):
        again = await service.apply("tg:1", ResendCode())
        assert again.effects == (AskCode("Victim@example.com", sent=True),)
    assert len(await code_rows(store)) == 6


async def test_an_address_gets_at_most_ten_codes_an_hour_beyond_each_askers_first(
    service: NominationService, store: NominationStore, clock: Clock
) -> None:
    first = clock.now
    for n in range(5):  # five askers, two codes each: ten to one address
        await to_email(service, f"tg:{n}", "victim@example.com")
        clock.now += timedelta(minutes=1)
        resent = await service.apply(f"tg:{n}", ResendCode())
        assert resent.effects == (AskCode("victim@example.com", sent=True),)
    busy = await service.apply("tg:0", ResendCode())
    (ask,) = busy.effects
    assert isinstance(ask, AskCode) and ask.problem is CodeProblem.ADDRESS_BUSY
    # Until the oldest of the ten stops counting.
    assert ask.until is not None and first <= ask.until - timedelta(hours=1) < first + timedelta(
        seconds=1
    )
    # A new asker's first code still goes: whoever owns the address is never locked out.
    owner = await to_email(service, "tg:9", "victim@example.com")
    assert owner.effects == (AskCode("victim@example.com", sent=True),)
    assert len(await code_rows(store)) == 11


async def test_a_new_address_from_the_review_needs_its_own_code(
    service: NominationService, store: NominationStore
) -> None:
    await to_email(service, "tg:1")
    await service.apply("tg:1", Answer(await latest_code(store)))
    for event in (Answer("Kind"), Done()):
        await service.apply("tg:1", event)

    await service.apply("tg:1", Edit("your_email"))
    changed = await service.apply("tg:1", Answer("new@nhs.example"))

    assert changed.effects == (AskCode("new@nhs.example", sent=True),)
    # Back to the old, confirmed address: no new code is needed.
    await service.apply("tg:1", ChangeEmail())
    outcome = await service.apply("tg:1", Answer(ADDRESS))
    assert outcome.state is not None and outcome.state.pending is None and outcome.state.at_review


async def test_a_draft_with_a_code_email_can_still_be_deleted(
    service: NominationService, store: NominationStore
) -> None:
    await to_email(service, "tg:1")
    assert await service.delete("tg:1")
    assert await code_rows(store) == []
    assert await store.active_draft("tg:1") is None
