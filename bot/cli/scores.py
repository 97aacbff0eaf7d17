"""`nomination-bot scores [--format text|csv] [--award ID] [--output FILE]`: judging's
leaderboard as text, or the judges' scores as CSV for the panel meeting (one row per judge,
nomination and criterion, with comments; safe to open in Excel). In a programme each judged award
has its own: `--award` names one; without it, every judged award's, one after another, as the
exports group them (the CSV then begins each row with its award's name)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from bot.screens import texts
from bot.screens.leaderboard import board_lines
from bot.services.leaderboard import LeaderboardService
from bot.services.organisers import ExportFormat, OrganiserService, encoding
from bot.services.scores_export import ScoresCsv
from storage.files import private_text_file

COMMAND = "scores"


def add_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    scores = sub.add_parser(COMMAND, help="judging's leaderboard, or every score as CSV")
    scores.add_argument("--format", choices=("text", "csv"), default="text", help="default: text")
    scores.add_argument(
        "--award", help="only this award's (its id in AWARDS_FILE); default: every judged award"
    )
    scores.add_argument(
        "--output", type=Path, help="file to write, readable by you only (default: standard output)"
    )


def chosen(service: OrganiserService, award: str | None) -> dict[str, LeaderboardService] | None:
    """The judged awards' results to print: every one, or the one `award` names (empty if it
    is not judged); None if the programme has no award with that id."""
    boards = service.results_in()
    if award is None:
        return boards
    if service.programme.award(award) is None:
        return None
    return {award: boards[award]} if award in boards else {}


async def run(args: argparse.Namespace, service: OrganiserService) -> int:
    boards = chosen(service, getattr(args, "award", None))
    if boards is None:
        known = ", ".join(a.id for a in service.programme)
        print(f"No award has the id {args.award!r}; the awards are: {known}.", file=sys.stderr)
        return 2
    if not boards:
        print(texts.NO_JUDGING, file=sys.stderr)
        return 2
    if args.format == "text":
        text = await _boards_text(service, boards)
        if args.output is None:
            sys.stdout.write(text)
        else:
            with private_text_file(args.output) as out:
                out.write(text)
        return 0
    # Every award's scores in one file say whose each row is; one award's read as if alone.
    awards = getattr(args, "award", None) is None and len(service.programme) > 1
    if args.output is None:
        await _write_scores(service, boards, sys.stdout, awards=awards)
        return 0
    with private_text_file(args.output, encoding=encoding(ExportFormat.CSV), newline="") as out:
        count = await _write_scores(service, boards, out, awards=awards)
    print(f"{count} score(s) written to {args.output}", file=sys.stderr)
    return 0


async def _boards_text(service: OrganiserService, boards: dict[str, LeaderboardService]) -> str:
    """Each award's leaderboard, under its name where there are several."""
    parts = []
    for award, results in boards.items():
        lines = board_lines(await results.board(), results.judging)
        if len(boards) > 1:
            title = service.programme.award(award)
            lines = [title.title if title is not None else award, *lines]
        parts.append("\n".join(lines) + "\n")
    return "\n".join(parts)


async def _write_scores(
    service: OrganiserService,
    boards: dict[str, LeaderboardService],
    out: TextIO,
    *,
    awards: bool,
) -> int:
    """Every award's scores in one CSV, under one header; with `awards`, each row's award."""
    sheet = ScoresCsv(out, awards=awards)
    count = 0
    for award_id, results in boards.items():
        award = service.programme.award(award_id)
        sheet.award = award.title if award is not None else award_id
        count += await results.write_scores(out, sheet=sheet)
    return count
