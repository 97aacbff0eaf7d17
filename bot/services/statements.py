"""The colleague's side of a supporting statement: opening the link they were sent, then writing
through the same engine as a nominator's answers (flows/statement.py), and sending.

Every event is one engine step, saved in one transaction before the colleague is answered. A
colleague only ever learns the nominee's name, role, organisation and the nominator's first
name; the nominator never sees the statement, only that it arrived. What to show is the screens'
business: each call returns a `StatementStep`, data only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.services.nominating import stripped
from flows import engine
from flows.effects import Effect, Submitted
from flows.events import Answer, Event, Revise
from flows.form import Form
from flows.journey import nominee_name
from flows.programme import Programme, own_form
from flows.state import NominationState
from flows.statement import Introduction, LinkRefusal, answers_of, new_statement
from mail.statement import compose_statement_email
from storage.clock import utc_now
from storage.nominations import NominationStore
from storage.statements import LimitReached, LinkStatus, SupportLink, SupportStore
from storage.types import NominationRecord

# The nominee's role and organisation, by field id: shown to the colleague when the form has them.
ROLE_FIELD = "nominee_role"
ORGANISATION_FIELD = "nominee_organisation"


@dataclass(frozen=True, slots=True)
class SupportSettings:
    maximum: int = 3  # SUPPORT_MAX
    max_words: int = 300  # SUPPORT_MAX_WORDS
    mail_from: str = ""
    organisers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StatementStep:
    """What became of one thing a colleague did: the statement `token` as it is now (`state`)
    with the engine's `effects`, for the nominee `nominee`; or why nothing happened (`refused`).
    `introduction` is set when the link was just opened, `stale` for a button from an earlier
    step. Once sent, `told` is the nominator's key and the nomination's reference."""

    token: str | None = None
    state: NominationState | None = None
    effects: tuple[Effect, ...] = ()
    nominee: str | None = None
    refused: LinkRefusal | None = None
    introduction: Introduction | None = None
    stale: bool = False
    sent: bool = False
    told: tuple[str, str] | None = None


UNKNOWN = StatementStep(refused=LinkRefusal.UNKNOWN)
# The nominator opening their own link is told the truth about it.
_OWN_LINK = {
    LinkStatus.OPEN: LinkRefusal.OWN_LINK,
    LinkStatus.WRITING: LinkRefusal.OWN_LINK_TAKEN,
    LinkStatus.SENT: LinkRefusal.OWN_LINK_SENT,
    LinkStatus.REVOKED: LinkRefusal.OWN_LINK_CANCELLED,
}


class StatementService:
    """A colleague writing a statement, over the nomination store and the statement's form."""

    def __init__(
        self,
        store: NominationStore,
        form: Form,
        statement_form: Form,
        settings: SupportSettings,
        *,
        clock: Callable[[], datetime] = utc_now,
        after_send: Callable[[], None] | None = None,
        programme: Programme | None = None,
    ) -> None:
        self._programme = programme  # each nomination's own award's form and organisers
        self._store = store
        self._links: SupportStore = store.support
        self.form = form
        self.statement_form = statement_form
        self.settings = settings
        self._clock = clock
        self._after_send = after_send

    async def open(self, colleague: str, token: str) -> StatementStep:
        """The colleague opens a link: claimed by them if open, carried on if already theirs.
        Anything else (unknown, revoked, sent, someone else's) gets one and the same reply; the
        nominator opening their own link is told what it is now: for a colleague and still open,
        or taken, used or cancelled (an open one stays open)."""
        link = await self._links.get(token)
        record = await self._store.get(link.reference) if link is not None else None
        if link is None or record is None:
            return UNKNOWN
        if record.nominator == colleague:
            return StatementStep(refused=_OWN_LINK[link.status])
        if link.status is LinkStatus.OPEN:
            start = new_statement(self.statement_form, link.reference)
            await self._links.claim(token, colleague, start)
        elif link.status is LinkStatus.WRITING and link.colleague == colleague:
            await self._links.resume(token, colleague)
        link = await self._links.get(token)
        if link is None or link.status is not LinkStatus.WRITING or link.colleague != colleague:
            return UNKNOWN
        if link.state is None:
            return UNKNOWN
        return StatementStep(
            token, link.state, nominee=self._nominee(record), introduction=self._intro(record)
        )

    def _organisers(self, record: NominationRecord) -> tuple[str, ...]:
        if self._programme is None or len(self._programme) == 1:
            return tuple(self.settings.organisers)
        return self._programme.organisers_of(own_form(self._programme, self.form, record.state))

    def _nominee(self, record: NominationRecord | None) -> str | None:
        if record is None:
            return None
        return nominee_name(own_form(self._programme, self.form, record.state), record.state)

    def _intro(self, record: NominationRecord) -> Introduction:
        state = record.state
        form = own_form(self._programme, self.form, state)
        nominator = (state.answer(form.roles.nominator_name) or "").split()
        return Introduction(
            nominator_first_name=nominator[0] if nominator else None,
            nominee=self._nominee(record),
            role=state.answer(ROLE_FIELD),
            organisation=state.answer(ORGANISATION_FIELD),
        )

    async def pause(self, colleague: str) -> None:
        """The colleague turned to something else: their typing goes to their own nominations."""
        await self._links.pause(colleague)

    async def writing(self, colleague: str) -> bool:
        """Whether this sender is writing a statement now (not paused)."""
        return await self._links.writing(colleague) is not None

    async def typed(self, colleague: str, text: str, source: str | None) -> StatementStep | None:
        """A message from a colleague: their statement's answer if they are writing one, else
        None (it is for their own nominations)."""
        link = await self._links.writing(colleague)
        if link is None:
            return None
        return await self._apply(colleague, link, Answer(text, source=source))

    async def revise(self, colleague: str, source: str, text: str) -> StatementStep | None:
        """An edited message: the statement's part that came from it follows the edit. None if
        it was not part of the statement being written (it may be one of their own answers)."""
        link = await self._links.writing(colleague)
        if link is None or link.state is None:
            return None
        revised = engine.handle(self.statement_form, link.state, stripped(Revise(source, text)))
        if revised.effects == ():
            return None
        return await self._apply(colleague, link, Revise(source, text))

    async def act(
        self,
        colleague: str,
        event: Event,
        *,
        token: str | None = None,
        only_if: Callable[[NominationState], bool] | None = None,
    ) -> StatementStep | None:
        """A button (on the statement `token`) or a typed command (the statement being written):
        one engine event. A button shown before the statement moved on shows where it is now.
        None for a command when no statement is being written."""
        link = await (self._links.get(token) if token else self._links.writing(colleague))
        if token is None and link is None:
            return None
        if link is None or link.colleague != colleague or link.status is not LinkStatus.WRITING:
            return UNKNOWN
        if link.state is not None and only_if is not None and not only_if(link.state):
            record = await self._store.get(link.reference)
            return StatementStep(link.token, link.state, nominee=self._nominee(record), stale=True)
        return await self._apply(colleague, link, event)

    async def _apply(self, colleague: str, link: SupportLink, event: Event) -> StatementStep:
        if link.state is None:
            return UNKNOWN
        record = await self._store.get(link.reference)
        if record is None:
            return UNKNOWN
        # Control characters go, through the same door as a nominator's answers.
        transition = engine.handle(self.statement_form, link.state, stripped(event))
        if any(isinstance(effect, Submitted) for effect in transition.effects):
            return await self._send(colleague, link, record, transition.state)
        changed = transition.state != link.state or link.paused  # saving carries on a paused one
        if changed and not await self._links.save(link.token, colleague, transition.state):
            return UNKNOWN
        nominee = self._nominee(record)
        return StatementStep(link.token, transition.state, transition.effects, nominee=nominee)

    async def _send(
        self, colleague: str, link: SupportLink, record: NominationRecord, sent: NominationState
    ) -> StatementStep:
        """Send the statement: attached to the nomination, emailed now if it was already sent."""
        at = self._clock()
        emails = []
        if record.state.is_submitted:
            email = compose_statement_email(
                link.reference,
                self._nominee(record) or "",
                answers_of(self.statement_form, sent),
                token=link.token,
                sent_at=at,
                mail_from=self.settings.mail_from,
                organisers=self._organisers(record),
            )
            emails = [email] if email is not None else []
        try:
            done = await self._links.send(
                link.token, colleague, sent, at=at, maximum=self.settings.maximum, outbox=emails
            )
        except LimitReached:
            return StatementStep(refused=LinkRefusal.FULL)
        if not done:
            return UNKNOWN
        if emails and self._after_send is not None:
            self._after_send()
        return StatementStep(
            nominee=self._nominee(record), sent=True, told=(record.nominator, link.reference)
        )
