"""The nominee's approval's reminder in a programme whose first award does not ask (issue 19):
the job runs for the award that does, over a real SQLite file."""

from __future__ import annotations

from datetime import timedelta

from bot.jobs.approvals import ApprovalReminders
from bot.screens.parts import Screen
from bot.services.approvals import ApprovalService, ApprovalSettings
from flows.programme import Programme
from storage import NominationStore
from tests.kit.organiserkit import Clock, submit


async def test_the_reminder_goes_for_the_second_award_when_only_it_asks(
    store: NominationStore, clock: Clock, programme: Programme
) -> None:
    lsi, learning = programme.forms
    approvals = ApprovalService(
        store,
        lsi,
        ApprovalSettings(remind_after=timedelta(days=7)),
        lambda form_id: form_id == learning.id,  # only the example award asks
        clock=clock,
        programme=programme,
    )
    sent = await submit(store, learning, clock.now, nominee_name="Sam Patel")
    assert await approvals.ask(sent.reference) is not None
    told: list[tuple[str, Screen]] = []

    async def send(person: str, screen: Screen) -> bool:
        told.append((person, screen))
        return True

    reminders = ApprovalReminders(approvals, send, lambda: "nomination_test_bot")
    clock.advance(timedelta(days=8))
    assert await reminders.run_once() == 1
    ((nominator, screen),) = told
    record = await store.get(sent.reference)
    assert record is not None and nominator == record.nominator
    assert "Sam Patel" in " ".join(span.text for p in screen.paragraphs for span in p)
