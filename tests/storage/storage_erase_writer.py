"""A bot that saves a draft, erases it, says so and then waits to be killed (for the erasure test).

Run as `python storage_erase_writer.py DB_PATH`. Part of the draft's text reaches the database file
(a checkpoint) before the rest is saved, so both the file and the write-ahead log hold it; then the
draft is deleted, `DELETED` printed, and the writer waits for the SIGKILL.
"""

from __future__ import annotations

import asyncio
import sqlite3
import sys
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from flows.form import load_form
from flows.state import Part
from storage import NominationStore

SECRET = "Confidential: ward 7 staffing concerns, Mrs Example's case"
AT = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def answer(n: int) -> tuple[Part, ...]:
    # Long enough to need overflow pages, as a real award answer does.
    return (Part(text=f"{SECRET} #{n}. " + "compassion " * 600),)


async def write(path: Path) -> None:
    form = load_form()
    async with await NominationStore.open(path) as store:
        keep = await store.create_draft("tg:keeps-theirs", form, "q1", at=AT)
        await store.save(
            keep, keep.model_copy(update={"answers": {"q1": (Part(text="ok"),)}}), at=AT
        )
        draft = await store.create_draft("tg:erases", form, "q1", at=AT)
        first = draft.model_copy(update={"answers": {"q1": answer(1)}})
        await store.save(draft, first, at=AT)
        with closing(sqlite3.connect(path)) as other:  # the text now in the database file too
            other.execute("PRAGMA wal_checkpoint(PASSIVE)")
        second = first.model_copy(update={"answers": {**first.answers, "q2": answer(2)}})
        await store.save(first, second, at=AT)
        assert await store.delete_draft(draft.reference)
        print("DELETED", flush=True)
        await asyncio.Event().wait()  # until killed: no clean shutdown, no closing checkpoint


if __name__ == "__main__":
    asyncio.run(write(Path(sys.argv[1])))
