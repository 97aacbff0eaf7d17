"""The organisers' tools, one service for the command line and Telegram alike: the round's
figures, one submitted nomination by its reference, the exports and the panel pack, resending the
organisers' email (and learning whether it went), the outbox, and the purge after a round.

It returns data (records, figures, outcomes), never wording: each front end says it its own way.
Reads go through a connection of its own (storage.db.second_connection), so that an organiser's
export never waits behind a nominator's answer, nor holds one up.
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TextIO

from bot.services.award_exports import ExportWriter
from bot.services.exports import ExportFormat as ExportFormat
from bot.services.exports import encoding as encoding
from bot.services.leaderboard import LeaderboardService, judged_boards
from bot.services.ports import AttachmentSource
from flows.approval import APPROVAL_COLUMN, READS, READS_BEFORE_CHANGE, ApprovalStatus
from flows.form import Form
from flows.programme import Award, Programme
from flows.reading import ORGANISATION
from flows.round import Round
from flows.state import NominationState
from mail.compose import compose_resend, nomination_text
from mail.delivery import DeliveryReport, OutboxWorker
from mail.saved import SavedEmails
from storage.clock import utc_now
from storage.db import SharedConnection
from storage.errors import UnknownNomination
from storage.evidence import EvidenceStore
from storage.nominations import NominationStore
from storage.outbox import Outbox, queue_for_submitted
from storage.purge import PurgeStore
from storage.shortlist import ShortlistStore
from storage.stats import RoundStats, award_counts, round_stats
from storage.types import NominationRecord, OutboxRow, OutboxStatus

logger = logging.getLogger(__name__)

EmailConfirmed = Callable[[str, NominationState], Awaitable[bool]]
"""Whether the nominator proved the address in their nomination: NominationService's
email_confirmed, handed in by the composition root."""


@dataclass(frozen=True, slots=True)
class OrganiserSettings:
    """What the organisers' emails and exports need of the settings."""

    mail_from: str
    organiser_emails: tuple[str, ...]
    round_dates: Round
    max_email_bytes: int  # MAIL_MAX_MB: past it, the email lists the files instead of carrying them
    emails_saved_in: Path | None = None  # no SMTP_HOST: emails are files in this folder, not sent


# One lookup, one set of outcomes -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NotFound:
    """No nomination has this reference (or it was erased meanwhile)."""

    reference: str


@dataclass(frozen=True, slots=True)
class NotSubmitted:
    """A draft: it has not been sent to the organisers."""

    reference: str


@dataclass(frozen=True, slots=True)
class Submitted:
    """A nomination sent to the organisers."""

    record: NominationRecord
    submitted_at: datetime
    approval: ApprovalStatus | None = None  # where the award asks its nominee (issue 19)
    approved_before_change: bool = False  # then amended and sent again

    @property
    def reference(self) -> str:
        return self.record.state.reference


Lookup = Submitted | NotFound | NotSubmitted


@dataclass(frozen=True, slots=True)
class Queued:
    """The organisers' email is in the outbox again, as a new message."""

    reference: str
    message_id: str


@dataclass(frozen=True, slots=True)
class NoOrganisers:
    """ORGANISER_EMAILS is empty: there is nobody to resend to."""

    reference: str


Resend = Queued | NoOrganisers | NotFound | NotSubmitted
Scope = frozenset[str] | None
"""The awards (by id) an organiser may see; None: every award."""


class UnknownAward(ValueError):
    """An award id the programme does not have, or one the organiser may not see."""


@dataclass(frozen=True, slots=True)
class Export:
    """Every submitted nomination in one format."""

    format: ExportFormat
    text: str
    count: int

    @property
    def data(self) -> bytes:
        """The bytes of the file: CSV with a byte-order mark, so that Excel reads it as UTF-8."""
        return self.text.encode(encoding(self.format))


@dataclass(frozen=True, slots=True)
class Purged:
    """What an organisers' purge erased, in counts."""

    nominations: int
    files: int
    emails: int
    saved: int = 0
    """Of the emails, the .eml copies erased from MAIL_OUTBOX_DIR."""


def normalised(reference: str) -> str:
    """A reference as typed: ' lsi-7k3q9m ' is LSI-7K3Q9M."""
    return reference.strip().upper()


