"""The organisers' commands, run as they would run them: `python -m bot outbox|check|export`."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from flows.form import Form
from storage import NominationStore
from tests.kit.mailkit import SMTP_PASSWORD, SMTP_USER, SUBMITTED_AT, SmtpServer, submit

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


def test_check_without_organisers_says_so(tmp_path: Path) -> None:
    result = run_bot(tmp_path, "check", ORGANISER_EMAILS="")
    assert result.returncode == 1
    assert "ORGANISER_EMAILS is empty" in result.stdout


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
