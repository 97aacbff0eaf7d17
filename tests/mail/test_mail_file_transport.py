"""FileTransport: complete .eml files, written atomically, for running without SMTP."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from email.parser import BytesParser
from email.policy import default
from pathlib import Path

import pytest

from flows.form import Form
from mail.delivery import FileTransport, OutboxWorker, TemporaryFailure
from storage import NominationStore
from storage.types import OutboxStatus
from tests.kit.mailkit import FakeClock, html_body, html_text, submit, text_body


def names(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def read(path: Path) -> bytes:
    return path.read_bytes()


async def test_writes_each_email_as_a_complete_eml_file(
    tmp_path: Path, store: NominationStore, form: Form
) -> None:
    outbox_dir = tmp_path / "data" / "outbox"  # created on first use
    state, emails = await submit(store, form)
    worker = OutboxWorker(store.outbox, FileTransport(outbox_dir), clock=FakeClock())

    report = await worker.run_once()

    assert report.sent == 2
    assert names(outbox_dir) == [
        f"{state.reference}-nominator.eml",
        f"{state.reference}-organisers.eml",
    ]
    for sent in emails:
        path = outbox_dir / f"{state.reference}-{sent.kind.value}.eml"
        assert read(path) == sent.message
        msg = BytesParser(policy=default).parsebytes(read(path))
        assert msg["Message-ID"] == sent.message_id
        text, shown = text_body(msg), html_text(html_body(msg))
        for question in (f for f in form.fields if f.is_question):
            answer = state.answer(question.id)
            assert answer is not None
            assert answer in text and answer in shown
    assert [r.status for r in await store.outbox.rows()] == [OutboxStatus.SENT] * 2


async def test_rewriting_replaces_the_file_and_leaves_no_temp_files(
    tmp_path: Path, store: NominationStore, form: Form
) -> None:
    _, emails = await submit(store, form)
    (row, *_) = await store.outbox.rows()
    transport = FileTransport(tmp_path / "outbox")
    await transport.send(row)
    await transport.send(row)  # a re-send after a crash: same name, whole file
    assert names(tmp_path / "outbox") == [f"{row.reference}-{row.kind.value}.eml"]
    assert read(transport.path_for(row)) == next(e.message for e in emails if e.kind is row.kind)


async def test_a_resent_or_amended_email_gets_a_file_of_its_own(
    tmp_path: Path, store: NominationStore, form: Form
) -> None:
    # Without SMTP an organiser reads these files: a resend or an amendment must not overwrite
    # the email they already have.
    await submit(store, form)
    (row, *_) = await store.outbox.rows()
    ref, kind = row.reference, row.kind.value
    resent = replace(row, message_id=row.message_id.replace("@", "-resent-20261129T170000@"))
    amended = replace(row, message_id=row.message_id.replace("@", "-amended-v2@"))
    odd = replace(row, message_id="<something-else@example.org>")
    transport = FileTransport(tmp_path / "outbox")
    for each in (row, resent, amended, odd):
        await transport.send(each)
    written = names(tmp_path / "outbox")
    assert len(written) == 4
    assert f"{ref}-{kind}.eml" in written
    assert f"{ref}-{kind}-resent-20261129T170000.eml" in written
    assert f"{ref}-{kind}-amended-v2.eml" in written


async def test_a_failed_write_leaves_no_temp_file(
    tmp_path: Path, store: NominationStore, form: Form
) -> None:
    await submit(store, form)
    (row, *_) = await store.outbox.rows()
    transport = FileTransport(tmp_path / "outbox")
    # The target name is taken by a directory, so the final rename fails after the temp file
    # was written: the temp file must be cleaned up.
    await asyncio.to_thread(transport.path_for(row).mkdir, parents=True)
    with pytest.raises(TemporaryFailure, match="could not write"):
        await transport.send(row)
    assert names(tmp_path / "outbox") == [transport.path_for(row).name]
