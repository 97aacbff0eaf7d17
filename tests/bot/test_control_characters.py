"""End to end: control characters typed in Telegram never reach the database (issue 12 s6), and
the scripts real names need do."""

from __future__ import annotations

import sqlite3
from contextlib import closing

from bot.config import Settings
from tests.kit.fake_telegram import FakeTelegram
from tests.kit.nominator import Nominator, running_bot

OSC_52 = "\x1b]52;c;ZWNobyBwd25lZA==\x07"  # a terminal's "put this on the clipboard"
NAME = "مريم כהן 👩\u200d⚕️ Jose\u0301"  # RTL scripts, a ZWJ emoji, a combining accent


async def test_escapes_bells_and_nuls_are_stripped_before_they_are_saved(
    tg: FakeTelegram, settings: Settings
) -> None:
    async with running_bot(settings):
        sam = Nominator(tg, tg.user(3001, "Sam"))
        await sam.start_individual()
        await sam.say(f"\x1b[2J{NAME}\x00{OSC_52}\x07")

    with closing(sqlite3.connect(settings.database_path)) as conn:
        query = "SELECT text FROM answer_parts WHERE field_id = 'nominee_name'"
        (text,) = conn.execute(query).fetchone()
    assert text == f"[2J{NAME}]52;c;ZWNobyBwd25lZA=="
    assert not any(c in text for c in "\x1b\x00\x07")
