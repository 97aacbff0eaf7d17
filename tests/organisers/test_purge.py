"""Erasure for good: idle drafts after DRAFT_RETENTION_DAYS (with a controllable clock), and the
organisers' `nomination-bot purge --submitted-before DATE` as they run it.

Both check the bytes of every file beside the database (the database, its -wal and -shm, the
evidence folder), not just that the rows are unreachable, and that the log names references and
counts, never content."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.jobs.retention import RetentionScheduler, RetentionSettings, RetentionWarning
from flows.form import Form
from flows.state import REVIEW, Status
from storage import NominationStore
from storage.db import second_connection
from storage.evidence import EvidenceStore
from storage.purge import PurgeStore
from storage.types import EmailKind, NewEmail
from tests.kit.organiserkit import answers, start_draft
from tests.organisers.test_organiser_cli import run_bot

T0 = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)
SECRET = "zebra-crossing-audit-4471"  # in an answer
FILE_BYTES = b"%PDF-1.7 " + b"okapi-chart-9931 " * 64  # a supporting file
CODE_MAIL = b"Subject: Your code\r\n\r\nquokka-code-5521\r\n"  # a code email in the outbox
NOMINEE = "Priya Shah"


def every_file(db_path: Path) -> dict[str, bytes]:
    """Every file SQLite and the evidence store keep beside the database."""
    return {
        str(p.relative_to(db_path.parent)): p.read_bytes()
        for p in db_path.parent.rglob("*")
        if p.is_file()
    }


def assert_gone(db_path: Path, *secrets: bytes) -> None:
    files = every_file(db_path)
    assert db_path.name in files
    # Checkpointed: the write-ahead log holds nothing (TRUNCATE leaves it empty; the last
    # connection's clean close removes it).
    assert files.get(f"{db_path.name}-wal", b"") == b""
    for name, content in files.items():
        for secret in secrets:
            assert secret not in content, f"{secret!r} is still in {name}"


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def files(db_path: Path, store: NominationStore) -> AsyncIterator[EvidenceStore]:
    opened = await EvidenceStore.open(db_path)
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture
async def purge(db_path: Path, files: EvidenceStore) -> AsyncIterator[PurgeStore]:
    async with second_connection(db_path) as db:
        yield PurgeStore(db, files.blob_path)


async def idle_draft(
    store: NominationStore, files: EvidenceStore, form: Form, nominator: str
) -> str:
    """A draft naming its nominee, with a secret answer, a file and a code email, last changed
    at T0."""
    draft = await store.create_draft(nominator, form, "q1", at=T0)
    given = answers(nominee_type="individual", nominee_name=NOMINEE, q1=SECRET)
    changed = draft.model_copy(update={"answers": given})
    code = NewEmail(EmailKind.VERIFY, ("sam@nhs.example",), f"<{draft.reference}@x>", CODE_MAIL)
    await store.save(draft, changed, at=T0, outbox=[code])
    await files.add(
        draft.reference,
        "q1",
        name="audit.pdf",
        caption="Ward audit",
        media_type="application/pdf",
        data=FILE_BYTES,
        total_limit=10**7,
        at=T0,
    )
    return draft.reference


async def test_an_idle_draft_is_warned_once_then_erased_with_its_files_and_emails(
    store: NominationStore,
    files: EvidenceStore,
    purge: PurgeStore,
    form: Form,
    db_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    reference = await idle_draft(store, files, form, "tg:41")
    (file,) = await files.list_for(reference)
    _, kept = await start_draft(store, form, T0 + 80 * DAY, "tg:42", q1="Still going")
    warnings: list[RetentionWarning] = []

    async def warn(warning: RetentionWarning) -> bool:
        warnings.append(warning)
        return True

    clock = Clock(T0 + 82 * DAY)
    scheduler = RetentionScheduler(
        purge, store, files, form, warn, RetentionSettings(days=90), clock=clock
    )
    caplog.set_level(logging.INFO)

    report = await scheduler.run_once()  # 82 days idle: not yet a week before
    assert (report.warned, report.erased, warnings) == (0, 0, [])

    clock.now = T0 + 83 * DAY + timedelta(hours=1)
    assert (await scheduler.run_once()).warned == 1
    assert warnings == [RetentionWarning("tg:41", reference, NOMINEE, T0 + 90 * DAY)]
    clock.now += DAY
    assert (await scheduler.run_once()).warned == 0  # one warning, not one a day
    assert await store.get(reference) is not None  # warned, not yet erased

    clock.now = T0 + 90 * DAY + timedelta(minutes=1)
    report = await scheduler.run_once()
    assert (report.erased, report.files) == (1, 1)
    assert len(warnings) == 1

    assert await store.get(reference) is None
    assert await files.list_for(reference) == []
    assert not files.blob_path(file.sha256).exists()
    assert await store.outbox.rows() == []
    assert await store.get(kept.reference) is not None  # changed 10 days later: kept
    assert_gone(db_path, SECRET.encode(), b"okapi-chart-9931", b"quokka-code-5521")

    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert f"erased draft {reference} with 1 file(s)" in logged
    assert "1 draft(s) erased, 1 file(s), after 90 days idle" in logged
    for content in (SECRET, NOMINEE, "audit.pdf", "Ward audit", "quokka"):
        assert content not in logged


async def test_a_draft_changed_after_its_warning_is_kept_and_warned_again_later(
    store: NominationStore, files: EvidenceStore, purge: PurgeStore, form: Form
) -> None:
    reference = await idle_draft(store, files, form, "tg:43")
    warned: list[datetime] = []

    async def warn(warning: RetentionWarning) -> bool:
        warned.append(warning.erase_on)
        return True

    clock = Clock(T0 + 84 * DAY)
    scheduler = RetentionScheduler(
        purge, store, files, form, warn, RetentionSettings(days=90), clock=clock
    )
    await scheduler.run_once()
    record = await store.get(reference)
    assert record is not None
    back = record.state.model_copy(update={"answers": answers(q1="Carried on")})
    await store.save(record.state, back, at=T0 + 85 * DAY)  # the nominator came back

    clock.now = T0 + 91 * DAY
    assert (await scheduler.run_once()).erased == 0
    clock.now = T0 + 85 * DAY + 84 * DAY
    await scheduler.run_once()
    assert warned == [T0 + 90 * DAY, T0 + 175 * DAY]


async def submitted_with_email(
    store: NominationStore, files: EvidenceStore, form: Form, at: datetime, text: str
) -> str:
    draft = await store.create_draft(f"tg:{text}", form, REVIEW, at=at)
    await files.add(
        draft.reference,
        "q1",
        name=f"{text}.pdf",
        caption=None,
        media_type="application/pdf",
        data=text.encode() * 40,
        total_limit=10**7,
        at=at,
    )
    done = draft.model_copy(update={"status": Status.SUBMITTED, "answers": answers(q1=text)})
    mail = NewEmail(
        EmailKind.ORGANISERS, ("awards@nhs.example",), f"<{text}@x>", f"\r\n{text}".encode()
    )
    await store.save(draft, done, at=at, outbox=[mail])
    return draft.reference


async def test_purge_submitted_before_erases_a_round_and_logs_only_references_and_counts(
    tmp_path: Path, db_path: Path, form: Form
) -> None:
    async with await NominationStore.open(db_path) as store:
        files = await EvidenceStore.open(db_path)
        try:
            old = await submitted_with_email(store, files, form, T0, "walrus-answer-1187")
            new = await submitted_with_email(store, files, form, T0 + 30 * DAY, "lynx-answer-2290")
        finally:
            await files.close()

    # Without SMTP the outbox is written as .eml files, each with the nomination's text.
    sent = run_bot(tmp_path, "outbox", "--send")
    assert sent.returncode == 0, sent.stderr
    outbox = tmp_path / "outbox"
    assert len(list(outbox.glob(f"{old}-organisers*.eml"))) == 1
    assert len(list(outbox.glob(f"{new}-organisers*.eml"))) == 1

    refused = run_bot(tmp_path, "purge", "--submitted-before", "2027-01-20")
    assert refused.returncode == 0, refused.stderr
    assert "Erase 1 nomination(s) sent before 2027-01-20" in refused.stdout
    assert "Nothing erased." in refused.stdout  # no terminal: no yes

    done = run_bot(tmp_path, "purge", "--submitted-before", "2027-01-20", "--yes")
    assert done.returncode == 0, done.stderr
    assert "Erased 1 nomination(s), 1 file(s) and 1 email(s)." in done.stdout
    assert f"Their 1 .eml file(s) in {outbox} went too." in done.stdout
    assert f"erased {old} with 1 file(s), 1 email(s) and 1 .eml file(s)" in done.stderr
    assert "walrus" not in done.stderr + done.stdout
    assert_gone(db_path, b"walrus-answer-1187")
    left = {path.name: path.read_bytes() for path in outbox.iterdir()}
    assert [name.startswith(f"{new}-organisers") for name in left] == [True]
    assert not any(b"walrus-answer-1187" in content for content in left.values())

    async with await NominationStore.open(db_path) as store:
        assert await store.get(old) is None
        assert await store.get(new) is not None
        assert [row.reference for row in await store.outbox.rows()] == [new]
    assert b"lynx-answer-2290" in b"".join(every_file(db_path).values())

    again = run_bot(tmp_path, "purge", "--submitted-before", "2027-01-20", "--yes")
    assert "No nominations were sent before 2027-01-20" in again.stdout
