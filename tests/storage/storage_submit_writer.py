"""A writer for the submit-transaction SIGKILL tests: submits nomination after nomination.

Run as `python storage_submit_writer.py DB_PATH`. For each nomination it creates a draft, answers a
question, then submits it with its two outbox emails in one save, and prints `ACK <n>` once that
save has returned (is committed), as the bot confirms a submission only after saving it.

With PAUSE_AT_SUBMIT=<n> and PAUSE_WHERE=before_outbox|after_outbox in the environment, the n-th
submission stops inside its transaction (after the nomination's row is marked submitted, before
or after its outbox rows are inserted), prints `PAUSED <n>` and waits there to be killed.
"""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiosqlite

import storage.nominations
from flows.form import load_form
from flows.state import REVIEW, Part, Status
from storage import NominationStore
from storage.types import EmailKind, NewEmail

STARTED_AT = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
MAX_SUBMISSIONS = 5_000  # so a writer nobody kills still stops
PAUSE_AT = int(os.environ.get("PAUSE_AT_SUBMIT", "0"))
PAUSE_WHERE = os.environ.get("PAUSE_WHERE", "")
_insert_emails = storage.nominations.insert_emails
_submitting = 0


async def _pause_here(where: str) -> None:
    if _submitting == PAUSE_AT and where == PAUSE_WHERE:
        print(f"PAUSED {_submitting}", flush=True)
        await asyncio.Event().wait()


async def insert_emails_pausing(
    conn: aiosqlite.Connection, nomination_id: int, emails: list[NewEmail], *, at: datetime
) -> None:
    """The store's own insert_emails, with a pause on either side when asked for one."""
    await _pause_here("before_outbox")
    await _insert_emails(conn, nomination_id, emails, at=at)
    await _pause_here("after_outbox")


def emails_for(reference: str) -> list[NewEmail]:
    return [
        NewEmail(kind, ("awards@example.nhs.uk",), f"<{reference}.{kind.value}@test>", b"x" * 3000)
        for kind in (EmailKind.ORGANISERS, EmailKind.NOMINATOR)
    ]


async def write(path: Path) -> None:
    global _submitting
    storage.nominations.insert_emails = insert_emails_pausing  # type: ignore[assignment]
    form = load_form()
    async with await NominationStore.open(path) as store:
        for n in range(1, MAX_SUBMISSIONS + 1):
            at = STARTED_AT + timedelta(seconds=n)
            draft = await store.create_draft(f"tg:{n}", form, "q1", at=at)
            answered = draft.model_copy(update={"answers": {"q1": (Part(text=f"answer {n}"),)}})
            await store.save(draft, answered, at=at)
            submitted = answered.model_copy(update={"status": Status.SUBMITTED, "position": REVIEW})
            _submitting = n
            await store.save(answered, submitted, at=at, outbox=emails_for(draft.reference))
            print(f"ACK {n}", flush=True)


if __name__ == "__main__":
    asyncio.run(write(Path(sys.argv[1])))
