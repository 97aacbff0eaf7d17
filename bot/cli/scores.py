"""`nomination-bot scores [--format text|csv] [--output FILE]`: judging's leaderboard as text,
or the judges' scores as CSV for the panel meeting (one row per judge, nomination and criterion,
with comments; safe to open in Excel)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.screens import texts
from bot.screens.leaderboard import board_lines
from bot.services.organisers import ExportFormat, OrganiserService, encoding
from storage.files import private_text_file

COMMAND = "scores"


def add_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    scores = sub.add_parser(COMMAND, help="judging's leaderboard, or every score as CSV")
    scores.add_argument("--format", choices=("text", "csv"), default="text", help="default: text")
    scores.add_argument(
        "--output", type=Path, help="file to write, readable by you only (default: standard output)"
    )


async def run(args: argparse.Namespace, service: OrganiserService) -> int:
    results = service.results
    if results is None:
        print(texts.NO_JUDGING, file=sys.stderr)
        return 2
    if args.format == "text":
        text = "\n".join(board_lines(await results.board(), results.judging)) + "\n"
        if args.output is None:
            sys.stdout.write(text)
        else:
            with private_text_file(args.output) as out:
                out.write(text)
        return 0
    if args.output is None:
        await results.write_scores(sys.stdout)
        return 0
    with private_text_file(args.output, encoding=encoding(ExportFormat.CSV), newline="") as out:
        count = await results.write_scores(out)
    print(f"{count} score(s) written to {args.output}", file=sys.stderr)
    return 0
