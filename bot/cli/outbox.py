"""`nomination-bot outbox`: the emails waiting or failed; `--send` tries them now, `--all`
includes those sent, `--retry-failed` puts failed ones back in the queue and tries them.

It runs beside the bot: rows the bot's worker is sending are left to it, and counted.
"""

from __future__ import annotations

import argparse

from bot.services.organisers import OrganiserService
from storage.types import OutboxStatus

COMMAND = "outbox"


def add_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    outbox = sub.add_parser(COMMAND, help="list emails waiting or failed")
    outbox.add_argument("--send", action="store_true", help="deliver every due email now")
    outbox.add_argument("--all", action="store_true", help="include emails already sent")
    outbox.add_argument(
        "--retry-failed",
        action="store_true",
        help="put failed emails back in the queue and try them now (after fixing the cause)",
    )


async def run(args: argparse.Namespace, service: OrganiserService) -> int:
    """List the outbox, after sending or retrying as asked; 1 when any email failed for good."""
    if args.retry_failed:
        count = await service.retry_failed()
        print(f"{count} failed email(s) put back in the queue.")
    if args.send or args.retry_failed:
        report = await service.send_waiting()
        print(f"Sent {report.sent}, will retry {report.retrying}, failed {report.failed}.")
        if report.taken:
            print(f"{report.taken} left to another sender (the running bot) that had them.")
    rows = await service.outbox(include_sent=args.all)
    if not rows:
        if service.emails_saved_in is not None:
            print(
                f"The outbox is empty: every email has been written to {service.emails_saved_in}."
            )
        else:
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
