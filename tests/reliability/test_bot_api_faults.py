"""A bad network and a busy Telegram: 10% of the bot's calls fail, and every nominator finishes.

The fake Bot API answers 429 with retry_after, 502, drops the connection before the call, or
does the call and then drops the connection (a time-out, as the bot sees it). The strict server
still refuses nothing; nothing is stored twice; every nomination is submitted once and both its
emails are written.

A call dropped on purpose leaves its callback query unanswered, so this module's `tg` leaves
out the check that `tests/bot` makes of that.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from bot.app import Services
from bot.screens import texts
from tests.kit.fake_telegram import FakeTelegram, FakeUser
from tests.kit.nominator import DETAILS, MakeSettings, Nominator, running_bot

# `make soak` (SOAK=1) runs the full size the issue asks for; `make test` a quick one.
NOMINATORS = 50 if os.environ.get("SOAK") else 4
ANSWER = (  # long enough for the questions' 25-word minimum
    "She redesigned the discharge pathway with the ward team, ran daily huddles and asked "
    "patients what mattered to them; length of stay fell and staff said they felt heard."
)
# (what the nominator does, the text, a phrase of the screen that shows it worked)
Step = tuple[str, str, str]
JOURNEY: tuple[Step, ...] = (
    ("say", "/start", "Leading for Service Improvement"),
    ("tap", texts.START_BUTTON, "Step 1 of 14"),
    ("tap", "An individual", "Step 2 of 14"),
    *(("say", detail, f"Step {n} of 14") for n, detail in enumerate(DETAILS, start=3)),
    ("say", "/skip", "Step 9 of 14"),
    ("say", "Line manager", "Q1"),
    *(
        step
        for after in ("Question 2 of 4", "Question 3 of 4", "Question 4 of 4", "Step 14 of 14")
        for step in (("say", ANSWER, "Saved: "), ("tap", texts.BUTTON_DONE, after))
    ),
    ("tap", texts.BUTTON_YES, "Check your nomination"),
    ("tap", "Submit nomination", "Thank you"),
)


@pytest.fixture
async def tg(fake_telegram: FakeTelegram) -> FakeTelegram:
    """Without the usual check that every callback query was answered: a call dropped on
    purpose leaves its query unanswered."""
    return fake_telegram


async def take(user: FakeUser, step: Step) -> None:
    """One step, then wait for the screen that shows it worked. A press that failed (the bot
    says so) is pressed again, as a person would; a typed message is never sent twice, since
    the bot saves it before it replies. Late duplicates of earlier screens are passed over."""
    kind, text, shows = step
    for _ in range(5):
        if kind == "say":
            await user.send(text)
        else:
            await user.press(text)
        while True:
            try:
                (reply,) = await user.replies(1, timeout=30)
            except AssertionError as exc:
                raise AssertionError(f"no {shows!r} after {text!r}: {exc}") from None
            if reply.kind == "message" and shows in reply.text:
                return
            if kind == "tap" and reply.kind == "message" and reply.text == texts.ERROR_SAFE:
                break  # press again
    raise AssertionError(f"{text!r} kept failing")


async def journey(user: FakeUser) -> None:
    for step in JOURNEY:
        await take(user, step)


def count_emails(outbox: Path) -> int:
    return len(list(outbox.glob("**/*.eml")))


@pytest.mark.telegram_rejections_expected  # only those checked at the end
async def test_every_nominator_finishes_through_a_failing_bot_api(
    fake_telegram: FakeTelegram, make_settings: MakeSettings, tmp_path: Path
) -> None:
    tg = fake_telegram
    settings = make_settings()
    async with running_bot(settings) as services:
        people = [Nominator(tg, tg.user(7000 + n, f"N{n}")) for n in range(NOMINATORS)]
        tg.fail_randomly(0.1, seed=int(os.environ.get("SOAK_SEED", "7")))
        await asyncio.gather(*(journey(p.user) for p in people))
        spoiled = tg.chaos_log
        tg.fail_randomly(0)
        await check_stored(services, people)
        sent = 0
        while (report := await services.worker.run_once()).attempted:  # a batch at a time
            sent += report.sent
        assert sent == 2 * NOMINATORS
        assert count_emails(tmp_path / "outbox") == 2 * NOMINATORS
    assert {fault for _, fault in spoiled} == {"429", "502", "drop", "timeout"}, spoiled
    # The only refusals: a button's answer tried again after Telegram took the first and the
    # connection dropped before it said so.
    lost = answer_lost(tg)
    unexpected = [
        r.summary()
        for r in tg.rejected
        if not (r.method == "answerCallbackQuery" and r.params.get("callback_query_id") in lost)
    ]
    assert not unexpected, unexpected


def answer_lost(tg: FakeTelegram) -> set[str]:
    """The ids of the button presses whose answer Telegram may have taken and then dropped the
    connection before saying so (499: a time-out, as the bot sees it): the bot's next attempt
    is refused if the first was done."""
    return {
        str(r.params.get("callback_query_id"))
        for r in tg.calls("answerCallbackQuery")
        if r.status == 499
    }


async def check_stored(services: Services, people: list[Nominator]) -> None:
    submitted = await services.store.submitted()
    by_nominator = [record.nominator for record in submitted]
    assert sorted(by_nominator) == sorted(p.key for p in people)  # each once, none twice
    for record in submitted:
        for field_id in ("q1", "q2", "q3", "q4"):
            assert [part.text for part in record.state.answers[field_id]] == [ANSWER]
