"""The organisers' commands, run as they would run them: `python -m bot outbox|check|export`."""

from __future__ import annotations

import asyncio
import csv
import io
import os
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from flows.form import Form
from mail.delivery import OutboxWorker, SmtpTransport
from storage import NominationStore
from storage.instance import lock_path
from storage.types import OutboxStatus
from tests.kit.mailkit import (
    SMTP_PASSWORD,
    SMTP_USER,
    SUBMITTED_AT,
    RecordingHandler,
    SmtpServer,
    StartSmtp,
    submit,
)

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")

REPO = Path(__file__).resolve().parents[2]


def run_bot(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "PYTHONPATH": str(REPO),
        "DATABASE_PATH": str(tmp_path / "nominations.sqlite3"),
        "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
        "MAIL_FROM": "Nomination Bot <nominations@example.nhs.uk>",
        "ORGANISER_EMAILS": "awards@example.nhs.uk",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
    )


def smtp_env(server: SmtpServer, **extra: str) -> dict[str, str]:
    return {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(server.port),
        "SMTP_STARTTLS": "false",
        "SMTP_TIMEOUT_SECONDS": "5",
        **extra,
    }


async def queue_one(tmp_path: Path, form: Form) -> str:
    async with await NominationStore.open(tmp_path / "nominations.sqlite3") as store:
        state, _ = await submit(store, form)
    return state.reference


async def test_outbox_lists_pending_then_send_delivers(
    tmp_path: Path, form: Form, smtp_server: SmtpServer
) -> None:
    reference = await queue_one(tmp_path, form)

    listed = run_bot(tmp_path, "outbox")
    assert listed.stdout.count(reference) == 2  # the organisers' email and the nominator's copy
    assert "pending" in listed.stdout

    sent = run_bot(tmp_path, "outbox", "--send", **smtp_env(smtp_server))
    assert sent.returncode == 0, sent.stderr
    assert "Sent 2" in sent.stdout
    assert "The outbox is empty" in sent.stdout
    assert len(smtp_server.handler.received) == 2

    everything = run_bot(tmp_path, "outbox", "--all")
    assert everything.stdout.count("sent") >= 2


async def test_outbox_shows_permanent_failures(
    tmp_path: Path, form: Form, smtp_server: SmtpServer
) -> None:
    smtp_server.handler.reject_with = "550 5.1.1 Mailbox unavailable"
    reference = await queue_one(tmp_path, form)

    sent = run_bot(tmp_path, "outbox", "--send", **smtp_env(smtp_server))
    assert "failed 2" in sent.stdout
    assert sent.returncode == 1  # something needs the organiser's attention

    listed = run_bot(tmp_path, "outbox")
    assert listed.stdout.count(reference) == 2
    assert "failed" in listed.stdout and "550" in listed.stdout

    # The organiser fixes the cause, then puts the failed emails back and sends them.
    smtp_server.handler.reject_with = None
    retried = run_bot(tmp_path, "outbox", "--retry-failed", **smtp_env(smtp_server))
    assert "2 failed email(s) put back in the queue." in retried.stdout
    assert "Sent 2" in retried.stdout and retried.returncode == 0
    assert len(smtp_server.handler.received) == 2


