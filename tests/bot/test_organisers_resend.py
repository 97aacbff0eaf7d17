"""`/resend REF` from an organiser's chat sends what `nomination-bot resend REF` sends: the
organisers' email with the supporting files attached and, for a nominator who skipped the email
code, marked "email address not confirmed". Through the real Application, the strict fake Bot
API, a real aiosmtpd server and, for the command line, the real process beside the bot."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path

from bot.config import Settings
from bot.screens import texts
from tests.bot.test_organisers_chat import running_bot
from tests.kit.fake_telegram import FakeTelegram
from tests.kit.mailkit import SUBMITTED_AT, SmtpServer, text_body, wait_for_messages
from tests.kit.nominator import (
    DETAILS,
    ORGANISERS,
    REFERENCE,
    RELATIONSHIP,
    MakeSettings,
    Nominator,
    last,
    messages,
    shown,
)
from tests.kit.organiserkit import submit

REPO = Path(__file__).resolve().parents[2]
ORGANISER_ID = 5001
AUDIT = b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"\n%%EOF\n"
ANSWER = (
    "She redesigned discharge planning on the ward and it changed how the whole ward works, and "
    "patients, families and staff all say they can see the difference every day."
)
NOT_CONFIRMED_SUBJECT = "email address not confirmed"
NOT_CONFIRMED_BODY = "Email address not confirmed"


async def submit_with_a_file_and_no_code(sam: Nominator) -> str:
    """A whole nomination: the email code skipped, audit.pdf sent at Q1. Returns its reference."""
    await sam.start_individual()
    await sam.say_all(*DETAILS[:5])
    assert texts.CODE_SENT_TITLE in shown(await sam.say(DETAILS[5]))
    assert texts.EMAIL_SKIPPED in shown(await sam.tap(texts.BUTTON_SKIP_CODE, expect=2))
    await sam.say("/skip")  # the phone number is optional
    await sam.say(RELATIONSHIP)
    await sam.user.send_document(file_name="audit.pdf", data=AUDIT)
    assert shown(await sam.settle(1)).startswith("Saved audit.pdf")
    for _ in range(4):
        await sam.say(ANSWER)
        await sam.say("/done")
    await sam.tap(texts.BUTTON_YES)  # consent, asked last
    match = REFERENCE.search(last(await sam.tap(texts.SUBMIT_BUTTON)).text)
    assert match is not None
    return match.group(0)


def resend_on_the_command_line(settings: Settings, reference: str) -> str:
    """`nomination-bot resend REF` beside the running bot, on its database and SMTP server."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(settings.database_path.parent),
        "PYTHONPATH": str(REPO),
        "DATABASE_PATH": str(settings.database_path),
        "MAIL_OUTBOX_DIR": str(settings.mail_outbox_dir),
        "MAIL_FROM": settings.mail_from,
        "ORGANISER_EMAILS": ",".join(settings.organiser_emails),
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(settings.smtp_port),
        "SMTP_STARTTLS": "false",
        "SMTP_TIMEOUT_SECONDS": "5",
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot", "resend", reference],
        capture_output=True,
        text=True,
        cwd=settings.database_path.parent,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def attached(message: EmailMessage) -> dict[str | None, bytes]:
    return {part.get_filename(): part.get_content() for part in message.iter_attachments()}


async def test_resend_in_chat_sends_the_files_and_the_unconfirmed_mark_as_the_command_line(
    tg: FakeTelegram, make_settings: MakeSettings, smtp_server: SmtpServer
) -> None:
    settings = make_settings(
        organiser_telegram_ids=[ORGANISER_ID], smtp_host="127.0.0.1", smtp_port=smtp_server.port
    )
    assert settings.verify_nominator_email  # on by default, with SMTP
    organiser = Nominator(tg, tg.user(ORGANISER_ID, "Olu", chat_exists=True))
    sam = Nominator(tg, tg.user(2002, "Sam"))
    async with running_bot(settings):
        reference = await submit_with_a_file_and_no_code(sam)
        await wait_for_messages(smtp_server, 2)  # the code, then the organisers' email
        first = smtp_server.handler.received[1].message
        assert attached(first) == {"audit.pdf": AUDIT}
        assert NOT_CONFIRMED_SUBJECT in first["Subject"]

        replies = await organiser.say(f"/resend {reference}", expect=2)
        assert shown(replies).endswith(texts.RESEND_SENT.format(reference=reference))
        await wait_for_messages(smtp_server, 3)
        in_chat = smtp_server.handler.received[2]

        said = await asyncio.to_thread(resend_on_the_command_line, settings, reference)
        assert "Sent to " in said
        await wait_for_messages(smtp_server, 4)
        by_command = smtp_server.handler.received[3]

    for resent in (in_chat, by_command):
        assert tuple(resent.rcpt_tos) == ORGANISERS
        message = resent.message
        assert message["Subject"].startswith("Resent: ")
        assert NOT_CONFIRMED_SUBJECT in message["Subject"]
        assert NOT_CONFIRMED_BODY in text_body(message)
        assert attached(message) == {"audit.pdf": AUDIT}
    assert in_chat.message["Subject"] == by_command.message["Subject"]


async def test_resend_in_chat_says_so_when_the_email_has_not_gone(
    tg: FakeTelegram, make_settings: MakeSettings, smtp_server: SmtpServer
) -> None:
    smtp_server.handler.reject_with = "550 5.1.1 Mailbox unavailable"
    settings = make_settings(
        organiser_telegram_ids=[ORGANISER_ID], smtp_host="127.0.0.1", smtp_port=smtp_server.port
    )
    organiser = Nominator(tg, tg.user(ORGANISER_ID, "Olu", chat_exists=True))
    async with running_bot(settings) as services:
        state = await submit(services.store, services.form, SUBMITTED_AT, nominee_type="team")
        # Queued; the organisers' alert that an email could not be delivered; then the answer.
        said = messages(await organiser.say(f"/resend {state.reference}", expect=3))
    assert said[0].text == texts.RESEND_QUEUED.format(reference=state.reference)
    assert said[-1].text == texts.RESEND_NOT_YET.format(reference=state.reference)
    assert texts.RESEND_SENT.format(reference=state.reference) not in [m.text for m in said]
