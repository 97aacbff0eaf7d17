"""Judging, the judge's side (issue 18): their next nomination to score, each step of scoring it
through the pure machine (flows/judging/scoring.py) saved before they are answered, and what
they have scored. A judge is only ever shown a nomination assigned to them, as the panel pack
shows it (flows/reading.py, for_panel): never the nominator's email or phone, nor other judges.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from bot.services.judging import JudgingService
from flows.evidence import EvidenceFile
from flows.form import Form
from flows.judging.assignment import same_organisation
from flows.judging.scoring import (
    Recused,
    ScoresSubmitted,
    ScoringEffect,
    ScoringEvent,
    ScoringState,
    Step,
    Typed,
    begin,
    handle,
    prompt,
    reopened,
)
from flows.judging.view import NominationView
from flows.reading import ORGANISATION, Reading, read
from flows.state import NominationState, Part, Status
from flows.statement import STATEMENT_FIELDS
from storage.judging import Judge
from storage.judging_scores import Assignment
from storage.nominations import NominationStore
from storage.statements import LinkStatus

Files = Callable[[str], Awaitable[list[EvidenceFile]]]


@dataclass(frozen=True, slots=True)
class JudgeStep:
    """What became of one thing a judge did: the nomination, its place among theirs
    ("Nomination 3 of 12"), and the machine's effects; or why nothing could be done."""

    judge: Judge
    reference: str | None = None
    index: int = 0  # 1-based
    count: int = 0
    effects: tuple[ScoringEffect, ...] = ()
    view: NominationView | None = None  # when a nomination is opened
    not_open: bool = False  # judging has not opened (or has closed: see closed)
    closed: bool = False
    all_scored: bool = False
    gone: bool = False  # no longer theirs: recused, withdrawn, or they were removed
    recused: int = 0  # with all_scored: how many they declared a conflict with, and so left
    own: int = 0  # with none theirs: how many sent are from the judge's own organisation


@dataclass(frozen=True, slots=True)
class Scored:
    """One line of /myscores."""

    assignment: Assignment
    number: int
    nominee: str
    changed: bool = field(default=False)


