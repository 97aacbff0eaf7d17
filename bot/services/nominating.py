"""The one path every front end takes: load the draft, apply the event, commit, then reply.

Replies are built from the effects only after `save` has returned, so anything the nominator is
told was saved is on disk. Events from one nominator are applied one at a time.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot.services.amending import Withdrawing
from bot.services.email_codes import EmailCheck
from bot.services.locks import KeyedLocks
from bot.services.ports import AttachmentSource, Composer, DraftStore, LimitStore
from flows import engine
from flows.effects import (
    Deleted,
    Effect,
    Problem,
    Reprompt,
    SubmitRefused,
    Submitted,
    Withdrawn,
)
from flows.engine import Transition
from flows.events import Answer, Confirm, Decline, Event, Revise, Start
from flows.form import Form
from flows.references import join_reference, reference_code
from flows.round import News, Phase, Round, RoundNotice
from flows.state import Confirmation, NominationState, Part, Pending
from flows.text import typed
from mail import amended
from mail.saved import HOLDING_ANSWERS
from storage.clock import utc_now
from storage.types import NewEmail, NominationRecord

# The nominator's own details, carried from their last nomination into a new one, where they
# are offered with Keep rather than asked again (issue 16). Not the relationship: that is
# about the nominee.
ABOUT_THE_NOMINATOR = ("nominator_name", "nominator_email", "nominator_phone")


def replace_source(part: Part) -> Part:
    """A part carried into another nomination: no message of this one to edit it by."""
    return part.model_copy(update={"source": None})


DAY = timedelta(hours=24)  # SUBMISSIONS_PER_USER_PER_DAY counts over the last 24 hours


@dataclass(frozen=True, slots=True)
class Limits:
    """The settings that limit what one nominator can do (see bot.config)."""

    per_day: int | None = None  # SUBMISSIONS_PER_USER_PER_DAY; None: no limit
    store: LimitStore | None = None
    allowed_domains: frozenset[str] = frozenset()  # ALLOWED_EMAIL_DOMAINS; empty: any


@dataclass(frozen=True, slots=True)
class Outcome:
    """The state after an event (None: the nominator has no draft) and what to show."""

    state: NominationState | None
    effects: tuple[Effect, ...] = ()
    refused: bool = False  # the caller's condition did not hold: nothing was applied
    notice: RoundNotice | None = None  # the round's news (closed, when it closes): shown last


class NominationService:
    """Applies nominators' events to their drafts, durably."""

    def __init__(
        self,
        store: DraftStore,
        form: Form,
        *,
        compose: Composer,
        clock: Callable[[], datetime] = utc_now,
        after_submit: Callable[[], None] | None = None,
        attachments: AttachmentSource | None = None,
        forget_files: Callable[[str], Awaitable[object]] | None = None,
        limits: Limits | None = None,
        email_check: EmailCheck | None = None,
        round_dates: Round | None = None,
        withdrawing: Withdrawing | None = None,
    ) -> None:
        self._store = store
        self._attachments = attachments
        # Erases a draft's supporting files (EvidenceStore.delete_for) before the draft goes.
        self._forget_files = forget_files
        self.form = form
        self._compose = compose
        self._clock = clock
        self._after_submit = after_submit
        self._locks = KeyedLocks()
        self._limits = limits or Limits()
        self._email_check = email_check  # None: addresses are not checked
        self.round = round_dates or Round()
        self._withdrawing = withdrawing  # None: nominations cannot be withdrawn

    def round_notice(self) -> RoundNotice:
        """The round's news now, for the welcome."""
        return RoundNotice(News.NOW, self._clock())

    def is_open(self) -> bool:
        return self.round.is_open(self._clock())

    def now(self) -> datetime:
        """The time by the service's clock: a press is made when its handling begins."""
        return self._clock()

    async def draft(self, nominator: str) -> NominationState | None:
        return await self._store.active_draft(nominator)

    async def continue_nomination(self, nominator: str) -> Outcome:
        """Carry on with the nominator's draft, or start a new one (the Continue button). Outside
        the round a new one is not started: the outcome has no state, and says why."""
        async with self._locks.hold(nominator):
            state = await self._store.active_draft(nominator)
            if state is None:
                if not self.is_open():
                    return Outcome(None, notice=self.round_notice())
                state = await self._new_draft(nominator)
            return await self._apply(state, Start(), nominator, self._clock())

    async def start_another(self, nominator: str) -> Outcome:
        """A new draft beside any others (Start another nomination); it becomes the current one.
        Outside the round none is started: the outcome has no state, and says why."""
        async with self._locks.hold(nominator):
            if not self.is_open():
                return Outcome(None, notice=self.round_notice())
            state = await self._new_draft(nominator)
            return await self._apply(state, Start(), nominator, self._clock())

    async def _new_draft(self, nominator: str) -> NominationState:
        """A new draft, holding the nominator's own details from their last nomination, if any:
        when the form reaches them, they are offered with Keep instead of typed again."""
        earlier = await self._store.of_nominator(nominator)
        state = await self._store.create_draft(
            nominator, self.form, engine.first_position(self.form), at=self._clock()
        )
        last = next((r.state for r in earlier if r.state.answer("nominator_name")), None)
        if last is None:
            return state
        carried = state
        # An address never confirmed is asked afresh, so that its code is asked for this time.
        unproven = () if await self.email_confirmed(nominator, last) else ("nominator_email",)
        for field_id in ABOUT_THE_NOMINATOR:
            parts = last.answers.get(field_id, ())
            if self.form.has_field(field_id) and parts and field_id not in unproven:
                carried = carried.with_answer(field_id, tuple(replace_source(p) for p in parts))
        await self._store.save(state, carried, at=self._clock())
        return carried

    async def continue_draft(self, nominator: str, code: str) -> Outcome:
        """Carry on with this one of the nominator's drafts (Continue in /mynominations); it
        becomes the current one. Outcome(None) if it is not their draft (any more)."""
        async with self._locks.hold(nominator):
            state = await self._own_draft(nominator, code)
            if state is None:
                return Outcome(None)
            await self._store.set_current(nominator, state.reference)
            return await self._apply(state, Start(), nominator, self._clock())

    async def nominations(self, nominator: str) -> list[NominationRecord]:
        """The nominator's own nominations, drafts and submitted, newest first."""
        return await self._store.of_nominator(nominator)

    async def own(self, nominator: str, code: str) -> NominationRecord | None:
        """The nominator's nomination with this reference code; None if it is not theirs."""
        record = await self._store.get(join_reference(self.form.reference_prefix, code))
        return record if record is not None and record.nominator == nominator else None

    async def apply(
        self,
        nominator: str,
        event: Event,
        *,
        only_if: Callable[[NominationState], bool] | None = None,
        code: str | None = None,
        pressed_at: datetime | None = None,
    ) -> Outcome:
        """Apply one event to the nominator's current draft, or with `code` (a button's) to that
        draft of theirs, which then becomes the current one; with no such draft, nothing
        happens. With `only_if`, the event applies only to a draft that passes it (e.g. a button
        still current); otherwise the outcome is `refused`, with the draft as it is.

        A submission counts if it was made (`pressed_at`, default now) while the round was open,
        however late it is handled; otherwise nothing is saved and the outcome says the round
        has closed."""
        made_at = pressed_at or self._clock()
        event = stripped(event)
        async with self._locks.hold(nominator):
            current = await self._store.active_draft(nominator)
            state = current
            if code is not None and (current is None or reference_code(current.reference) != code):
                state = await self._own_draft(nominator, code)
            if state is None:
                # Outside the round, say why nothing can start rather than offer to start.
                return Outcome(None, notice=None if self.is_open() else self.round_notice())
            if only_if is not None and not only_if(state):
                return Outcome(state, refused=True)
            outcome = await self._apply(state, event, nominator, made_at)
            if state is not current and outcome.state is not None:
                await self._store.set_current(nominator, state.reference)
            return outcome

    async def email_confirmed(self, nominator: str, state: NominationState) -> bool:
        """Whether the nominator proved the address in `state` (always, when addresses are not
        checked): the emails of a nomination, resent ones too, say so when not."""
        return self._email_check is None or await self._email_check.is_confirmed(
            self.form, nominator, state
        )

    async def was_submitted(self, nominator: str, code: str) -> bool:
        """Whether the nominator's own nomination with this reference code (7KQ2MX of
        LSI-7KQ2MX) was sent. Someone else's is as unknown as a made-up code: a forged button
        must not tell which references exist."""
        record = await self.own(nominator, code)
        return record is not None and record.state.is_submitted

    async def delete(self, nominator: str, code: str | None = None) -> bool:
        """Erase the current draft, or with `code` that draft of the nominator's."""
        async with self._locks.hold(nominator):
            if code is None:
                state = await self._store.active_draft(nominator)
            else:
                state = await self._own_draft(nominator, code)
            if state is None:
                return False
            return await self._delete(nominator, state.reference)

    async def withdraw(self, nominator: str, code: str, event: Event) -> Outcome:
        """Withdraw (which asks first), or Confirm or Decline that question, for the nominator's
        sent nomination with this code. The Yes button carries the reference, so the question is
        not stored: a Confirm here is the answer to it. Outcome(None) if the nomination is not
        theirs or not sent; `refused`, saying why, after the closing date."""
        async with self._locks.hold(nominator):
            record = await self.own(nominator, code)
            if record is None or record.state.is_draft or self._withdrawing is None:
                return Outcome(None)
            state, now = record.state, self._clock()
            if state.is_submitted and self.round.phase(now) is Phase.CLOSED:
                return Outcome(state, refused=True, notice=RoundNotice(News.CLOSED, now))
            if isinstance(event, Confirm | Decline):
                state = state.model_copy(update={"pending": Pending(about=Confirmation.WITHDRAW)})
            transition = engine.handle(self.form, state, event)
            if not any(isinstance(e, Withdrawn) for e in transition.effects):
                return Outcome(transition.state, transition.effects)
            emails = self._withdrawing.compose(
                self.form, state.reference, submitted_at=record.submitted_at, withdrawn_at=now
            )
            await self._erase_files(state.reference)
            await self._withdrawing.store.withdraw(state.reference, at=now, outbox=emails)
            if self._withdrawing.saved is not None:  # the files of the emails just erased
                await self._withdrawing.saved.erase(state.reference, HOLDING_ANSWERS)
            if emails and self._after_submit is not None:
                self._after_submit()  # wakes the outbox worker
            return Outcome(None, transition.effects)

    async def _own_draft(self, nominator: str, code: str) -> NominationState | None:
        record = await self.own(nominator, code)
        if record is None or not record.state.is_draft:
            return None
        return record.state

    async def _apply(
        self, state: NominationState, event: Event, nominator: str, made_at: datetime
    ) -> Outcome:
        transition = engine.handle(self.form, state, event)
        if any(isinstance(e, Deleted) for e in transition.effects):
            # The nominator said yes to deleting: the engine decides, the store erases.
            await self._delete(nominator, state.reference)
            return Outcome(None, transition.effects)
        refusal = self._over_a_limit(state, transition.state)
        if refusal is not None:
            return Outcome(state, (refusal,))
        now = self._clock()
        outbox: Sequence[NewEmail] = ()
        if self._email_check is not None:
            transition, outbox = await self._email_check.step(
                self.form, nominator, state, transition, now
            )
        notice: RoundNotice | None = None
        if any(isinstance(e, Submitted) for e in transition.effects):
            if not self.round.accepts_submission(made_at):
                return Outcome(state, notice=RoundNotice(News.NOW, made_at))
            notice = RoundNotice(News.CLOSES, now)
            refused = await self._over_the_daily_limit(nominator)
            if refused is not None:
                return Outcome(state, (refused,))
            confirmed = await self.email_confirmed(nominator, transition.state)
            files = await self._attachments(state.reference) if self._attachments else ()
            outbox = await self._amended(
                transition.state,
                self._compose(self.form, transition.state, now, files, email_confirmed=confirmed),
            )
            if not confirmed:
                transition = Transition(
                    transition.state, tuple(_no_copy(e) for e in transition.effects)
                )
        await self._store.save(state, transition.state, at=now, outbox=outbox)
        if outbox and self._after_submit is not None:
            self._after_submit()  # wakes the outbox worker
        return Outcome(transition.state, transition.effects, notice=notice)

    async def _amended(
        self, state: NominationState, emails: Sequence[NewEmail]
    ) -> Sequence[NewEmail]:
        """A re-sent amendment's emails: marked Amended, beginning with what changed."""
        last = None
        if self._withdrawing is not None:
            last = await self._withdrawing.store.latest_answers(state.reference)
        if last is None:
            return emails
        version, previous = last[0] + 1, last[1]
        text = amended.summary(
            state.reference, version, amended.changes(self.form, previous, state)
        )
        return [amended.amended(e, text, version) for e in emails]

    async def amend(self, nominator: str, code: str) -> Outcome:
        """Amend: the nominator's sent nomination becomes their draft again, at the review.
        Outcome(None) if it is not theirs or not sent; `refused` after the closing date."""
        async with self._locks.hold(nominator):
            record = await self.own(nominator, code)
            if record is None or not record.state.is_submitted or self._withdrawing is None:
                return Outcome(None)
            now = self._clock()
            if self.round.phase(now) is Phase.CLOSED:
                return Outcome(record.state, refused=True, notice=RoundNotice(News.CLOSED, now))
            await self._withdrawing.store.reopen(nominator, record.state.reference, at=now)
            state = await self._store.active_draft(nominator)
            if state is None or state.reference != record.state.reference:
                return Outcome(None)
            return await self._apply(state, Start(), nominator, now)

    async def cancel_changes(self, nominator: str, code: str) -> bool:
        """Cancel changes: an amendment is abandoned and the version last sent stays in force."""
        async with self._locks.hold(nominator):
            record = await self.own(nominator, code)
            if record is None or not record.state.is_draft or self._withdrawing is None:
                return False
            return await self._withdrawing.store.cancel_amendment(nominator, record.state.reference)

    async def _delete(self, nominator: str, reference: str) -> bool:
        """Erase a draft and its files. Deleting an amendment deletes the changes: it is
        cancelled, and the version sent (with its files) stays."""
        amending = self._withdrawing
        if amending is not None and await amending.store.latest_answers(reference) is not None:
            return await amending.store.cancel_amendment(nominator, reference)
        await self._erase_files(reference)
        return await self._store.delete_draft(reference)

    async def _erase_files(self, reference: str) -> None:
        if self._forget_files is not None:
            await self._forget_files(reference)

    def _over_a_limit(self, old: NominationState, new: NominationState) -> Reprompt | None:
        """A new email address outside ALLOWED_EMAIL_DOMAINS, however it was given (an answer, an
        edited message, text saved from the review), is refused: nothing is saved."""
        allowed = self._limits.allowed_domains
        field_id = self.form.roles.nominator_email
        address = new.answer(field_id) if field_id is not None else None
        if not allowed or field_id is None or address is None or address == old.answer(field_id):
            return None
        return None if _domain(address) in allowed else Reprompt(field_id, Problem.EMAIL_DOMAIN)

    async def _over_the_daily_limit(self, nominator: str) -> SubmitRefused | None:
        """Submit is refused once the nominator has sent `per_day` nominations in 24 hours; it
        works again 24 hours after the oldest of them. Each refusal is counted for /stats."""
        per_day, store = self._limits.per_day, self._limits.store
        if per_day is None or store is None:
            return None
        now = self._clock()
        recent = await store.submitted_since(nominator, now - DAY)
        if len(recent) < per_day:
            return None
        await store.record_refusal(nominator, now)
        # To the next whole minute, since the nominator is told the time to the minute.
        until = recent[-per_day] + DAY + timedelta(minutes=1)
        return SubmitRefused(until=until.replace(second=0, microsecond=0))


def _no_copy(effect: Effect) -> Effect:
    return replace(effect, copy_sent=False) if isinstance(effect, Submitted) else effect


def _domain(address: str) -> str:
    return address.rpartition("@")[2].strip().casefold()


def stripped(event: Event) -> Event:
    """Typed text without control characters, before the engine or the store sees it: this is
    the one door every front end's text comes through."""
    match event:
        case Answer(text=text, source=source):
            return Answer(typed(text), source)
        case Revise(source=source, text=text):
            return Revise(source, typed(text))
        case _:
            return event
