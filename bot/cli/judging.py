"""`nomination-bot judging open|close|status [--award ID]`: the organisers open and close an
award's judging (default: the programme's first judged award) from the command line, as
/judging does in Telegram, or see how it stands: open or not, and each judge with how many they
have scored of those assigned."""

from __future__ import annotations

import argparse
import sys

from bot.screens import texts
from bot.screens.judging import panel_lines
from bot.services.judging import JudgingService

COMMAND = "judging"
ACTIONS = ("open", "close", "status")
AWARD_HELP = "this award's judging (its id in AWARDS_FILE); default: the first judged award"


def add_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    judging = sub.add_parser(COMMAND, help="open or close judging, or see how it stands")
    judging.add_argument("action", choices=ACTIONS, nargs="?", default="status")
    judging.add_argument("--award", help=AWARD_HELP)


async def run(args: argparse.Namespace, panel: JudgingService | None) -> int:
    """Open, close or show judging; `panel` is None for a form with no [judging] section."""
    if panel is None:
        print(texts.NO_JUDGING, file=sys.stderr)
        return 2
    if args.action in ("open", "close"):
        await panel.set_open(args.action == "open")
    if args.action == "status":
        # "Not open": closed, or never opened yet, which "closed" would read as over.
        state = "open" if await panel.is_open() else "not open"
        said = texts.JUDGING_CLI_STATE.format(state=state)
    else:
        said = texts.JUDGING_CLI_OPENED if args.action == "open" else texts.JUDGING_CLI_CLOSED
    members = await panel.panel()
    lines = [said]
    if members:
        lines += [texts.JUDGING_CLI_PANEL.format(count=len(members)), *panel_lines(members)]
    else:
        lines.append(texts.JUDGING_CLI_NO_JUDGES)
    print("\n".join(lines))
    return 0
