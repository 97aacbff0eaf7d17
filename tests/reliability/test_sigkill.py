"""SIGKILL the real bot (`python -m bot`) while nominators type, each time while it holds a part
it has fetched and not yet answered, restart it, and let them carry on: no answer the bot
acknowledged ("Saved: ...") is ever lost.

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

from bot.screens import texts
from tests.kit.fake_telegram import DEFAULT_TOKEN, FakeTelegram, FakeUser
from tests.kit.fake_telegram.records import RecordedRequest
from tests.kit.nominator import DETAILS, RELATIONSHIP, STEPS_INDIVIDUAL

ROOT = Path(__file__).resolve().parents[2]
SOAK = bool(os.environ.get("SOAK"))
KILLS = 20 if SOAK else 3
NOMINATORS = 50 if SOAK else 6
PARTS = 30 if SOAK else 8
PRESSED = (texts.START_BUTTON, "An individual")
# Each set-up step (typed, or a button pressed) and what the bot's reply to it must show.
SETUP = (
    ("/start", "Leading for Service Improvement and Innovation"),
    (texts.START_BUTTON, f"Step 1 of {STEPS_INDIVIDUAL}"),
    ("An individual", f"Step 2 of {STEPS_INDIVIDUAL}"),
    *((detail, f"Step {n} of {STEPS_INDIVIDUAL}") for n, detail in enumerate(DETAILS, start=3)),
    ("/skip", f"Step {3 + len(DETAILS)} of {STEPS_INDIVIDUAL}"),  # the phone is optional
    (RELATIONSHIP, "Question 1 of 4"),
)


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
        # The return code of each killed process: -SIGKILL when it was running to the end.
        self.killed: list[int] = []

    async def start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", env=self.env, cwd=ROOT
        )

    def signal_kill(self) -> None:
        """SIGKILL now, with no await in between: the caller knows what the bot was doing."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)

    async def kill(self) -> None:
        self.signal_kill()
        await self.reap()

    async def reap(self) -> None:
        assert self.process is not None
        self.killed.append(await self.process.wait())

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.terminate()
            await self.process.wait()


async def set_up(user: FakeUser) -> None:
    """From /start to the first award question, before any kill: each reply must be the next
    screen (a kill here could make a resent answer land on the next question)."""
    for step, shows in SETUP:
        if step in PRESSED:
            await user.press(step)
        else:
            await user.send(step)
        # The first update waits for the bot's process to start polling.
        (reply,) = await user.replies(1, timeout=20)
        assert reply.kind == "message", f"{step!r}: {reply!r}"
        assert shows in reply.text, f"{step!r} should show {shows!r}, showed {reply.text!r}"


async def answered(user: FakeUser, shows: str) -> bool:
    """Wait for a message that shows `shows`; False if none comes (the bot was killed first)."""
    try:
        while True:
            (reply,) = await user.replies(1, timeout=4)
            if reply.kind == "message" and shows in reply.text:
                return True
    except AssertionError:
        return False


class Typing:
    """Which part each nominator is waiting on, and which of those the bot has fetched."""

    def __init__(self, tg: FakeTelegram) -> None:
        self.tg = tg
        self.waiting: dict[int, int] = {}  # user id -> the message id of their unanswered part
        self.texts: dict[int, str] = {}  # user id -> the text of that part
        self.finished = asyncio.Event()
        # (chat id, message id) -> update id, for each message getUpdates returned
        self._fetched: dict[tuple[int, int], int] = {}
        self._read = 0  # requests before this one are answered and in _fetched

    def confirmed_below(self) -> int:
        """Telegram forgets updates below the highest offset the bot has asked for."""
        offsets = [r.raw_params.get("offset") for r in self.tg.calls("getUpdates")]
        return max((int(o) for o in offsets if o is not None), default=0)

    def unconfirmed(self, uids: list[int]) -> list[int]:
        """Those of `uids` whose waiting part Telegram still holds (not confirmed)."""
        below = self.confirmed_below()
        return [
            uid for uid in uids if self._fetched.get((uid, self.waiting.get(uid, -1)), -1) >= below
        ]

    def in_hand(self) -> list[int]:
        """Nominators whose part the bot has fetched (getUpdates returned it) and not answered."""
        requests = self.tg.requests
        for n in range(self._read, len(requests)):
            request = requests[n]
            if request.status == 0:  # still waiting for its answer: read it again next time
                continue
            if n == self._read:
                self._read += 1
            if request.method == "getUpdates" and request.ok:
                self._fetched.update(
                    (
                        (update["message"]["chat"]["id"], update["message"]["message_id"]),
                        update["update_id"],
                    )
                    for update in request.result
                    if "message" in update
                )
        return [
            uid
            for uid, message_id in self.waiting.items()
            if (uid, message_id) in self._fetched
            and not any(m.message_id > message_id for m in self.tg.user(uid).bot_messages())
        ]


async def type_parts(user: FakeUser, typing: Typing, acknowledged: list[str]) -> None:
    """Type PARTS parts of the first award question, each until the bot says it saved it."""
    for n in range(PARTS):
        text = f"Part {n} from {user.user_id}: she listened and the ward changed."
        typing.texts[user.user_id] = text
        for _ in range(40):
            typing.waiting[user.user_id] = (await user.send(text))["message_id"]
            if await answered(user, "Saved: "):
                break
        else:
            raise AssertionError(f"{text!r} never answered")
        del typing.waiting[user.user_id]
        acknowledged.append(text)


