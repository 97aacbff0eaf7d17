"""The organisers' commands on the command line: `nomination-bot stats|export|show|resend`.

`bot/__main__.py` registers them with `add_commands` and runs them with `run_command`, over the
organisers' service it builds (the same one Telegram's commands call); this module reads the
arguments and prints plain text.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.screens.stats import stats_lines
from bot.services.organisers import (
    ExportFormat,
    NoOrganisers,
    NotFound,
    NotSubmitted,
    OrganiserService,
    Submitted,
    encoding,
)
from storage.files import private_text_file
from storage.types import OutboxStatus

COMMANDS = ("stats", "export", "show", "resend")
FORMATS = tuple(f.value for f in ExportFormat)


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
    export.add_argument(
        "--shortlisted", action="store_true", help="only the shortlist (see /shortlist)"
    )
    show = sub.add_parser("show", help="print one nomination as the organisers' email shows it")
    show.add_argument("reference", help="e.g. LSI-7K3Q9M")
    resend = sub.add_parser("resend", help="send a nomination's organisers' email again")
    resend.add_argument("reference", help="e.g. LSI-7K3Q9M")


async def run_command(command: str, args: argparse.Namespace, service: OrganiserService) -> int:
    """Run one of COMMANDS; returns the process's exit status."""
    match command:
        case "stats":
            print("\n".join(stats_lines(await service.stats())))
            return 0
        case "export":
            fmt = ExportFormat(args.format)
            return await _export(
                service, fmt, args.output, for_panel=args.for_panel, shortlisted=args.shortlisted
            )
        case "show":
            return await _show(service, args.reference)
        case "resend":
            return await _resend(service, args.reference)
    raise AssertionError(command)


def files_folder(output: Path) -> Path:
    """Where the panel pack's supporting files go: pack.html's are in pack-files/."""
    return output.with_name(f"{output.stem}-files")


async def _export(
    service: OrganiserService,
    fmt: ExportFormat,
    output: Path | None,
    *,
    for_panel: bool,
    shortlisted: bool,
) -> int:
    """Stream the export to standard output, or into a private file that replaces `output`
    only once it is whole."""
    if output is None:
        await service.write_export(fmt, sys.stdout, for_panel=for_panel, shortlisted=shortlisted)
        return 0
    folder = files_folder(output) if fmt is ExportFormat.HTML else None
    with private_text_file(output, encoding=encoding(fmt), newline="") as out:
        count = await service.write_export(
            fmt, out, for_panel=for_panel, files_folder=folder, shortlisted=shortlisted
        )
    print(f"{count} nomination(s) written to {output}", file=sys.stderr)
    return 0


def _refused(found: NotFound | NotSubmitted) -> int:
    """Say why there is no submitted nomination to work on; the exit status that goes with it."""
    match found:
        case NotFound(reference):
            print(f"No nomination has the reference {reference}.", file=sys.stderr)
        case NotSubmitted(reference):
            print(f"{reference} is a draft: it has not been submitted.", file=sys.stderr)
    return 1


async def _show(service: OrganiserService, reference: str) -> int:
    found = await service.lookup(reference)
    if not isinstance(found, Submitted):
        return _refused(found)
    sys.stdout.write(service.email_text(found))
    return 0


async def _resend(service: OrganiserService, reference: str) -> int:
    outcome = await service.resend(reference)
    if isinstance(outcome, NotFound | NotSubmitted):
        return _refused(outcome)
    if isinstance(outcome, NoOrganisers):
        print("ORGANISER_EMAILS is empty: there is nobody to resend to.", file=sys.stderr)
        return 2
    print(f"Queued the organisers' email for {outcome.reference} again ({outcome.message_id}).")
    row = await service.send_now(outcome.message_id)
    if row is None:  # a purge erased it meanwhile
        print(f"{outcome.reference} was erased before its email went.", file=sys.stderr)
        return 1
    if row.status is OutboxStatus.SENT and service.emails_saved_in is not None:
        folder = service.emails_saved_in
        print(f"Saved as a file in {folder}, for {', '.join(row.recipients)}: no SMTP_HOST, so")
        print("nothing was sent.")
        return 0
    if row.status is OutboxStatus.SENT:
        print(f"Sent to {', '.join(row.recipients)}.")
        return 0
    print(f"Not sent yet ({row.last_error}): it stays in the outbox; see `nomination-bot outbox`.")
    return 1
