"""Each award of a programme judges separately (issues 18 and 19), through the real Application
and the strict fake Bot API: the shipped award and the example one, each with its own [judging]
criteria and its own judging dates; Ada judges the first, Bea the second and Cal both. An
organiser of the example award alone is refused the other's /judges and /leaderboard; a global
organiser names or chooses the award. Each judge sees only their panels' nominations, /judge
goes across Cal's panels, /myscores lists by award, each leaderboard holds its own award's
nominations, and each panel's reminder comes before its own close."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.app import Services
from bot.app_judging import award_panel
from bot.jobs.judging import JudgingReminders
from bot.screens import texts
from bot.screens.actions import Action
from bot.screens.parts import Screen
from flows.form import Form
from flows.judging.criteria import judging_of
from flows.state import REVIEW, Part, Status
from tests.bot.test_judging_chat import ANSWER, LINK
from tests.bot.test_programme_chat import (
    LEARNING_TITLE,
    LSI_FORM,
    LSI_TITLE,
    award_entry,
    iso,
    write_programme,
)
from tests.kit.fake_telegram import FakeTelegram
from tests.kit.nominator import MakeSettings, Nominator, running_bot, shown
from tests.kit.organiserkit import START, Clock, submit

ORGANISER, LEARNING_ORGANISER = 9001, 9002
LSI_CLOSES, LEARNING_CLOSES = timedelta(days=10), timedelta(days=20)
LSI_Q1 = "Q1 Leading the improvement"


def programme(tmp_path: Path) -> Path:
    """Both awards taking nominations; each judged until its own judging_close_at, and the
    example award with an organiser of its own."""
    dates = (-timedelta(days=5), timedelta(days=35))
    return write_programme(
        tmp_path,
        award_entry(
            "lsi", LSI_FORM, "Service improvement.", *dates,
            f'judging_close_at = "{iso(LSI_CLOSES)}"',
        ),
        award_entry(
            "learning", "learning.toml", "Helping others learn.", *dates,
            f"organiser_telegram_ids = [{LEARNING_ORGANISER}]",
            f'judging_close_at = "{iso(LEARNING_CLOSES)}"',
        ),
    )  # fmt: skip


def forms(services: Services) -> tuple[Form, Form]:
    lsi, learning = services.programme.forms
    return lsi, learning


async def sent(services: Services, clock: Clock, form: Form, n: int) -> str:
    """A sent nomination of `form`'s award, its nominee "<prefix> nominee <n>"."""
    clock.advance(timedelta(minutes=1))
    given = {
        "nominee_name": f"{form.reference_prefix} nominee {n}",
        "nominee_role": "Ward Manager",
        "nominee_organisation": "Bradford Trust",
        "nominator_name": f"Nominator {n}",
        "nominator_email": f"nominator{n}@nhs.example",
    }
    if form.reference_prefix == "LSI":
        given |= {"nominee_type": "individual", "nominator_relationship": "Colleague"}
        given |= {q: f"{q} of {n}. {ANSWER}" for q in ("q1", "q2", "q3", "q4")}
    else:
        given |= {"teaching": f"Teaching of {n}. {ANSWER}", "difference": f"Made {n}. {ANSWER}"}
    return (await submit(services.store, form, clock(), **given)).reference


async def amend(services: Services, clock: Clock, reference: str) -> None:
    """The nomination sent again with a new first answer, as its nominator's Amend does."""
    store = services.store
    record = await store.get(reference)
    assert record is not None and await store.reopen(record.nominator, reference, at=clock())
    draft = await store.active_draft(record.nominator)
    assert draft is not None
    answers = {**draft.answers, "q1": (Part(text="A new first answer. " + ANSWER),)}
    again = {"answers": answers, "status": Status.SUBMITTED, "position": REVIEW}
    await store.save(draft, draft.model_copy(update=again), at=clock())


async def join(organiser: Nominator, judge: Nominator, name: str) -> str:
    """Invited from the organiser's panel on screen; what the new judge was told first."""
    link = LINK.search(shown(await organiser.tap(texts.JUDGES_INVITE)))
    assert link is not None
    welcome = shown(await judge.say(f"/start judge-{link.group(1)}"))
    await judge.say_all(name, "Director of Nursing", f"{name.split()[1]} Trust")
    return welcome


