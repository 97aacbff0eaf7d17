"""The organisers' error alerts and the reminders' `send`, against a recording output: once per
distinct error per hour, without the error's text; and Telegram's answers to a reminder mapped
to what the schedule does next (Delivered, Blocked, Failed after retry_after)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from telegram.error import BadRequest, Forbidden, RetryAfter, TimedOut

from bot.jobs.reminders import Blocked, Delivered, Failed, Reminder
from bot.screens import texts
from bot.screens.actions import Action
from bot.telegram.alerts import ErrorReporter
from bot.telegram.buttons import keyboard
from bot.telegram.chats import chat_of
from bot.telegram.reminders import TelegramReminders
from flows.round import Round
from tests.unit.fakes import FakeOutput

ORGANISER = 5001
REMINDER = Reminder("tg:1001", "LSI-7K3Q9M", "Priya Shah", 3, 14, "q1", "Question one", 1)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def failing(answer_text: str) -> BaseException:
    """An error raised inside our code, whose message quotes a nominator's answer."""
    try:
        raise ValueError(answer_text)
    except ValueError as exc:
        return exc


async def report(reporter: ErrorReporter, error: BaseException) -> None:
    await reporter(object(), SimpleNamespace(error=error))  # type: ignore[arg-type]


async def test_one_alert_per_distinct_error_per_hour_without_its_text() -> None:
    output, clock = FakeOutput(), Clock()
    reporter = ErrorReporter(output, [ORGANISER], clock=clock)
    await report(reporter, failing("my secret answer"))
    await report(reporter, failing("another answer"))  # the same error, same place
    clock.now += 3599
    await report(reporter, failing("a third"))
    (alert,) = output.take()
    assert alert.chat_id == ORGANISER and "ValueError" in alert.text
    assert "secret" not in alert.text and "answer" not in alert.text
    clock.now += 2
    await report(reporter, failing("an hour later"))
    assert len(output.take()) == 1
    await report(reporter, KeyError("elsewhere"))  # a different error: told at once
    assert len(output.take()) == 1


class RaisingOutput(FakeOutput):
    def __init__(self, error: BaseException | None) -> None:
        super().__init__()
        self.error = error

    async def show(self, chat_id: int, screen: Any) -> None:
        if self.error is not None:
            raise self.error
        await super().show(chat_id, screen)


def reminders(output: FakeOutput) -> TelegramReminders:
    # The reminders' send needs only an output (the nominators' handlers carry it).
    nominators = SimpleNamespace(output=output)
    return TelegramReminders(None, nominators, Round())  # type: ignore[arg-type]


async def test_a_reminder_goes_with_its_two_buttons() -> None:
    output = RaisingOutput(None)
    assert await reminders(output).send(REMINDER) == Delivered()
    (sent,) = output.take()
    assert sent.chat_id == 1001 and "for Priya Shah" in sent.text and "3 of 14" in sent.text
    assert sent.labels == [texts.REMINDER_CONTINUE_BUTTON, texts.REMINDER_STOP_BUTTON]
    assert sent.screen is not None
    markup = keyboard(sent.screen)
    assert markup is not None
    continue_data, stop_data = (row[0].callback_data for row in markup.inline_keyboard)
    # Continue names the draft it reminds about; Stop reminders acts wherever it is pressed.
    assert continue_data == f"7K3Q9M:-:{Action.OPEN.value}:"
    assert stop_data == f"-:-:{Action.STOP_REMINDERS.value}:"


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (lambda: Forbidden("Forbidden: bot was blocked by the user"), Blocked()),
        (lambda: BadRequest("Chat not found"), Blocked()),
        (lambda: RetryAfter(timedelta(seconds=30)), Failed("flood control", retry_after=30.0)),
        (TimedOut, Failed("TimedOut")),
    ],
)
async def test_telegrams_answers_become_what_the_schedule_does(
    error: Callable[[], BaseException],
    expected: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")  # as the entry point runs the bot
    assert await reminders(RaisingOutput(error())).send(REMINDER) == expected


def test_only_telegram_nominators_have_a_chat() -> None:
    assert chat_of("tg:1001") == 1001
    assert chat_of("local:alex") is None and chat_of("tg:x") is None
    # A private chat is its user's, never negative: a group's id is never a nominator's chat.
    assert chat_of("tg:-1001") is None
