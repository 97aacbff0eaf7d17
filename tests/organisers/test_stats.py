"""The round's figures, from a real SQLite file: drafts, submissions per UK day and organisation."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot.screens.stats import stats_lines
from flows.form import Form
from flows.reading import ORGANISATION
from storage import NominationStore
from storage.db import SharedConnection, connect
from storage.outbox import queue_for_submitted
from storage.stats import DAYS_SHOWN, round_stats
from storage.types import EmailKind, NewEmail
from tests.kit.organiserkit import start_draft, submit

NOW = datetime(2026, 7, 14, 12, 0, tzinfo=UTC)


def email(n: int) -> NewEmail:
    return NewEmail(EmailKind.ORGANISERS, ("a@example.com",), f"<m{n}@x>", b"Subject: x\r\n\r\nx")


async def test_figures_agree_with_what_was_stored(
    store: NominationStore, db_path: Path, form: Form
) -> None:
    organisations = ["Leeds Teaching Hospitals", " leeds teaching  hospitals", "Barts Health"]
    organisations += [f"Trust {n:02d}" for n in range(10)]
    for n, organisation in enumerate(organisations):
        await submit(store, form, NOW - timedelta(days=n % 3), nominee_organisation=organisation)
    # 23:30 UTC on 13 July is 00:30 on the 14th in the UK (BST): it counts on the 14th.
    late = await submit(store, form, datetime(2026, 7, 13, 23, 30, tzinfo=UTC))
    await submit(store, form, NOW - timedelta(days=DAYS_SHOWN + 1))  # too old for the days
    for _ in range(2):
        await start_draft(store, form, NOW)
    conn = await connect(db_path)
    try:
        db = SharedConnection(conn)
        for n in range(3):
            await queue_for_submitted(db, late.reference, email(n), at=NOW)
        for nominator in ("tg:1", "tg:1", "tg:2"):  # Submits over SUBMISSIONS_PER_USER_PER_DAY
            await store.limits.record_refusal(nominator, NOW)
        failed = (await store.outbox.rows())[0]
        await store.outbox.claim(failed.id, "test", now=NOW, until=NOW + timedelta(minutes=5))
        await store.outbox.mark_failed(
            failed.id, claimant="test", attempts=1, error="550 no such user"
        )
        stats = await round_stats(db, now=NOW, organisation_field=ORGANISATION)
    finally:
        await conn.close()

    assert (stats.drafts, stats.submitted) == (2, 15)
    assert len(stats.per_day) == DAYS_SHOWN
    assert stats.per_day[0][0] == date(2026, 7, 1) and stats.per_day[-1][0] == date(2026, 7, 14)
    per_day = dict(stats.per_day)
    # 13 nominations spread over the 14th, 13th and 12th, plus the late one on the 14th.
    assert (per_day[date(2026, 7, 14)], per_day[date(2026, 7, 13)]) == (5 + 1, 4)
    assert per_day[date(2026, 7, 12)] == 4
    assert sum(per_day.values()) == 14
    assert stats.organisations[0] == ("Leeds Teaching Hospitals", 2)
    assert len(stats.organisations) == 10
    assert (stats.emails_pending, stats.emails_failed) == (2, 1)

    lines = stats_lines(stats)
    assert "Drafts in progress: 2" in lines and "Submitted: 15" in lines
    assert "  2  Leeds Teaching Hospitals" in lines
    assert "Emails failed: 1" in lines
    assert stats.submits_refused == 3
    assert "Submits refused (over the daily limit per person): 3" in lines


async def test_an_empty_round_has_zeros(store: NominationStore, db_path: Path) -> None:
    conn = await connect(db_path)
    try:
        stats = await round_stats(SharedConnection(conn), now=NOW, organisation_field=ORGANISATION)
    finally:
        await conn.close()
    assert (stats.drafts, stats.submitted, stats.organisations) == (0, 0, ())
    assert all(count == 0 for _, count in stats.per_day)
    assert "  none yet" in stats_lines(stats)
