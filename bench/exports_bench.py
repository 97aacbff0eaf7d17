"""Time and peak memory of each organisers' export, and the leaderboard's time.

Builds databases of 2,000 and 20,000 submitted nominations (bench/storage_bench.py's build, with
every answer split into parts), then runs each export as the organisers do, each in a fresh
child of this script (`nomination-bot export ...`), which prints its own peak RSS (VmHWM) as it
ends: the CSV, the JSON, the HTML pack for organisers, the panel's copy (--for-panel), and the
judges' scores CSV (three judges a nomination, four criteria, a comment each). Then the
leaderboard's time for 2,000 nominations scored by 20 judges each, in this process.

    python bench/exports_bench.py [--sizes 2000 20000]

Goals (issue 18): each export under 80 MB at both sizes and under 3 s at 2,000; the leaderboard
under 1 s.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # for the other benchmarks

from bench.storage_bench import DRAFT_SHARE, build  # noqa: E402
from flows.form import load_form  # noqa: E402

EXPORTS = {
    "CSV": ("--format", "csv"),
    "JSON": ("--format", "json"),
    "HTML": ("--format", "html"),
    "panel pack": ("--format", "html", "--for-panel"),
}
SCORES = "scores CSV"
JUDGES_PER_NOMINATION = 3
LEADERBOARD = (2_000, 20)  # nominations, judges (every judge scores every nomination)


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float
    size_mb: float


def child_env(tmp: Path, database: Path) -> dict[str, str]:
    keep = ("PATH", "HOME", "LANG", "LC_ALL")
    return {
        **{k: v for k, v in os.environ.items() if k in keep},
        "PYTHONPATH": str(ROOT),
        "DATABASE_PATH": str(database),
        "MAIL_OUTBOX_DIR": str(tmp / "outbox"),
        "MAIL_FROM": "Nomination Bot <nominations@example.nhs.uk>",
        "ORGANISER_EMAILS": "awards@example.nhs.uk",
    }


def run_child(args: list[str], env: dict[str, str], output: Path) -> Run:
    """Run one child of this script to its end: its wall time, its own peak RSS and the file it
    wrote. The peak is the child's VmHWM, which it prints as it ends: wait4's ru_maxrss would
    start from this process's own peak, since Linux carries it over fork and exec."""
    started = time.perf_counter()
    command = [sys.executable, __file__, *args]
    done = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seconds = time.perf_counter() - started
    errors = done.stderr.decode()
    if done.returncode != 0:
        raise RuntimeError(f"{args} failed ({done.returncode}): {errors}")
    peak_kib = int(errors.rsplit(PEAK, 1)[1].split()[0])
    return Run(seconds, peak_kib / 1024, output.stat().st_size / 2**20)


PEAK = "peak RSS (VmHWM) KiB: "


def own_peak_kib() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status")


def export_run(name: str, env: dict[str, str], tmp: Path) -> Run:
    output = tmp / f"{name.replace(' ', '-')}.out"
    return run_child(["--export-child", *EXPORTS[name], "--output", str(output)], env, output)


def scores_run(count: int, env: dict[str, str], tmp: Path) -> Run:
    output = tmp / "scores.csv"
    return run_child(["--scores-child", str(count), "--output", str(output)], env, output)


def export_child(args: list[str]) -> int:
    """`nomination-bot export ARGS` in this process, as the entry point runs it."""
    from bot.__main__ import main as bot_main

    return bot_main(["export", *args])


def leaderboard_seconds(nominations: int, judges: int) -> float:
    """The leaderboard of `nominations` each scored on every criterion by every judge."""
    from flows.leaderboard import Scale, Score, leaderboard

    rng = random.Random(3)
    criteria = ("q1", "q2", "q3", "q4")
    scores = [
        Score(f"judge-{j}", f"LSI-{n:06d}", c, rng.randint(1, 5))
        for j in range(judges)
        for n in range(nominations)
        for c in criteria
    ]
    assigned = {f"LSI-{n:06d}": judges for n in range(nominations)}
    started = time.perf_counter()
    board = leaderboard(scores, scale=Scale(1, 5), assigned=assigned)
    seconds = time.perf_counter() - started
    assert len(board) == nominations
    return seconds


def scores_child(count: int, output: Path) -> None:
    """Write the scores CSV of `count` nominations, each scored by JUDGES_PER_NOMINATION judges
    on four criteria with a comment, a nomination's lines at a time, as the judging store's
    pages will hand them over."""
    from bot.services.organisers import ExportFormat, encoding
    from bot.services.scores_export import ScoreLine, ScoresCsv
    from storage.files import private_text_file

    rng = random.Random(4)
    criteria = (("Leadership", 2.0), ("Impact", 1.0), ("Involving others", 1.0), ("Lasting", 1.0))
    comment = " ".join(["Clear evidence of sustained change across the service."] * 4)
    at = datetime(2027, 2, 1, 9, 30, tzinfo=UTC)
    with private_text_file(output, encoding=encoding(ExportFormat.CSV), newline="") as out:
        scores = ScoresCsv(out)
        for n in range(count):
            scores.write(
                ScoreLine(f"LSI-{n:06d}", f"Nominee Number {n}", f"Judge {(n + j) % 20}",
                          name, weight, (value := rng.randint(1, 5)), f"point {value}",
                          comment, at)
                for j in range(JUDGES_PER_NOMINATION)
                for name, weight in criteria
            )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2_000, 20_000])
    parser.add_argument("--scores-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--export-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--output", type=Path, help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args()
    if args.scores_child is not None or args.export_child:
        if args.export_child:
            status = export_child([*rest, "--output", str(args.output)])
        else:
            scores_child(args.scores_child, args.output)
            status = 0
        print(f"{PEAK}{own_peak_kib()}", file=sys.stderr)
        sys.exit(status)
    form = load_form()
    with tempfile.TemporaryDirectory(prefix="exports_bench_") as scratch:
        tmp = Path(scratch)
        for submitted in args.sizes:
            database = tmp / f"n{submitted}.sqlite3"
            build(database, math.ceil(submitted / (1 - DRAFT_SHARE)), form)
            env = child_env(tmp, database)
            print(f"\n{submitted:,} submitted nominations")
            for name in (*EXPORTS, SCORES):
                run = (
                    scores_run(submitted, env, tmp)
                    if name == SCORES
                    else export_run(name, env, tmp)
                )
                print(
                    f"  {name:<11} {run.seconds:6.2f} s  peak RSS {run.peak_mb:6.1f} MB"
                    f"  ({run.size_mb:,.1f} MiB written)",
                    flush=True,
                )
    nominations, judges = LEADERBOARD
    seconds = min(leaderboard_seconds(nominations, judges) for _ in range(3))
    print(
        f"\nleaderboard, {nominations:,} nominations x {judges} judges: {seconds:.3f} s"
        " (best of 3; goal < 1 s)"
    )


if __name__ == "__main__":
    main()
