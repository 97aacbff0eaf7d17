"""The organisers' exports written as they are read, each award's nominations in turn (issue 19)
and a page of them at a time, so that memory stays flat however large the round.

One award's export is exactly the export of a bot serving that award alone. Several awards'
are grouped, each under its own form's columns, since each award asks its own questions: the
CSV's under a line naming the award, the JSON's as {"programme", "awards": [...]}, the panel
pack's as one document titled by the programme, each award's contents and pages in turn.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TextIO

from bot.services.exports import Approvals, CsvExport, ExportFormat, JsonExport
from flows.evidence import EvidenceFile
from flows.programme import Award, Programme
from mail.panel import PackPart, PackWriter, pack_file_path
from storage import sent
from storage.approvals import ApprovalStore
from storage.clock import utc_now
from storage.db import SharedConnection
from storage.evidence import EvidenceStore
from storage.files import write_private
from storage.shortlist import ShortlistStore
from storage.statements import LinkStatus, SupportStore
from storage.types import NominationRecord

AWARD_HEADING = "Award: {title} ({id})"
Pages = AsyncIterator[list[NominationRecord]]


@dataclass(frozen=True, slots=True)
class _Options:
    """One export's: whether it is the panel's copy, the pack's files' folder, the approvals."""

    for_panel: bool
    folder: Path | None
    approvals: Approvals | None


class ExportWriter:
    """Writes the exports of a programme's awards, reading through the organisers' own
    connection, so that a page's read never waits behind a nominator's answer."""

    def __init__(
        self,
        programme: Programme,
        db: SharedConnection,
        files: EvidenceStore,
        support: SupportStore,
        shortlist: ShortlistStore,
        approvals: ApprovalStore,
        *,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._programme, self._db, self._files = programme, db, files
        self._support, self._shortlist, self._clock = support, shortlist, clock
        self._approvals = approvals

    async def write(
        self,
        fmt: ExportFormat,
        out: TextIO,
        awards: Sequence[Award],
        *,
        for_panel: bool = False,
        files_folder: Path | None = None,
        shortlisted: bool = False,
    ) -> int:
        """Write these awards' submitted nominations to `out`, grouped when there are several
        (see the module's docstring); how many. Only the shortlist's, with `shortlisted`."""
        wanted = set(await self._shortlist.references()) if shortlisted else None
        # None: no award asks its nominees.
        options = _Options(for_panel, files_folder, await self._approvals.statuses() or None)
        grouped = len(awards) > 1
        if fmt is ExportFormat.JSON and grouped:
            title = json.dumps(self._programme.title, ensure_ascii=False)
            out.write(f'{{\n  "programme": {title},\n  "awards": [')
        count = 0
        for index, award in enumerate(awards):
            pages = self._pages(award, wanted)
            if fmt is ExportFormat.HTML:
                part = PackPart(
                    self._programme.title if grouped else award.form.title,
                    first=index == 0,
                    last=index == len(awards) - 1,
                )
                count += await self._write_pack(award, pages, out, options, part)
            else:
                place = index if grouped else None
                count += await self._write_table(fmt, award, pages, out, options, place)
        if fmt is ExportFormat.JSON and grouped:
            out.write("\n  ]\n}\n" if awards else "]\n}\n")
        return count

    async def _pages(self, award: Award, wanted: set[str] | None) -> Pages:
        """The award's submitted nominations a page at a time; only `wanted`, if given. The
        first award also takes those of a form the programme no longer serves, as
        OrganiserService.award_of does."""
        if award is self._programme.first:
            others = tuple(a.form.id for a in self._programme if a is not award)
            forms = sent.Forms(other_than=others)
        else:
            forms = sent.Forms(only=(award.form.id,))
        async for records in sent.submitted_pages(self._db, forms=forms):
            yield records if wanted is None else [r for r in records if r.state.reference in wanted]

    async def _write_table(
        self,
        fmt: ExportFormat,
        award: Award,
        pages: Pages,
        out: TextIO,
        options: _Options,
        place: int | None,
    ) -> int:
        """One award's CSV or JSON; `place`, its place among several, or None for it alone."""
        export: CsvExport | JsonExport
        for_panel, approvals = options.for_panel, options.approvals
        if fmt is ExportFormat.JSON:
            lead = None if place is None else {"award": award.id, "description": award.description}
            if place is not None:
                out.write(("," if place else "") + "\n    ")
            depth = 0 if place is None else 2
            export = JsonExport(
                out, award.form, for_panel=for_panel, lead=lead, depth=depth, approvals=approvals
            )
        else:
            if place is not None:
                heading = AWARD_HEADING.format(title=award.title, id=award.id)
                out.write(("\n" if place else "") + heading + "\r\n")
            export = CsvExport(out, award.form, for_panel=for_panel, approvals=approvals)
        count = 0
        async for records in pages:
            export.write(records)
            count += len(records)
        export.finish()
        return count

    async def _write_pack(
        self,
        award: Award,
        pages: Pages,
        out: TextIO,
        options: _Options,
        part: PackPart,
    ) -> int:
        for_panel, folder, approvals = options.for_panel, options.folder, options.approvals
        folder_name = None if folder is None else folder.name
        with PackWriter(
            award.form, for_panel=for_panel, files_folder=folder_name, approvals=approvals
        ) as pack:
            async for records in pages:
                pack.add(
                    records,
                    files=await self._pack_files(records, folder),
                    statements=await self._sent_statements(records),
                )
            return pack.finish(out, generated_at=self._clock(), round_dates=award.round, part=part)

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
        links = await self._support.of_each_nomination([r.state.reference for r in records])
        return {
            reference: [link.answers for link in kept if link.status is LinkStatus.SENT]
            for reference, kept in links.items()
        }
