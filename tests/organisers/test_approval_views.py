"""The nominee's approval as organisers see it (issue 19), over a real SQLite file: /nomination
REF and `show`, the CSV and JSON exports, the panel pack and the figures all give each
nomination's approval, and none of them grows a column while no award asks."""

from __future__ import annotations

import csv
import io
import json

from bot.screens.stats import stats_lines
from bot.services.organisers import ExportFormat, Submitted
from flows.approval import APPROVAL_COLUMN, READS, ApprovalStatus
from flows.form import Form
from storage import NominationStore
from tests.kit.organiserkit import Clock, submit
from tests.organisers.test_organiser_service import Tools, smtp, tools

__all__ = ["smtp", "tools"]  # the organisers' service's fixtures, used here too


async def three_answers(store: NominationStore, form: Form, clock: Clock) -> dict[str, str]:
    """An approved, a waiting and a declined nomination: {status: reference}."""
    made = {}
    for n, status in enumerate(ApprovalStatus):
        state = await submit(
            store, form, clock.now, nominee_type="individual", nominee_name=f"N{n}"
        )
        await store.approvals.create(state.reference, f"token-{n}", at=clock.now)
        await store.approvals.claim(f"token-{n}", f"tg:{n}")
        if status is not ApprovalStatus.PENDING:
            approve = status is ApprovalStatus.APPROVED
            await store.approvals.choose(state.reference, f"tg:{n}", approve=approve)
            if approve:
                await store.approvals.approve(
                    state.reference, f"tg:{n}", note=None, share_note=False, at=clock.now, outbox=()
                )
            else:
                await store.approvals.decline(state.reference, f"tg:{n}", at=clock.now, outbox=())
        made[status.value] = state.reference
    return made


async def test_every_view_gives_the_approval(
    tools: Tools, store: NominationStore, form: Form, clock: Clock
) -> None:
    service = tools.service
    plain = await submit(store, form, clock.now, nominee_type="individual", nominee_name="Plain")
    export = await service.export(ExportFormat.CSV)
    assert APPROVAL_COLUMN not in export.text  # no award asks yet: the CSV is as it was

    made = await three_answers(store, form, clock)
    found = await service.lookup(made["approved"])
    assert isinstance(found, Submitted) and found.approval is ApprovalStatus.APPROVED
    assert f"{APPROVAL_COLUMN}: {READS[ApprovalStatus.APPROVED]}" in service.email_text(found)
    unasked = await service.lookup(plain.reference)
    assert isinstance(unasked, Submitted) and APPROVAL_COLUMN not in service.email_text(unasked)

    rows = list(csv.DictReader(io.StringIO((await service.export(ExportFormat.CSV)).text)))
    by_reference = {row["Reference"]: row[APPROVAL_COLUMN] for row in rows}
    assert by_reference == {
        plain.reference: "",
        made["approved"]: READS[ApprovalStatus.APPROVED],
        made["pending"]: READS[ApprovalStatus.PENDING],
    }  # the declined one was withdrawn: it is no longer exported
    document = json.loads((await service.export(ExportFormat.JSON)).text)
    approvals = {n["reference"]: n["nominee_approval"] for n in document["nominations"]}
    assert approvals[made["pending"]] == "pending" and approvals[plain.reference] is None
    pack = (await service.export(ExportFormat.HTML)).text
    assert f"approval: {READS[ApprovalStatus.PENDING]}." in pack  # its apostrophe escaped

    lines = stats_lines(await service.stats())
    assert "Nominee's approval: 1 waiting, 1 approved, 1 declined" in lines
