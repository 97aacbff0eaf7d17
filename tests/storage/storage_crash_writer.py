"""A writer for the SIGKILL test: saves a draft answer after answer, acknowledging each save.

Run as `python storage_crash_writer.py DB_PATH`. It prints `READY <reference>` once the draft
exists, then `ACK <n>` after the n-th save has returned, i.e. once it is committed; exactly as the
bot acknowledges a message only after saving it. The test kills it at a random moment and checks
that everything acknowledged is in the file. `step` is shared with the test, which recomputes the
states.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flows.form import load_form
from flows.state import REVIEW, NominationState, Part
from storage import NominationStore

NOMINATOR = "tg:crash-test"
START_POSITION = "q1"
STARTED_AT = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
MAX_STEPS = 20_000  # so a writer nobody kills still stops
_QUESTIONS = ("q1", "q2", "q3", "q4")


def step(state: NominationState, n: int) -> NominationState:
    """The state after the n-th save (n counts from 1): mostly a new part, sometimes a rewrite."""
    if n % 10 == 0:
        answers = {**state.answers, "nominee_name": (Part(text=f"Name {n} 👩🏽‍⚕️", source=f"m{n}"),)}
    else:
        field_id = _QUESTIONS[n % len(_QUESTIONS)]
        text = f"Answer {n}: " + "تحسين الخدمة " * (n % 5) + "x" * (n * 37 % 3000)
        answers = {**state.answers, field_id: (*state.answers.get(field_id, ()), Part(text=text))}
    return state.model_copy(
        update={
            "answers": answers,
            "position": REVIEW if n % 3 == 0 else _QUESTIONS[(n + 1) % len(_QUESTIONS)],
            "returning_to_review": n % 7 == 0,
        }
    )


async def write(path: Path) -> None:
    form = load_form()
    async with await NominationStore.open(path) as store:
        state = await store.create_draft(NOMINATOR, form, START_POSITION, at=STARTED_AT)
        print(f"READY {state.reference}", flush=True)
        for n in range(1, MAX_STEPS + 1):
            new = step(state, n)
            await store.save(state, new, at=STARTED_AT + timedelta(seconds=n))
            print(f"ACK {n}", flush=True)
            state = new


if __name__ == "__main__":
    asyncio.run(write(Path(sys.argv[1])))
