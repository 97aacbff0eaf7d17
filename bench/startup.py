"""Start-up time and memory of the real bot (`python -m bot`) at 0 and 100,000 nominations.

Start-up is from launching the process to its first getUpdates call on the fake Bot API (it is
then serving); RSS is read from /proc once it has served one nominator's /start.
Usage: python bench/startup.py [--nominations 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # for the test kits and the other benchmarks

from bench.storage_bench import build  # noqa: E402
from bench.telegram_throughput import bot_env, rss_mb, start_process  # noqa: E402
from flows.form import load_form  # noqa: E402
from tests.kit.fake_telegram import DEFAULT_TOKEN, FakeTelegram  # noqa: E402


async def start_once(env: dict[str, str]) -> tuple[float, float]:
    """(seconds to the first getUpdates, RSS in MB after one /start)."""
    async with FakeTelegram(token=DEFAULT_TOKEN, quiet_period=0.05) as tg:
        started = time.perf_counter()
        process = await start_process(
            "-m", "bot", env={**env, "TELEGRAM_API_BASE_URL": tg.base_url}
        )
        try:
            while not tg.calls("getUpdates"):
                if process.returncode is not None:
                    raise RuntimeError("the bot exited during start-up")
                await asyncio.sleep(0.005)
            ready = time.perf_counter() - started
            user = tg.user(user_id=1)
            await user.send("/start")
            await user.replies(1, timeout=30)
            rss = rss_mb(process.pid)
        finally:
            process.terminate()
            await process.wait()
    return ready, rss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nominations", type=int, default=100_000)
    args = parser.parse_args()
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("SMTP_", "TELEGRAM_"))}
    form = load_form()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for count in (0, args.nominations):
            name = f"startup{count}"
            env = bot_env(base_env, tmp, name)
            if count:
                build(Path(env["DATABASE_PATH"]), count, form)
            runs = [asyncio.run(start_once(env)) for _ in range(3)]
            ready = min(r[0] for r in runs)
            rss = min(r[1] for r in runs)
            results.append((count, ready, rss))
            print(
                f"start-up at {count:>7,} nominations: {ready:.2f} s (best of 3), RSS {rss:.1f} MB"
            )
    growth = results[-1][2] - results[0][2]
    print(
        f"start-up target <= 2 s; RSS growth 0 -> {args.nominations:,}: {growth:+.1f} MB (<= 10 MB)"
    )


if __name__ == "__main__":
    main()
