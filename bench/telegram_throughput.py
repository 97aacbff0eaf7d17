"""Throughput of the nomination bot against a bare echo bot, on the same fake Bot API server.

Each of N simulated nominators (default 50) completes a whole nomination at the same time,
waiting for the bot's answer to each step before taking the next, as a person would. The same
script of updates is then served by a bare python-telegram-bot echo bot. Both bots run as their
own processes (the nomination bot exactly as `python -m bot`, with a SQLite file and the outbox
writing .eml files), so the fake server and the simulated users don't share their CPU.

Prints updates per second for each and the ratio (target: at least 0.9).
Usage: python bench/telegram_throughput.py [--nominators 50] [--rounds 1]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # for the test kits, the package tests.kit

from tests.kit.fake_telegram import DEFAULT_TOKEN, FakeTelegram, FakeUser  # noqa: E402

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
    ("press", "Yes"),
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
    ("press", "Submit nomination"),
)
LABELS = sorted({text for kind, text in SCRIPT if kind == "press"})


async def act(user: FakeUser, step: Step) -> None:
    kind, text = step
    if kind == "send":
        await user.send(text)
    else:
        await user.press(text)


async def calibrate(tg: FakeTelegram, user_id: int) -> list[int]:
    """How many messages and edits the bot sends for each step (one nominator, alone)."""
    user = tg.user(user_id=user_id)
    counts = []
    for step in SCRIPT:
        await act(user, step)
        await tg.wait_idle(timeout=30, quiet=0.3)
        counts.append(len(user.unread()))
    return counts


async def nominate(tg: FakeTelegram, user_id: int, counts: Sequence[int]) -> None:
    user = tg.user(user_id=user_id)
    for step, count in zip(SCRIPT, counts, strict=True):
        await act(user, step)
        if count:
            await user.replies(count, timeout=120)


def process_cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def start_process(*args: str, env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, *args, env=env, cwd=ROOT, stdout=asyncio.subprocess.DEVNULL
    )


async def measure(name: str, command: Sequence[str], env: dict[str, str], nominators: int) -> float:
    async with FakeTelegram(token=DEFAULT_TOKEN, quiet_period=0.05) as tg:
        process = await start_process(*command, env={**env, "TELEGRAM_API_BASE_URL": tg.base_url})
        profiler = None
        try:
            counts = await calibrate(tg, user_id=1)
            if os.environ.get("BENCH_PROFILE") and "bot" in command:
                # e.g. BENCH_PROFILE="py-spy record -f raw -o bot.txt --pid": where the time goes
                profile = os.environ["BENCH_PROFILE"].split()
                profiler = await asyncio.create_subprocess_exec(*profile, str(process.pid))
            cpu_before = process_cpu_seconds(process.pid)
            bench_before = time.process_time()
            started = time.perf_counter()
            await asyncio.gather(*(nominate(tg, 1000 + i, counts) for i in range(nominators)))
            elapsed = time.perf_counter() - started
            bot_cpu = process_cpu_seconds(process.pid) - cpu_before
            bench_cpu = time.process_time() - bench_before
            await tg.wait_idle(timeout=60, quiet=0.3)
        finally:
            if profiler is not None:
                profiler.send_signal(signal.SIGINT)
                await profiler.wait()
            process.terminate()
            await process.wait()
        tg.assert_no_rejections()
    updates = nominators * len(SCRIPT)
    rate = updates / elapsed
    requests = sum(counts)
    print(
        f"{name:<16} {updates} updates in {elapsed:6.2f} s = {rate:7.1f} updates/s; "
        f"bot CPU {bot_cpu * 1000 / updates:.2f} ms/update, fake server and users CPU "
        f"{bench_cpu:.2f} s ({requests} bot messages/edits per nomination)"
    )
    return rate


async def main(nominators: int, rounds: int) -> None:
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("SMTP_", "TELEGRAM_"))}
    with tempfile.TemporaryDirectory() as tmp:
        ratios = []
        for round_number in range(1, rounds + 1):
            bot_env = {
                **base_env,
                "PYTHONPATH": str(ROOT),
                "TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN,
                "DATABASE_PATH": f"{tmp}/round{round_number}.sqlite3",
                "MAIL_OUTBOX_DIR": f"{tmp}/outbox{round_number}",
                "ORGANISER_EMAILS": "awards@example.nhs.uk",
                "LOG_LEVEL": "WARNING",
            }
            echo = await measure(
                "echo bot",
                ["bench/echo_bot.py", DEFAULT_TOKEN, *LABELS],
                {**base_env, "PYTHONPATH": str(ROOT)},
                nominators,
            )
            ours = await measure("nomination bot", ["-m", "bot"], bot_env, nominators)
            ratios.append(ours / echo)
            print(f"round {round_number}: nomination bot / echo bot = {ours / echo:.2f}")
        print(f"ratio over {rounds} round(s): min {min(ratios):.2f}, max {max(ratios):.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nominators", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    asyncio.run(main(args.nominators, args.rounds))