class ScoringService:
    """A judge's scoring of the nominations assigned to them."""

    def __init__(
        self, panel: JudgingService, form: Form, nominations: NominationStore, files: Files
    ) -> None:
        self.panel = panel
        self.form = form
        self._nominations = nominations
        self._files = files
        self._scoring = panel.store.scoring

    @property
    def blind(self) -> bool:
        return self.panel.settings.blind

    async def next(self, judge: Judge) -> JudgeStep:
        """The judge's next nomination to score: unscored first, then amended since scored."""
        if (refused := await self._refused(judge)) is not None:
            return refused
        await self.panel.sync()
        mine = await self._scoring.assigned_to(judge.id)
        waiting = [a for a in mine if not a.scored] or [a for a in mine if a.changed_since_scored]
        if not waiting:
            return await self._nothing_waiting(judge, len(mine))
        return await self._opened(judge, mine, waiting[0])

    async def _nothing_waiting(self, judge: Judge, count: int) -> JudgeStep:
        """All scored; or, with none given to them, why: conflicts they declared, or every
        nomination sent being from their own organisation, which nobody judges."""
        if count:
            return JudgeStep(judge, count=count, all_scored=True)
        form_id = self.panel.form_id
        recused = sum(1 for r in await self._scoring.recusals(form_id) if r.judge_id == judge.id)
        sent = await self._scoring.entries(form_id, ORGANISATION)
        own = sum(1 for _, org in sent if same_organisation(org, judge.organisation))
        return JudgeStep(judge, all_scored=True, recused=recused, own=own)

    async def unscored(self, judge: Judge) -> int:
        """How many of the judge's nominations they have still to score (0 while closed)."""
        if not await self.panel.is_open():
            return 0
        await self.panel.sync()
        return sum(1 for a in await self._scoring.assigned_to(judge.id) if not a.scored)

    async def open(self, judge: Judge, reference: str) -> JudgeStep:
        """One of the judge's nominations, opened where they left it (scored: at the check)."""
        if (refused := await self._refused(judge)) is not None:
            return refused
        mine = await self._scoring.assigned_to(judge.id)
        found = next((a for a in mine if a.reference == reference), None)
        if found is None:
            return JudgeStep(judge, gone=True)
        return await self._opened(judge, mine, found)

    async def act(self, judge: Judge, reference: str, event: ScoringEvent) -> JudgeStep:
        """One step of scoring a nomination, saved before the judge is answered."""
        if (refused := await self._refused(judge)) is not None:
            return refused
        mine = await self._scoring.assigned_to(judge.id)
        found = next((a for a in mine if a.reference == reference), None)
        if found is None:
            return JudgeStep(judge, gone=True)
        state = _state(found)
        await self.panel.store.set_current(judge.id, reference)
        result = handle(self.panel.judging, state, event)
        if not await self._keep(judge, found, result.state, result.effects):
            return JudgeStep(judge, gone=True)
        index = mine.index(found) + 1
        return JudgeStep(judge, reference, index, len(mine), result.effects)

    async def typed(self, judge: Judge, text: str) -> JudgeStep | None:
        """Text from a judge: a conflict's reason or a comment, for the nomination waiting for
        one; None if none is (the text is for someone else, the nominators' conversation)."""
        if judge.current is None:
            return None
        found = await self._scoring.assignment(judge.id, judge.current)
        if found is None or _state(found).step not in (Step.REASON, Step.COMMENT):
            return None
        return await self.act(judge, found.reference, Typed(text))

    async def scored(self, judge: Judge) -> list[Scored]:
        """/myscores: what the judge has scored, in the order sent."""
        numbers = await self._numbers()
        lines = []
        for assignment in await self._scoring.assigned_to(judge.id):
            if assignment.scored:
                reading = await self._reading(assignment.reference)
                nominee = reading.nominee if reading is not None else assignment.reference
                number = numbers.get(assignment.reference, 0)
                changed = assignment.changed_since_scored
                lines.append(Scored(assignment, number, nominee, changed))
        return lines

    # Helpers -------------------------------------------------------------------------------

    async def _refused(self, judge: Judge) -> JudgeStep | None:
        if await self.panel.is_open():
            return None
        closed = (await self.panel.store.round(self.panel.form_id)).closed_at is not None
        dates = self.panel.settings.dates
        closed = closed or (dates.close_at is not None and self.panel.now() >= dates.close_at)
        return JudgeStep(judge, not_open=True, closed=closed)

    async def _opened(self, judge: Judge, mine: list[Assignment], found: Assignment) -> JudgeStep:
        state = reopened(_state(found))
        await self.panel.store.set_current(judge.id, found.reference)
        view = await self._view(found)
        effects = (prompt(self.panel.judging, state),)
        index = mine.index(found) + 1
        return JudgeStep(judge, found.reference, index, len(mine), effects, view)

    async def _keep(
        self,
        judge: Judge,
        found: Assignment,
        state: ScoringState,
        effects: tuple[ScoringEffect, ...],
    ) -> bool:
        """Save the step: a recusal (and the nomination to another), submitted scores, or the
        scoring in progress."""
        if any(isinstance(e, Recused) for e in effects):
            return await self.panel.recuse(judge.id, found.reference, state.reason or "")
        if any(isinstance(e, ScoresSubmitted) for e in effects):
            return await self._scoring.submit(
                judge.id,
                found.reference,
                state.scores,
                state.comment,
                version=found.latest_version,
                at=self.panel.now(),
            )
        return await self._scoring.save_state(judge.id, found.reference, state.model_dump_json())

    async def _numbers(self) -> dict[str, int]:
        entries = await self._scoring.entries(self.panel.form_id, "")
        return {reference: number for number, (reference, _) in enumerate(entries, start=1)}

    async def _reading(self, reference: str) -> Reading | None:
        state = await self._as_sent(reference)
        return None if state is None else read(self.form, state, for_panel=True)

    async def _as_sent(self, reference: str) -> NominationState | None:
        """The nomination as last sent (one being amended reads as its latest version)."""
        record = await self._nominations.get(reference)
        if record is None or record.state.status is Status.WITHDRAWN:
            return None
        if record.state.status is Status.DRAFT:
            latest = await self._nominations.latest_answers(reference)
            if latest is None:
                return None
            answers = {f: tuple(Part(text=t) for t in texts) for f, texts in latest[1].items()}
            return record.state.model_copy(update={"answers": answers})
        return record.state

    async def _view(self, found: Assignment) -> NominationView | None:
        reading = await self._reading(found.reference)
        if reading is None:
            return None
        links = await self._nominations.support.of_nomination(found.reference)
        statements = tuple(
            {f: link.answers.get(f, "") for f in STATEMENT_FIELDS}
            for link in links
            if link.status is LinkStatus.SENT
        )
        files = tuple(f.name for f in await self._files(found.reference))
        changed = await self._changes(found) if found.changed_since_scored else ()
        number = (await self._numbers()).get(found.reference, 0)
        return NominationView(reading, number, statements, files, changed)

    async def _changes(self, found: Assignment) -> tuple[str, ...]:
        """The labels of the answers that differ between the version scored and the latest."""
        versions = {
            n: given for n, _, given in await self._nominations.versions_of(found.reference)
        }
        then = versions.get(found.scored_version or 0, {})
        now = versions.get(found.latest_version or 0, {})
        ids = [f.id for f in self.form.fields if then.get(f.id) != now.get(f.id)]
        return tuple(self.form.field(i).label for i in ids)


def _state(assignment: Assignment) -> ScoringState:
    """Where the judge stands with a nomination: in progress, scored (at the check), or new."""
    if assignment.state is not None:
        return ScoringState.model_validate_json(assignment.state)
    if assignment.scored:
        return begin(assignment.reference, dict(assignment.scores), assignment.comment)
    return begin(assignment.reference)
