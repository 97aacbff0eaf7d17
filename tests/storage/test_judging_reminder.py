"""The one reminder to judges before judging closes (bot/jobs/judging.py over the judging
service and a real SQLite file): due the set time before JUDGING_CLOSE_AT, only to judges with
nominations still to score, and at most once, even after a restart."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.console.judging import terminal_judge_id
from bot.jobs.judging import JudgingReminders
from bot.screens.parts import Screen
from bot.services.judging import JudgingService, JudgingSettings
from flows.form import load_form
from flows.judging.criteria import judging_of
from flows.judging.phase import JudgingDates
from storage import NominationStore
from tests.kit.organiserkit import START, Clock, submit

FORM = load_form()
JUDGING = judging_of(FORM)
assert JUDGING is not None
CLOSE = START + timedelta(days=10)
DATES = JudgingDates(START, CLOSE, timedelta(hours=24))


async def panel_with_two_judges(
    store: NominationStore, clock: Clock, bea: int = 202
) -> JudgingService:
    service = JudgingService(JUDGING, store.judging, JudgingSettings(dates=DATES), clock=clock)  # type: ignore[arg-type]
    for telegram_id, name in ((101, "Ada"), (bea, "Bea")):
        invitation = await service.invite()
        registering = await service.open_link(telegram_id, invitation.token)
        assert registering is not None
        judge = registering.judge
        for detail in (name, "Chief Nurse", f"{name} Trust"):
            judge = (await service.give_detail(judge, detail)).judge
    return service


async def test_the_reminder_goes_once_to_judges_with_nominations_to_score(db_path: Path) -> None:
    clock = Clock(START + timedelta(hours=1))
    told: list[tuple[int, str]] = []

    async def send(chat_id: int, screen: Screen) -> None:
        told.append((chat_id, screen.plain_text))

    async with await NominationStore.open(db_path) as store:
        service = await panel_with_two_judges(store, clock)
        state = await submit(store, FORM, clock(), nominee_name="Priya Shah")
        await service.sync()
        bea = await store.judging.judge(FORM.id, 202)
        assert bea is not None
        assert await store.judging.scoring.submit(
            bea.id,
            state.reference,
            {"q1": 3, "q2": 3, "q3": 3, "q4": 3},
            None,
            version=1,
            at=clock(),
        )
        reminders = JudgingReminders(service, send)
        assert await reminders.tick() == 0  # not yet: more than 24 hours before the close
        clock.now = CLOSE - timedelta(hours=23)
        assert await reminders.tick() == 1
        assert [chat for chat, _ in told] == [101]  # Bea has scored everything
        assert "1 nomination(s) still to score" in told[0][1]
        assert await reminders.tick() == 0
    async with await NominationStore.open(db_path) as store:  # a restart sends it no more
        service = JudgingService(JUDGING, store.judging, JudgingSettings(dates=DATES), clock=clock)  # type: ignore[arg-type]
        assert await JudgingReminders(service, send).tick() == 0
    assert len(told) == 1


async def test_the_terminals_judge_is_not_sent_a_reminder(db_path: Path) -> None:
    # `nomination-bot judge` puts the terminal's user on the panel by a negative number, which
    # is no Telegram chat: nothing is sent there.
    clock = Clock(CLOSE - timedelta(hours=23))
    told: list[int] = []

    async def send(chat_id: int, screen: Screen) -> None:
        told.append(chat_id)

    async with await NominationStore.open(db_path) as store:
        service = await panel_with_two_judges(store, clock, bea=terminal_judge_id(1000))
        await submit(store, FORM, clock(), nominee_name="Priya Shah")
        assert await JudgingReminders(service, send).tick() == 1
    assert told == [101]
