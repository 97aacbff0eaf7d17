"""Judging, the panel's side (issue 18): inviting judges by single-use links, their
registration (name, role, organisation), removing them, opening and closing judging, and who
judges which nomination, kept in step with the panel and the nominations sent.

Assignments are brought up to date whenever they are read (a judge's /judge, an organiser's
/judges, the reminder), so a nomination sent while judging is open is assigned before anyone
could ask for it, with no hook in the nominators' service. Returns data, never a sentence.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from flows.judging.assignment import Entry, Panellist, plan
from flows.judging.criteria import Judging
from flows.judging.phase import JudgingDates, is_open, reminder_due
from flows.reading import ORGANISATION
from flows.text import typed
from storage.judging import REGISTERED, Judge, JudgingStore, PanelMember

TOKEN_BYTES = 12  # 96 random bits, 16 characters in the link
LINK_PREFIX = "judge-"
DETAIL_CHARS = 150


class Detail(StrEnum):
    """What a new judge is asked, in order."""

    NAME = "name"
    ROLE = "role"
    ORGANISATION = "organisation"


_AFTER = {Detail.NAME: Detail.ROLE.value, Detail.ROLE: Detail.ORGANISATION.value}


@dataclass(frozen=True, slots=True)
class JudgingSettings:
    blind: bool = False  # JUDGING_BLIND
    per_nomination: int | None = None  # JUDGES_PER_NOMINATION; None: every judge, everything
    dates: JudgingDates = field(default_factory=JudgingDates)
    # Where the award asks nominees to approve (issue 19): the references approved so far, for
    # judging takes only those. None: every nomination sent is judged.
    approved: Callable[[], Awaitable[Collection[str]]] | None = None


@dataclass(frozen=True, slots=True)
class Invitation:
    id: int
    token: str  # shown once, in the link; only its hash is kept


@dataclass(frozen=True, slots=True)
class Registering:
    """A judge still giving their details: the one asked next (a Detail), or None once done."""

    judge: Judge
    asking: Detail | None
    refused: bool = False  # the answer was empty or too long: asked again


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_of(payload: str) -> str | None:
    """The token of a /start payload "judge-<token>"; None for any other payload."""
    if not payload.startswith(LINK_PREFIX):
        return None
    token = payload.removeprefix(LINK_PREFIX)
    return token if token and len(token) <= 64 else None


class JudgingService:
    """The panel of one award (form), its invitations and assignments."""

    def __init__(
        self,
        judging: Judging,
        store: JudgingStore,
        settings: JudgingSettings,
        *,
        clock: Callable[[], datetime],
        make_token: Callable[[int], str] = secrets.token_urlsafe,
    ) -> None:
        self.judging = judging
        self.store = store
        self.settings = settings
        self.now = clock
        self._make_token = make_token
        # Who may be a judge: read once, then kept here, since every typed message asks and
        # almost nobody is one (a judge joins only through `open_link`, in this process).
        self._judges: set[int] | None = None
        self._assigning = asyncio.Lock()
        self._planned: tuple[str, ...] | None = None  # the fingerprint of the last plan

    @property
    def form_id(self) -> str:
        return self.judging.form_id

    # Judges ------------------------------------------------------------------------------

    async def invite(self) -> Invitation:
        token = self._make_token(TOKEN_BYTES)
        number = await self.store.invite(self.form_id, token_hash(token), at=self.now())
        return Invitation(number, token)

    async def revoke(self, invitation_id: int) -> bool:
        return await self.store.revoke(self.form_id, invitation_id)

    async def open_link(self, telegram_id: int, token: str) -> Registering | None:
        """Whoever opens a live link first becomes a judge; None for any link that is not one
        (used, revoked or made up): alike, so a guess learns nothing."""
        judge = await self.claim(telegram_id, token)
        if judge is None or judge.form_id != self.form_id:
            return None
        return self.joined(judge)

    async def claim(self, telegram_id: int, token: str) -> Judge | None:
        """The place a live link gives, on whichever award's panel made it (several panels
        share one store, so any of them may claim it); None for any link that is not one."""
        return await self.store.claim(token_hash(token), telegram_id, at=self.now())

    def joined(self, judge: Judge) -> Registering:
        """A person who opened one of this panel's links: on it now, their details to give."""
        if self._judges is not None:
            self._judges.add(judge.telegram_id)
        return Registering(judge, None if judge.registered else Detail(judge.step))

    async def judge(self, telegram_id: int) -> Judge | None:
        """The person's place on the panel, if they are a judge (registered or not)."""
        if self._judges is None:
            self._judges = await self.store.telegram_ids(self.form_id)
        if telegram_id not in self._judges:
            return None
        return await self.store.judge(self.form_id, telegram_id)

    async def give_detail(self, judge: Judge, text: str) -> Registering:
        """A registration answer typed by a judge still giving their details."""
        asking = Detail(judge.step)
        answer = " ".join(typed(text).split())
        if not answer or len(answer) > DETAIL_CHARS:
            return Registering(judge, asking, refused=True)
        following = _AFTER.get(asking, REGISTERED)
        await self.store.register(judge.id, asking.value, answer, then=following)
        updated = await self.store.judge_by_id(judge.id) or judge
        if following == REGISTERED:
            await self.sync()
            return Registering(updated, None)
        return Registering(updated, Detail(following))

    async def panel(self) -> list[PanelMember]:
        await self.sync()
        return await self.store.panel(self.form_id)

    async def remove(self, judge_id: int) -> bool:
        """Take a judge off the panel; what they had not scored goes to others."""
        judge = await self.store.judge_by_id(judge_id)
        if judge is None or judge.form_id != self.form_id or judge.removed_at is not None:
            return False
        await self.store.remove(judge_id, at=self.now())
        await self.sync()
        return True

    # Opening and closing -----------------------------------------------------------------

    async def is_open(self) -> bool:
        state = await self.store.round(self.form_id)
        return is_open(
            self.settings.dates, self.now(), opened_at=state.opened_at, closed_at=state.closed_at
        )

    async def set_open(self, opened: bool) -> None:
        """An organiser's /judging open or /judging close."""
        await self.store.set_open(self.form_id, opened=opened, at=self.now())
        await self.sync()

    # Assignment --------------------------------------------------------------------------

    async def sync(self) -> int:
        """Assign what the panel and the nominations sent call for, while judging is open;
        how many new assignments."""
        if not await self.is_open():
            return 0
        # One plan at a time: two judges' /judge at once must not both fill the same places.
        async with self._assigning:
            # Nothing it depends on changed since the last plan: nothing to add (a cheap read
            # spares each /judge reading the whole round's assignments).
            fingerprint = await self.store.scoring.fingerprint(self.form_id)
            if fingerprint == self._planned:
                return 0
            judges, entries, recused, assigned = await self._plan_inputs()
            pairs = plan(
                judges,
                entries,
                assigned=assigned,
                recused=recused,
                per_nomination=self.settings.per_nomination,
            )
            added = await self.store.scoring.assign(pairs, at=self.now()) if pairs else 0
            self._planned = fingerprint
            return added

    async def recuse(self, judge_id: int, reference: str, reason: str) -> bool:
        """A judge's conflict: recorded with its reason, and under JUDGES_PER_NOMINATION the
        nomination goes to the least loaded judge free to take it (with every judge on every
        nomination, nobody is left to). False if it was not theirs."""
        async with self._assigning:
            instead = None
            if self.settings.per_nomination is not None:
                judges, entries, recused, assigned = await self._plan_inputs()
                pairs = plan(
                    judges,
                    [e for e in entries if e.reference == reference],
                    assigned=[p for p in assigned if p != (judge_id, reference)],
                    recused=[*recused, (judge_id, reference)],
                    per_nomination=self.settings.per_nomination,
                )
                instead = pairs[0][0] if pairs else None
            return await self.store.scoring.recuse(
                judge_id, reference, reason, at=self.now(), instead=instead
            )

    async def _plan_inputs(
        self,
    ) -> tuple[list[Panellist], list[Entry], list[tuple[int, str]], list[tuple[int, str]]]:
        """The registered judges, the nominations sent, the recusals and the assignments."""
        scoring = self.store.scoring
        members = await self.store.panel(self.form_id)
        judges = [
            Panellist(m.judge.id, m.judge.organisation) for m in members if m.judge.registered
        ]
        entries = [Entry(r, o) for r, o in await scoring.entries(self.form_id, ORGANISATION)]
        if self.settings.approved is not None:
            approved = set(await self.settings.approved())
            entries = [e for e in entries if e.reference in approved]
        recused = [(r.judge_id, r.reference) for r in await scoring.recusals(self.form_id)]
        return judges, entries, recused, await scoring.assignments(self.form_id)

    # The reminder before the close --------------------------------------------------------

    async def to_remind(self) -> list[tuple[int, int]]:
        """(Telegram id, nominations left) of each judge with nominations still to score:
        once, the set time before JUDGING_CLOSE_AT; empty at any other time, and after it."""
        if not reminder_due(self.settings.dates, self.now()) or not await self.is_open():
            return []
        await self.sync()
        members = await self.store.panel(self.form_id)
        behind = [
            (m.judge.telegram_id, m.assigned - m.scored) for m in members if m.scored < m.assigned
        ]
        if not behind or not await self.store.claim_reminder(self.form_id, at=self.now()):
            return []
        return behind
