"""`python -m bot` with a token, exactly as deployed: polls the (fake) Bot API, registers its
commands, answers, stops cleanly on SIGTERM, and never logs the token."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from bot.screens import texts
from tests.kit.fake_telegram import FakeTelegram

REPO = Path(__file__).resolve().parents[2]
CONFIDENTIAL = "Philippa Confidential-Nominee"


async def test_python_m_bot_serves_telegram_and_keeps_the_token_out_of_logs(
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
        "LOG_LEVEL": "DEBUG",  # the noisiest level must still not show the token
    }
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
        welcome = await user.reply(timeout=30)
        assert welcome.buttons == [texts.START_BUTTON]
        await user.press(texts.START_BUTTON)
        question = await user.reply(timeout=10)
        assert question.text.startswith("Step 1 of 14")
        await user.press("An individual")
        await user.reply(timeout=10)
        await user.send(CONFIDENTIAL)
        assert (await user.reply(timeout=10)).text.startswith(
            "Nomination for Philippa Confidential-Nominee · Step 3 of 14"
        )
        (commands,) = tg.commands.values()
        assert [c["command"] for c in commands] == [n for n, _ in texts.TELEGRAM_COMMANDS]
    finally:
        process.send_signal(signal.SIGTERM)
        stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 0, stderr.decode()
    logs = (stdout + stderr).decode()
    assert "polling for updates" in logs
    secret_part = tg.token.split(":", 1)[1]
    assert secret_part not in logs
    assert CONFIDENTIAL not in logs
