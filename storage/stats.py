"""The round's figures for organisers: drafts, submissions per day and per organisation, emails.

Read-only queries over the store's SQLite file, taken in one read transaction so the figures agree
with each other. Days are UK days: a nomination submitted at 00:30 BST counts on the day it was in
the UK, which SQLite's date functions (UTC only) cannot tell, so the bucketing is done here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flows.round import UK_TIME, aware
from storage.db import SharedConnection, from_utc_text, utc_text

DAYS_SHOWN = 14
TOP_ORGANISATIONS = 10

_BY_STATUS = "SELECT status, count(*) FROM nominations GROUP BY status"
_SUBMITTED_SINCE = """
    SELECT submitted_at FROM nominations
    WHERE status = 'submitted' AND submitted_at >= ?
"""
# Organisations as typed: spelling differs ("Leeds Teaching Hospitals" / "leeds teaching
# hospitals "), so they are grouped ignoring case and outer spaces, under the commonest spelling.
_ORGANISATIONS = """
    SELECT trim(p.text) FROM answer_parts AS p JOIN nominations AS n ON n.id = p.nomination_id
    WHERE n.status = 'submitted' AND p.field_id = ? AND p.seq = 0
"""
_REFUSALS = "SELECT count(*) FROM submit_refusals"
# The nominee's approval (issue 19): of the nominations still sent, and those the nominee declined.
_APPROVALS = """
    SELECT a.status, count(*) FROM nominee_approvals AS a
    JOIN nominations AS n ON n.id = a.nomination_id
    WHERE n.status = 'submitted' OR a.status = 'declined' GROUP BY a.status
"""
_EMAILS = (
    "SELECT status, count(*) FROM outbox WHERE status IN ('pending', 'failed') GROUP BY status"
)


@dataclass(frozen=True, slots=True)
class RoundStats:
    """The figures /stats and `nomination-bot stats` show."""

    drafts: int
    submitted: int
    per_day: tuple[tuple[date, int], ...]  # the last DAYS_SHOWN UK days, oldest first, zeros too
    organisations: tuple[tuple[str, int], ...]  # most nominated first, at most TOP_ORGANISATIONS
    emails_pending: int
    emails_failed: int
    submits_refused: int = 0  # Submits refused over SUBMISSIONS_PER_USER_PER_DAY, in the round
    approvals: tuple[tuple[str, int], ...] = ()  # (status, count): pending, approved, declined


async def round_stats(
    db: SharedConnection, *, now: datetime, organisation_field: str
) -> RoundStats:
    """The figures at `now`; `organisation_field` is the form's field naming the organisation."""
    today = aware(now).astimezone(UK_TIME).date()
    first_day = today - timedelta(days=DAYS_SHOWN - 1)
    # Midnight UK time at the start of the first day, as UTC text (an hour either side of UTC).
    since = datetime.combine(first_day, datetime.min.time(), tzinfo=UK_TIME)
    async with db.snapshot() as conn:
        statuses = {str(k): int(v) for k, v in await conn.execute_fetchall(_BY_STATUS)}
        stamps = await conn.execute_fetchall(_SUBMITTED_SINCE, (utc_text(since),))
        organisations = await conn.execute_fetchall(_ORGANISATIONS, (organisation_field,))
        emails = {str(k): int(v) for k, v in await conn.execute_fetchall(_EMAILS)}
        refusals = [int(n) for (n,) in await conn.execute_fetchall(_REFUSALS)]
        approvals = {str(k): int(v) for k, v in await conn.execute_fetchall(_APPROVALS)}
    days = Counter(from_utc_text(stamp).astimezone(UK_TIME).date() for (stamp,) in stamps)
    per_day = tuple(
        (first_day + timedelta(days=i), days[first_day + timedelta(days=i)])
        for i in range(DAYS_SHOWN)
    )
    return RoundStats(
        drafts=statuses.get("draft", 0),
        submitted=statuses.get("submitted", 0),
        per_day=per_day,
        organisations=_top([name for (name,) in organisations]),
        emails_pending=emails.get("pending", 0),
        emails_failed=emails.get("failed", 0),
        submits_refused=refusals[0] if refusals else 0,
        approvals=tuple(
            (s, approvals.get(s, 0)) for s in ("pending", "approved", "declined") if approvals
        ),
    )


def _top(names: list[str]) -> tuple[tuple[str, int], ...]:
    groups: dict[str, Counter[str]] = {}
    for name in names:
        spelled = " ".join(name.split())
        if spelled:
            groups.setdefault(spelled.casefold(), Counter())[spelled] += 1
    # The commonest spelling names the group; on a tie, the one with capitals ("Leeds" < "leeds").
    totals = [
        (min(spellings, key=lambda s: (-spellings[s], s)), spellings.total())
        for spellings in groups.values()
    ]
    totals.sort(key=lambda item: (-item[1], item[0].casefold()))
    return tuple(totals[:TOP_ORGANISATIONS])
