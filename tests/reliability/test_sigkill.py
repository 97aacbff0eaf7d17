"""SIGKILL the real bot (`python -m bot`) at random moments while nominators type, restart it
each time, and let them carry on: no answer the bot acknowledged ("Saved: ...") is ever lost.

The fast version (in `make test`) kills 3 times with 6 nominators; `make soak` 20 times with 50.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sqlite3
import sys
from contextlib import closing
from pathlib import Path

from tests.kit.fake_telegram import DEFAULT_TOKEN, FakeTelegram, FakeUser
from tests.kit.nominator import DETAILS

ROOT = Path(__file__).resolve().parents[2]
SOAK = bool(os.environ.get("SOAK"))
KILLS = 20 if SOAK else 3
NOMINATORS = 50 if SOAK else 6
PARTS = 30 if SOAK else 8
SETUP = ("/start", "Start a nomination", "An individual", *DETAILS, "/skip", "Line manager")


class Bot:
    """The bot as its own process, killed and restarted at will."""

    def __init__(self, tg: FakeTelegram, tmp: Path) -> None:
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("SMTP_", "TELEGRAM_"))},
            "PYTHONPATH": str(ROOT),
            "TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN,
            "TELEGRAM_API_BASE_URL": tg.base_url,
            "DATABASE_PATH": str(tmp / "nominations.sqlite3"),
            "MAIL_OUTBOX_DIR": str(tmp / "outbox"),
            "ORGANISER_EMAILS": "awards@example.nhs.uk",
            "LOG_LEVEL": "WARNING",
        }
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", env=self.env, cwd=ROOT
        )

    async def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        await self.process.wait()

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.terminate()
            await self.process.wait()


async def until_answered(user: FakeUser, text: str, shows: str, press: bool = False) -> None:
    """Send (or press) until the bot shows `shows`; an unanswered step is tried again after a
    restart, as a person would."""
    for _ in range(40):
        if press:
            try:
                await user.press(text)
            except AssertionError:  # no such button yet: the last screen has not come
                await asyncio.sleep(0.5)
                continue
        else:
            await user.send(text)
        try:
            while True:
                (reply,) = await user.replies(1, timeout=4)
                if reply.kind == "message" and shows in reply.text:
                    return
        except AssertionError:
            continue  # the bot was killed before it answered: try again
    raise AssertionError(f"{text!r} never answered")


async def nominate(user: FakeUser, acknowledged: list[str]) -> None:
    for step in SETUP:
        press = step in ("Start a nomination", "An individual")
        await until_answered(user, step, "", press=press)
    for n in range(PARTS):
        text = f"Part {n} from {user.user_id}: she listened and the ward changed."
        await until_answered(user, text, "Saved: ")
        acknowledged.append(text)


async def killer(bot: Bot, seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(KILLS):
        await asyncio.sleep(rng.uniform(0.5, 2.0))
        await bot.kill()
        await bot.start()


async def test_no_acknowledged_answer_is_lost_across_sigkills(tmp_path: Path) -> None:
    async with FakeTelegram(token=DEFAULT_TOKEN, quiet_period=0.05) as tg:
        bot = Bot(tg, tmp_path)
        await bot.start()
        acknowledged: dict[int, list[str]] = {7000 + n: [] for n in range(NOMINATORS)}
        try:
            await asyncio.gather(
                killer(bot, seed=int(os.environ.get("SOAK_SEED", "5"))),
                *(nominate(tg.user(uid), acknowledged[uid]) for uid in acknowledged),
            )
        finally:
            await bot.stop()
        tg.assert_no_rejections()
    with closing(sqlite3.connect(tmp_path / "nominations.sqlite3")) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        for uid, texts in acknowledged.items():
            stored = [
                row[0]
                for row in conn.execute(
                    "SELECT p.text FROM answer_parts p JOIN nominations n ON n.id = p.nomination_id"
                    " WHERE n.nominator = ? AND p.field_id = 'q1' ORDER BY p.seq",
                    (f"tg:{uid}",),
                )
            ]
            assert texts, f"nominator {uid} was never acknowledged"
            missing = [t for t in texts if t not in stored]
            assert not missing, f"acknowledged but lost for {uid}: {missing}"