def label(form: Form, value: int) -> str:
    judging = judging_of(form)
    point = judging.point(value) if judging is not None else None
    assert point is not None
    return texts.JUDGE_SCORE_BUTTON.format(value=value, label=point.label)


async def score(judge: Nominator, form: Form, value: int, comment: str | None = None) -> str:
    """The nomination on screen scored `value` on every criterion; the check, as shown."""
    judging = judging_of(form)
    assert judging is not None
    count = len(judging.criteria)
    assert f"Criterion 1 of {count}" in shown(await judge.tap(texts.JUDGE_CONFLICT_NO))
    for _ in range(count):
        await judge.tap(label(form, value))
    check = await (judge.say(comment) if comment else judge.tap(texts.JUDGE_SKIP))
    await judge.tap(texts.JUDGE_SUBMIT)
    return shown(check)


async def test_each_award_judges_separately(
    tg: FakeTelegram, make_settings: MakeSettings, tmp_path: Path
) -> None:
    settings = make_settings(awards_file=programme(tmp_path), organiser_telegram_ids=[ORGANISER])
    clock = Clock()
    olu = Nominator(tg, tg.user(ORGANISER, "Olu", chat_exists=True))
    lee = Nominator(tg, tg.user(LEARNING_ORGANISER, "Lee", chat_exists=True))
    ada, bea, cal = (Nominator(tg, tg.user(7000 + n, name)) for n, name in enumerate("ABC", 1))
    async with running_bot(settings, clock=clock) as services:
        lsi, learning = forms(services)
        l1, l2 = [await sent(services, clock, lsi, n) for n in (1, 2)]
        e1, e2 = [await sent(services, clock, learning, n) for n in (1, 2)]

        # Lee looks after the example award alone: its panel at once, the other's refused.
        mine = shown(await lee.say("/judges"))
        assert LEARNING_TITLE in mine and texts.JUDGES_NONE in mine
        refused = texts.PANELS_NOT_YOURS.format(award="lsi", awards="learning")
        assert shown(await lee.say("/judges lsi")) == refused
        assert shown(await lee.say("/leaderboard lsi")) == refused
        assert shown(await lee.say("/judging open lsi")) == refused
        for forged in (
            f"lsi:-:{Action.JUDGE_AWARD.value}:judges",
            f"lsi:-:{Action.RESULTS_AWARD.value}:leaderboard",
        ):
            await lee.user.press_data(forged)  # the buttons Olu is shown, forged
            assert shown(await lee.settle()) == refused
        # Olu sees both: he chooses the award, or names it.
        assert texts.PANELS_CHOOSE_JUDGES in shown(await olu.say("/judges"))
        assert olu.user.buttons() == [LSI_TITLE, LEARNING_TITLE]
        assert LSI_TITLE in shown(await olu.tap(LSI_TITLE))

        # A link belongs to the award whose /judges made it, and the welcome names it.
        welcome = await join(olu, ada, "Ada Lovelace")
        assert texts.JUDGE_WELCOME.format(award=LSI_TITLE) in welcome
        await olu.say("/judges lsi")
        await join(olu, cal, "Cal Reyes")
        await lee.say("/judges")
        await join(lee, bea, "Bea Okoro")
        await lee.say("/judges")
        welcome = await join(lee, cal, "Cal Reyes")  # on both panels now
        assert texts.JUDGE_WELCOME.format(award=LEARNING_TITLE) in welcome

        # Each award opens on its own.
        assert texts.PANELS_CHOOSE_OPEN in shown(await olu.say("/judging open"))
        assert texts.JUDGING_OPENED in shown(await olu.tap(LSI_TITLE))
        not_yet = shown(await bea.say("/judge"))
        assert LEARNING_TITLE in not_yet and texts.JUDGING_NOT_OPEN in not_yet
        assert texts.JUDGING_OPENED in shown(await lee.say("/judging open"))
        states = shown(await olu.say("/judging"))
        for title in (LSI_TITLE, LEARNING_TITLE):
            assert texts.PANELS_STATE_LINE.format(award=title, state="open") in states

        # Ada judges the first award only: never the other's nominations, even by a forged
        # button.
        for n in (1, 2):
            opened = shown(await ada.say("/judge"))
            assert LSI_TITLE in opened and f"LSI nominee {n}" in opened
            await score(ada, lsi, 4)
        assert shown(await ada.say("/judge")) == texts.JUDGE_ALL_SCORED.format(count=2)
        await ada.user.press_data(f"{e1}:-:{Action.JUDGE_NO_CONFLICT.value}:")
        forged = shown(await ada.settle(expect=0))
        assert "EXLC nominee" not in forged and texts.JUDGE_CONFLICT not in forged
        # Bea the second award's, on its own scale and criteria.
        for n in (1, 2):
            opened = shown(await bea.say("/judge"))
            assert LEARNING_TITLE in opened and f"EXLC nominee {n}" in opened
            await score(bea, learning, 3 if n == 1 else 1)

        # Cal's /judge goes across both panels, in the programme's order; Next nomination too.
        assert "LSI nominee 1" in shown(await cal.say("/judge"))
        await score(cal, lsi, 2)
        assert "LSI nominee 2" in shown(await cal.tap(texts.JUDGE_NEXT))
        await score(cal, lsi, 5)
        await amend(services, clock, l1)  # changed since Cal scored it: after the unscored
        opened = shown(await cal.tap(texts.JUDGE_NEXT))
        assert LEARNING_TITLE in opened and "EXLC nominee 1" in opened
        check = await score(cal, learning, 4, "Warm and practical")  # typed: for this panel
        assert "Comment: Warm and practical" in check
        await cal.say("/judge")
        await score(cal, learning, 2)
        again = shown(await cal.say("/judge"))
        assert "LSI nominee 1" in again and texts.JUDGE_CHANGED.format(fields=LSI_Q1) in again
        await cal.tap(texts.JUDGE_SUBMIT)
        assert shown(await cal.say("/judge")) == texts.JUDGE_ALL_SCORED.format(count=4)
        listed = shown(await cal.say("/myscores", expect=2))
        assert listed.index(LSI_TITLE) < listed.index(l1) < listed.index(LEARNING_TITLE)
        assert listed.index(LEARNING_TITLE) < listed.index(e1)

        # Each leaderboard holds its own award's nominations alone.
        assert texts.PANELS_CHOOSE_BOARD in shown(await olu.say("/leaderboard"))
        board = shown(await olu.tap(LEARNING_TITLE))
        assert f"1. {e1} EXLC nominee 1" in board and f"2. {e2}" in board and l1 not in board
        assert shown(await lee.say("/leaderboard")) == board
        board = shown(await olu.say("/leaderboard lsi"))
        assert LSI_TITLE in board and f"1. {l2} LSI nominee 2" in board and e1 not in board
        # And its own shortlist: another award's reference is as unknown as a made-up one.
        added = shown(await olu.say(f"/shortlist {e1}"))
        assert added == texts.SHORTLIST_ADDED.format(reference=e1, count=1)
        unknown = shown(await lee.say(f"/shortlist {l1}"))
        assert unknown == texts.SHORTLIST_UNKNOWN.format(reference=l1)
        both = shown(await olu.say("/shortlist"))
        assert f"{LEARNING_TITLE}. " + texts.SHORTLIST_LIST.format(count=1, references=e1) in both
        assert f"{LSI_TITLE}. {texts.SHORTLIST_EMPTY}" in both

        # Sent meanwhile, one more each; each panel's reminder before its own close.
        await sent(services, clock, lsi, 3)
        await sent(services, clock, learning, 3)
        told: list[tuple[int, str]] = []

        async def send(chat_id: int, screen: Screen) -> None:
            told.append((chat_id, screen.plain_text))

        reminders = {}
        for award in services.programme:
            panel = award_panel(settings, services, award, lambda: "nomination_test_bot")
            assert panel is not None
            reminders[award.id] = JudgingReminders(panel.panel, send, award=award.title)
        clock.now = START + LSI_CLOSES - timedelta(hours=1)
        assert await reminders["learning"].tick() == 0  # its close is ten days later
        assert await reminders["lsi"].tick() == 2
        assert sorted(chat for chat, _ in told) == [7001, 7003]
        assert all(text.startswith(LSI_TITLE) and "1 nomination(s)" in text for _, text in told)
        told.clear()
        clock.advance(LEARNING_CLOSES - LSI_CLOSES)
        assert await reminders["lsi"].tick() == 0  # closed
        assert await reminders["learning"].tick() == 2
        assert sorted(chat for chat, _ in told) == [7002, 7003]
        assert all(text.startswith(LEARNING_TITLE) for _, text in told)
