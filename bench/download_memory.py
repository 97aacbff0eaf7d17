"""Peak memory of the bot while a nominator sends a file far bigger than Telegram claims.

Runs the bot exactly as `python -m bot` (from this checkout, or `--repo` another one, to compare
with an older version) against the fake Bot API, takes a nominator to Q1, and sends a document
that the message and getFile both say is 1,024 bytes while the file server serves `--mb` MB
(default 30), with a Content-Length or (`--chunked`) without one. Prints the bot process's peak
resident memory (VmHWM) before and after, and what the nominator was told.

Usage: python bench/download_memory.py [--mb 30] [--chunked] [--repo PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # for the test kits, the package tests.kit

from tests.kit.fake_telegram import DEFAULT_TOKEN, FakeTelegram  # noqa: E402
from tests.kit.nominator import DETAILS, RELATIONSHIP, Nominator, shown  # noqa: E402


def peak_mb(pid: int) -> float:
    """The process's peak resident set so far (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM")


async def main(megabytes: int, chunked: bool, repo: Path) -> None:
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("SMTP_", "TELEGRAM_"))}
    with tempfile.TemporaryDirectory() as tmp:
        async with FakeTelegram(token=DEFAULT_TOKEN, quiet_period=0.05) as tg:
            env = {
                **base_env,
                "PYTHONPATH": str(repo),
                "TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN,
                "TELEGRAM_API_BASE_URL": tg.base_url,
                "DATABASE_PATH": f"{tmp}/memory.sqlite3",
                "MAIL_OUTBOX_DIR": f"{tmp}/outbox",
                "ORGANISER_EMAILS": "awards@example.nhs.uk",
                "EVIDENCE_MAX_MB": "10",
                "LOG_LEVEL": "ERROR",
            }
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", env=env, cwd=tmp, stdout=asyncio.subprocess.DEVNULL
            )
            try:
                jo = Nominator(tg, tg.user(4001, "Jo"), timeout=60)
                await jo.start_individual()
                await jo.say_all(*DETAILS)
                await jo.say("/skip")
                await jo.say(RELATIONSHIP)  # at Q1, where files are kept
                before = peak_mb(process.pid)
                tg.files.chunked = chunked
                data = b"%PDF-1.7\n" + b"\x00" * (megabytes * 1024 * 1024)
                await jo.user.send_document(file_name="scan.pdf", data=data, file_size=1024)
                told = shown(await jo.settle(1))
                after = peak_mb(process.pid)
            finally:
                process.terminate()
                await process.wait()
    served = "without a length" if chunked else "with a Content-Length"
    print(f"{megabytes} MB served {served}, 1,024 bytes claimed; bot from {repo}")
    print(f"peak RSS before {before:6.1f} MB, after {after:6.1f} MB (+{after - before:.1f} MB)")
    print(f"the nominator was told: {told}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=30)
    parser.add_argument("--chunked", action="store_true")
    parser.add_argument("--repo", type=Path, default=ROOT)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.mb, arguments.chunked, arguments.repo.resolve()))
