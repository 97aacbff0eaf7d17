"""The per-nominator limits over the real store: SUBMISSIONS_PER_USER_PER_DAY counts the last 24
hours and refusals are recorded for /stats; ALLOWED_EMAIL_DOMAINS refuses other addresses."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.screens.builder import ScreenBuilder
from bot.services.nominating import Limits, NominationService
from flows.effects import Effect, Problem, Reprompt, SubmitRefused, Submitted
from flows.events import Answer, Done, Revise, Submit
from flows.form import Form, load_form
from storage import NominationStore
from storage.db import SharedConnection, connect
from storage.stats import round_stats
from tests.kit.mailkit import composer
from tests.unit.conftest import TINY_FORM

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ANSWERS = ("colleague", "Alex Jones", "Sam", "sam@nhs.example", "They stayed late")


@dataclass
class Clock:
    now: datetime = START

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(scope="module")
def tiny_form() -> Form:
    return load_form(TINY_FORM)


def service_for(
    store: NominationStore,
    form: Form,
    clock: Clock,
    *,
    per_day: int | None = None,
    domains: Sequence[str] = (),
) -> NominationService:
    limits = Limits(per_day=per_day, store=store.limits, allowed_domains=frozenset(domains))
    return NominationService(store, form, compose=composer, clock=clock, limits=limits)


async def nominate(
    service: NominationService, nominator: str, answers: Sequence[str] = ANSWERS
) -> tuple[Effect, ...]:
    """From nothing to Submit, for a complete tiny-form nomination; Submit's effects."""
    await service.continue_nomination(nominator)
    for text in answers:
        await service.apply(nominator, Answer(text))
    await service.apply(nominator, Done())
    return (await service.apply(nominator, Submit())).effects


async def refusals(db_path: Path) -> int:
    conn = await connect(db_path)
    try:
        stats = await round_stats(SharedConnection(conn), now=START, organisation_field="who")
    finally:
        await conn.close()
    return stats.submits_refused


async def test_submit_over_the_daily_limit_is_refused_until_a_day_after_the_oldest(
    store: NominationStore, tiny_form: Form, db_path: Path
) -> None:
    clock = Clock()
    service = service_for(store, tiny_form, clock, per_day=2)
    for hour in (0, 3):
        clock.now = START + timedelta(hours=hour, seconds=30)
        assert [type(e) for e in await nominate(service, "tg:1")] == [Submitted]
    clock.now = START + timedelta(hours=5)

    effects = await nominate(service, "tg:1")

    # The first of the two went at 09:00:30, so a third may go from 09:01 the next day.
    assert effects == (SubmitRefused(until=START + timedelta(days=1, minutes=1)),)
    draft = await store.active_draft("tg:1")
    assert draft is not None and draft.at_review and not draft.is_submitted  # kept, not sent
    assert await refusals(db_path) == 1
    screen = ScreenBuilder(tiny_form).screen(draft, effects[0])
    assert "9:01am on Tuesday 3 March 2026" in screen.plain_text

    # Another nominator is not held back by the first one's count.
    assert [type(e) for e in await nominate(service, "tg:2")] == [Submitted]

    clock.now = START + timedelta(days=1, minutes=1)
    assert [type(e) for e in (await service.apply("tg:1", Submit())).effects] == [Submitted]
    assert await refusals(db_path) == 1


async def test_an_address_outside_the_allowed_domains_is_refused_however_it_is_given(
    store: NominationStore, tiny_form: Form
) -> None:
    service = service_for(store, tiny_form, Clock(), domains=("nhs.net", "nhs.example"))
    await service.continue_nomination("tg:1")
    for text in ANSWERS[:3]:
        await service.apply("tg:1", Answer(text))

    refused = await service.apply("tg:1", Answer("victim@gmail.com", source="m4"))

    assert refused.effects == (Reprompt("your_email", Problem.EMAIL_DOMAIN),)
    draft = await store.active_draft("tg:1")
    assert draft is not None and draft.answer("your_email") is None
    screens = ScreenBuilder(tiny_form, allowed_domains=("nhs.net", "nhs.example"))
    shown = screens.screen(draft, refused.effects[0]).plain_text
    assert "@nhs.net or @nhs.example" in shown

    # Any case is accepted; an edit of the message to another domain is refused too.
    await service.apply("tg:1", Answer("Sam@NHS.Example", source="m5"))
    edited = await service.apply("tg:1", Revise("m5", "victim@gmail.com"))
    assert edited.effects == (Reprompt("your_email", Problem.EMAIL_DOMAIN),)
    draft = await store.active_draft("tg:1")
    assert (
        draft is not None and draft.answer("your_email") == "Sam@nhs.example"
    )  # validation lowers the domain


async def test_with_no_domains_set_any_address_is_taken(
    store: NominationStore, tiny_form: Form
) -> None:
    service = service_for(store, tiny_form, Clock())
    effects = await nominate(service, "tg:1", (*ANSWERS[:3], "anyone@gmail.com", ANSWERS[4]))
    assert [type(e) for e in effects] == [Submitted]