def test_check_without_smtp_reports_files(tmp_path: Path) -> None:
    result = run_bot(tmp_path, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "written as files" in result.stdout


def test_check_logs_in_without_sending(tmp_path: Path, auth_smtp_server: SmtpServer) -> None:
    env = smtp_env(auth_smtp_server, SMTP_USERNAME=SMTP_USER, SMTP_PASSWORD=SMTP_PASSWORD)
    result = run_bot(tmp_path, "check", **env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "connected and logged in" in result.stdout
    assert auth_smtp_server.handler.received == []
    assert SMTP_PASSWORD not in result.stdout + result.stderr


def test_check_with_a_wrong_password_fails_without_showing_it(
    tmp_path: Path, auth_smtp_server: SmtpServer
) -> None:
    wrong = "not-the-password-42"
    env = smtp_env(auth_smtp_server, SMTP_USERNAME=SMTP_USER, SMTP_PASSWORD=wrong)
    result = run_bot(tmp_path, "check", **env)
    assert result.returncode == 1
    assert "could not connect and log in" in result.stdout
    assert wrong not in result.stdout + result.stderr


def test_check_without_organisers_in_a_trial_names_the_placeholder(tmp_path: Path) -> None:
    """Issue 16: with no SMTP, the organisers' email is still written, to a placeholder."""
    result = run_bot(tmp_path, "check", ORGANISER_EMAILS="")
    assert result.returncode == 0, result.stdout
    assert "organisers@example.invalid" in result.stdout
    assert str(tmp_path / "outbox") in result.stdout


def test_smtp_without_organisers_refuses_to_start(tmp_path: Path) -> None:
    """Issue 16: with SMTP set, an empty ORGANISER_EMAILS would deliver to nobody: exit 2."""
    for command in ("check", "console"):
        result = run_bot(
            tmp_path, command, ORGANISER_EMAILS="", SMTP_HOST="127.0.0.1", SMTP_PORT="2"
        )
        assert result.returncode == 2, (command, result.stdout, result.stderr)
        said = [
            line for line in (result.stdout + result.stderr).splitlines() if "ORGANISER" in line
        ]
        assert len(said) == 1 and "ORGANISER_EMAILS is empty" in said[0], said


async def test_export_writes_every_submitted_nomination(tmp_path: Path, form: Form) -> None:
    async with await NominationStore.open(tmp_path / "nominations.sqlite3") as store:
        first, _ = await submit(store, form, nominee_name='=HYPERLINK("x")')
        second, _ = await submit(store, form, nominee_name="Priya Shah")
        await store.create_draft("telegram:999", form, form.fields[0].id, at=SUBMITTED_AT)

    result = run_bot(tmp_path, "export", "--output", "out.csv")
    assert result.returncode == 0, result.stderr
    raw = (tmp_path / "out.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["Reference"] for r in rows] == [first.reference, second.reference]
    assert rows[1]["Nominee"] == "Priya Shah"
    # A formula typed by a nominator is shown as text, never run by Excel.
    assert rows[0]["Nominee"] == '\'=HYPERLINK("x")'
    assert rows[1][form.field("q1").label] == first.answer("q1")


@dataclass
class HoldsFirstMessage(RecordingHandler):
    """Keeps the first message's DATA waiting until `release` is set: a send caught mid-way."""

    arrived: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if not self.arrived.is_set():
            self.arrived.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 30)
        return await super().handle_DATA(server, session, envelope)


async def test_outbox_send_while_the_bot_is_sending_sends_nothing_twice(
    tmp_path: Path, form: Form, start_smtp: StartSmtp
) -> None:
    handler = HoldsFirstMessage()
    server = start_smtp(handler=handler)
    await queue_one(tmp_path, form)
    async with await NominationStore.open(tmp_path / "nominations.sqlite3") as store:
        bot_worker = OutboxWorker(store.outbox, SmtpTransport(server.config()))
        sending = asyncio.create_task(bot_worker.run_once())
        try:
            assert await asyncio.to_thread(handler.arrived.wait, 30)  # the bot is mid-send

            result = await asyncio.to_thread(
                run_bot, tmp_path, "outbox", "--send", **smtp_env(server)
            )
        finally:
            handler.release.set()
        bot_report = await sending
        rows = await store.outbox.rows()

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Sent 1, will retry 0, failed 0." in result.stdout
    assert "1 left to another sender" in result.stdout
    assert "Traceback" not in result.stderr
    assert (bot_report.sent, bot_report.taken) == (1, 1)
    assert [r.status for r in rows] == [OutboxStatus.SENT] * 2
    copies = server.handler.by_message_id()
    assert sorted(copies) == sorted(r.message_id for r in rows)
    assert all(len(c) == 1 for c in copies.values())


def start_bot_in_terminal(tmp_path: Path) -> subprocess.Popen[str]:
    """`python -m bot console` waiting for its first line of input, as a running bot."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "PYTHONPATH": str(REPO),
        "DATABASE_PATH": str(tmp_path / "nominations.sqlite3"),
        "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
        "ORGANISER_EMAILS": "awards@example.nhs.uk",
    }
    bot = subprocess.Popen(
        [sys.executable, "-m", "bot", "console"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    lock = lock_path(tmp_path / "nominations.sqlite3")
    for _ in range(3000):  # until it holds the lock (it writes its pid there), or it ended
        if bot.poll() is not None:
            raise AssertionError(f"the bot ended: {bot.communicate()[1]}")
        if lock.exists() and lock.read_text().strip() == str(bot.pid):
            return bot
        threading.Event().wait(0.01)
    bot.kill()
    raise AssertionError("the bot never took the lock")


async def test_a_second_bot_on_one_database_refuses_to_start_but_tools_run(
    tmp_path: Path, form: Form
) -> None:
    await queue_one(tmp_path, form)
    bot = start_bot_in_terminal(tmp_path)
    try:
        for second in [
            run_bot(tmp_path, "console"),
            run_bot(
                tmp_path,
                TELEGRAM_BOT_TOKEN="123:abc",
                TELEGRAM_API_BASE_URL="http://127.0.0.1:9/bot",
            ),
        ]:
            assert second.returncode == 2
            assert second.stdout == ""
            message = second.stderr.strip()
            assert "\n" not in message and "Traceback" not in message
            assert message.startswith("Another copy of the bot is already running on ")
            assert f"(process {bot.pid})" in message and "DATABASE_PATH" in message

        for tool in (["outbox"], ["export", "--output", "out.csv"], ["check"]):
            result = run_bot(tmp_path, *tool)
            assert result.returncode == 0, (tool, result.stdout + result.stderr)
        assert lock_path(tmp_path / "nominations.sqlite3").stat().st_mode & 0o777 == 0o600
    finally:
        bot.send_signal(signal.SIGKILL)
        bot.communicate()  # waits, and closes its pipes

    # The kernel let go of the lock with the killed process: no stale lock stops the next bot.
    after = start_bot_in_terminal(tmp_path)
    after.communicate("quit\n", timeout=60)
    assert after.returncode == 0
