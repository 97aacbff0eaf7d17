"""Judging takes only the nominations their nominees approved, where the award asks for approval
(issue 19 with issue 18), over a real SQLite file: an approval that arrives later is assigned
then, and a pending or declined one never is."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.app_judging import approved_of
from bot.services.judging import JudgingService, JudgingSettings
from flows.form import Form
from flows.judging.criteria import judging_of
from storage import NominationStore
from tests.kit.organiserkit import Clock, submit


async def test_only_approved_nominations_are_judged(
    store: NominationStore, form: Form, clock: Clock
) -> None:
    refs = []
    for n, name in enumerate(("Priya Shah", "Tom Okafor", "Mei Chen")):
        state = await submit(
            store, form, clock.now + timedelta(minutes=n), nominee_type="individual",
            nominee_name=name, nominee_organisation="Leeds Teaching Hospitals NHS Trust",
        )  # fmt: skip
        refs.append(state.reference)
        assert await store.approvals.create(state.reference, f"token-{n}", at=clock.now)
    judging = judging_of(form) or pytest.fail("the shipped form is judged")
    panel = JudgingService(
        judging,
        store.judging,
        JudgingSettings(approved=approved_of(store)),
        clock=lambda: clock.now,
    )
    await panel.set_open(True)
    await store.judging.invite(form.id, "hash-a", at=clock.now)
    judge = await store.judging.claim("hash-a", 100, at=clock.now)
    assert judge is not None
    await store.judging.register(judge.id, "name", "Dr Ana Okafor", then="")

    async def assigned() -> set[str]:
        await panel.sync()
        return {ref for _, ref in await store.judging.scoring.assignments(form.id)}

    assert await assigned() == set()  # none approved yet
    first, second, third = refs
    for n in (0, 2):
        assert await store.approvals.claim(f"token-{n}", "nominee")
    assert await store.approvals.choose(first, "nominee", approve=True)
    assert await store.approvals.approve(
        first, "nominee", note=None, share_note=False, at=clock.now, outbox=()
    )
    assert await assigned() == {first}
    assert await store.approvals.choose(third, "nominee", approve=False)
    assert await store.approvals.decline(third, "nominee", at=clock.now, outbox=())
    assert await assigned() == {first}  # declined: withdrawn, never judged
    assert await store.approvals.claim("token-1", "nominee two")
    assert await store.approvals.choose(second, "nominee two", approve=True)
    assert await store.approvals.approve(
        second, "nominee two", note=None, share_note=False, at=clock.now, outbox=()
    )
    assert await assigned() == {first, second}  # approved later: assigned then
