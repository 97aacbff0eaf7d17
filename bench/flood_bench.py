"""Reply time for other users while one user floods the bot.

Runs the bot exactly as `python -m bot` (a SQLite file, the outbox writing .eml files) against
the fake Bot API. Other users send /start one after another and time the bot's reply: first
with nobody else about, then while one user has just sent a burst of messages (default 3,000).
Prints the median and worst reply time of each, and what the flooding user was told.

Usage: python bench/flood_bench.py [--flood 3000] [--others 10] [--probes 5]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # for the test kits, the package tests.kit

from tests.kit.fake_telegram import DEFAULT_TOKEN, FakeTelegram, FakeUser  # noqa: E402


async def reply_times(tg: FakeTelegram, users: list[FakeUser], probes: int) -> list[float]:
    """Each user sends /start `probes` times in turn, waiting for the reply; the waits."""
    times = []
    for _ in range(probes):
        for user in users:
            started = time.perf_counter()
            await user.send("/start")
            await user.reply(timeout=120)
            times.append(time.perf_counter() - started)
    return times


def summary(name: str, times: list[float]) -> str:
    median = statistics.median(times) * 1000
    return f"{name:<28} median {median:7.1f} ms, worst {max(times) * 1000:7.1f} ms"


async def main(flood: int, others: int, probes: int) -> None:
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("SMTP_", "TELEGRAM_"))}
    with tempfile.TemporaryDirectory() as tmp:
        async with FakeTelegram(token=DEFAULT_TOKEN, quiet_period=0.05) as tg:
            env = {
                **base_env,
                "PYTHONPATH": str(ROOT),
                "TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN,
                "TELEGRAM_API_BASE_URL": tg.base_url,
                "DATABASE_PATH": f"{tmp}/flood.sqlite3",
                "MAIL_OUTBOX_DIR": f"{tmp}/outbox",
                "ORGANISER_EMAILS": "awards@example.nhs.uk",
                "LOG_LEVEL": "ERROR",
            }
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", env=env, cwd=tmp, stdout=asyncio.subprocess.DEVNULL
            )
            try:
                users = [tg.user(2000 + i) for i in range(others)]
                await reply_times(tg, users[:1], 1)  # started and warm
                quiet = await reply_times(tg, users, probes)
                flooder = tg.user(1)
                await flooder.send("/start")
                await flooder.reply(timeout=30)
                for n in range(flood):
                    await flooder.send(f"message {n}")
                flooded = await reply_times(tg, users, probes)
                await tg.wait_idle(timeout=300, quiet=0.5)
                told = [r.text for r in flooder.unread() if "faster than" in r.text]
            finally:
                process.terminate()
                await process.wait()
    print(summary("others, nobody flooding:", quiet))
    print(summary(f"others, one user sent {flood}:", flooded))
    print(f"the flooding user was told: {told[0] if told else 'nothing'}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flood", type=int, default=3000)
    parser.add_argument("--others", type=int, default=10)
    parser.add_argument("--probes", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(main(args.flood, args.others, args.probes))
