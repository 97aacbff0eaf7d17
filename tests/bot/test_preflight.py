"""A setting that cannot work stops `python -m bot` and `nomination-bot check` with one line that
names the key or path and the fix, exit code 2 and no traceback (unless LOG_LEVEL=DEBUG); a
token Telegram rejects is never printed; Telegram unreachable at start-up is waited out while
the outbox keeps sending."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from flows.form import load_form
from storage import NominationStore
from tests.kit.fake_telegram import FakeTelegram
from tests.kit.mailkit import SmtpServer, free_port, submit, wait_for_messages

REPO = Path(__file__).resolve().parents[2]
TINY_FORM = REPO / "tests" / "forms" / "tiny.toml"


def environment(tmp_path: Path, **env: str) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "PYTHONPATH": str(REPO),
        "TELEGRAM_BOT_TOKEN": "123456:NEVER-USED-TOKEN",
        "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{free_port()}/bot",  # nothing listens
        "DATABASE_PATH": str(tmp_path / "nominations.sqlite3"),
        "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
        "MAIL_FROM": "Nomination Bot <nominations@example.nhs.uk>",
        "ORGANISER_EMAILS": "awards@example.nhs.uk",
        **env,
    }


async def run_bot(tmp_path: Path, *args: str, **env: str) -> tuple[int, str]:
    """`python -m bot *args` to the end; its exit code and everything it printed."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=tmp_path,
        env=environment(tmp_path, **env),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode is not None
    return process.returncode, (stdout + stderr).decode()


def corrupt_database(tmp_path: Path) -> dict[str, str]:
    path = tmp_path / "nominations.sqlite3"
    path.write_bytes(b"this is not a database, it was overwritten by mistake\n" * 100)
    return {}


def newer_schema(tmp_path: Path) -> dict[str, str]:
    with sqlite3.connect(tmp_path / "nominations.sqlite3") as conn:
        conn.execute("PRAGMA user_version = 999")
    return {}


def file_in_the_way(tmp_path: Path, key: str) -> dict[str, str]:
    # As root, file modes do not stop a write; a file where a folder should be always does.
    (tmp_path / "a-file").write_text("not a folder")
    return {key: str(tmp_path / "a-file" / "inside")}


def broken_toml(tmp_path: Path) -> dict[str, str]:
    form = tmp_path / "form.toml"
    form.write_text('id = "x"\nversion = 1\ntitle = "unclosed\n', encoding="utf-8")
    return {"FORM_FILE": str(form)}


def invalid_form(tmp_path: Path) -> dict[str, str]:
    form = tmp_path / "form.toml"
    form.write_text(TINY_FORM.read_text().replace("version = 3", 'version = "three"'))
    return {"FORM_FILE": str(form)}


def broken_programme(tmp_path: Path) -> dict[str, str]:
    programme = tmp_path / "awards.toml"
    programme.write_text(
        'title = "Awards"\n[[award]]\nid = "lsi"\nform = "nowhere.toml"\ndescription = "x"\n',
        encoding="utf-8",
    )
    return {"AWARDS_FILE": str(programme)}


Setup = Callable[[Path], dict[str, str]]
CASES: dict[str, tuple[Setup, tuple[str, ...]]] = {
    "mail_from": (lambda _: {"MAIL_FROM": "garbage"}, ("MAIL_FROM", "not an email address")),
    "corrupt database": (corrupt_database, ("DATABASE_PATH=", "nominations.sqlite3", "backup")),
    "newer schema": (newer_schema, ("DATABASE_PATH", "schema version 999", "newer version")),
    "database folder": (
        lambda p: file_in_the_way(p, "DATABASE_PATH"),
        ("DATABASE_PATH=", "a-file", "cannot write there"),
    ),
    "outbox folder": (
        lambda p: file_in_the_way(p, "MAIL_OUTBOX_DIR"),
        ("MAIL_OUTBOX_DIR=", "a-file", "cannot write there"),
    ),
    "form toml": (broken_toml, ("FORM_FILE=", "form.toml", "line 3")),
    "form field": (invalid_form, ("FORM_FILE=", "form.toml", "version")),
    "awards file": (broken_programme, ("AWARDS_FILE=", "award 'lsi'", "form", "nowhere.toml")),
    "log level": (lambda _: {"LOG_LEVEL": "chatty"}, ("LOG_LEVEL", "DEBUG, INFO")),
    "webhook secret": (
        lambda _: {"WEBHOOK_URL": "https://bot.example.nhs.uk/t", "WEBHOOK_SECRET_TOKEN": "a b!"},
        ("WEBHOOK_SECRET_TOKEN", "A-Z, a-z, 0-9, _ and -"),
    ),
    "webhook http": (
        lambda _: {"WEBHOOK_URL": "http://bot.example.nhs.uk/t", "WEBHOOK_SECRET_TOKEN": "ok"},
        ("WEBHOOK_URL", "https://"),
    ),
}


