"""The terminal front end end-to-end: `python -m bot console` in a subprocess, scripted input."""

from __future__ import annotations

import email
import email.policy
import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

DETAILS = [
    "1",  # Start a nomination
    "1",  # An individual
    "Priya Shah",
    "Senior Staff Nurse",
    "Leeds Teaching Hospitals NHS Trust",
    "yes",  # the nominee knows
    "Jo Bloggs",
    "jo.bloggs@nhs.net",
    "skip",  # phone (optional)
    "Line manager",
]
DECLARATION = ["yes"]  # consent, asked last
# Award answers need the form's 25 words; this sentence makes a short one long enough.
FILLER = (
    "It changed how the whole ward works, and patients, families and staff all say that "
    "they can see and feel the difference every single day."
)
ANSWERS = {
    "q1": ["She redesigned discharge <planning> & ran daily huddles.", "Second part of Q1."],
    "q2": [f"Length of stay fell by 1.2 days. {FILLER}"],
    "q3": [f"Patient focus groups — “it felt like being listened to”. {FILLER}"],
    "q4": [f"She chairs the staff race equality network. مرحبا 👋 {FILLER}"],
}
ANSWERS["q1"].append(FILLER)


def run_console(
    tmp_path: Path, lines: list[str], *, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "USER": "tester",
        "DATABASE_PATH": str(tmp_path / "nominations.sqlite3"),
        "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
        "ORGANISER_EMAILS": "awards@example.nhs.uk",
        "MAIL_FROM": "Nomination Bot <nominations@example.nhs.uk>",
        "PYTHONPATH": str(REPO),
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", "console"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=timeout,
        check=False,
    )


def question_lines(*fields: str) -> list[str]:
    lines: list[str] = []
    for field in fields:
        lines.extend(["hints", *ANSWERS[field], "done"])
    return lines


def read_eml(path: Path) -> email.message.EmailMessage:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(message, email.message.EmailMessage)
    return message


def assert_delivered(tmp_path: Path) -> str:
    """Both emails were written, with every answer verbatim; returns the reference."""
    files = sorted((tmp_path / "outbox").glob("*.eml"))
    assert [f.name.split("-", 2)[-1] for f in files] == ["nominator.eml", "organisers.eml"]
    reference = files[0].name.rsplit("-", 1)[0]
    organisers = read_eml(next(f for f in files if f.name.endswith("organisers.eml")))
    assert organisers["To"] == "awards@example.nhs.uk"
    assert reference in organisers["Subject"] and "Priya Shah" in organisers["Subject"]
    body = organisers.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    for parts in ANSWERS.values():
        for part in parts:
            assert part in text
    return reference


def test_a_whole_nomination_in_the_terminal(tmp_path: Path) -> None:
    lines = [*DETAILS, *question_lines("q1", "q2", "q3", "q4"), *DECLARATION, "1", "quit"]
    result = run_console(tmp_path, lines)

    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Leading for Service Improvement and Innovation" in out
    assert "Step 1 of 14" in out and "Question 4 of 4" in out
    # The examples are shown word for word.
    assert "Quotes/ comments from patient and public feedback" in out
    assert "Saved: 8 of 500 words so far." in out
    assert "Check your nomination" in out
    assert "Thank you. Your nomination has been received." in out
    match = re.search(r"Your reference is (LSI-[2-9A-HJKMNP-Z]{6})\.", out)
    assert match is not None
    assert assert_delivered(tmp_path) == match.group(1)
    assert "jo.bloggs@nhs.net" in out  # the review shows it back


def test_an_interrupted_nomination_resumes_in_a_second_run(tmp_path: Path) -> None:
    first = run_console(tmp_path, [*DETAILS, *ANSWERS["q1"]])  # input ends mid-answer
    assert first.returncode == 0, first.stderr
    assert "Your nomination is saved" in first.stdout

    lines = ["1", "done", *question_lines("q2", "q3", "q4"), *DECLARATION, "1", "quit"]
    second = run_console(tmp_path, lines)
    assert second.returncode == 0, second.stderr
    assert "Welcome back" in second.stdout
    assert "Continue your nomination (Question 1 of 4)" in second.stdout
    # The part typed in the first run is still there, shown as the answer so far.
    assert "Second part of Q1." in second.stdout
    assert "Thank you. Your nomination has been received." in second.stdout
    assert_delivered(tmp_path)


def test_bad_input_gets_a_reason_and_loses_nothing(tmp_path: Path) -> None:
    lines = [*DETAILS[:7], "not an email", "jo.bloggs@nhs.net", "12", "skip", "review", "quit"]
    result = run_console(tmp_path, lines)
    # Each error says what is wrong and how to fix it, then asks the question again.
    assert "That is not an email address. Type it like name@nhs.net" in result.stdout
    assert "Enter a UK phone number, like 07700 900123" in result.stdout
    assert result.stdout.count("What is your email address?") == 2
    assert "Nominator's email: jo.bloggs@nhs.net" in result.stdout
    assert "Nominee: Priya Shah" in result.stdout


def test_no_token_and_no_terminal_exits_naming_the_key(tmp_path: Path) -> None:
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(REPO), "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "bot"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "TELEGRAM_BOT_TOKEN" in result.stderr
