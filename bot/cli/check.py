"""`nomination-bot check`: the settings checked, the form, database and outbox folder opened,
and, with SMTP set, a login without sending. It prints what it found, then one
`Configuration error: …` line per problem.

Exit status: 0 all good, 1 for an SMTP or organiser problem, 2 for a setting that stops the bot.
"""

from __future__ import annotations

import argparse

from bot.config import PLACEHOLDER_ORGANISERS, Settings
from bot.preflight import problems
from bot.screens import texts
from mail.delivery import DeliveryFailure, SmtpConfig, SmtpTransport

COMMAND = "check"


def add_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub.add_parser(COMMAND, help="check the settings; with SMTP set, log in without sending")


async def run(settings: Settings, smtp: SmtpConfig | None) -> int:
    """Check everything; `smtp` is the server the settings name, if any."""
    ok = True
    fine, wrong = await problems(settings)
    for line in fine:
        print(line)
    print(f"Telegram: {'token set' if settings.token else 'no token: terminal mode'}")
    if not settings.organiser_emails and smtp is None:
        folder = settings.mail_outbox_dir
        print(texts.TRIAL_ORGANISERS.format(address=PLACEHOLDER_ORGANISERS, folder=folder))
    elif settings.organiser_emails:
        print(f"Organisers: {', '.join(settings.organiser_emails)}")
    if smtp is not None:
        try:
            await SmtpTransport(smtp).check()
        except DeliveryFailure as exc:
            print(f"SMTP: could not connect and log in to {smtp.host}:{smtp.port}: {exc}")
            ok = False
        else:
            print(f"SMTP: connected and logged in to {smtp.host}:{smtp.port}; nothing sent.")
    for line in wrong:
        print(f"Configuration error: {line}")
    print("All good." if ok and not wrong else "Please fix the above.")
    return 2 if wrong else 0 if ok else 1
