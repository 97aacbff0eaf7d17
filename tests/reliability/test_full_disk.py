"""A full disk under the database: the nominator is told, the bot carries on, nothing is damaged.

The database lives on a small tmpfs mounted for the test, which needs root (or CAP_SYS_ADMIN);
where the runner cannot mount one, the test is skipped and says why.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from bot.screens import texts
from tests.kit.fake_telegram import FakeTelegram
from tests.kit.nominator import DETAILS, MakeSettings, Nominator, messages, running_bot


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB tmpfs, unmounted afterwards."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {done.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill(disk: Path) -> Path:
    """Take every free byte of `disk` with one file; returns it, to be removed later."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    finally:
        os.close(fd)
    return filler


async def test_a_full_disk_is_reported_and_nothing_saved_is_damaged(
    tg: FakeTelegram, make_settings: MakeSettings, small_disk: Path
) -> None:
    database = small_disk / "nominations.sqlite3"
    settings = make_settings(database_path=database)
    async with running_bot(settings) as services:
        ann = Nominator(tg, tg.user(6001, "Ann"), quiet=0.05)
        await ann.start_individual()
        await ann.say_all(*DETAILS)
        await ann.say("/skip")
        await ann.say("Line manager")
        (saved,) = messages(await ann.say("Saved before the disk filled."))
        assert saved.text.startswith("Saved: ")
        before = await ann.draft(services)
        assert before is not None

        filler = fill(small_disk)
        lost = "This part arrives when the disk is full. " * 90
        replies = messages(await ann.say(lost))
        assert replies[-1].text == texts.ERROR_SAFE

        os.remove(filler)
        (after_space,) = messages(await ann.say("Saved once there was space again."))
        assert after_space.text.startswith("Saved: ")
        draft = await ann.draft(services)
        assert draft is not None
        assert [p.text for p in draft.answers["q1"]] == [
            "Saved before the disk filled.",
            "Saved once there was space again.",
        ]
        assert {k: v for k, v in draft.answers.items() if k != "q1"} == {
            k: v for k, v in before.answers.items() if k != "q1"
        }
    with closing(sqlite3.connect(database)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
