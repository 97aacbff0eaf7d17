"""Kill -9 a writer at random moments: every save it acknowledged must be in the file, intact."""

from __future__ import annotations

import asyncio
import os
import random
import runpy
import signal
import sqlite3
import sys
from contextlib import closing
from pathlib import Path

from flows.form import Form
from flows.state import NominationState
from storage import NominationStore

WRITER = Path(__file__).with_name("storage_crash_writer.py")
REPO = Path(__file__).resolve().parents[2]
LINE_TIMEOUT = 15.0  # seconds; generous for a slow machine, and the test can never hang
ROUNDS = 5


def _integrity(path: Path) -> str:
    with closing(sqlite3.connect(path)) as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


async def _run_and_kill(path: Path, rng: random.Random) -> tuple[str, int]:
    """Start the writer, kill it with SIGKILL at a random point; its reference and last ACK."""
    python_path = [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(python_path)}
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        str(WRITER),
        str(path),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        cwd=REPO,
        env=env,
    )
    assert proc.stdout is not None and proc.stderr is not None
    killed = False
    try:
        ready = await asyncio.wait_for(proc.stdout.readline(), LINE_TIMEOUT)
        if not ready.startswith(b"READY "):
            stderr = await asyncio.wait_for(proc.stderr.read(), LINE_TIMEOUT)
            raise AssertionError(f"writer did not start: {ready!r} {stderr.decode()}")
        reference = ready.split()[1].decode()
        kill_after = rng.randint(50, 400)
        seen = 0
        while seen < kill_after:
            line = await asyncio.wait_for(proc.stdout.readline(), LINE_TIMEOUT)
            assert line.startswith(b"ACK "), line
            seen = int(line.split()[1])
        if rng.random() < 0.5:
            # Let the writer run on a little, so the kill lands anywhere in a save.
            await asyncio.sleep(rng.uniform(0, 0.03))
        proc.kill()
        killed = True
        # Acks printed before the kill may still be in the pipe: they count too.
        rest = await asyncio.wait_for(proc.stdout.read(), LINE_TIMEOUT)
    finally:
        # Kill once only: a second kill() polls the child, and may reap it before asyncio does.
        if not killed:
            proc.kill()
        await asyncio.wait_for(proc.wait(), LINE_TIMEOUT)
    assert proc.returncode == -signal.SIGKILL, proc.returncode
    *complete_lines, _unfinished = rest.split(b"\n")
    for line in complete_lines:
        assert line.startswith(b"ACK "), line
        seen = int(line.split()[1])
    return reference, seen


async def test_every_acknowledged_save_survives_sigkill(tmp_path: Path, form: Form) -> None:
    writer = runpy.run_path(str(WRITER))
    seed = random.randrange(2**32)
    rng = random.Random(seed)
    for round_ in range(ROUNDS):
        path = tmp_path / f"round{round_}" / "nominations.sqlite3"

        reference, acked = await _run_and_kill(path, rng)

        assert _integrity(path) == "ok"
        states = [
            NominationState(
                form_id=form.id,
                form_version=form.version,
                reference=reference,
                position=writer["START_POSITION"],
            )
        ]
        for n in range(1, acked + 2):
            states.append(writer["step"](states[-1], n))
        async with await NominationStore.open(path) as store:
            found = await store.active_draft(writer["NOMINATOR"])
        # Everything acknowledged is there; the save in flight at the kill may or may not be.
        assert found is not None
        assert found in (states[acked], states[acked + 1]), (
            f"seed {seed}, round {round_}: after ACK {acked} the file holds something else"
        )
