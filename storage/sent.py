"""The submitted nominations for the organisers, as records: all at once, or a page at a time.

A page is a few hundred nominations read in one consistent read; the next page starts after the
last one's (submitted_at, id), so an export walks a round of any size in flat memory and never
holds the connection between pages. A nomination being amended reads as the version last sent,
never the edits in progress, with its latest version number.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Sequence
from dataclasses import replace
from typing import Any

import aiosqlite

from flows.state import Status
from storage import nomination_sql as sql
from storage import versions
from storage.db import SharedConnection
from storage.records import build_record
from storage.types import NominationRecord

PAGE = 250
"""Nominations a page: big enough that a round trip a page costs little, small enough that a
page of long answers is a few megabytes."""

# The same nominations as sql.SUBMITTED, after a (submitted_at, id) and a page long: the sent
# ones along the index nominations_by_status, and the few being amended (drafts with versions,
# which keep their submitted_at; coalesce only guards the order against a NULL one) beside them.
_PAGE_SENT = f"""
    SELECT {sql.SELECT_COLUMNS} FROM nominations AS n
    WHERE n.status = 'submitted' AND (n.submitted_at, n.id) > (?, ?)
    ORDER BY n.submitted_at, n.id
    LIMIT ?
"""  # noqa: S608
_PAGE_BEING_AMENDED = f"""
    SELECT {sql.SELECT_COLUMNS} FROM nominations AS n
    WHERE n.status = 'draft'
      AND EXISTS (SELECT 1 FROM nomination_versions AS v WHERE v.nomination_id = n.id)
      AND (coalesce(n.submitted_at, ''), n.id) > (?, ?)
    ORDER BY coalesce(n.submitted_at, ''), n.id
    LIMIT ?
"""  # noqa: S608
_IDS = "SELECT value FROM json_each(?)"
# Only the sent ones' parts: one being amended reads as its last version instead.
_PAGE_PARTS = f"""
    SELECT p.nomination_id, {sql.SELECT_PARTS} FROM answer_parts AS p
    WHERE p.nomination_id IN ({_IDS})
    ORDER BY p.nomination_id, p.field_id, p.seq
"""  # noqa: S608
_SUBMITTED_AT = sql.COLUMNS.index("submitted_at")
_STATUS = sql.COLUMNS.index("status")
_PAGE_VERSIONS = f"""
    SELECT nomination_id, max(version) FROM nomination_versions
    WHERE nomination_id IN ({_IDS}) GROUP BY nomination_id
"""  # noqa: S608
_PAGE_AMENDING = f"""
    SELECT v.nomination_id, v.answers FROM nomination_versions AS v
    JOIN nominations AS n ON n.id = v.nomination_id
    WHERE n.status = 'draft' AND n.id IN ({_IDS}) AND v.version = (
        SELECT max(w.version) FROM nomination_versions AS w WHERE w.nomination_id = v.nomination_id
    )
"""  # noqa: S608


def sent_records(
    rows: Sequence[Any],
    part_rows: Sequence[Any],
    version_rows: Sequence[Any],
    amending: Sequence[Any],
) -> list[NominationRecord]:
    """Records from nomination rows (sql.COLUMNS), their (nomination id, part...) rows, their
    (id, latest version) rows and the (id, answers as last sent) of those being amended."""
    numbers = {int(n_id): int(number) for n_id, number in version_rows}
    parts: dict[int, list[Any]] = {}
    for nomination_id, *part in part_rows:
        parts.setdefault(nomination_id, []).append(part)
    # Being amended: the organisers see the version last sent, not the edits in progress.
    for nomination_id, document in amending:
        sent = versions.answers_of(document)
        parts[nomination_id] = [(f, None, t) for f, texts in sent.items() for t in texts]
    records = []
    for row in rows:
        record = build_record(row, parts.get(row[0], ()))
        sent_state = record.state.model_copy(update={"status": Status.SUBMITTED})
        records.append(replace(record, state=sent_state, version=numbers.get(row[0])))
    return records


async def all_submitted(db: SharedConnection) -> list[NominationRecord]:
    """Every submitted nomination, in the order they were submitted, in one consistent read."""
    async with db.snapshot() as conn:
        rows = await conn.execute_fetchall(sql.SUBMITTED)
        part_rows = await conn.execute_fetchall(sql.SUBMITTED_PARTS)
        version_rows = await conn.execute_fetchall(versions.LATEST_BY_ID)
        amending = await conn.execute_fetchall(versions.LATEST_ANSWERS_BY_ID)
    return sent_records(list(rows), list(part_rows), list(version_rows), list(amending))


async def submitted_pages(
    db: SharedConnection, page: int = PAGE
) -> AsyncIterator[list[NominationRecord]]:
    """The submitted nominations in the order they were submitted, `page` at a time, each page
    one consistent read. One sent while the pages are walked comes in a later page."""
    after: tuple[str, int] = ("", 0)
    while True:
        async with db.snapshot() as conn:
            rows = await _next_rows(conn, after, page)
            if not rows:
                return
            records = await _page_records(conn, rows)
        yield records
        after = _key(rows[-1])


def _key(row: Any) -> tuple[str, int]:
    """Where a row stands in the order of sending: (submitted_at, id)."""
    return row[_SUBMITTED_AT] or "", int(row[0])


async def _next_rows(conn: aiosqlite.Connection, after: tuple[str, int], page: int) -> list[Any]:
    sent_rows = await conn.execute_fetchall(_PAGE_SENT, (*after, page))
    amended = await conn.execute_fetchall(_PAGE_BEING_AMENDED, (*after, page))
    return sorted([*sent_rows, *amended], key=_key)[:page]


async def _page_records(conn: aiosqlite.Connection, rows: list[Any]) -> list[NominationRecord]:
    ids = (json.dumps([int(row[0]) for row in rows]),)
    sent_ids = json.dumps([int(row[0]) for row in rows if row[_STATUS] == "submitted"])
    part_rows = await conn.execute_fetchall(_PAGE_PARTS, (sent_ids,))
    version_rows = await conn.execute_fetchall(_PAGE_VERSIONS, ids)
    amending = await conn.execute_fetchall(_PAGE_AMENDING, ids)
    return sent_records(rows, list(part_rows), list(version_rows), list(amending))