class OrganiserService:
    """The organisers' use cases, over the store, the supporting files and the outbox."""

    def __init__(
        self,
        form: Form,
        store: NominationStore,
        files: EvidenceStore,
        db: SharedConnection,
        worker: OutboxWorker,
        settings: OrganiserSettings,
        *,
        email_confirmed: EmailConfirmed,
        saved: SavedEmails | None = None,
        clock: Callable[[], datetime] = utc_now,
        programme: Programme | None = None,
        attachments: AttachmentSource | None = None,
    ) -> None:
        self.form = form
        self.programme = programme or Programme.single(
            Award(form.reference_prefix.lower(), form, form.title, (), settings.round_dates)
        )
        self._store = store
        self._files = files
        # What the submission email carried: the files and any statement sent meanwhile.
        self._attachments = attachments or files.attachments
        self._db = db
        self._outbox = Outbox(db)
        self._purges = PurgeStore(db, files.blob_path)
        self._worker = worker
        self._settings = settings
        self._email_confirmed = email_confirmed
        self._saved = saved  # the .eml copies of emails, erased with their nominations
        self._clock = clock
        self._exports = ExportWriter(
            self.programme,
            db,
            files,
            store.support,
            ShortlistStore(db),
            store.approvals,
            clock=clock,
        )
        self.boards = judged_boards(self.programme, db, clock=clock)
        """Each judged award's leaderboard, scores and shortlist, by award id."""
        own = self.programme.award_for(form.id) or self.programme.first
        self.results = self.boards.get(own.id)
        """This service's form's award's; None if it is not judged."""

    @property
    def emails_saved_in(self) -> Path | None:
        """The folder emails are written to instead of being sent (no SMTP_HOST), or None."""
        return self._settings.emails_saved_in

    def award_of(self, record: NominationRecord) -> Award:
        """The award a nomination belongs to, by its form's id."""
        return self.programme.award_for(record.state.form_id) or self.programme.first

    def awards_in(self, scope: Scope) -> tuple[Award, ...]:
        return tuple(a for a in self.programme if scope is None or a.id in scope)

    def results_in(self, scope: Scope = None) -> dict[str, LeaderboardService]:
        """Judging's results of the judged awards an organiser who sees `scope` sees, by award
        id in the programme's order (empty: none of theirs is judged)."""
        return {a.id: self.boards[a.id] for a in self.awards_in(scope) if a.id in self.boards}

    async def stats(self, scope: Scope = None) -> RoundStats:
        """The round's figures now: drafts, submissions per day and organisation, emails; with
        `scope`, of those awards' nominations only."""
        form_ids = None if scope is None else [a.form.id for a in self.awards_in(scope)]
        return await round_stats(
            self._db, now=self._clock(), organisation_field=ORGANISATION, form_ids=form_ids
        )

    async def award_stats(self, scope: Scope = None) -> list[tuple[Award, int, int]]:
        """Each award's (award, drafts, submitted), in the programme's order."""
        counts = await award_counts(self._db)
        return [(a, *counts.get(a.form.id, (0, 0))) for a in self.awards_in(scope)]

    async def lookup(self, reference: str, scope: Scope = None) -> Lookup:
        """The submitted nomination with this reference (as typed), or why there is none. One
        of an award outside `scope` is answered as unknown: guessing tells nothing."""
        reference = normalised(reference)
        record = await self._store.get(reference)
        if record is None or self.award_of(record) not in self.awards_in(scope):
            return NotFound(reference)
        if record.submitted_at is None or not record.state.is_submitted:
            return NotSubmitted(reference)
        approval = await self._store.approvals.of_nomination(reference)
        status = approval.status if approval is not None else None
        changed = approval is not None and approval.approved_before_change
        return Submitted(record, record.submitted_at, status, changed)

    def email_text(self, found: Submitted) -> str:
        """The nomination as plain text, laid out as the organisers' email lays it out."""
        award = self.award_of(found.record)
        text = nomination_text(
            award.form, found.record.state, submitted_at=found.submitted_at, round_dates=award.round
        )
        if found.approval is None:
            return text
        reads = READS_BEFORE_CHANGE if found.approved_before_change else READS[found.approval]
        return f"{text.rstrip()}\n\n{APPROVAL_COLUMN}: {reads}\n"

    # Resending --------------------------------------------------------------------------------

    async def resend(self, reference: str, scope: Scope = None) -> Resend:
        """Queue the organisers' email of a submitted nomination again, as a new message marked
        Resent, composed as at submission: its supporting files attached (unless MAIL_MAX_MB
        says list them) and an unconfirmed address marked; then wake the worker."""
        found = await self.lookup(reference, scope)
        if not isinstance(found, Submitted):
            return found
        award = self.award_of(found.record)
        organisers = award.organiser_emails if len(self.programme) > 1 else None
        organisers = organisers or self._settings.organiser_emails
        if not organisers:
            return NoOrganisers(found.reference)
        record, now = found.record, self._clock()
        email = compose_resend(
            award.form,
            record.state,
            submitted_at=found.submitted_at,
            resent_at=now,
            mail_from=self._settings.mail_from,
            organisers=organisers,
            round_dates=award.round,
            attachments=await self._attachments(found.reference),
            max_bytes=self._settings.max_email_bytes,
            email_confirmed=await self._email_confirmed(record.nominator, record.state),
        )
        try:
            await queue_for_submitted(self._db, found.reference, email, at=now)
        except UnknownNomination:  # erased between the lookup and the queueing
            return NotFound(found.reference)
        self._worker.wake()
        return Queued(found.reference, email.message_id)

    async def sent(self, message_id: str, within: timedelta) -> bool:
        """Whether the email has gone, waiting up to `within` (by the service's clock) for the
        running worker to send it. Its row is looked at again whenever a pass of the worker
        ends, so a test drives the wait with passes and its clock; the time the clock has left
        bounds the wait too, in case no worker is running."""
        deadline = self._clock() + within
        while True:
            passes = self._worker.passes.ended
            row = await self._outbox.find(message_id)
            if row is None or row.status is not OutboxStatus.PENDING:
                return row is not None and row.status is OutboxStatus.SENT
            left = (deadline - self._clock()).total_seconds()
            if left <= 0:
                return False
            try:
                async with asyncio.timeout(left):
                    await self._worker.passes.after(passes)
            except TimeoutError:
                row = await self._outbox.find(message_id)
                return row is not None and row.status is OutboxStatus.SENT

    async def send_now(self, message_id: str) -> OutboxRow | None:
        """Try every waiting email at once (the command line has no worker running), then the
        row of this one, to say whether it went."""
        await self._worker.send_pending_now()
        return await self._outbox.find(message_id)

    # The outbox -------------------------------------------------------------------------------

    async def outbox(self, *, include_sent: bool = False) -> list[OutboxRow]:
        """The emails waiting or failed, in the order they were queued; all of them with
        `include_sent`."""
        wanted = None if include_sent else (OutboxStatus.PENDING, OutboxStatus.FAILED)
        return await self._outbox.rows(wanted)

    async def retry_failed(self) -> int:
        """Put the failed emails back in the queue, due now; how many."""
        return await self._outbox.requeue_failed(self._clock())

    async def send_waiting(self) -> DeliveryReport:
        """Try every waiting email now, whatever its backoff says."""
        return await self._worker.send_pending_now()

    # Exports ----------------------------------------------------------------------------------

    async def export(
        self,
        fmt: ExportFormat,
        *,
        for_panel: bool = False,
        files_folder: Path | None = None,
        award: str | None = None,
        scope: Scope = None,
    ) -> Export:
        """The export in memory, for Telegram's upload; write_export streams it instead."""
        out = io.StringIO()
        count = await self.write_export(
            fmt, out, for_panel=for_panel, files_folder=files_folder, award=award, scope=scope
        )
        return Export(fmt, out.getvalue(), count)

    def awards_chosen(self, award: str | None = None, scope: Scope = None) -> tuple[Award, ...]:
        """The awards an export holds: every one within `scope`, or the one `award` names
        (UnknownAward if the programme has none such within `scope`)."""
        awards = self.awards_in(scope)
        if award is None:
            return awards
        chosen = tuple(a for a in awards if a.id == award)
        if not chosen:
            raise UnknownAward(award)
        return chosen

    async def write_export(
        self,
        fmt: ExportFormat,
        out: TextIO,
        *,
        for_panel: bool = False,
        files_folder: Path | None = None,
        shortlisted: bool = False,
        award: str | None = None,
        scope: Scope = None,
    ) -> int:
        """Write every submitted nomination to `out` as CSV, JSON or the panel pack (HTML), a
        page of nominations at a time, so memory stays flat however large the round; how many.
        Grouped by award when there are several; with `award`, that award's alone, exactly as
        a bot serving it alone writes it (UnknownAward, before anything is written, if the
        programme has none such within `scope`). With `for_panel`, the nominators' contact
        details and organisers' notes are left out. For the pack, with `files_folder`, the
        supporting files are copied there (0600) and linked from it. With `shortlisted`, only
        the shortlist's nominations. Open a file for it with the encoding `encoding(fmt)`."""
        return await self._exports.write(
            fmt,
            out,
            self.awards_chosen(award, scope),
            for_panel=for_panel,
            files_folder=files_folder,
            shortlisted=shortlisted,
        )

    # After the round --------------------------------------------------------------------------

    @property
    def saved_folder(self) -> Path | None:
        """Where the .eml copies of emails are kept (MAIL_OUTBOX_DIR), if anywhere."""
        return self._saved.directory if self._saved is not None else None

    async def to_purge(self, before: datetime) -> list[str]:
        """The references of the nominations sent before `before`, which a purge would erase."""
        return await self._purges.submitted_before(before)

    async def purge(self, before: datetime) -> Purged:
        """Erase every nomination sent before `before`, with its answers, files and emails. The
        log names each by reference and counts, never by content."""
        erased = await self._purges.erase_submitted_before(before)
        saved = 0
        for one in erased:
            copies = await self._saved.erase(one.reference) if self._saved is not None else 0
            saved += copies
            logger.info(
                "purge: erased %s with %d file(s), %d email(s) and %d .eml file(s)",
                one.reference,
                one.files,
                one.emails,
                copies,
            )
        logger.info(
            "purge: %d nomination(s) sent before %s erased", len(erased), before.isoformat()
        )
        return Purged(
            nominations=len(erased),
            files=sum(e.files for e in erased),
            emails=sum(e.emails for e in erased),
            saved=saved,
        )
