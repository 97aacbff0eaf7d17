"""The crash window: a worker killed after the server accepted a message, before recording it.

Delivery is at-least-once: once the dead worker's claim on the row runs out, the next worker sends
it again, with the same Message-ID, and nothing is lost.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flows.form import Form
from mail.delivery import OutboxWorker, SmtpTransport
from storage import NominationStore
from storage.types import EmailKind, OutboxStatus
from tests.kit.mailkit import SmtpServer, submit

WORKER_SCRIPT = Path(__file__).with_name("outbox_worker_process.py")
REPO = Path(__file__).resolve().parents[2]


def start_worker_process(database: Path, port: int) -> subprocess.Popen[bytes]:
    """A worker in its own process, making one pass over the outbox: this checkout's code, not
    whatever the virtualenv has installed (a script's own folder, not cwd, starts sys.path)."""
    python_path = [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(python_path)}
    return subprocess.Popen(
        [sys.executable, str(WORKER_SCRIPT), str(database), str(port)], cwd=REPO, env=env
    )


async def test_worker_killed_after_the_server_accepted_resends_with_the_same_id(
    tmp_path: Path, store: NominationStore, form: Form, smtp_server: SmtpServer
) -> None:
    _, emails = await submit(store, form, at=datetime.now(UTC))
    worker_process: list[subprocess.Popen[bytes]] = []

    def kill_the_worker() -> None:
        """Runs inside the server's DATA handler: the message is recorded, the 250 not yet sent."""
        smtp_server.handler.on_data = None
        process = worker_process[0]
        process.send_signal(signal.SIGKILL)
        process.wait()

    smtp_server.handler.on_data = kill_the_worker
    worker_process.append(start_worker_process(tmp_path / "nominations.sqlite3", smtp_server.port))
    returncode = await asyncio.to_thread(worker_process[0].wait, 30)

    assert returncode == -signal.SIGKILL
    assert len(smtp_server.handler.received) == 1  # the server has it...
    rows = await store.outbox.rows()
    assert [r.status for r in rows] == [OutboxStatus.PENDING] * 2  # ...the store doesn't know
    held = next(r for r in rows if r.claimed_by is not None)
    assert held.kind is EmailKind.ORGANISERS and held.claimed_until is not None

    # While the dead worker's lease lasts, its row is left alone; the other is sent.
    transport = SmtpTransport(smtp_server.config())
    report = await OutboxWorker(store.outbox, transport).run_once()
    assert (report.sent, report.attempted) == (1, 1)
    # Once the lease has run out, the row is sent again.
    after_the_lease = held.claimed_until + timedelta(microseconds=1)
    report = await OutboxWorker(store.outbox, transport, clock=lambda: after_the_lease).run_once()

    assert report.sent == 1
    assert [r.status for r in await store.outbox.rows()] == [OutboxStatus.SENT] * 2
    copies = smtp_server.handler.by_message_id()
    organisers = next(e for e in emails if e.kind is EmailKind.ORGANISERS)
    nominator = next(e for e in emails if e.kind is EmailKind.NOMINATOR)
    assert len(copies[organisers.message_id]) == 2  # at least once: twice, as the same email
    assert {c.data for c in copies[organisers.message_id]} == {organisers.message}
    assert len(copies[nominator.message_id]) == 1
