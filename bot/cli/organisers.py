"""The organisers' commands on the command line: `nomination-bot stats|export|show|resend`.

`bot/__main__.py` registers them with `add_commands` and runs them with `run_command`; each reads
the same database the bot writes, through a connection of its own, and prints plain text.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

from bot.app import Services
from bot.config import Settings
from bot.services.exports import csv_bytes, csv_text, json_text
from flows.evidence import MEGABYTE, EvidenceFile
from flows.reading import ORGANISATION
from mail.compose import compose_resend, nomination_text
from mail.panel import pack_file_path, panel_pack
from storage.db import SharedConnection, connect
from storage.files import write_private
from storage.outbox import queue_for_submitted
from storage.statements import LinkStatus
from storage.stats import DAYS_SHOWN, TOP_ORGANISATIONS, RoundStats, round_stats
from storage.types import NominationRecord, OutboxStatus

COMMANDS = ("stats", "export", "show", "resend")
FORMATS = ("csv", "json", "html")


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the organisers' commands on the entry point's subcommands."""
    sub.add_parser("stats", help="drafts, submissions per day and organisation, emails waiting")
    export = sub.add_parser("export", help="write every submitted nomination to a file")
    export.add_argument("--format", choices=FORMATS, default="csv", help="default: csv")
    export.add_argument(
        "--output", type=Path, help="file to write, readable by you only (default: standard output)"
    )
    export.add_argument(
        "--for-panel",
        action="store_true",
        help="leave out nominators' email addresses, phone numbers and organisers' notes",
    )
    show = sub.add_parser("show", help="print one nomination as the organisers' email shows it")
    show.add_argument("reference", help="e.g. LSI-7K3Q9M")
    resend = sub.add_parser("resend", help="send a nomination's organisers' email again")
    resend.add_argument("reference", help="e.g. LSI-7K3Q9M")


async def run_command(
    command: str, args: argparse.Namespace, services: Services, settings: Settings
) -> int:
    """Run one of COMMANDS; returns the process's exit status."""
    match command:
        case "stats":
            return await _stats(services, settings)
        case "export":
            return await _export(
                services, settings, args.format, args.output, for_panel=args.for_panel
            )
        case "show":
            return await _show(services, settings, args.reference)
        case "resend":
            return await _resend(services, settings, args.reference)
    raise AssertionError(command)


def normalised(reference: str) -> str:
    """References as typed: ' lsi-7k3q9m ' is LSI-7K3Q9M."""
    return reference.strip().upper()


@asynccontextmanager
async def _own_connection(settings: Settings) -> AsyncIterator[SharedConnection]:
    conn = await connect(settings.database_path)
    try:
        yield SharedConnection(conn)
    finally:
        await conn.close()


async def _stats(services: Services, settings: Settings) -> int:
    async with _own_connection(settings) as db:
        stats = await round_stats(db, now=datetime.now(UTC), organisation_field=ORGANISATION)
    print("\n".join(stats_lines(stats)))
    return 0


def stats_lines(stats: RoundStats) -> list[str]:
    """The figures as short lines of plain text (for Telegram, escape them and join)."""
    lines = [
        f"Drafts in progress: {stats.drafts}",
        f"Submitted: {stats.submitted}",
        "",
        f"Submitted per day, last {DAYS_SHOWN} days (UK time):",
    ]
    lines += [f"  {day:%a %d %b}: {count}" for day, count in stats.per_day]
    lines += ["", f"By organisation (top {TOP_ORGANISATIONS}):"]
    lines += [f"  {count}  {name}" for name, count in stats.organisations] or ["  none yet"]
    lines += ["", f"Emails waiting to send: {stats.emails_pending}"]
    lines += [f"Emails failed: {stats.emails_failed}"]
    lines += [f"Submits refused (over the daily limit per person): {stats.submits_refused}"]
    return lines


