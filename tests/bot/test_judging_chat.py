"""Judging through the real Application and the strict fake Bot API (issue 18): three judges
invited by single-use links (a reused, a revoked and a guessed link all get one reply that
tells nothing), five nominations, JUDGES_PER_NOMINATION=2 with nobody given their own
organisation's, a conflict declared and the nomination re-assigned, scores changed before the
close and refused after, an amended nomination marked with what changed, a withdrawn one gone
with its scores, and a removed judge's commands refused; then blind judging."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from bot.app import Services
from bot.screens import texts
from bot.screens.actions import Action
from flows.form import load_form
from flows.judging.criteria import judging_of
from flows.state import REVIEW, Part, Status
from flows.statement import load_statement_form, new_statement
from storage.judging_scores import ScoreRecord
from tests.kit.fake_telegram import FakeTelegram, Reply
from tests.kit.nominator import MakeSettings, Nominator, messages, running_bot, shown
from tests.kit.organiserkit import Clock, answers, start_draft, submit
from tests.kit.samples import SAMPLES

FORM = load_form()
JUDGING = judging_of(FORM)
assert JUDGING is not None
LINK = re.compile(r"https://t\.me/nomination_test_bot\?start=judge-([A-Za-z0-9_-]+)")
ORGANISER = 9001
ANSWER = (
    "She rebuilt the discharge pathway with the whole ward; waits fell from nine hours to four "
    "and patients say they feel listened to."
)


def score_label(value: int) -> str:
    point = JUDGING.point(value)  # type: ignore[union-attr]
    assert point is not None
    return texts.JUDGE_SCORE_BUTTON.format(value=value, label=point.label)


async def sent(
    services: Services, clock: Clock, n: int, organisation: str, *, long: bool = False
) -> str:
    """A sent nomination, its answers ANSWER (with `long`, 2,000 characters more each)."""
    clock.advance(timedelta(minutes=1))
    more = " And more besides." * 110 if long else ""
    state = await submit(
        services.store,
        FORM,
        clock(),
        nominee_type="individual",
        nominee_name=f"Nominee {n}",
        nominee_role="Ward Manager",
        nominee_organisation=organisation,
        nominator_name=f"Nominator {n}",
        nominator_email=f"nominator{n}@nhs.example",
        nominator_phone="07700 900123",
        nominator_relationship="Colleague",
        q1=f"Q1 of nomination {n}. {ANSWER}{more}",
        q2=f"Q2 of nomination {n}. {ANSWER}{more}",
        q3=f"Q3 of nomination {n}. {ANSWER}{more}",
        q4=f"Q4 of nomination {n}. {ANSWER}{more}",
    )
    return state.reference


async def invite(organiser: Nominator) -> tuple[str, list[Reply]]:
    await organiser.say("/judges")
    replies = await organiser.tap(texts.JUDGES_INVITE)
    match = LINK.search(shown(replies))
    assert match is not None
    return match.group(1), replies


async def join(tg: FakeTelegram, organiser: Nominator, user_id: int, *details: str) -> Nominator:
    token, _ = await invite(organiser)
    judge = Nominator(tg, tg.user(user_id, details[0].split()[0]))
    opened = shown(await judge.say(f"/start judge-{token}"))
    assert texts.JUDGE_ASK["name"] in opened
    await judge.say_all(*details)
    return judge


async def score(judge: Nominator, values: tuple[int, ...], comment: str | None = None) -> str:
    """From the conflict question to Submit scores; returns what the check showed."""
    asked = shown(await judge.tap(texts.JUDGE_CONFLICT_NO))
    assert "Criterion 1 of 4" in asked
    for value in values:
        await judge.tap(score_label(value))
    check = await (judge.say(comment) if comment else judge.tap(texts.JUDGE_SKIP))
    assert texts.JUDGE_SUBMIT in judge.user.buttons()
    await judge.tap(texts.JUDGE_SUBMIT)
    return shown(check)


async def test_judging_from_invitation_to_close(
    tg: FakeTelegram, make_settings: MakeSettings
) -> None:
    settings = make_settings(organiser_telegram_ids=[ORGANISER], judges_per_nomination=2)
    clock = Clock()
    organiser = Nominator(tg, tg.user(ORGANISER, "Olu", chat_exists=True))
    async with running_bot(settings, clock=clock) as services:
        scoring = services.store.judging.scoring
        leeds = await sent(services, clock, 1, "Leeds Trust")
        refs = [leeds, *[await sent(services, clock, n, "Bradford Trust") for n in range(2, 6)]]
        assert texts.JUDGES_NONE in shown(await organiser.say("/judges"))

        # A link works once; a revoked one and a made-up one get the very same reply.
        token, _ = await invite(organiser)
        assert len(token) >= 16  # 96 random bits
        ada = Nominator(tg, tg.user(7001, "Ada"))
        assert texts.JUDGE_ASK["name"] in shown(await ada.say(f"/start judge-{token}"))
        assert shown(await ada.say("/judge")) == texts.JUDGE_ASK["name"]  # details first
        stranger = Nominator(tg, tg.user(7999, "Sam"))
        reused = shown(await stranger.say(f"/start judge-{token}"))
        revoked_token, _ = await invite(organiser)
        assert texts.JUDGES_REVOKED in shown(await organiser.tap(texts.JUDGES_REVOKE))
        revoked = shown(await stranger.say(f"/start judge-{revoked_token}"))
        guessed = shown(await stranger.say("/start judge-AAAAAAAAAAAAAAAA"))
        assert reused == revoked == guessed == texts.JUDGE_LINK_REFUSED
        await ada.say_all("Ada Lovelace", "Director of Nursing", "Leeds Trust")
        scope = json.dumps({"chat_id": 7001, "type": "chat"}, sort_keys=True)
        menu = {c["command"] for c in tg.commands[(scope, "")]}
        assert {"judge", "myscores", "start", "help"} <= menu and "judges" not in menu
        bea = await join(tg, organiser, 7002, "Bea Okoro", "Chief Nurse", "York Trust")
        cal = await join(tg, organiser, 7003, "Cal Reyes", "Medical Director", "Hull Trust")

        # Judging commands are refused, as unknown ones are, to anyone not a judge.
        assert texts.UNKNOWN_COMMAND in shown(await stranger.say("/judge"))
        assert texts.UNKNOWN_COMMAND in shown(await stranger.say("/myscores"))
        assert texts.UNKNOWN_COMMAND in shown(await ada.say("/judges"))
        assert shown(await ada.say("/judge")) == texts.JUDGING_NOT_OPEN
        assert texts.JUDGING_OPENED in shown(await organiser.say("/judging open"))

        # Two judges each, balanced, nobody with their own organisation's (worked by hand:
        # N1 Bea+Cal, N2 Ada+Bea, N3 Ada+Cal, N4 Ada+Bea, N5 Cal+Ada).
        assigned = await scoring.assignments(FORM.id)
        by_ref = {r: sorted(j for j, ref in assigned if ref == r) for r in refs}
        ada_id, bea_id, cal_id = 1, 2, 3
        assert by_ref == {
            refs[0]: [bea_id, cal_id],
            refs[1]: [ada_id, bea_id],
            refs[2]: [ada_id, cal_id],
            refs[3]: [ada_id, bea_id],
            refs[4]: [ada_id, cal_id],
        }

        # Ada's first: the nomination as the panel pack has it, never the nominator's contacts.
        opened = shown(await ada.say("/judge"))
        assert "Nomination 1 of 4" in opened and "Nominee 2" in opened
        assert f"Q1 of nomination 2. {ANSWER}" in opened and "Nominator 2" in opened
        for private in ("nominator2@nhs.example", "07700 900123"):
            assert private not in opened
        assert texts.JUDGE_CONFLICT in opened
        check = await score(ada, (4, 3, 5, 2), "Clear evidence of impact")
        assert "Q2 How do they know it worked? – 3 (Good evidence)" in check  # not "?:"
        for n in (3, 4, 5):
            assert f"Nominee {n}" in shown(await ada.say("/judge"))
            await score(ada, (3, 3, 3, 3))
        assert shown(await ada.say("/judge")) == texts.JUDGE_ALL_SCORED.format(count=4)
        # A forged button for a nomination not hers (her own organisation's) shows nothing of it.
        await ada.user.press_data(f"{leeds}:-:{Action.JUDGE_NO_CONFLICT.value}:")
        assert shown(await ada.settle()) == texts.JUDGE_GONE

        # Bea scores N1, then declares a conflict on N2: recused with her reason, and N2 goes
        # to Cal, the one judge free to take it.
        await bea.say("/judge")
        await score(bea, (2, 2, 2, 2))
        assert "Nominee 2" in shown(await bea.say("/judge"))
        assert texts.JUDGE_ASK_REASON in shown(await bea.tap(texts.JUDGE_CONFLICT_YES))
        assert texts.JUDGE_RECUSED in shown(await bea.say("I manage the nominee"))
        (recusal,) = await scoring.recusals(FORM.id)
        assert (recusal.judge_id, recusal.reference, recusal.reason) == (
            bea_id,
            refs[1],
            "I manage the nominee",
        )
        now = await scoring.assignments(FORM.id)
        assert (cal_id, refs[1]) in now and (bea_id, refs[1]) not in now

        # Amended after Ada scored it: marked, with what changed; /judge takes her back to it.
        record = await services.store.get(refs[2])
        assert record is not None
        assert await services.store.reopen(record.nominator, refs[2], at=clock())
        draft = await services.store.active_draft(record.nominator)
        assert draft is not None
        answers = {**draft.answers, "q1": (Part(text="A new first answer. " + ANSWER),)}
        again = draft.model_copy(
            update={"answers": answers, "status": Status.SUBMITTED, "position": REVIEW}
        )
        await services.store.save(draft, again, at=clock())
        assert texts.JUDGE_MY_SCORES_CHANGED in shown(await ada.say("/myscores"))
        back = await ada.say("/judge")
        changed = texts.JUDGE_CHANGED.format(fields="Q1 Leading the improvement")
        assert changed in shown(back) and "A new first answer." in shown(back)
        assert texts.JUDGE_CHECK in shown(back)  # scored already: at the check, to change
        check_message = messages(back)[-1].message_id

        # Scores change until judging closes.
        await ada.tap(texts.JUDGE_CHANGE.format(number="Q1"), message_id=check_message)
        await ada.tap(score_label(1))
        await ada.tap(texts.JUDGE_SUBMIT)
        mine = [s for s in await scoring.scores(FORM.id) if s.judge_id == ada_id]
        assert ScoreRecord(ada_id, refs[2], "q1", 1) in mine

        # Withdrawn: out of judging, its scores erased.
        assert await services.store.withdraw(refs[3], at=clock(), outbox=())
        assert all(s.reference != refs[3] for s in await scoring.scores(FORM.id))
        assert "Nominee 4" not in shown(await ada.say("/myscores"))

        # Closed: scores can no longer change, and are kept.
        assert texts.JUDGING_CLOSED_NOW in shown(await organiser.say("/judging close"))
        refused = await ada.tap(texts.JUDGE_CHANGE.format(number="Q1"), message_id=check_message)
        assert shown(refused) == texts.JUDGING_CLOSED
        assert shown(await ada.say("/judge")) == texts.JUDGING_CLOSED
        assert ScoreRecord(ada_id, refs[2], "q1", 1) in await scoring.scores(FORM.id)

        # The panel shows who has scored what; a removed judge's commands stop working.
        panel = shown(await organiser.say("/judges"))
        assert "Ada Lovelace, Director of Nursing: 3 of 3 scored" in panel
        assert "Cal Reyes, Medical Director: 0 of 4 scored (4 to go)" in panel
        await organiser.say("/judging open")
        assert texts.JUDGE_CONFLICT in shown(await cal.say("/judge"))
        assert texts.JUDGES_REMOVED.format(name="Cal Reyes") in shown(
            await organiser.tap(texts.JUDGES_REMOVE.format(name="Cal Reyes"))
        )
        assert texts.UNKNOWN_COMMAND in shown(await cal.say("/judge"))
        await cal.tap(texts.JUDGE_CONFLICT_NO, expect=0)  # an old button: it does nothing
        assert not any(j == cal_id for j, _ in await scoring.assignments(FORM.id))
        # What Cal had not scored went to whoever was free to take it: Bea, for N3 and N5 (N1
        # she has; N2 she recused herself from, and Ada has it; Ada is on N3 and N5 already).
        bea_has = {r for j, r in await scoring.assignments(FORM.id) if j == bea_id}
        assert bea_has == {refs[0], refs[2], refs[4]}


async def test_blind_judging_hides_names_and_a_nomination_sent_meanwhile_is_assigned(
    tg: FakeTelegram, make_settings: MakeSettings
) -> None:
    settings = make_settings(organiser_telegram_ids=[ORGANISER], judging_blind=True)
    clock = Clock()
    organiser = Nominator(tg, tg.user(ORGANISER, "Olu", chat_exists=True))
    async with running_bot(settings, clock=clock) as services:
        await organiser.say("/judging open")
        ada = await join(tg, organiser, 7001, "Ada Lovelace", "Director of Nursing", "Leeds Trust")
        assert shown(await ada.say("/judge")) == texts.JUDGE_NONE_YET
        # Sent while judging is open: Ada's at once. Its long answers come split for Telegram.
        reference = await sent(services, clock, 1, "Bradford Trust", long=True)
        replies = await ada.say("/judge")
        opened = shown(replies)
        assert len(messages(replies)) > 2  # over Telegram's 4096 characters: in parts
        assert texts.JUDGE_BLIND_TITLE.format(number=1) in opened
        assert texts.JUDGE_BLIND_NOTE in opened
        for n in range(1, 5):
            assert f"Q{n} of nomination 1. {ANSWER}" in opened
        for hidden in ("Nominee 1", "Bradford Trust", "Nominator 1", "nominator1@nhs.example"):
            assert hidden not in opened
        await score(ada, (5, 5, 5, 5))
        listed = shown(await ada.say("/myscores"))
        assert "Nomination 1: Q1 5, Q2 5, Q3 5, Q4 5" in listed and "Nominee 1" not in listed
        # Each scored nomination opens again from /myscores, at its check, to change.
        change = texts.JUDGE_MY_SCORES_OPEN.format(title=texts.JUDGE_BLIND_TITLE.format(number=1))
        again = await ada.tap(change, expect=len(messages(replies)))
        assert texts.JUDGE_CHECK in shown(again) and "Nominee 1" not in shown(again)
        assert reference not in listed


async def test_a_judge_sees_the_statements_and_the_files_names(
    tg: FakeTelegram, make_settings: MakeSettings
) -> None:
    settings = make_settings(organiser_telegram_ids=[ORGANISER])
    clock = Clock()
    organiser = Nominator(tg, tg.user(ORGANISER, "Olu", chat_exists=True))
    async with running_bot(settings, clock=clock) as services:
        store = services.store
        _, draft = await start_draft(store, FORM, clock(), nominee_name="Priya Shah")
        await services.evidence.store.add(
            draft.reference,
            "q2",
            name="waiting-times.pdf",
            caption=None,
            media_type="application/pdf",
            data=SAMPLES[".pdf"],
            total_limit=10_000_000,
            at=clock(),
        )
        done = draft.model_copy(update={"status": Status.SUBMITTED, "position": REVIEW})
        await store.save(draft, done, at=clock())
        statement_form = load_statement_form(300)
        await store.support.create(draft.reference, "tok" * 6, at=clock(), maximum=3)
        begun = new_statement(statement_form, draft.reference)
        assert await store.support.claim("tok" * 6, "tg:5555", begun)
        written = begun.model_copy(update={"answers": answers(**STATEMENT)})
        assert await store.support.send("tok" * 6, "tg:5555", written, at=clock(), maximum=3)
        await organiser.say("/judging open")
        ada = await join(tg, organiser, 7001, "Ada Lovelace", "Director of Nursing", "Leeds Trust")
        opened = shown(await ada.say("/judge"))
        assert "From Kim Lee, Matron (her matron)" in opened
        assert STATEMENT["statement"] in opened
        assert texts.JUDGE_FILES.format(names="waiting-times.pdf") in opened


STATEMENT = {
    "name": "Kim Lee",
    "role": "Matron",
    "relationship": "her matron",
    "statement": "Waits fell by half in six months.",
}
