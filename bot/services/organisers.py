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
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TextIO

from bot.services.exports import CsvExport, JsonExport
from bot.services.leaderboard import LeaderboardService
from flows.approval import APPROVAL_COLUMN, READS, ApprovalStatus
from flows.evidence import EvidenceFile
from flows.form import Form
from flows.judging.criteria import judging_of
from flows.reading import ORGANISATION
from flows.round import Round
from flows.state import NominationState
from mail.compose import compose_resend, nomination_text
from mail.delivery import DeliveryReport, OutboxWorker
from mail.panel import PackWriter, pack_file_path
from mail.saved import SavedEmails
from storage import sent
from storage.clock import utc_now
from storage.db import SharedConnection
from storage.errors import UnknownNomination
from storage.evidence import EvidenceStore
from storage.files import write_private
from storage.nominations import NominationStore
from storage.outbox import Outbox, queue_for_submitted
from storage.purge import PurgeStore
from storage.shortlist import ShortlistStore
from storage.statements import LinkStatus
from storage.stats import RoundStats, round_stats
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


class ExportFormat(StrEnum):
    CSV = "csv"
    JSON = "json"
    HTML = "html"  # the panel pack


def encoding(fmt: ExportFormat) -> str:
    """How an export's file is encoded: CSV with a byte-order mark, so that Excel reads it as
    UTF-8; the others plain UTF-8."""
    return "utf-8-sig" if fmt is ExportFormat.CSV else "utf-8"


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
    ) -> None:
        self.form = form
        self._store = store
        self._files = files
        self._db = db
        self._outbox = Outbox(db)
        self._purges = PurgeStore(db, files.blob_path)
        self._worker = worker
        self._settings = settings
        self._email_confirmed = email_confirmed
        self._saved = saved  # the .eml copies of emails, erased with their nominations
        self._clock = clock
        self._shortlist = ShortlistStore(db)
        judging = judging_of(form)
        self.results = (
            None if judging is None else LeaderboardService(form, judging, db, clock=clock)
        )
        """Judging's leaderboard, scores and shortlist; None for an award that is not judged."""

    @property
    def emails_saved_in(self) -> Path | None:
        """The folder emails are written to instead of being sent (no SMTP_HOST), or None."""
        return self._settings.emails_saved_in

    async def stats(self) -> RoundStats:
        """The round's figures now: drafts, submissions per day and organisation, emails."""
        return await round_stats(self._db, now=self._clock(), organisation_field=ORGANISATION)

    async def lookup(self, reference: str) -> Lookup:
        """The submitted nomination with this reference (as typed), or why there is none."""
        reference = normalised(reference)
        record = await self._store.get(reference)
        if record is None:
            return NotFound(reference)
        if record.submitted_at is None or not record.state.is_submitted:
            return NotSubmitted(reference)
        approval = await self._store.approvals.of_nomination(reference)
        status = approval.status if approval is not None else None
        return Submitted(record, record.submitted_at, status)

    def email_text(self, found: Submitted) -> str:
        """The nomination as plain text, laid out as the organisers' email lays it out."""
        text = nomination_text(
            self.form,
            found.record.state,
            submitted_at=found.submitted_at,
            round_dates=self._settings.round_dates,
        )
        if found.approval is None:
            return text
        return f"{text.rstrip()}\n\n{APPROVAL_COLUMN}: {READS[found.approval]}\n"

    # Resending --------------------------------------------------------------------------------

    async def resend(self, reference: str) -> Resend:
        """Queue the organisers' email of a submitted nomination again, as a new message marked
        Resent, composed as at submission: its supporting files attached (unless MAIL_MAX_MB
        says list them) and an unconfirmed address marked; then wake the worker."""
        found = await self.lookup(reference)
        if not isinstance(found, Submitted):
            return found
        if not self._settings.organiser_emails:
            return NoOrganisers(found.reference)
        record, now = found.record, self._clock()
        email = compose_resend(
            self.form,
            record.state,
            submitted_at=found.submitted_at,
            resent_at=now,
            mail_from=self._settings.mail_from,
            organisers=self._settings.organiser_emails,
            round_dates=self._settings.round_dates,
            attachments=await self._files.attachments(found.reference),
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
        self, fmt: ExportFormat, *, for_panel: bool = False, files_folder: Path | None = None
    ) -> Export:
        """The export in memory, for Telegram's upload; write_export streams it instead."""
        out = io.StringIO()
        count = await self.write_export(fmt, out, for_panel=for_panel, files_folder=files_folder)
        return Export(fmt, out.getvalue(), count)

    async def write_export(
        self,
        fmt: ExportFormat,
        out: TextIO,
        *,
        for_panel: bool = False,
        files_folder: Path | None = None,
        shortlisted: bool = False,
    ) -> int:
        """Write every submitted nomination to `out` as CSV, JSON or the panel pack (HTML), a
        page of nominations at a time, so memory stays flat however large the round; how many.
        With `for_panel`, the nominators' contact details and organisers' notes are left out.
        For the pack, with `files_folder`, the supporting files are copied there (0600) and
        linked from it. With `shortlisted`, only the shortlist's nominations. Open a file for
        CSV with the encoding `encoding(fmt)` gives."""
        pages = self._pages(shortlisted=shortlisted)
        approvals = await self._store.approvals.statuses() or None  # None: no award asks
        if fmt is ExportFormat.HTML:
            return await self._write_pack(
                pages, out, for_panel=for_panel, folder=files_folder, approvals=approvals
            )
        export = (JsonExport if fmt is ExportFormat.JSON else CsvExport)(
            out, self.form, for_panel=for_panel, approvals=approvals
        )
        count = 0
        async for records in pages:
            export.write(records)
            count += len(records)
        export.finish()
        return count

    async def _pages(self, *, shortlisted: bool) -> AsyncIterator[list[NominationRecord]]:
        """The submitted nominations a page at a time; only the shortlist's, if asked."""
        wanted = set(await self._shortlist.references()) if shortlisted else None
        # Through the organisers' own connection: a page's read never waits behind a nominator.
        async for records in sent.submitted_pages(self._db):
            yield records if wanted is None else [r for r in records if r.state.reference in wanted]

    async def _write_pack(
        self,
        pages: AsyncIterator[list[NominationRecord]],
        out: TextIO,
        *,
        for_panel: bool,
        folder: Path | None,
        approvals: Mapping[str, ApprovalStatus] | None,
    ) -> int:
        folder_name = None if folder is None else folder.name
        with PackWriter(
            self.form, for_panel=for_panel, files_folder=folder_name, approvals=approvals
        ) as pack:
            async for records in pages:
                pack.add(
                    records,
                    files=await self._pack_files(records, folder),
                    statements=await self._sent_statements(records),
                )
            return pack.finish(
                out, generated_at=self._clock(), round_dates=self._settings.round_dates
            )

    async def _pack_files(
        self, records: Sequence[NominationRecord], folder: Path | None
    ) -> dict[str, list[EvidenceFile]]:
        """Each nomination's supporting files; with a folder, copied (0600) into it, so the
        panel can open them from the pack's links."""
        files = await self._files.list_for_each([r.state.reference for r in records])
        if folder is not None:
            for kept in files.values():
                for file in kept:
                    write_private(folder.joinpath(*pack_file_path(file)), self._files.read(file))
        return files

    async def _sent_statements(
        self, records: Sequence[NominationRecord]
    ) -> dict[str, list[dict[str, str]]]:
        """Each nomination's sent supporting statements, for the panel pack."""
        links = await self._store.support.of_each_nomination([r.state.reference for r in records])
        return {
            reference: [link.answers for link in kept if link.status is LinkStatus.SENT]
            for reference, kept in links.items()
        }

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
