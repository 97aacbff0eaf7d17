"""Throughput of the nomination bot against a bare echo bot, on the same fake Bot API server.

Each of N simulated nominators (default 50) completes a whole nomination at the same time,
waiting for the bot's answer to each step before taking the next, as a person would. The same
script of updates is then served by a bare python-telegram-bot echo bot. Both bots run as their
own processes (the nomination bot exactly as `python -m bot`, with a SQLite file), so the fake
server and the simulated users don't share their CPU. In whole journeys the bot sends its emails
over SMTP to an aiosmtpd sink on loopback, which confirms every one arrived, each once.

Prints, for answer typing (40 nominators each typing 15 parts of a long answer), both bots'
throughput, p50/p95/p99 latency and CPU per update, and the ratios; then whole journeys for the
nomination bot alone (50 nominators, every step of a nomination).
Usage: python bench/telegram_throughput.py [--nominators 50] [--typists 40] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # for the test kits, the package tests.kit

from aiosmtpd.controller import Controller  # noqa: E402

from tests.kit.fake_telegram import DEFAULT_TOKEN, FakeTelegram, FakeUser  # noqa: E402
from tests.kit.mailkit import RecordingHandler, free_port  # noqa: E402

Step = tuple[str, str]  # ("send", text) or ("press", button label)

PARAGRAPH = (
    "She redesigned the discharge pathway with the ward team, ran daily huddles and asked "
    "patients what mattered to them; length of stay fell and staff said they felt heard."
)
SCRIPT: tuple[Step, ...] = (
    ("send", "/start"),
    ("press", "Start a nomination"),
    ("press", "An individual"),
    ("send", "Priya Shah"),
    ("send", "Senior Staff Nurse"),
    ("send", "Leeds Teaching Hospitals NHS Trust"),
    ("press", "Yes"),
    ("send", "Jo Bloggs"),
    ("send", "jo.bloggs@nhs.net"),
    ("send", "/skip"),
    ("send", "Line manager"),
    ("press", "Show examples"),
    ("send", PARAGRAPH),
    ("send", PARAGRAPH),
    ("press", "Done"),
    ("send", PARAGRAPH),
    ("press", "Done"),
    ("send", PARAGRAPH),
    ("press", "Done"),
    ("send", PARAGRAPH),
    ("press", "Done"),
    ("press", "Yes"),
    ("press", "Change: Job title or role"),
    ("send", "Ward Sister"),
    ("press", "Submit nomination"),
)
LABELS = sorted({text for kind, text in SCRIPT if kind == "press"})


async def act(user: FakeUser, step: Step) -> None:
    kind, text = step
    if kind == "send":
        await user.send(text)
    else:
        await user.press(text)


async def calibrate(tg: FakeTelegram, user_id: int, script: Sequence[Step]) -> list[int]:
    """How many messages and edits the bot sends for each step (one nominator, alone)."""
    user = tg.user(user_id=user_id)
    counts = []
    for step in script:
        await act(user, step)
        await tg.wait_idle(timeout=30, quiet=0.3)
        counts.append(len(user.unread()))
    return counts


TYPED_PART = "Ran daily huddles with the ward team and asked patients what mattered."
# Answer typing: each nominator reaches the first long question, then types 15 parts of it, one
# reply each: exactly the echo bot's work (a message in, a message out).
TYPING_SETUP = SCRIPT[: SCRIPT.index(("send", PARAGRAPH))]
TYPING: tuple[Step, ...] = tuple(("send", f"{TYPED_PART} ({n})") for n in range(1, 16))


@dataclass
class Figures:
    name: str
    updates: int
    elapsed: float
    cpu_ms: float
    latencies: list[float] = field(default_factory=list)
    polls: int = 0  # getUpdates calls, and the updates they returned, over the whole run
    returned: int = 0

    @property
    def rate(self) -> float:
        return self.updates / self.elapsed

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    def line(self) -> str:
        return (
            f"  {self.name:<15} {self.updates:5d} updates in {self.elapsed:6.2f} s = "
            f"{self.rate:6.1f}/s; latency p50/p95/p99 {self.percentile(0.5):5.1f}/"
            f"{self.percentile(0.95):5.1f}/{self.percentile(0.99):5.1f} ms; "
            f"CPU {self.cpu_ms:.2f} ms/update; {self.polls} polls returned {self.returned} "
            "updates"
        )


async def run_steps(
    tg: FakeTelegram, user_id: int, steps: Sequence[Step], counts: Sequence[int]
) -> list[float]:
    user = tg.user(user_id=user_id)
    latencies = []
    for step, count in zip(steps, counts, strict=True):
        started = time.perf_counter()
        await act(user, step)
        if count:
            await user.replies(count, timeout=120)
        latencies.append(time.perf_counter() - started)
    return latencies


def process_cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def start_process(*args: str, env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, *args, env=env, cwd=ROOT, stdout=asyncio.subprocess.DEVNULL
    )


async def measure(
    name: str,
    command: Sequence[str],
    env: dict[str, str],
    nominators: int,
    setup: Sequence[Step],
    timed: Sequence[Step],
    before_stop: Callable[[], Awaitable[None]] | None = None,
) -> Figures:
    """Run `setup` for every nominator untimed, then `timed` for all at once, timed."""
    async with FakeTelegram(token=DEFAULT_TOKEN, quiet_period=0.05) as tg:
        process = await start_process(*command, env={**env, "TELEGRAM_API_BASE_URL": tg.base_url})
        profiler = None
        try:
            counts = await calibrate(tg, user_id=1, script=(*setup, *timed))
            setup_counts, timed_counts = counts[: len(setup)], counts[len(setup) :]
            users = [1000 + i for i in range(nominators)]
            await asyncio.gather(*(run_steps(tg, u, setup, setup_counts) for u in users))
            if os.environ.get("BENCH_PROFILE") and "bot" in command:
                # e.g. BENCH_PROFILE="py-spy record -f raw -o bot.txt --pid": where the time goes
                profile = os.environ["BENCH_PROFILE"].split()
                profiler = await asyncio.create_subprocess_exec(*profile, str(process.pid))
            cpu_before = process_cpu_seconds(process.pid)
            started = time.perf_counter()
            results = await asyncio.gather(*(run_steps(tg, u, timed, timed_counts) for u in users))
            elapsed = time.perf_counter() - started
            bot_cpu = process_cpu_seconds(process.pid) - cpu_before
            await tg.wait_idle(timeout=60, quiet=0.3)
            if before_stop is not None:
                await before_stop()
        finally:
            if profiler is not None:
                profiler.send_signal(signal.SIGINT)
                await profiler.wait()
            process.terminate()
            await process.wait()
        tg.assert_no_rejections()
        polls = [r for r in tg.calls("getUpdates") if r.ok]
    updates = nominators * len(timed)
    latencies = [x for result in results for x in result]
    figures = Figures(name, updates, elapsed, bot_cpu * 1000 / updates, latencies)
    figures.polls, figures.returned = len(polls), sum(len(r.result) for r in polls)
    return figures


def bot_env(base_env: dict[str, str], tmp: str, name: str) -> dict[str, str]:
    return {
        **base_env,
        "PYTHONPATH": str(ROOT),
        "TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN,
        "DATABASE_PATH": f"{tmp}/{name}.sqlite3",
        "MAIL_OUTBOX_DIR": f"{tmp}/{name}-outbox",
        "ORGANISER_EMAILS": "awards@example.nhs.uk",
        "LOG_LEVEL": "WARNING",
    }


async def typing_round(
    base_env: dict[str, str], tmp: str, n: int, nominators: int
) -> tuple[float, float, float]:
    """One round of answer typing, both bots; returns the ratios (throughput, p99, CPU)."""
    echo_env = {**base_env, "PYTHONPATH": str(ROOT)}
    echo_cmd = ["bench/echo_bot.py", DEFAULT_TOKEN, *LABELS]
    echo = await measure("echo bot", echo_cmd, echo_env, nominators, TYPING_SETUP, TYPING)
    env = bot_env(base_env, tmp, f"typing{n}")
    ours = await measure("nomination bot", ["-m", "bot"], env, nominators, TYPING_SETUP, TYPING)
    print(f"answer typing, round {n} ({nominators} nominators x {len(TYPING)} parts):")
    print(echo.line())
    print(ours.line())
    ratios = (
        ours.rate / echo.rate,
        ours.percentile(0.99) / echo.percentile(0.99),
        ours.cpu_ms / echo.cpu_ms,
    )
    print(_ratios_line("ratios (bot/echo)", ratios))
    return ratios


def _ratios_line(title: str, ratios: tuple[float, float, float]) -> str:
    throughput, p99, cpu = ratios
    return (
        f"  {title}: throughput {throughput:.2f} (target >= 0.9), "
        f"p99 {p99:.2f} (<= 1.25), CPU {cpu:.2f} (<= 1.15)"
    )


async def journeys(base_env: dict[str, str], tmp: str, nominators: int) -> None:
    """Whole journeys, the bot sending its emails over SMTP to an aiosmtpd sink on loopback."""
    sink = RecordingHandler()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    env = {
        **bot_env(base_env, tmp, "journeys"),
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(controller.port),
        "SMTP_STARTTLS": "false",
        "VERIFY_NOMINATOR_EMAIL": "false",  # no code round trip: the journey is the figure
    }
    # One email to the organisers and one copy to the nominator for each nomination.
    expected = 2 * (nominators + 1)  # the calibrating nominator submits too

    async def delivered() -> None:
        for _ in range(600):
            if len(sink.received) >= expected:
                return
            await asyncio.sleep(0.1)

    try:
        ours = await measure(
            "nomination bot", ["-m", "bot"], env, nominators, (), SCRIPT, delivered
        )
    finally:
        controller.stop()
    copies = sink.by_message_id()
    once = sum(len(c) == 1 for c in copies.values())
    print(f"whole journeys ({nominators} nominators, {len(SCRIPT)} updates each):")
    print(ours.line() + " (target >= 150/s)")
    print(
        f"  emails at the aiosmtpd sink: {len(sink.received)}, {len(copies)} distinct "
        f"Message-IDs, {once} arrived exactly once (expected {expected})"
    )


async def main(nominators: int, rounds: int, typists: int) -> None:
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("SMTP_", "TELEGRAM_"))}
    print(f"load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as tmp:
        rounds_ratios = [
            await typing_round(base_env, tmp, n, typists) for n in range(1, rounds + 1)
        ]
        if rounds > 1:
            # One round is noisy on a shared 2-core machine: the medians are the figures to read.
            throughput, p99, cpu = (
                statistics.median(column) for column in zip(*rounds_ratios, strict=True)
            )
            print(_ratios_line(f"median of {rounds} rounds", (throughput, p99, cpu)))
        await journeys(base_env, tmp, nominators)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nominators", type=int, default=50)
    parser.add_argument("--typists", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(main(args.nominators, args.rounds, args.typists))
