"""Entry point: `python -m bot` / `nomination-bot [command]`; `--help` lists the commands.

With no command: the Telegram bot when TELEGRAM_BOT_TOKEN is set, otherwise the terminal
conversation when standard input is a terminal, otherwise a clear error naming the missing key.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import getpass
import logging
import os
import signal
import sys
from collections.abc import Sequence

from pydantic import ValidationError

from bot import cli
from bot.app import (
    Services,
    open_organisers,
    open_services,
    open_telegram_bot,
    running,
    smtp_config,
    terminal_conversation,
)
from bot.config import PLACEHOLDER_ORGANISERS, Settings, load_settings
from bot.logs import configure_logging
from bot.preflight import ConfigProblem, preflight, settings_problems
from bot.screens import texts
from flows.programme import Programme
from storage.instance import AlreadyRunning, InstanceLock

logger = logging.getLogger("bot")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="nomination-bot", description="Award nominations by Telegram chat or terminal."
    )
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("console", help="run the nomination conversation in this terminal")
    sub.add_parser("telegram", help="run the Telegram bot (needs TELEGRAM_BOT_TOKEN)")
    judge = sub.add_parser("judge", help="score nominations in this terminal, as a judge")
    judge.add_argument("--award", help=cli.judging.AWARD_HELP)
    cli.add_commands(sub)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    # python-telegram-bot 22 warns on every flood-control reply unless durations are timedeltas;
    # opting in here, before it runs, keeps 429 handling (AIORateLimiter) free of warnings.
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    args = parse_args(argv)
    try:
        settings = load_settings()
    except ValidationError as exc:
        for line in settings_problems(exc):
            print(f"Configuration error: {line}", file=sys.stderr)
        return 2
    secrets = [s for s in (settings.token, _password(settings)) if s]
    configure_logging(settings.log_level, secrets)
    command = args.command
    if command is None:
        if settings.token:
            command = "telegram"
        elif sys.stdin.isatty():
            command = "console"
        else:
            print(texts.NO_TERMINAL_NO_BOT, file=sys.stderr)
            return 2
    try:
        with _one_bot_per_database(command, settings):
            return asyncio.run(_run(command, args, settings))
    except AlreadyRunning as exc:
        print(exc, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception:
        # Logged, not printed by Python: the log's filter takes any secret out of the traceback.
        logger.critical("stopped by an unexpected error", exc_info=True)
        return 1


def _one_bot_per_database(
    command: str, settings: Settings
) -> contextlib.AbstractContextManager[object]:
    """The bot itself runs once per database; the organisers' tools run alongside it."""
    if command in ("console", "telegram"):
        return InstanceLock(settings.database_path)
    return contextlib.nullcontext()


def _password(settings: Settings) -> str | None:
    return settings.smtp_password.get_secret_value() if settings.smtp_password else None


async def _run(command: str, args: argparse.Namespace, settings: Settings) -> int:
    if command == cli.check.COMMAND:
        return await cli.check.run(settings, smtp_config(settings))
    checked = await preflight(settings)
    if checked.wrong or checked.programme is None:
        for line in checked.wrong:
            print(f"Configuration error: {line}", file=sys.stderr)
        return 2
    if command in ("console", "judge"):
        from bot.console.terminal import log_to_file

        # Before anything logs: in the terminal the screen is the conversation.
        log_to_file(settings.database_path.with_suffix(".log"))
    if command in ("console", "telegram") and not settings.organiser_emails:
        # Only in a trial without SMTP (preflight refuses it with SMTP): one plain line.
        folder = settings.mail_outbox_dir
        print(texts.TRIAL_ORGANISERS.format(address=PLACEHOLDER_ORGANISERS, folder=folder))
    programme = checked.programme  # read once, by the checks: handed on, not read again
    if command == "telegram":
        return await _telegram(settings, programme)
    if command == "console":
        async with open_services(settings, programme=programme) as services:
            return await _console(services)
    if command in ("judge", cli.judging.COMMAND):
        return await _judging(command, args, settings, programme)
    async with open_organisers(settings, programme=programme) as organisers:
        return await cli.run(command, args, organisers)


async def _telegram(settings: Settings, programme: Programme) -> int:
    """The bot and the outbox worker, until SIGINT or SIGTERM."""
    if not settings.token:
        print("TELEGRAM_BOT_TOKEN is not set.", file=sys.stderr)
        return 2
    from bot.telegram.runtime import serve_until

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    opened = open_telegram_bot(settings, programme=programme)
    async with opened as telegram, running(telegram.services.worker):
        try:
            # Retries while Telegram cannot be reached; the outbox worker delivers meanwhile.
            await serve_until(stop, telegram.application, settings)
        except ConfigProblem as exc:  # e.g. a token Telegram rejects
            print(f"Configuration error: {exc}", file=sys.stderr)
            return 2
    return 0


async def _console(services: Services) -> int:
    from bot.console.terminal import Console

    # drain: whatever was submitted goes out before the terminal closes.
    async with running(services.worker, drain=True):
        await Console(terminal_conversation(services), f"local:{getpass.getuser()}").run()
    return 0


async def _judging(
    command: str, args: argparse.Namespace, settings: Settings, programme: Programme
) -> int:
    """An award's judging (`--award`, or the first judged one): scored at this terminal, or
    opened, closed or shown."""
    from bot.app_judging import judging_conversation
    from bot.console.judging import judge_here, terminal_judge_id

    award = getattr(args, "award", None)
    async with open_services(settings, programme=programme) as services:
        if award is not None and services.programme.award(award) is None:
            known = ", ".join(a.id for a in services.programme)
            print(f"No award has the id {award!r}; the awards are: {known}.", file=sys.stderr)
            return 2
        judging = judging_conversation(settings, services, award=award)
        if command == cli.judging.COMMAND:
            return await cli.judging.run(args, None if judging is None else judging.panel)
        if judging is None:
            print(texts.NO_JUDGING, file=sys.stderr)
            return 2
        return await judge_here(judging, terminal_judge_id())


if __name__ == "__main__":
    sys.exit(main())
