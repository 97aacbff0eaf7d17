"""`nomination-bot purge --submitted-before DATE`: the organisers erase a round's nominations.

Every nomination sent before DATE goes, with its answers, its files and its outbox rows (the
organisers' service's purge), after a yes at the prompt unless `--yes`. It prints how many went;
the service logs each by reference and counts, never by content. It runs beside the bot, over a
connection of its own.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime

from bot.services.organisers import OrganiserService

COMMAND = "purge"
CONFIRM = "Erase {count} nomination(s) sent before {day}, with their files and emails? [y/N] "
NONE = "No nominations were sent before {day}."
DONE = "Erased {count} nomination(s), {files} file(s) and {emails} email(s)."
SAVED = "Their {saved} .eml file(s) in {folder} went too."
KEPT = "Nothing erased."


def cutoff(text: str) -> datetime:
    """DATE as typed: 2027-02-01 is the start of that day in UTC; a time with a zone is taken as
    it is."""
    try:
        if len(text.strip()) == len("2027-02-01"):
            day = date.fromisoformat(text.strip())
            return datetime(day.year, day.month, day.day, tzinfo=UTC)
        at = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date like 2027-02-01: {text!r}") from exc
    if at.tzinfo is None:
        raise argparse.ArgumentTypeError("a time needs its zone, e.g. 2027-02-01T17:00:00+00:00")
    return at


def _agreed(ask: Callable[[str], str], question: str) -> bool:
    """A yes at the prompt; no answer (no terminal, end of input) is a no."""
    try:
        answer = ask(question)
    except EOFError:
        print()
        return False
    return answer.strip().lower() in ("y", "yes")


def add_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    purge = sub.add_parser(
        COMMAND, help="erase nominations sent before a date, with their files and emails"
    )
    purge.add_argument(
        "--submitted-before",
        type=cutoff,
        required=True,
        metavar="DATE",
        help="e.g. 2027-02-01 (the start of that day, UTC)",
    )
    purge.add_argument("--yes", action="store_true", help="do not ask for confirmation")


async def run(
    args: argparse.Namespace, service: OrganiserService, ask: Callable[[str], str] = input
) -> int:
    """Erase what was sent before the cutoff; 0 whether or not anything was erased."""
    before: datetime = args.submitted_before
    day = before.isoformat()
    references = await service.to_purge(before)
    if not references:
        print(NONE.format(day=day))
        return 0
    question = CONFIRM.format(count=len(references), day=day)
    if not args.yes and not _agreed(ask, question):
        print(KEPT)
        return 0
    purged = await service.purge(before)
    print(DONE.format(count=purged.nominations, files=purged.files, emails=purged.emails))
    if purged.saved:
        print(SAVED.format(saved=purged.saved, folder=service.saved_folder))
    sys.stdout.flush()
    return 0
