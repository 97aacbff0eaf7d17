"""The round's rules in the service, which both front ends share, with a clock the test sets:
nothing starts outside the round, a Submit counts by when it was made, and the outcome carries
what to tell the nominator."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.screens import texts
from bot.screens.welcome import notice_text
from bot.services.nominating import NominationService
from flows.events import Submit
from flows.form import Form
from flows.round import News, Round, RoundNotice
from tests.unit.conftest import RecordingComposer
from tests.unit.fakes import FakeDraftStore
from tests.unit.test_service import fill

OPENS = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
CLOSES = datetime(2027, 1, 15, 17, 0, tzinfo=UTC)
ROUND = Round(OPENS, CLOSES)


def round_notice(round_dates: Round, now: datetime) -> str | None:
    """The round's news now, as the screens word it."""
    return notice_text(round_dates, RoundNotice(News.NOW, now))


def said(notice: RoundNotice | None) -> str | None:
    return notice_text(ROUND, notice) if notice is not None else None


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def make(store: FakeDraftStore, form: Form, clock: Clock) -> NominationService:
    return NominationService(
        store, form, compose=RecordingComposer(), clock=clock, round_dates=ROUND
    )


async def test_before_opening_and_after_closing_nothing_starts(
    store: FakeDraftStore, tiny_form: Form
) -> None:
    clock = Clock(OPENS - timedelta(minutes=1))
    service = make(store, tiny_form, clock)
    before = await service.continue_nomination("n1")
    assert before.state is None and before.notice == RoundNotice(News.NOW, clock.now)
    assert (said(before.notice) or "").startswith("Nominations for this award")
    clock.now = CLOSES
    after = await service.continue_nomination("n1")
    assert after.state is None and after.notice is not None
    assert "Nominations closed at 5pm on Friday 15 January 2027." in (said(after.notice) or "")
    assert await store.active_draft("n1") is None


async def test_a_submit_counts_by_when_it_was_made(store: FakeDraftStore, tiny_form: Form) -> None:
    clock = Clock(CLOSES - timedelta(hours=1))
    service = make(store, tiny_form, clock)
    await fill(service, "early")
    await fill(service, "late")
    clock.now = CLOSES + timedelta(seconds=30)  # both handled after the close

    late = await service.apply("late", Submit())  # made now, after the close
    assert (said(late.notice) or "").startswith("Thank you for your interest.")
    kept = await store.active_draft("late")
    assert kept is not None and not kept.is_submitted

    made = CLOSES - timedelta(seconds=1)
    early = await service.apply("early", Submit(), pressed_at=made)
    assert early.state is not None and early.state.is_submitted
    assert said(early.notice) == ROUND.closing_sentence()


def test_the_welcome_counts_down_only_in_the_last_14_days() -> None:
    far = CLOSES - timedelta(days=20)
    assert round_notice(Round(None, CLOSES), far) == (
        "Nominations close at 5pm on Friday 15 January 2027."
    )
    near = round_notice(ROUND, CLOSES - timedelta(days=3, hours=2))
    assert near == "Nominations close at 5pm on Friday 15 January 2027. That is 3 days from now."
    assert round_notice(Round(), OPENS) is None
    assert texts.ROUND_NOT_OPEN.split("{")[0] in (round_notice(ROUND, OPENS - timedelta(1)) or "")
