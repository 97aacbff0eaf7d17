"""The organisers' commands as they run them: `python -m bot stats|export|show|resend`."""

from __future__ import annotations

import csv
import email
import email.policy
import io
import os
import stat
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from flows.form import Form
from flows.state import Status
from storage import NominationStore
from storage.evidence import EvidenceStore
from tests.kit.organiserkit import start_draft, submit

REPO = Path(__file__).resolve().parents[2]
AT = datetime(2026, 11, 26, 14, 5, tzinfo=UTC)
ANSWERS = {
    "nominee_type": "individual",
    "nominee_name": "Priya Shah",
    "nominee_role": "Senior Staff Nurse",
    "nominee_organisation": "Leeds Teaching Hospitals NHS Trust",
    "nominee_aware": "no",
    "nominator_name": "Sam Lee",
    "nominator_email": "sam@nhs.example",
    "nominator_phone": "07700 900123",
    "nominator_relationship": "line manager",
    "consent": "yes",
    "q1": "She led the discharge project,\nweek after week.",
    "q2": "=Waits fell by a third.",
    "q3": "Patients shaped it.",
    "q4": "Three other wards copied it.",
}


def run_bot(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "PYTHONPATH": str(REPO),
        "DATABASE_PATH": str(tmp_path / "data" / "nominations.sqlite3"),
        "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
        "MAIL_FROM": "Nomination Bot <nominations@example.nhs.uk>",
        "ORGANISER_EMAILS": "awards@example.nhs.uk",
        "NOMINATIONS_CLOSE_AT": "2027-01-15T17:00:00Z",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", "import os, sys; os.umask(0); from bot.__main__ import main; "
         "sys.exit(main(sys.argv[1:]))", *args],
        capture_output=True, text=True, cwd=tmp_path, env=environment,
        stdin=subprocess.DEVNULL, timeout=60, check=False,
    )  # fmt: skip


async def one_nomination(store: NominationStore, form: Form) -> str:
    state = await submit(store, form, AT, **ANSWERS)
    await start_draft(store, form, AT)
    return state.reference


async def test_stats_counts_drafts_and_submissions(
    store: NominationStore, form: Form, tmp_path: Path
) -> None:
    await one_nomination(store, form)
    result = run_bot(tmp_path, "stats")
    assert result.returncode == 0, result.stderr
    assert "Drafts in progress: 1" in result.stdout
    assert "Submitted: 1" in result.stdout
    assert "  1  Leeds Teaching Hospitals NHS Trust" in result.stdout


async def test_export_files_are_private_whatever_the_umask(
    store: NominationStore, form: Form, tmp_path: Path
) -> None:
    reference = await one_nomination(store, form)
    for fmt in ("csv", "json", "html"):
        out = tmp_path / f"out.{fmt}"
        out.write_text("old contents")
        out.chmod(0o644)  # an earlier, laxer file is tightened too
        result = run_bot(tmp_path, "export", "--format", fmt, "--output", str(out), "--for-panel")
        assert result.returncode == 0, result.stderr
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
        assert reference in out.read_text(encoding="utf-8-sig")
        assert "sam@nhs.example" not in out.read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out.csv").read_text("utf-8-sig"))))
    assert rows[0][form.field("q1").label] == ANSWERS["q1"]
    assert rows[0][form.field("q2").label] == "'" + ANSWERS["q2"]


async def test_show_prints_the_nomination_as_the_email_lays_it_out(
    store: NominationStore, form: Form, tmp_path: Path
) -> None:
    reference = await one_nomination(store, form)
    result = run_bot(tmp_path, "show", reference.lower())
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(
        "Priya Shah, Senior Staff Nurse, Leeds Teaching Hospitals NHS Trust — nominated by Sam Lee"
    )
    assert "Nominations close at 5pm on Friday 15 January 2027." in result.stdout
    for answer in ("She led the discharge project,\nweek after week.", "=Waits fell by a third."):
        assert answer in result.stdout
    assert "The nominee does not know about this nomination." in result.stdout

    unknown = run_bot(tmp_path, "show", "LSI-ZZZZZZ")
    assert unknown.returncode == 1
    assert "No nomination has the reference LSI-ZZZZZZ" in unknown.stderr


async def test_show_and_resend_refuse_a_draft(
    store: NominationStore, form: Form, tmp_path: Path
) -> None:
    _, draft = await start_draft(store, form, AT)
    for command in ("show", "resend"):
        result = run_bot(tmp_path, command, draft.reference)
        assert result.returncode == 1
        assert "has not been submitted" in result.stderr
        assert result.stdout == ""


async def test_resend_queues_a_new_message_marked_resent_and_sends_it(
    store: NominationStore, form: Form, tmp_path: Path
) -> None:
    reference = await one_nomination(store, form)
    result = run_bot(tmp_path, "resend", reference)
    assert result.returncode == 0, result.stderr
    # No SMTP_HOST: written as a file, and said so, not "Sent to" (issue 16).
    assert f"Saved as a file in {tmp_path / 'outbox'}, for awards@example.nhs.uk" in result.stdout
    assert "nothing was sent" in result.stdout and "Sent to" not in result.stdout
    (written,) = (tmp_path / "outbox").glob("*.eml")
    msg = email.message_from_bytes(written.read_bytes(), policy=email.policy.default)
    assert msg["Subject"].startswith("Resent: Priya Shah, Senior Staff Nurse")
    assert msg["Subject"].endswith(f"({reference})")
    assert "-resent-" in msg["Message-ID"]
    again = run_bot(tmp_path, "resend", reference)
    assert again.returncode == 0, again.stderr
    # A new message, in a file of its own: the first is still there for the organisers.
    files = sorted((tmp_path / "outbox").glob("*.eml"))
    assert len(files) == 2 and written in files
    (later,) = [f for f in files if f != written]
    second = email.message_from_bytes(later.read_bytes(), policy=email.policy.default)
    assert second["Message-ID"] != msg["Message-ID"]


async def test_the_panel_pack_lists_the_files_and_writes_them_beside_it(
    store: NominationStore, form: Form, tmp_path: Path
) -> None:
    data = b"%PDF-1.7\r\n" + bytes(range(256))
    _, draft = await start_draft(store, form, AT, **ANSWERS)
    files = await EvidenceStore.open(tmp_path / "data" / "nominations.sqlite3")
    try:
        kept = await files.add(
            draft.reference,
            "q2",
            name="audit.pdf",
            caption=None,
            media_type="application/pdf",
            data=data,
            total_limit=10_000,
            at=AT,
        )
    finally:
        await files.close()
    await store.save(draft, draft.model_copy(update={"status": Status.SUBMITTED}), at=AT)

    out = tmp_path / "pack.html"
    result = run_bot(tmp_path, "export", "--format", "html", "--output", str(out), "--for-panel")
    assert result.returncode == 0, result.stderr
    pack = out.read_text("utf-8")
    assert kept.sha256 in pack and "Q2: audit.pdf" in pack
    copy = tmp_path / "pack-files" / draft.reference / f"{kept.id}-audit.pdf"
    assert copy.read_bytes() == data
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    # Under umask 0 (run_bot's), the folders too: nobody else can list the references.
    for folder in (tmp_path / "pack-files", copy.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert f'href="pack-files/{draft.reference}/{kept.id}-audit.pdf"' in pack
