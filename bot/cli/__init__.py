"""The organisers' command line: `nomination-bot stats|export|show|resend|outbox|purge|check`,
`scores` and `judging`.

Each command reads its arguments, calls the organisers' service that `bot/__main__.py` builds
through the composition root (so nothing here imports bot.app), and prints plain text.
"""

from __future__ import annotations

import argparse

from bot.cli import check, judging, organisers, outbox, purge, scores
from bot.services.organisers import OrganiserService

__all__ = ["add_commands", "check", "judging", "run"]


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register every organisers' command on the entry point's subcommands."""
    outbox.add_command(sub)
    check.add_command(sub)
    organisers.add_commands(sub)
    purge.add_command(sub)
    scores.add_command(sub)
    judging.add_command(sub)


async def run(command: str, args: argparse.Namespace, service: OrganiserService) -> int:
    """Run an organisers' command other than check (which needs no service); its exit status."""
    if command == outbox.COMMAND:
        return await outbox.run(args, service)
    if command == purge.COMMAND:
        return await purge.run(args, service)
    if command == scores.COMMAND:
        return await scores.run(args, service)
    if command in organisers.COMMANDS:
        return await organisers.run_command(command, args, service)
    raise AssertionError(command)
