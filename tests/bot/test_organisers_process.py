"""`python -m bot` as deployed, for the round's organisers: the reminder loop starts and stops
with the bot (REMINDER_AFTER_HOURS=0.0005, about 2 seconds), the organisers' commands answer
their ids, and SIGTERM still stops everything cleanly."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from bot.screens import texts
from tests.kit.fake_telegram import FakeTelegram

REPO = Path(__file__).resolve().parents[2]
ORGANISER_ID = 5002


async def test_the_real_process_reminds_and_serves_organisers(
    tg: FakeTelegram, tmp_path: Path
) -> None:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "PYTHONPATH": str(REPO),
        "TELEGRAM_BOT_TOKEN": tg.token,
        "TELEGRAM_API_BASE_URL": tg.base_url,
        "DATABASE_PATH": str(tmp_path / "nominations.sqlite3"),
        "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
        "ORGANISER_EMAILS": "awards@example.nhs.uk",
        "ORGANISER_TELEGRAM_IDS": str(ORGANISER_ID),
        "REMINDER_AFTER_HOURS": "0.0005",
    }
    organiser = tg.user(ORGANISER_ID, "Olu", chat_exists=True)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=tmp_path,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        user = tg.user(5001, "Dev")
        await user.send("/start")
        await user.reply(timeout=30)
        await user.press(texts.START_BUTTON)
        await user.reply(timeout=10)

        reminder = await user.reply(timeout=15)
        assert reminder.buttons == [texts.REMINDER_CONTINUE_BUTTON, texts.REMINDER_STOP_BUTTON]
        assert "answered 0 of" in reminder.text

        await organiser.send("/stats")
        stats = await organiser.reply(timeout=10)
        assert "Drafts in progress: 1" in stats.text
    finally:
        process.send_signal(signal.SIGTERM)
        _stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 0, stderr.decode()