STARTUP_TOO = {
    "mail_from",
    "corrupt database",
    "outbox folder",
    "form toml",
    "awards file",
    "log level",
}


def what_is_wrong(returncode: int, output: str, expected: tuple[str, ...]) -> str | None:
    """Why this run falls short of one clear line and exit 2, or None if it does not."""
    problems = [line for line in output.splitlines() if line.startswith("Configuration error")]
    if returncode != 2:
        return f"exit code {returncode}"
    if len(problems) != 1:
        return f"{len(problems)} lines about the problem"
    missing = [words for words in expected if words not in problems[0]]
    if missing:
        return f"the line lacks {missing}"
    if "Traceback" in output or "All good" in output:
        return "a traceback or 'All good'"
    return None


async def test_each_setting_that_cannot_work_is_one_clear_line_and_exit_2(tmp_path: Path) -> None:
    """Each case through `nomination-bot check`, and through `python -m bot` (start-up) where
    the paths differ; all at once, as each is a new Python process."""
    runs = []
    for case, (setup, expected) in CASES.items():
        # Invalid keys stop both the same way, before the command is chosen: one start-up will do.
        commands = [("check",)] + ([()] if case in STARTUP_TOO else [])
        for command in commands:
            folder = tmp_path / f"{case.replace(' ', '-')}-{''.join(command) or 'start'}"
            folder.mkdir()
            runs.append((case, command, expected, run_bot(folder, *command, **setup(folder))))
    results = await asyncio.gather(*(run for *_, run in runs))
    failures = []
    for (case, command, expected, _), (returncode, output) in zip(runs, results, strict=True):
        why = what_is_wrong(returncode, output, expected)
        if why is not None:
            failures.append(f"{case} ({' '.join(command) or 'start-up'}): {why}\n{output}")
    assert not failures, "\n\n".join(failures)


async def test_at_debug_the_cause_is_shown_too(tmp_path: Path) -> None:
    corrupt_database(tmp_path)
    returncode, output = await run_bot(tmp_path, "check", LOG_LEVEL="DEBUG")
    assert returncode == 2
    assert "Traceback" in output
    assert "DatabaseError" in output


async def test_check_still_says_all_good_when_all_is_good(tmp_path: Path) -> None:
    returncode, output = await run_bot(tmp_path, "check")
    assert returncode == 0, output
    assert "All good." in output
    assert "Database: " in output


@pytest.mark.telegram_rejections_expected
async def test_a_token_telegram_rejects_is_never_printed(
    fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    wrong = "654321:WRONG-SECRET-xyz"
    returncode, output = await run_bot(
        tmp_path, TELEGRAM_BOT_TOKEN=wrong, TELEGRAM_API_BASE_URL=fake_telegram.base_url
    )
    assert returncode == 2, output
    assert "TELEGRAM_BOT_TOKEN was rejected by Telegram" in output
    assert "WRONG-SECRET-xyz" not in output
    assert "Traceback" not in output
    assert [r.status for r in fake_telegram.rejected] == [401]


async def test_telegram_unreachable_at_start_up_is_retried_and_email_keeps_going(
    tmp_path: Path, smtp_server: SmtpServer
) -> None:
    async with await NominationStore.open(tmp_path / "nominations.sqlite3") as store:
        await submit(store, load_form())  # two emails waiting: organisers' and nominator's
    env = environment(
        tmp_path,
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(smtp_server.port),
        SMTP_STARTTLS="false",
        SMTP_TIMEOUT_SECONDS="5",
        TELEGRAM_API_BASE_URL=f"http://127.0.0.1:{free_port()}/bot",
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=tmp_path,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await wait_for_messages(smtp_server, 2, within=30)
        assert len(smtp_server.handler.received) == 2
        assert process.returncode is None  # still trying Telegram, not exited
    finally:
        process.send_signal(signal.SIGTERM)
        stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    logs = (stdout + stderr).decode()
    assert process.returncode == 0, logs
    assert "Telegram cannot be reached" in logs
    assert "Traceback" not in logs