async def _export(
    services: Services, settings: Settings, fmt: str, output: Path | None, *, for_panel: bool
) -> int:
    form, records = services.form, await services.store.submitted()
    if fmt == "html":
        files = await _pack_files(services, records, output)
        text = panel_pack(
            form,
            records,
            for_panel=for_panel,
            generated_at=datetime.now(UTC),
            round_dates=settings.round,
            files=files,
            files_folder=None if output is None else files_folder(output).name,
            statements=await _sent_statements(services, records),
        )
    elif fmt == "json":
        text = json_text(form, records, for_panel=for_panel)
    else:
        text = csv_text(form, records, for_panel=for_panel)
    if output is None:
        sys.stdout.write(text)
    else:
        write_private(output, csv_bytes(text) if fmt == "csv" else text.encode("utf-8"))
        print(f"{len(records)} nomination(s) written to {output}", file=sys.stderr)
    return 0


async def _sent_statements(
    services: Services, records: Sequence[NominationRecord]
) -> dict[str, list[dict[str, str]]]:
    """Each nomination's sent supporting statements, for the panel pack."""
    sent: dict[str, list[dict[str, str]]] = {}
    for record in records:
        links = await services.store.support.of_nomination(record.state.reference)
        sent[record.state.reference] = [
            link.answers for link in links if link.status is LinkStatus.SENT
        ]
    return sent


def files_folder(output: Path) -> Path:
    """Where the panel pack's supporting files go: pack.html's are in pack-files/."""
    return output.with_name(f"{output.stem}-files")


async def _pack_files(
    services: Services, records: Sequence[NominationRecord], output: Path | None
) -> dict[str, list[EvidenceFile]]:
    """Each nomination's supporting files; with an output file, copied (0600) beside it, so the
    panel can open them from the pack's links."""
    store = services.evidence.store
    files = {r.state.reference: await store.list_for(r.state.reference) for r in records}
    if output is not None:
        for kept in files.values():
            for file in kept:
                write_private(
                    files_folder(output).joinpath(*pack_file_path(file)), store.read(file)
                )
    return files


async def _submitted(services: Services, reference: str) -> NominationRecord | None:
    """The submitted nomination, or None after saying why not."""
    record = await services.store.get(normalised(reference))
    if record is None:
        print(f"No nomination has the reference {normalised(reference)}.", file=sys.stderr)
        return None
    if record.submitted_at is None or not record.state.is_submitted:
        print(f"{record.state.reference} is a draft: it has not been submitted.", file=sys.stderr)
        return None
    return record


async def _show(services: Services, settings: Settings, reference: str) -> int:
    record = await _submitted(services, reference)
    if record is None or record.submitted_at is None:
        return 1
    text = nomination_text(
        services.form,
        record.state,
        submitted_at=record.submitted_at,
        round_dates=settings.round,
    )
    sys.stdout.write(text)
    return 0


async def _resend(services: Services, settings: Settings, reference: str) -> int:
    record = await _submitted(services, reference)
    if record is None or record.submitted_at is None:
        return 1
    if not settings.organiser_emails:
        print("ORGANISER_EMAILS is empty: there is nobody to resend to.", file=sys.stderr)
        return 2
    now = datetime.now(UTC)
    email = compose_resend(
        services.form,
        record.state,
        submitted_at=record.submitted_at,
        resent_at=now,
        mail_from=settings.mail_from,
        organisers=settings.organiser_emails,
        round_dates=settings.round,
        attachments=await services.evidence.store.attachments(record.state.reference),
        max_bytes=int(settings.mail_max_mb * MEGABYTE),
        email_confirmed=await services.service.email_confirmed(record.nominator, record.state),
    )
    async with _own_connection(settings) as db:
        await queue_for_submitted(db, record.state.reference, email, at=now)
    print(f"Queued the organisers' email for {record.state.reference} again ({email.message_id}).")
    await services.worker.send_pending_now()
    row = next(r for r in await services.store.outbox.rows() if r.message_id == email.message_id)
    if row.status is OutboxStatus.SENT:
        print(f"Sent to {', '.join(row.recipients)}.")
        return 0
    print(f"Not sent yet ({row.last_error}): it stays in the outbox; see `nomination-bot outbox`.")
    return 1