def stored_parts(db: Path, uid: int) -> list[str]:
    """The parts of Q1 committed for one nominator, in order."""
    with closing(sqlite3.connect(db)) as conn:
        rows = conn.execute(
            "SELECT p.text FROM answer_parts p JOIN nominations n ON n.id = p.nomination_id"
            " WHERE n.nominator = ? AND p.field_id = 'q1' ORDER BY p.seq",
            (f"tg:{uid}",),
        )
        return [str(row[0]) for row in rows]


def kill_at_next_poll(
    bot: Bot, typing: Typing, held: dict[int, str], unconfirmed: list[int]
) -> asyncio.Event:
    """Kill the bot at its next getUpdates while it holds fetched parts (where python-telegram-
    bot's Updater confirmed them), noting whose parts, and their texts, in `held`, and whose
    Telegram still held, in `unconfirmed`."""
    fired = asyncio.Event()

    def hook(request: RecordedRequest) -> None:
        if fired.is_set() or request.method != "getUpdates" or not (in_hand := typing.in_hand()):
            return
        held.update({uid: typing.texts[uid] for uid in in_hand})
        bot.signal_kill()
        unconfirmed.extend(typing.unconfirmed(in_hand))
        fired.set()

    typing.tg.on_request = hook
    return fired


async def kill_once(
    bot: Bot, typing: Typing, rng: random.Random, at_poll: bool, unconfirmed: list[int]
) -> dict[int, str]:
    """One kill while the bot holds a fetched part not yet answered, at its next getUpdates or a
    random moment in; whose parts it held, and their texts (empty if typing finished first).
    Whose of those Telegram still held (not yet confirmed) is added to `unconfirmed`."""
    held: dict[int, str] = {}
    if at_poll:
        fired = kill_at_next_poll(bot, typing, held, unconfirmed)
        try:
            await typing.tg.wait_for(lambda: fired.is_set() or typing.finished.is_set(), 30)
        finally:
            typing.tg.on_request = None
        return held
    await typing.tg.wait_for(lambda: bool(typing.in_hand()) or typing.finished.is_set(), 30)
    await asyncio.sleep(rng.uniform(0, 0.01))
    held = {uid: typing.texts[uid] for uid in typing.in_hand()}
    if held:
        bot.signal_kill()
        unconfirmed.extend(typing.unconfirmed(list(held)))
    return held


async def killer(bot: Bot, typing: Typing, seed: int) -> tuple[list[list[int]], list[int]]:
    """Kill the bot KILLS times, each while it holds a fetched part not yet answered: every
    other kill at its next getUpdates, the rest a random moment in. Return, for each kill, whose
    parts it held, and how many of those Telegram still held (the kill landed mid-step: fetched,
    not finished, and not confirmed)."""
    rng = random.Random(seed)
    held: list[list[int]] = []
    mid_step: list[int] = []
    while len(held) < KILLS and not typing.finished.is_set():
        unconfirmed: list[int] = []
        texts_held = await kill_once(bot, typing, rng, len(held) % 2 == 0, unconfirmed)
        if not texts_held:
            continue  # answered meanwhile: wait for the next part
        held.append(list(texts_held))
        mid_step.append(len(unconfirmed))
        await bot.reap()
        await bot.start()
    return held, mid_step


async def test_no_acknowledged_answer_is_lost_across_sigkills(tmp_path: Path) -> None:
    async with FakeTelegram(token=DEFAULT_TOKEN, quiet_period=0.05) as tg:
        bot = Bot(tg, tmp_path)
        await bot.start()
        acknowledged: dict[int, list[str]] = {7000 + n: [] for n in range(NOMINATORS)}
        typing = Typing(tg)

        async def typists() -> None:
            await asyncio.gather(
                *(type_parts(tg.user(uid), typing, acknowledged[uid]) for uid in acknowledged)
            )
            typing.finished.set()

        try:
            await asyncio.gather(*(set_up(tg.user(uid)) for uid in acknowledged))
            (held, mid_step), _ = await asyncio.gather(
                killer(bot, typing, seed=int(os.environ.get("SOAK_SEED", "5"))), typists()
            )
        finally:
            await bot.stop()
        tg.assert_no_rejections()
    # Every kill happened, to a running bot, while it held a part it had not answered.
    assert bot.killed == [-signal.SIGKILL] * KILLS
    assert len(held) == KILLS, held
    # Every kill landed mid-step: each part the bot held was fetched, not finished, and not
    # confirmed to Telegram, which handed it to the restarted bot (python-telegram-bot's
    # Updater had confirmed them all by its next getUpdates).
    assert mid_step == [len(h) for h in held], (mid_step, held)
    with closing(sqlite3.connect(tmp_path / "nominations.sqlite3")) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    for uid, texts_sent in acknowledged.items():
        stored = stored_parts(tmp_path / "nominations.sqlite3", uid)
        assert len(texts_sent) == PARTS, f"nominator {uid} was not acknowledged every part"
        missing = [t for t in texts_sent if t not in stored]
        assert not missing, f"acknowledged but lost for {uid}: {missing}"
