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

from bot.app import (
    Services,
    open_services,
    open_telegram_bot,
    running,
    smtp_config,
    terminal_conversation,
)
from bot.cli.organisers import add_commands as add_organiser_commands
from bot.cli.organisers import run_command as run_organiser_command
from bot.cli.purge import add_command as add_purge_command
from bot.cli.purge import run as run_purge
from bot.config import Settings, load_settings
from bot.logs import configure_logging
from bot.preflight import ConfigProblem, problems, settings_problems
from bot.screens import texts
from storage.instance import AlreadyRunning, InstanceLock

logger = logging.getLogger("bot")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="nomination-bot", description="Award nominations by Telegram chat or terminal."
    )
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("console", help="run the nomination conversation in this terminal")
    sub.add_parser("telegram", help="run the Telegram bot (needs TELEGRAM_BOT_TOKEN)")
    outbox = sub.add_parser("outbox", help="list emails waiting or failed")
    outbox.add_argument("--send", action="store_true", help="deliver every due email now")
    outbox.add_argument("--all", action="store_true", help="include emails already sent")
    outbox.add_argument(
        "--retry-failed",
        action="store_true",
        help="put failed emails back in the queue and try them now (after fixing the cause)",
    )
    sub.add_parser("check", help="check the settings; with SMTP set, log in without sending")
    add_organiser_commands(sub)
    add_purge_command(sub)
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
    if command == "check":
        return await _check(settings)
    _, wrong = await problems(settings)
    if wrong:
        for line in wrong:
            print(f"Configuration error: {line}", file=sys.stderr)
        return 2
    if command == "console":
        from bot.console.terminal import log_to_file

        # Before anything logs: in the terminal the screen is the conversation.
        log_to_file(settings.database_path.with_suffix(".log"))
    if command in ("console", "telegram") and not settings.organiser_emails:
        logger.warning("ORGANISER_EMAILS is empty: submitted nominations reach only the nominator")
    if command == "telegram":
        return await _telegram(settings)
    if command == "purge":
        return await run_purge(args, settings)
    async with open_services(settings) as services:
        match command:
            case "console":
                return await _console(services)
            case "outbox":
                return await _outbox(
                    services, send=args.send, include_sent=args.all, retry=args.retry_failed
                )
            case "stats" | "export" | "show" | "resend":
                return await run_organiser_command(command, args, services, settings)
    raise AssertionError(command)


async def _telegram(settings: Settings) -> int:
    """The bot and the outbox worker, until SIGINT or SIGTERM."""
    if not settings.token:
        print("TELEGRAM_BOT_TOKEN is not set.", file=sys.stderr)
        return 2
    from bot.telegram.runtime import serve_until

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with open_telegram_bot(settings) as telegram, running(telegram.services.worker):
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


async def _outbox(services: Services, *, send: bool, include_sent: bool, retry: bool) -> int:
    from storage.clock import utc_now
    from storage.types import OutboxStatus

    if retry:
        count = await services.store.outbox.requeue_failed(utc_now())
        print(f"{count} failed email(s) put back in the queue.")
    if send or retry:
        report = await services.worker.send_pending_now()
        print(f"Sent {report.sent}, will retry {report.retrying}, failed {report.failed}.")
        if report.taken:
            print(f"{report.taken} left to another sender (the running bot) that had them.")
    wanted = None if include_sent else (OutboxStatus.PENDING, OutboxStatus.FAILED)
    rows = await services.store.outbox.rows(wanted)
    if not rows:
        print("The outbox is empty: every email has been delivered.")
        return 0
    print(f"{'reference':<11} {'to':<10} {'status':<8} {'tries':>5}  next try / error")
    for row in rows:
        detail = row.last_error or ""
        if row.status is OutboxStatus.PENDING:
            detail = f"{row.next_attempt_at:%Y-%m-%d %H:%M} UTC  {detail}".rstrip()
        status = f"{row.kind.value:<10} {row.status.value:<8} {row.attempts:>5}"
        print(f"{row.reference:<11} {status}  {detail}")
    return 1 if any(r.status is OutboxStatus.FAILED for r in rows) else 0


async def _check(settings: Settings) -> int:
    from mail.delivery import DeliveryFailure, SmtpTransport

    ok = True
    fine, wrong = await problems(settings)
    for line in fine:
        print(line)
    print(f"Telegram: {'token set' if settings.token else 'no token: terminal mode'}")
    if not settings.organiser_emails:
        print("ORGANISER_EMAILS is empty: organisers would receive nothing.")
        ok = False
    else:
        print(f"Organisers: {', '.join(settings.organiser_emails)}")
    config = smtp_config(settings)
    if config is not None:
        try:
            await SmtpTransport(config).check()
        except DeliveryFailure as exc:
            print(f"SMTP: could not connect and log in to {config.host}:{config.port}: {exc}")
            ok = False
        else:
            print(f"SMTP: connected and logged in to {config.host}:{config.port}; nothing sent.")
    for line in wrong:
        print(f"Configuration error: {line}")
    print("All good." if ok and not wrong else "Please fix the above.")
    return 2 if wrong else 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
