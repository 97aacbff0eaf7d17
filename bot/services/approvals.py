"""The nominee's approval (issue 19): the link the nominator forwards once a nomination is sent,
and the nominee's side of it: open it, choose Yes or No, leave an optional note for the
organisers, say whether the nominator may read it. A No withdraws the nomination exactly as its
nominator's Withdraw does. Each call saves before it returns, and returns data only.

A nomination amended and sent again after its nominee approved it stays approved (nothing in the
issue asks judging to wait), and its nominee is told once, with the nomination as it now reads
(`changes_due`); the organisers see that the approval came before the last change.

Whether an award asks at all is `needs_approval(form_id)`: its `nominee_approval` in the
programme file, NOMINEE_APPROVAL by default (bot/app.py hands it over). Each nomination is
read in its own award's form, and its emails go to that award's organisers.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flows.approval import (
    ApprovalOutcome,
    ApprovalRefusal,
    ApprovalStatus,
    ApprovalStep,
    Decided,
    Forward,
    NomineeView,
    nominee_view,
)
from flows.form import Form
from flows.journey import nominee_name
from flows.programme import Programme, own_form
from flows.reading import is_team
from flows.state import NominationState
from flows.text import typed
from mail.approval import compose_approval
from mail.saved import HOLDING_ANSWERS, SavedEmails
from storage.approvals import Approval, ApprovalStore
from storage.clock import utc_now
from storage.nominations import NominationStore
from storage.statements import LinkStatus
from storage.types import NewEmail

LINK_PREFIX = "nominee-"
TOKEN_BYTES = 12  # 96 random bits; 16 characters, well within Telegram's 64 for a start parameter
SUPPORTER_NAME = "name"  # the supporting statement's field naming its author

UNKNOWN = ApprovalOutcome(refused=ApprovalRefusal.UNKNOWN)


def token_of(payload: str) -> str | None:
    """The token of a /start payload "nominee-<token>", or None for any other payload."""
    return payload[len(LINK_PREFIX) :] if payload.startswith(LINK_PREFIX) else None


def link_for(bot_username: str, token: str) -> str:
    """The link a nominator forwards to the nominee (or a team's lead)."""
    return f"https://t.me/{bot_username}?start={LINK_PREFIX}{token}"


@dataclass(frozen=True, slots=True)
class ApprovalSettings:
    remind_after: timedelta = timedelta(days=7)  # NOMINEE_APPROVAL_REMIND_DAYS
    mail_from: str = ""
    organisers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Reminder:
    """One reminder due: the nominator, the nomination, its nominee, and a fresh link's token."""

    nominator: str
    reference: str
    nominee: str
    team: bool
    token: str


@dataclass(frozen=True, slots=True)
class Changed:
    """A nomination changed after its nominee approved it: whom to tell, and how it reads now."""

    approver: str
    reference: str
    view: NomineeView


@dataclass(frozen=True, slots=True)
class Erasing:
    """What a decline erases beside the store's withdrawal, as the nominator's Withdraw does:
    the supporting files, and the saved copies of the nomination's emails (MAIL_OUTBOX_DIR)."""

    saved: SavedEmails | None = None
    forget_files: Callable[[str], Awaitable[object]] | None = None
    after: Callable[[], None] | None = None  # wakes the outbox worker


class ApprovalService:
    """Both sides of a nominee's approval, over the nomination store."""

    def __init__(
        self,
        store: NominationStore,
        form: Form,
        settings: ApprovalSettings,
        needs_approval: Callable[[str], bool],
        *,
        erasing: Erasing | None = None,
        clock: Callable[[], datetime] = utc_now,
        programme: Programme | None = None,
    ) -> None:
        self._store = store
        self._approvals: ApprovalStore = store.approvals
        self.form = form
        self.settings = settings
        self._needs = needs_approval
        self._erasing = erasing or Erasing()
        self._clock = clock
        self._programme = programme  # each nomination's own award: its form, its organisers

    @property
    def asks(self) -> bool:
        """Whether any award asks its nominees to approve (in a programme, perhaps not the
        first)."""
        forms = self._programme.forms if self._programme is not None else (self.form,)
        return any(self._needs(form.id) for form in forms)

    def _form_of(self, state: NominationState) -> Form:
        return own_form(self._programme, self.form, state)

    def _organisers_of(self, form: Form) -> tuple[str, ...]:
        if self._programme is None:
            return self.settings.organisers
        return self._programme.organisers_of(form)

    # The nominator ---------------------------------------------------------------------------

    async def ask(self, reference: str) -> Forward | None:
        """Once a nomination is first sent: the link for its nominator to forward, or None (this
        award asks no approval, the nomination is not sent, or it has its link already)."""
        record = await self._store.get(reference)
        if record is None or not record.state.is_submitted:
            return None
        if not self._needs(record.state.form_id):
            return None
        token = secrets.token_urlsafe(TOKEN_BYTES)
        if not await self._approvals.create(reference, token, at=self._clock()):
            return None
        named = nominee_name(self._form_of(record.state), record.state) or ""
        return Forward(token, named, is_team(record.state))

    async def reminders_due(self) -> list[Reminder]:
        """Nominations still waiting after NOMINEE_APPROVAL_REMIND_DAYS with no reminder yet, each
        with a fresh link (the old one stops working): at most one reminder each, ever."""
        now = self._clock()
        due = []
        for approval in await self._approvals.due_reminders(now - self.settings.remind_after):
            record = await self._store.get(approval.reference)
            token = secrets.token_urlsafe(TOKEN_BYTES)
            if record is None or not await self._approvals.reminded(
                approval.reference, token, at=now
            ):
                continue
            named = nominee_name(self._form_of(record.state), record.state) or ""
            team = is_team(record.state)
            due.append(Reminder(approval.nominator, approval.reference, named, team, token))
        return due

    async def changes_due(self) -> list[Changed]:
        """Approved nominations amended and sent again since: each counted as told before it is
        returned (at most once, as the reminder), with the nomination as its nominee sees it."""
        due = []
        for approval in await self._approvals.changes_to_tell():
            record = await self._store.get(approval.reference)
            if record is None or approval.approver is None or approval.submitted_at is None:
                continue
            if not await self._approvals.telling_of_change(
                approval.reference, approval.submitted_at
            ):
                continue
            view = await self._view(approval.reference, record.state)
            due.append(Changed(approval.approver, approval.reference, view))
        return due

    async def _view(self, reference: str, state: NominationState) -> NomineeView:
        """The nomination as its nominee sees it: who supports it, never what they wrote."""
        links = await self._store.support.of_nomination(reference)
        supporters = [
            link.answers.get(SUPPORTER_NAME, "") for link in links if link.status is LinkStatus.SENT
        ]
        return nominee_view(self._form_of(state), state, [name for name in supporters if name])

    async def held(self, person: str) -> list[dict[str, object]]:
        """/mydata: each approval this person opened, with their answer and note; of the
        nomination, only its award and nominee (what they were shown names them)."""
        held: list[dict[str, object]] = []
        for approval in await self._approvals.of_approver(person):
            record = await self._store.get(approval.reference)
            named = (
                nominee_name(self._form_of(record.state), record.state)
                if record is not None
                else None
            )
            decided = approval.decided_at.isoformat() if approval.decided_at else None
            held.append(
                {
                    "award": (self._form_of(record.state) if record else self.form).title,
                    "nominee": named,
                    "status": approval.status.value,
                    "answered_at": decided,
                    "note": approval.note,
                    "note_shared_with_nominator": approval.share_note,
                }
            )
        return held

    # The nominee -----------------------------------------------------------------------------

    async def open(self, person: str, token: str) -> ApprovalOutcome:
        """The nominee opens the link: claimed by the first to open it, shown again to them.
        Used, someone else's, guessed or gone: one and the same reply."""
        approval = await self._approvals.by_token(token)
        if approval is None or not approval.submitted:
            return UNKNOWN
        if approval.status is not ApprovalStatus.PENDING:
            return UNKNOWN
        if approval.nominator == person:
            return ApprovalOutcome(refused=ApprovalRefusal.OWN_LINK)
        if approval.approver is None:
            await self._approvals.claim(token, person)
            approval = await self._approvals.by_token(token)
        if approval is None or approval.approver != person:
            return UNKNOWN
        await self._approvals.leave(person)  # opened again: from the start
        record = await self._store.get(approval.reference)
        if record is None:
            return UNKNOWN
        view = await self._view(approval.reference, record.state)
        return ApprovalOutcome(approval.reference, view=view, asked=ApprovalStep.CHOOSING)

    async def choose(self, person: str, reference: str, *, approve: bool) -> ApprovalOutcome:
        """Yes or No: held while an optional note is asked."""
        if not await self._approvals.choose(reference, person, approve=approve):
            return UNKNOWN
        return ApprovalOutcome(reference, asked=ApprovalStep.NOTE, approve=approve)

    async def answering(self, person: str) -> bool:
        """Whether this person is writing a note (so their typing is the note)."""
        return await self._approvals.answering(person) is not None

    async def typed(self, person: str, text: str) -> ApprovalOutcome | None:
        """Typed text: the note, when one is asked; None when it is for something else."""
        approval = await self._approvals.answering(person)
        if approval is None:
            return None
        note = typed(text).strip()  # control characters go, as from any answer
        if approval.step is not ApprovalStep.NOTE or not note:
            asked, approve = approval.step, approval.approve
            return ApprovalOutcome(approval.reference, asked=asked, approve=approve)
        await self._approvals.write_note(approval.reference, person, note)
        return ApprovalOutcome(approval.reference, asked=ApprovalStep.SHARE)

    async def leave(self, person: str) -> None:
        """They turned to something else: nothing is decided; the link opens at the start."""
        await self._approvals.leave(person)

    async def finish(self, person: str, reference: str, *, share: bool) -> ApprovalOutcome:
        """No note, or the note shared or kept for the organisers: the answer is given. The
        organisers are emailed either way; a No withdraws the nomination."""
        approval = await self._approvals.of_nomination(reference)
        record = await self._store.get(reference)
        if approval is None or record is None or not _answering(approval, person):
            return UNKNOWN
        at, approved = self._clock(), bool(approval.approve)
        shared = share and approval.note is not None
        form = self._form_of(record.state)
        emails = compose_approval(
            form,
            reference,
            approved=approved,
            note=approval.note,
            share_note=shared,
            decided_at=at,
            mail_from=self.settings.mail_from,
            organisers=self._organisers_of(form),
        )
        if approved:
            done = await self._approvals.approve(
                reference, person, note=approval.note, share_note=shared, at=at, outbox=emails
            )
        else:
            done = await self._decline(reference, person, at, emails)
        if not done:
            return UNKNOWN
        if emails and self._erasing.after is not None:
            self._erasing.after()
        named = nominee_name(self._form_of(record.state), record.state) or ""
        told = Decided(approved, reference, named, is_team(record.state), approval.note)
        if not shared:
            told = Decided(approved, reference, named, told.team, None)
        return ApprovalOutcome(reference, decided=told, nominator=record.nominator)

    async def _decline(
        self, reference: str, person: str, at: datetime, emails: list[NewEmail]
    ) -> bool:
        """The nominee's No: withdrawn as by the nominator (answers, versions, statements and
        earlier emails in the store's withdrawal; then the files and the emails' saved copies),
        the organisers' email queued in the same transaction."""
        if not await self._approvals.decline(reference, person, at=at, outbox=emails):
            return False
        if self._erasing.forget_files is not None:
            await self._erasing.forget_files(reference)
        if self._erasing.saved is not None:
            await self._erasing.saved.erase(reference, HOLDING_ANSWERS)
        return True


def _answering(approval: Approval, person: str) -> bool:
    return (
        approval.approver == person
        and approval.status is ApprovalStatus.PENDING
        and approval.step is not ApprovalStep.CHOOSING
        and approval.submitted
    )
