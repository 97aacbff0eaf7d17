"""How the store behaves at 100,000 nominations compared with a small database.

Builds a database of realistic nominations (mostly submitted, some drafts, every answer split into
parts, two outbox rows per submission) with direct batched inserts, then measures through the
store's own API what each message costs: finding the nominator's draft, saving an appended part,
saving a move to another question. Also the time to open the store (start-up), the file size and
the process's peak RSS.

    python bench/storage_bench.py [--nominations 100000] [--path FILE]

Figures are with a warm page cache (the file was just written); the first lookups after a cold
boot will be slower by the disk's latency.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flows.form import Form, load_form
from flows.state import REVIEW, NominationState, Part
from storage import NominationStore
from storage.db import connect, utc_text
from storage.nominations import REFERENCE_ALPHABET

SMALL = 1_000
DRAFT_SHARE = 0.05
SAMPLES = 1_000
OPENS = 20
BATCH = 2_000
EPOCH = datetime(2025, 1, 6, 8, 0, tzinfo=UTC)

_VOCABULARY = (
    "the team ward patients staff discharge improved service pathway safety care nurse clinic "
    "waiting time reduced audit data quality change project led leadership colleagues trust "
    "outcomes families community training innovation sustainable results measured feedback "
    "weekly huddle board process rota referral digital record clinician pharmacy therapy "
    "governance engagement support wellbeing partnership evidence spread adopted regional "
    "national model falls infection sepsis frailty outpatient theatre emergency mental health "
    "volunteers carers listened shared learning culture kindness compassionate inclusive"
)
_WORDS = _VOCABULARY.split()


def _paragraphs(rng: random.Random, count: int) -> list[str]:
    """A pool of paragraphs of 40 to 160 words, to draw answers from quickly."""
    pool = []
    for _ in range(count):
        words = rng.choices(_WORDS, k=rng.randint(40, 160))
        pool.append(" ".join(words).capitalize() + ".")
    return pool


def _reference(prefix: str, n: int) -> str:
    """A distinct, well-formed reference for the n-th nomination (7919 is coprime with 31**6)."""
    value = (n * 7919 + 12345) % len(REFERENCE_ALPHABET) ** 6
    code = ""
    for _ in range(6):
        value, digit = divmod(value, len(REFERENCE_ALPHABET))
        code += REFERENCE_ALPHABET[digit]
    return f"{prefix}-{code}"


def _short_answers(rng: random.Random, n: int) -> list[tuple[str, str]]:
    team = rng.random() < 0.3
    answers = [("nominee_type", "team" if team else "individual")]
    if team:
        answers += [("team_name", f"Ward {n % 40} Discharge Team"), ("team_lead", f"Lead {n}")]
    else:
        answers.append(("nominee_name", f"Nominee Number {n}"))
    answers += [
        ("nominee_role", "Senior Staff Nurse"),
        ("nominee_organisation", "Leeds Teaching Hospitals NHS Trust"),
        ("nominee_aware", rng.choice(("yes", "no"))),
        ("nominator_name", f"Nominator {n}"),
        ("nominator_email", f"nominator{n}@nhs.net"),
        ("nominator_phone", "0113 000 0000"),
        ("nominator_relationship", "Line manager"),
        ("consent", "yes"),
    ]
    return answers


def build(path: Path, count: int, form: Form, seed: int = 1) -> None:
    """Fill a new database at `path` with `count` nominations, fast (no per-row transactions)."""
    asyncio.run(_create_schema(path))
    rng = random.Random(seed)
    pool = _paragraphs(rng, 4_000)
    questions = [f.id for f in form.fields if f.is_long]
    drafts = round(count * DRAFT_SHARE)
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("PRAGMA synchronous = OFF")  # a throwaway file: speed over durability
        for start in range(0, count, BATCH):
            nominations: list[tuple[object, ...]] = []
            parts: list[tuple[int, str, int, str | None, str]] = []
            outbox: list[tuple[object, ...]] = []
            for n in range(start, min(start + BATCH, count)):
                nomination_id = n + 1
                is_draft = n >= count - drafts
                created = EPOCH + timedelta(minutes=n * 60 * 24 * 90 / count)
                reference = _reference(form.reference_prefix, n)
                answered = questions if not is_draft else questions[: rng.randint(0, 3)]
                for field_id, text in _short_answers(rng, n):
                    parts.append((nomination_id, field_id, 0, None, text))
                for field_id in answered:
                    for seq in range(rng.randint(1, 4)):
                        parts.append((nomination_id, field_id, seq, f"{n}:{seq}", rng.choice(pool)))
                if is_draft:
                    nominator = f"tg:{10_000_000 + n}"  # one draft per nominator
                    position = rng.choice([*questions, REVIEW])
                    submitted = None
                else:
                    nominator = f"tg:{rng.randint(1, count)}"  # some nominate more than once
                    position = REVIEW
                    submitted = utc_text(created + timedelta(minutes=rng.randint(5, 600)))
                    body = "\r\n\r\n".join(rng.choice(pool) for _ in range(8)).encode()
                    for kind in ("organisers", "nominator"):
                        outbox.append(
                            (
                                nomination_id,
                                kind,
                                '["awards@example.nhs.uk"]',
                                f"<{reference}.{kind}@nominations.example>",
                                b"Subject: Nomination " + reference.encode() + b"\r\n\r\n" + body,
                                "sent",
                                1,
                                submitted,
                                submitted,
                                submitted,
                            )
                        )
                nominations.append(
                    (
                        nomination_id,
                        reference,
                        nominator,
                        form.id,
                        form.version,
                        "draft" if is_draft else "submitted",
                        position,
                        utc_text(created),
                        submitted or utc_text(created),
                        submitted,
                    )
                )
            conn.execute("BEGIN")
            conn.executemany(
                "INSERT INTO nominations (id, reference, nominator, form_id, form_version, status,"
                " position, created_at, updated_at, submitted_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                nominations,
            )
            conn.executemany(
                "INSERT INTO answer_parts (nomination_id, field_id, seq, source, text)"
                " VALUES (?, ?, ?, ?, ?)",
                parts,
            )
            conn.executemany(
                "INSERT INTO outbox (nomination_id, kind, recipients, message_id, message, status,"
                " attempts, next_attempt_at, created_at, sent_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                outbox,
            )
            conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


async def _create_schema(path: Path) -> None:
    await (await connect(path)).close()


@dataclass
class Figures:
    nominations: int
    build_s: float
    size_bytes: int
    open_ms: list[float]
    active_draft_ms: list[float]
    append_ms: list[float]
    move_ms: list[float]


async def _timed(samples: list[float], call: Awaitable[object]) -> None:
    start = time.perf_counter()
    await call
    samples.append((time.perf_counter() - start) * 1000)


async def measure(path: Path, count: int, build_s: float) -> Figures:
    open_ms: list[float] = []
    for _ in range(OPENS):
        start = time.perf_counter()
        store = await NominationStore.open(path)
        open_ms.append((time.perf_counter() - start) * 1000)
        await store.close()

    with closing(sqlite3.connect(path)) as conn:
        nominators = [
            row[0]
            for row in conn.execute("SELECT nominator FROM nominations WHERE status = 'draft'")
        ]
    rng = random.Random(2)
    sample = rng.choices(nominators, k=SAMPLES)  # small databases have few drafts: reuse them
    found_ms: list[float] = []
    append_ms: list[float] = []
    move_ms: list[float] = []
    async with await NominationStore.open(path) as store:
        at = datetime.now(UTC)
        for nominator in sample:
            await _timed(found_ms, store.active_draft(nominator))
        for nominator in sample:
            state = await store.active_draft(nominator)
            assert state is not None
            grown = _append(state, "q1", Part(text=" ".join(rng.choices(_WORDS, k=100))))
            await _timed(append_ms, store.save(state, grown, at=at))
            elsewhere = [p for p in ("q2", "q3", REVIEW) if p != grown.position]
            moved = grown.model_copy(update={"position": rng.choice(elsewhere)})
            await _timed(move_ms, store.save(grown, moved, at=at))
    size = sum(p.stat().st_size for p in _database_files(path))
    return Figures(count, build_s, size, open_ms, found_ms, append_ms, move_ms)


def _append(state: NominationState, field_id: str, part: Part) -> NominationState:
    parts = (*state.answers.get(field_id, ()), part)
    return state.model_copy(update={"answers": {**state.answers, field_id: parts}})


def _database_files(path: Path) -> Iterator[Path]:
    for suffix in ("", "-wal", "-shm"):
        candidate = path.with_name(path.name + suffix)
        if candidate.exists():
            yield candidate


def _spread(samples: list[float]) -> str:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return f"median {statistics.median(samples):7.3f}  p95 {cuts[94]:7.3f}  p99 {cuts[98]:7.3f} ms"


def report(figures: list[Figures]) -> None:
    for f in figures:
        print(f"\n{f.nominations:,} nominations")
        print(f"  built in            {f.build_s:.1f} s")
        print(f"  file size           {f.size_bytes / 2**20:,.1f} MiB")
        print(f"  open (start-up)     {_spread(f.open_ms)}")
        print(f"  active_draft        {_spread(f.active_draft_ms)}")
        print(f"  save, append a part {_spread(f.append_ms)}")
        print(f"  save, move position {_spread(f.move_ms)}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(f"\npeak RSS of this process: {peak / 1024:,.1f} MiB")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--nominations", type=int, default=100_000)
    parser.add_argument("--path", type=Path, help="new database file (default: a temporary one)")
    args = parser.parse_args(argv)
    if args.path is not None and args.path.exists():
        sys.exit(f"{args.path} exists; the benchmark builds a new database, give a new path")

    form = load_form()
    with tempfile.TemporaryDirectory(prefix="storage_bench_") as scratch:
        big = args.path or Path(scratch) / "big.sqlite3"
        sizes = [
            (Path(scratch) / "small.sqlite3", min(SMALL, args.nominations)),
            (big, args.nominations),
        ]
        built = []
        for path, count in sizes:
            start = time.perf_counter()
            build(path, count, form)
            build_s = time.perf_counter() - start
            print(f"built {count:,} nominations in {build_s:.1f} s", flush=True)
            built.append((path, count, build_s))
        # Sizes are measured in turn, twice; the first round only warms up (the interpreter, the
        # CPU's clock, the page cache) and is discarded, so that no size is favoured by order.
        for _ in range(2):
            figures = [asyncio.run(measure(path, count, build_s)) for path, count, build_s in built]
        report(figures)


if __name__ == "__main__":
    main()
