"""Judging's store on a real SQLite file (issue 18): single-use invitations kept as hashes,
judges' registration and removal, assignments, recusals re-assigned, scores submitted and read
back as plain records, an amendment since scoring, the round's open and close and its one
reminder, and judging erased with its nomination (withdrawal, purge). The migration upgrades a
file written by the schema before it, keeping what it holds."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.services.my_data import JudgingHeld, MyData
from flows.evidence import EvidenceFile
from flows.form import Form
from flows.state import REVIEW, Part, Status
from storage import NominationStore
from storage.db import second_connection
from storage.judging_scores import ScoreRecord
from storage.purge import PurgeStore
from storage.schema import MIGRATIONS
from tests.storage.schema_history import written_at_version

AT = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
FORM = "leading_for_service_improvement"
TableRows = Callable[[str], list[tuple[object, ...]]]
JUDGING_TABLES = ("judge_scores", "judge_assignments", "judge_recusals")


async def sent(store: NominationStore, form: Form, nominator: str = "tg:1") -> str:
    draft = await store.create_draft(nominator, form, form.fields[0].id, at=AT)
    answered = draft.model_copy(update={"answers": {"q1": (Part(text="Led the audit"),)}})
    await store.save(draft, answered, at=AT)
    final = answered.model_copy(update={"status": Status.SUBMITTED, "position": REVIEW})
    await store.save(answered, final, at=AT)
    return draft.reference


async def a_judge(store: NominationStore, telegram_id: int, token_hash: str) -> int:
    await store.judging.invite(FORM, token_hash, at=AT)
    judge = await store.judging.claim(token_hash, telegram_id, at=AT)
    assert judge is not None
    return judge.id


async def test_an_invitation_is_single_use_and_a_revoked_or_unknown_one_claims_nothing(
    store: NominationStore, table_rows: TableRows
) -> None:
    judging = store.judging
    await judging.invite(FORM, "hash-a", at=AT)
    revoked = await judging.invite(FORM, "hash-b", at=AT)
    first = await judging.claim("hash-a", 101, at=AT)
    assert first is not None and first.form_id == FORM and first.step == "name"
    assert await judging.claim("hash-a", 202, at=AT) is None  # used
    assert await judging.revoke(FORM, revoked)
    assert not await judging.revoke(FORM, revoked)
    assert await judging.claim("hash-b", 202, at=AT) is None  # revoked
    assert await judging.claim("made-up", 202, at=AT) is None
    assert await judging.judge(FORM, 202) is None
    assert table_rows("SELECT token_hash, status FROM judge_invitations ORDER BY id") == [
        ("hash-a", "used"),
        ("hash-b", "revoked"),
    ]


async def test_registration_then_removal_lets_unscored_nominations_go(
    store: NominationStore, form: Form
) -> None:
    judging = store.judging
    judge_id = await a_judge(store, 101, "h1")
    assert await judging.register(judge_id, "name", "Ada Lovelace", then="role")
    assert await judging.register(judge_id, "role", "Director of Nursing", then="organisation")
    assert await judging.register(judge_id, "organisation", "Leeds Trust", then="")
    judge = await judging.judge(FORM, 101)
    assert judge is not None and judge.registered
    assert (judge.name, judge.role, judge.organisation) == (
        "Ada Lovelace",
        "Director of Nursing",
        "Leeds Trust",
    )
    one, two = await sent(store, form), await sent(store, form, "tg:2")
    assert await judging.scoring.assign([(judge_id, one), (judge_id, two)], at=AT) == 2
    assert await judging.scoring.assign([(judge_id, one)], at=AT) == 0
    assert await judging.scoring.submit(judge_id, one, {"q1": 4}, None, version=1, at=AT)
    (member,) = await judging.panel(FORM)
    assert (member.judge.id, member.assigned, member.scored) == (judge_id, 2, 1)
    assert await judging.remove(judge_id, at=AT) == [two]
    assert await judging.judge(FORM, 101) is None
    assert not await judging.register(judge_id, "name", "Someone", then="")
    assert not await judging.scoring.submit(judge_id, one, {"q1": 1}, None, version=1, at=AT)
    assert await judging.panel(FORM) == []
    # Their submitted scores stay; a new invitation makes them a judge again, afresh.
    assert await judging.scoring.scores(FORM) == [ScoreRecord(judge_id, one, "q1", 4)]
    again = await a_judge(store, 101, "h2")
    assert again != judge_id
    assert [j.id for j in await judging.judges_of(101)] == [judge_id, again]


async def test_scores_are_submitted_replaced_and_read_as_plain_records(
    store: NominationStore, form: Form
) -> None:
    scoring = store.judging.scoring
    ada, bea = await a_judge(store, 101, "h1"), await a_judge(store, 202, "h2")
    one = await sent(store, form)
    await scoring.assign([(ada, one), (bea, one)], at=AT)
    assert await scoring.save_state(ada, one, '{"step": "q2"}')
    assert (await scoring.assignment(ada, one)).state == '{"step": "q2"}'  # type: ignore[union-attr]
    assert await scoring.submit(ada, one, {"q1": 3, "q2": 5}, "Strong data", version=1, at=AT)
    assert await scoring.submit(ada, one, {"q1": 4, "q2": 5}, "Strong data", version=1, at=AT)
    assert await scoring.submit(bea, one, {"q1": 2, "q2": 2}, None, version=1, at=AT)
    assert await scoring.scores(FORM) == [
        ScoreRecord(ada, one, "q1", 4),
        ScoreRecord(ada, one, "q2", 5),
        ScoreRecord(bea, one, "q1", 2),
        ScoreRecord(bea, one, "q2", 2),
    ]
    assert await scoring.comments(FORM) == [(ada, one, "Strong data")]
    (mine,) = await scoring.assigned_to(ada)
    assert mine.scored and mine.state is None and dict(mine.scores) == {"q1": 4, "q2": 5}
    (progress,) = await scoring.progress(FORM)
    assert (progress.reference, progress.assigned, progress.scored) == (one, 2, 2)
    assert not await scoring.submit(ada, "LSI-NOSUCH", {"q1": 1}, None, version=1, at=AT)


async def test_an_amendment_after_scoring_is_known(store: NominationStore, form: Form) -> None:
    scoring = store.judging.scoring
    ada = await a_judge(store, 101, "h1")
    one = await sent(store, form)
    await scoring.assign([(ada, one)], at=AT)
    await scoring.submit(ada, one, {"q1": 3}, None, version=1, at=AT)
    assert not (await scoring.assignment(ada, one)).changed_since_scored  # type: ignore[union-attr]
    assert await store.reopen("tg:1", one, at=AT)
    draft = await store.active_draft("tg:1")
    assert draft is not None
    final = draft.model_copy(update={"status": Status.SUBMITTED})
    await store.save(draft, final, at=AT + timedelta(hours=1))
    assignment = await scoring.assignment(ada, one)
    assert (
        assignment is not None
        and assignment.changed_since_scored
        and assignment.latest_version == 2
    )


async def test_a_recusal_is_kept_with_its_reason_and_the_nomination_goes_to_another(
    store: NominationStore, form: Form
) -> None:
    scoring = store.judging.scoring
    ada, bea = await a_judge(store, 101, "h1"), await a_judge(store, 202, "h2")
    one = await sent(store, form)
    await scoring.assign([(ada, one)], at=AT)
    assert await scoring.recuse(ada, one, "I know the nominee", at=AT, instead=bea)
    assert not await scoring.recuse(ada, one, "again", at=AT, instead=None)
    assert await scoring.assignments(FORM) == [(bea, one)]
    (recusal,) = await scoring.recusals(FORM)
    assert (recusal.judge_id, recusal.reference, recusal.reason) == (ada, one, "I know the nominee")
    (progress,) = await scoring.progress(FORM)
    assert (progress.assigned, progress.scored, progress.recusals) == (1, 0, 1)


async def test_withdrawing_erases_the_nominations_judging(
    store: NominationStore, form: Form, table_rows: TableRows
) -> None:
    scoring = store.judging.scoring
    ada, bea = await a_judge(store, 101, "h1"), await a_judge(store, 202, "h2")
    one, two = await sent(store, form), await sent(store, form, "tg:2")
    await scoring.assign([(ada, one), (bea, one), (ada, two)], at=AT)
    await scoring.recuse(bea, one, "Same team", at=AT, instead=None)
    await scoring.submit(ada, one, {"q1": 5}, "Secret comment", version=1, at=AT)
    await scoring.submit(ada, two, {"q1": 2}, None, version=1, at=AT)
    assert await store.withdraw(one, at=AT, outbox=())
    assert await scoring.scores(FORM) == [ScoreRecord(ada, two, "q1", 2)]
    for table in JUDGING_TABLES:
        rows = table_rows(
            f"SELECT count(*) FROM {table} AS t JOIN nominations AS n"  # noqa: S608
            f" ON n.id = t.nomination_id WHERE n.reference = '{one}'"
        )
        assert rows == [(0,)], table
    assert [p.reference for p in await scoring.progress(FORM)] == [two]


async def test_the_purge_erases_judging_with_its_nominations(
    store: NominationStore, form: Form, db_path: Path, table_rows: TableRows
) -> None:
    scoring = store.judging.scoring
    ada, bea = await a_judge(store, 101, "h1"), await a_judge(store, 202, "h2")
    one = await sent(store, form)
    await scoring.assign([(ada, one), (bea, one)], at=AT)
    await scoring.recuse(bea, one, "Same team", at=AT, instead=None)
    await scoring.submit(ada, one, {"q1": 5}, "Secret comment", version=1, at=AT)
    async with second_connection(db_path) as db:
        erased = await PurgeStore(db, lambda sha: db_path.parent / sha).erase_submitted_before(
            datetime.now(UTC) + timedelta(days=1)
        )
    assert [e.reference for e in erased] == [one]
    for table in JUDGING_TABLES:
        assert table_rows(f"SELECT count(*) FROM {table}") == [(0,)], table  # noqa: S608


async def test_judging_opens_closes_and_reminds_once(store: NominationStore) -> None:
    judging = store.judging
    assert (await judging.round(FORM)).opened_at is None
    await judging.set_open(FORM, opened=True, at=AT)
    await judging.set_open(FORM, opened=False, at=AT + timedelta(days=1))
    closed = await judging.round(FORM)
    assert (closed.opened_at, closed.closed_at) == (AT, AT + timedelta(days=1))
    await judging.set_open(FORM, opened=True, at=AT + timedelta(days=2))
    assert (await judging.round(FORM)).closed_at is None  # opened again
    assert await judging.claim_reminder(FORM, at=AT)
    assert not await judging.claim_reminder(FORM, at=AT + timedelta(hours=1))
    assert (await judging.round(FORM)).reminded_at == AT
    assert (await judging.round("another_award")).reminded_at is None


async def test_the_migration_upgrades_a_file_written_by_the_schema_before_it(
    db_path: Path,
) -> None:
    # The judging migration's place, not the last: later ones (the shortlist) come after it.
    (before,) = [i for i, script in enumerate(MIGRATIONS) if "CREATE TABLE judges" in script]
    written_at_version(db_path, before)
    with closing(sqlite3.connect(db_path)) as conn:
        conn.execute(
            "INSERT INTO nominations (reference, nominator, form_id, form_version, status,"
            " position, created_at, updated_at, submitted_at) VALUES ('LSI-OLD234', 'tg:1',"
            " ?, 2, 'submitted', 'review', 't', 't', '2026-01-01')",
            (FORM,),
        )
        conn.commit()
    async with await NominationStore.open(db_path) as store:
        (progress,) = await store.judging.scoring.progress(FORM)
        assert (progress.reference, progress.assigned) == ("LSI-OLD234", 0)
        ada = await a_judge(store, 101, "h1")
        assert await store.judging.scoring.assign([(ada, "LSI-OLD234")], at=AT) == 1
    with closing(sqlite3.connect(db_path)) as conn:
        (version,) = conn.execute("PRAGMA user_version").fetchone()
    assert version == len(MIGRATIONS)


async def test_a_judges_data_holds_their_scores_comments_and_conflicts(
    store: NominationStore, form: Form
) -> None:
    scoring = store.judging.scoring
    ada, bea = await a_judge(store, 101, "h1"), await a_judge(store, 202, "h2")
    await store.judging.register(ada, "name", "Ada Lovelace", then="")
    one, two = await sent(store, form), await sent(store, form, "tg:2")
    await scoring.assign([(ada, one), (ada, two), (bea, one)], at=AT)
    await scoring.submit(ada, one, {"q1": 4}, "Clear evidence", version=1, at=AT)
    await scoring.submit(bea, one, {"q1": 1}, "Bea's own words", version=1, at=AT)
    await scoring.recuse(ada, two, "My own team", at=AT, instead=None)
    mydata = MyData(form, store.of_nominator, _no_files, store)
    mydata.holds("judging", JudgingHeld(store.judging))
    document = await mydata.document("tg:101", AT)
    (place,) = document["judging"]
    assert (place["name"], place["award"]) == ("Ada Lovelace", FORM)
    assert place["scores"] == [
        {
            "nomination": one,
            "scores": {"q1": 4},
            "comment": "Clear evidence",
            "scored_at": AT.isoformat(),
        }
    ]
    assert place["conflicts_declared"] == [
        {"nomination": two, "reason": "My own team", "at": AT.isoformat()}
    ]
    assert "Bea's own words" not in str(document)
    assert (await mydata.document("tg:999", AT))["judging"] == []


async def _no_files(_reference: str) -> list[EvidenceFile]:
    return []
