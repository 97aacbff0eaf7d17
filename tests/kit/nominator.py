"""A nominator talking to the real bot through the fake Bot API, so tests read like a conversation.

    async with running_bot(settings) as services:
        alex = Nominator(tg, tg.user(1001, "Alex"))
        (welcome,) = await alex.say("/start")
        (question,) = await alex.tap("Start a nomination")

`say`, `tap` and friends wait until the bot has answered (at least `expect` replies, then a quiet
spell) and return every new reply in the chat: new messages and edits, in order.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from bot.app import Services, open_telegram_bot
from bot.config import Settings
from bot.screens import texts
from bot.telegram import nominator_key, serving
from flows.state import NominationState
from storage.clock import utc_now
from tests.kit.fake_telegram import FakeTelegram, FakeUser, Reply

MakeSettings = Callable[..., Settings]
"""The `make_settings` fixture: the bot's settings for this test, with any keys overridden."""

ORGANISERS = ("awards@hee.example", "panel@hee.example")
REFERENCE = re.compile(r"LSI-[2-9A-HJKMNP-Z]{6}")
STEPS_INDIVIDUAL = 14

# Typed answers to the detail steps of an individual's nomination, in order, after the choice.
NOMINEE = "Priya Shah"
DETAILS = (
    NOMINEE,
    "Senior Staff Nurse",
    "Leeds Teaching Hospitals NHS Trust",
    "yes",  # the nominee knows
    "Jo Bloggs",
    "jo.bloggs@nhs.example",
)
RELATIONSHIP = "Line manager"


@asynccontextmanager
async def running_bot(
    settings: Settings, *, clock: Callable[[], datetime] = utc_now
) -> AsyncIterator[Services]:
    """The bot as `python -m bot` runs it (services, Application, polling), until the block ends;
    with `clock` (e.g. tests.kit.organiserkit.Clock), the round is judged by a test's time."""
    async with (
        open_telegram_bot(settings, clock=clock) as telegram,
        serving(telegram.application, settings, poll_timeout=0.5),
    ):
        yield telegram.services


def messages(replies: list[Reply]) -> list[Reply]:
    """The new messages among replies (edits left out)."""
    return [r for r in replies if r.kind == "message"]


def shown(replies: list[Reply]) -> str:
    """The text of the new messages, as the user reads them, one after another."""
    return "\n\n".join(r.text for r in messages(replies))


def last(replies: list[Reply]) -> Reply:
    found = messages(replies)
    assert found, f"the bot sent no new message: {replies!r}"
    return found[-1]


class Nominator:
    """One person in a private chat with the bot."""

    def __init__(
        self, tg: FakeTelegram, user: FakeUser, *, timeout: float = 5.0, quiet: float = 0.05
    ) -> None:
        self.tg = tg
        self.user = user
        self.timeout = timeout
        self.quiet = quiet  # how long the bot must stay silent for a turn to be over
        self.sent: list[dict[str, Any]] = []  # the user's own messages, as Telegram made them

    @property
    def key(self) -> str:
        """How the bot's store knows this nominator."""
        return nominator_key(self.user.user_id)

    async def draft(self, services: Services) -> NominationState | None:
        return await services.store.active_draft(self.key)

    async def settle(self, expect: int = 1) -> list[Reply]:
        """Wait for at least `expect` replies, then for the bot to fall quiet; return all new."""
        got = await self.user.replies(expect, timeout=self.timeout) if expect else []
        # The bot confirms an update only once handled: that is when its replies are all out.
        await self.tg.wait_idle(self.timeout, quiet=self.quiet, confirmed=True)
        return got + self.user.unread()

    async def _after(self, action: Awaitable[object], expect: int) -> list[Reply]:
        await action
        return await self.settle(expect)

    async def say(self, text: str, *, expect: int = 1) -> list[Reply]:
        """Type a message (a /command carries its bot_command entity)."""
        message = await self.user.send(text)
        self.sent.append(message)
        return await self.settle(expect)

    async def say_all(self, *lines: str) -> list[Reply]:
        replies: list[Reply] = []
        for line in lines:
            replies += await self.say(line)
        return replies

    async def tap(
        self, label: str, *, message_id: int | None = None, expect: int | None = None
    ) -> list[Reply]:
        """Press an inline button: the newest keyboard's, or message `message_id`'s.

        A press sends the next screen; the pressed message keeps its buttons (a second tap on
        it is answered "Done already." and does nothing).
        """
        if expect is None:
            expect = 1
        return await self._after(self.user.press(label, message_id=message_id), expect)

    async def edit(self, message_id: int, text: str, *, expect: int = 1) -> list[Reply]:
        """Edit one of the user's earlier messages."""
        return await self._after(self.user.edit(message_id, text), expect)

    async def send_photo(
        self, caption: str = "our ward", *, data: bytes | None = None
    ) -> list[Reply]:
        """A photo; with `data`, one the bot can fetch (at an award question it is evidence)."""
        return await self._after(self.user.send_photo(caption=caption, data=data), 1)

    async def send_sticker(self) -> list[Reply]:
        return await self._after(self.user.send_sticker(), 1)

    async def send_voice(self) -> list[Reply]:
        return await self._after(self.user.send_voice(), 1)

    async def send_document(self, *, data: bytes | None = None) -> list[Reply]:
        """A PDF; with `data`, one the bot can fetch (at an award question it is evidence)."""
        return await self._after(self.user.send_document(data=data), 1)

    async def send_location(self) -> list[Reply]:
        return await self._after(self.user.send_location(), 1)

    async def send_contact(self) -> list[Reply]:
        return await self._after(self.user.send_contact(), 1)

    # Whole stretches of the conversation ---------------------------------------------------

    async def start_individual(self) -> list[Reply]:
        """/start, Start a nomination, An individual: now at the nominee's name."""
        await self.say("/start")
        await self.tap(texts.START_BUTTON)
        return await self.tap("An individual")

    async def fill_details(self) -> list[Reply]:
        """From the nominee's name to the first award question, typing where possible."""
        replies = await self.say_all(*DETAILS)
        replies += await self.say("/skip")  # the phone number is optional
        replies += await self.say(RELATIONSHIP)
        replies += await self.tap(texts.BUTTON_YES)  # consent
        return replies

    async def answer_questions(self, answers: dict[str, str]) -> list[Reply]:
        """Answer the award questions in order (one part each), ending at the review."""
        replies: list[Reply] = []
        for text in answers.values():
            replies += await self.say(text)
            replies += await self.say("/done")
        return replies

    async def reach_review(self, answers: dict[str, str]) -> list[Reply]:
        await self.start_individual()
        await self.fill_details()
        return await self.answer_questions(answers)
