"""Judging's results for organisers (issue 18): the leaderboard, the judges' scores as CSV for
the panel meeting, and the shortlist. For `/leaderboard` and `/shortlist` in Telegram and
`nomination-bot scores` on the command line alike.

It returns data (the board's lines, outcomes), never wording. The arithmetic is
flows.leaderboard's; the scores and progress are the judging store's; everything is read through
the organisers' own connection.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TextIO

from bot.services.scores_export import ScoreLine, ScoresCsv
from flows.form import Form
from flows.judging.criteria import Judging, judging_of
from flows.leaderboard import BoardLine, Scale, Score, leaderboard
from flows.programme import Programme
from flows.reading import nominee_of
from storage import sent
from storage.db import SharedConnection
from storage.judging_scores import ScoringStore
from storage.score_sheet import sheet_rows
from storage.shortlist import ShortlistStore


@dataclass(frozen=True, slots=True)
class Shortlisted:
    """Put on the shortlist."""

    reference: str
    count: int  # on the shortlist now


@dataclass(frozen=True, slots=True)
class Unlisted:
    """Taken off the shortlist."""

    reference: str
    count: int


@dataclass(frozen=True, slots=True)
class NotJudged:
    """No sent nomination of this award has this reference."""

    reference: str


ShortlistChange = Shortlisted | Unlisted | NotJudged


class LeaderboardService:
    """The leaderboard, the scores CSV and the shortlist of one award (form)."""

    def __init__(
        self, form: Form, judging: Judging, db: SharedConnection, *, clock: Callable[[], datetime]
    ) -> None:
        self.form, self.judging = form, judging
        self._db = db
        self._scoring = ScoringStore(db)
        self._shortlist = ShortlistStore(db)
        self._clock = clock
        # Judging is an award's, keyed by its form: only that form's nominations are read.
        self._own = sent.Forms(only=(form.id,))

    async def board(self) -> list[BoardLine]:
        """Every sent nomination of the award, best normalised score first."""
        records = await self._scoring.scores(self.form.id)
        progress = await self._scoring.progress(self.form.id)
        scores = [Score(str(r.judge_id), r.reference, r.criterion_id, r.value) for r in records]
        standings = leaderboard(
            scores,
            scale=Scale(self.judging.lowest, self.judging.highest),
            weights=self.judging.weights,
            assigned={p.reference: p.assigned for p in progress},
            recusals={p.reference: p.recusals for p in progress},
        )
        nominees = await self._nominees()
        listed = set(await self._shortlist.references(self.form.id))
        return [
            BoardLine(s, nominees.get(s.nomination, s.nomination), s.nomination in listed)
            for s in standings
            if s.nomination in nominees  # withdrawn meanwhile, or another award's
        ]

    async def _nominees(self) -> dict[str, str]:
        nominees: dict[str, str] = {}
        async for records in sent.submitted_pages(self._db, forms=self._own):
            for record in records:
                if record.state.form_id == self.form.id:
                    nominees[record.state.reference] = nominee_of(self.form, record.state)
        return nominees

    async def write_scores(self, out: TextIO, *, sheet: ScoresCsv | None = None) -> int:
        """The scores CSV, a page of nominations at a time; how many rows. With `sheet`, the
        rows go on under the header it wrote (several awards' scores in one file)."""
        sheet = sheet or ScoresCsv(out)
        count = 0
        async for records in sent.submitted_pages(self._db, forms=self._own):
            nominees = {r.state.reference: nominee_of(self.form, r.state) for r in records}
            rows = await sheet_rows(self._db, self.form.id, list(nominees))
            count += sheet.write(
                ScoreLine(
                    reference=row.reference,
                    nominee=nominees[row.reference],
                    judge=row.judge,
                    criterion=criterion.label if criterion else row.criterion_id,
                    weight=criterion.weight if criterion else 1.0,
                    score=row.value,
                    score_means=point.label if (point := self.judging.point(row.value)) else "",
                    comment=row.comment,
                    scored_at=row.scored_at,
                )
                for row in rows
                for criterion in (self.judging.criterion(row.criterion_id),)
            )
        return count

    async def shortlist(self) -> list[str]:
        """The shortlist's references, in the order the nominations were sent."""
        return await self._shortlist.references(self.form.id)

    async def toggle_shortlist(self, reference: str) -> ShortlistChange:
        """Put a sent nomination on the shortlist, or take it off if it is on it."""
        reference = reference.strip().upper()
        if reference in await self.shortlist():
            await self._shortlist.remove(reference)
            return Unlisted(reference, len(await self.shortlist()))
        if not await self._shortlist.add(reference, self.form.id, at=self._clock()):
            return NotJudged(reference)
        return Shortlisted(reference, len(await self.shortlist()))


def judged_boards(
    programme: Programme, db: SharedConnection, *, clock: Callable[[], datetime]
) -> dict[str, LeaderboardService]:
    """The results of each award whose form has a [judging] section, by award id."""
    boards = {}
    for award in programme:
        judging = judging_of(award.form)
        if judging is not None:
            boards[award.id] = LeaderboardService(award.form, judging, db, clock=clock)
    return boards
