"""Versions of a sent nomination (migration 8), and withdrawing one.

Each submission records the answers as sent, numbered from 1, inside the submission's own
transaction. Withdrawing erases a nomination's answers, versions, colleagues' statements, its
judging and every earlier email of it in the outbox (they hold its text), leaving a tombstone
row: reference, status withdrawn, dates.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

import aiosqlite

from flows.state import NominationState
from storage import judging, shortlist
from storage.db import SharedConnection, from_utc_text, utc_text
from storage.outbox import insert_emails
from storage.types import NewEmail

_NEXT_VERSION = """
    INSERT INTO nomination_versions (nomination_id, version, submitted_at, answers)
    VALUES (?1, (SELECT coalesce(max(version), 0) + 1 FROM nomination_versions
                 WHERE nomination_id = ?1), ?2, ?3)
"""
_LATEST = """
    SELECT n.reference, max(v.version) FROM nomination_versions AS v
    JOIN nominations AS n ON n.id = v.nomination_id GROUP BY v.nomination_id
"""
LATEST_BY_ID = """
    SELECT nomination_id, max(version) FROM nomination_versions GROUP BY nomination_id
"""
_WITHDRAW = """
    UPDATE nominations SET status = 'withdrawn', withdrawn_at = ?, updated_at = ?, pending = NULL
    WHERE reference = ? AND status = 'submitted'
    RETURNING id
"""


async def record_version(
    conn: aiosqlite.Connection, nomination_id: int, state: NominationState, *, at: datetime
) -> None:
    """The answers as sent, as the next version, inside the caller's transaction."""
    answers = {field_id: [p.text for p in parts] for field_id, parts in state.answers.items()}
    await conn.execute(_NEXT_VERSION, (nomination_id, utc_text(at), json.dumps(answers)))


async def latest_versions(db: SharedConnection) -> dict[str, int]:
    """{reference: the number of its latest version} for every nomination with one."""
    async with db.read() as conn:
        rows = await conn.execute_fetchall(_LATEST)
    return {str(reference): int(version) for reference, version in rows}


async def withdraw(
    db: SharedConnection, reference: str, *, at: datetime, outbox: Sequence[NewEmail]
) -> bool:
    """Withdraw a sent nomination: erase its answers, versions and earlier emails, queue
    `outbox` (the short "was withdrawn" emails), and checkpoint the log so the text is gone
    from the files. False if it is not a sent nomination (already withdrawn, say)."""
    async with db.write(erases=True) as conn:
        return await withdraw_in(conn, reference, at=at, outbox=outbox) is not None


async def withdraw_in(
    conn: aiosqlite.Connection, reference: str, *, at: datetime, outbox: Sequence[NewEmail]
) -> int | None:
    """`withdraw` inside the caller's erasing transaction (a nominee's decline shares it): the
    nomination's id, or None if it is not a sent nomination."""
    stamp = utc_text(at)
    rows = list(await conn.execute_fetchall(_WITHDRAW, (stamp, stamp, reference)))
    if not rows:
        return None
    nomination_id = int(rows[0][0])
    await conn.execute("DELETE FROM answer_parts WHERE nomination_id = ?", (nomination_id,))
    await conn.execute("DELETE FROM nomination_versions WHERE nomination_id = ?", (nomination_id,))
    await conn.execute("DELETE FROM outbox WHERE nomination_id = ?", (nomination_id,))
    # Colleagues' statements (migration 10) go too, and with them their links.
    await conn.execute("DELETE FROM support_statements WHERE nomination_id = ?", (nomination_id,))
    # The nominee's approval keeps its status on the tombstone; its note and who wrote it go.
    await conn.execute(_ERASE_APPROVAL, (nomination_id,))
    # Its judging leaves with it: assignments, recusals, scores and comments (issue 18).
    for statement in (*judging.OF_NOMINATION, *shortlist.OF_NOMINATION):
        await conn.execute(statement, (nomination_id,))
    if outbox:
        await insert_emails(conn, nomination_id, outbox, at=at)
    return nomination_id


_ERASE_APPROVAL = """
    UPDATE nominee_approvals SET note = NULL, approver = NULL, step = '', choice = NULL
    WHERE nomination_id = ?
"""


# Amending: a sent nomination becomes a draft again (status 'draft', at the review), and is told
# from a new draft by having versions. Until it is sent again, the organisers' exports read its
# latest version, not the answers being edited (see NominationStore.submitted).
_REOPEN = """
    UPDATE nominations SET status = 'draft', position = 'review', returning_to_review = 0,
        replacing = 0, pending = NULL, filling_gaps = 0, updated_at = ?
    WHERE reference = ? AND status = 'submitted'
    RETURNING id, nominator, submitted_at
"""
_HAS_VERSION = "SELECT 1 FROM nomination_versions WHERE nomination_id = ?"
_PARTS = "SELECT field_id, text FROM answer_parts WHERE nomination_id = ? ORDER BY field_id, seq"
_LATEST_ANSWERS = """
    SELECT v.answers, v.version
    FROM nomination_versions AS v JOIN nominations AS n ON n.id = v.nomination_id
    WHERE n.reference = ? ORDER BY v.version DESC LIMIT 1
"""
_CANCEL = """
    UPDATE nominations SET status = 'submitted', position = 'review', returning_to_review = 0,
        replacing = 0, pending = NULL, filling_gaps = 0
    WHERE reference = ? AND status = 'draft'
        AND EXISTS (SELECT 1 FROM nomination_versions AS v WHERE v.nomination_id = nominations.id)
    RETURNING id
"""
LATEST_ANSWERS_BY_ID = """
    SELECT v.nomination_id, v.answers FROM nomination_versions AS v
    JOIN nominations AS n ON n.id = v.nomination_id
    WHERE n.status = 'draft' AND v.version = (
        SELECT max(w.version) FROM nomination_versions AS w WHERE w.nomination_id = v.nomination_id
    )
"""
VERSIONS_OF_NOMINATOR = """
    SELECT n.reference, max(v.version) FROM nomination_versions AS v
    JOIN nominations AS n ON n.id = v.nomination_id WHERE n.nominator = ? GROUP BY n.id
"""


async def reopen(db: SharedConnection, reference: str, *, at: datetime) -> bool:
    """Make a sent nomination a draft again for amending, the nominator's current one. One sent
    before versions were kept gets its answers recorded as version 1 first. False if it is not
    a sent nomination."""
    async with db.write() as conn:
        rows = list(await conn.execute_fetchall(_REOPEN, (utc_text(at), reference)))
        if not rows:
            return False
        nomination_id, nominator, submitted_at = rows[0]
        if not list(await conn.execute_fetchall(_HAS_VERSION, (nomination_id,))):
            answers: dict[str, list[str]] = {}
            for field_id, text in await conn.execute_fetchall(_PARTS, (nomination_id,)):
                answers.setdefault(str(field_id), []).append(str(text))
            await conn.execute(_NEXT_VERSION, (nomination_id, submitted_at, json.dumps(answers)))
        await conn.execute(
            "INSERT INTO nominators (nominator, current_reference) VALUES (?, ?)"
            " ON CONFLICT (nominator) DO UPDATE SET current_reference = excluded.current_reference",
            (nominator, reference),
        )
    return True


async def latest_answers(
    db: SharedConnection, reference: str
) -> tuple[int, dict[str, list[str]]] | None:
    """The latest version's number and answers as sent ({field id: part texts}), or None if no
    version was kept (never sent, or sent before versions were kept and not reopened)."""
    async with db.read() as conn:
        rows = list(await conn.execute_fetchall(_LATEST_ANSWERS, (reference,)))
    return (int(rows[0][1]), answers_of(rows[0][0])) if rows else None


async def cancel_amendment(db: SharedConnection, reference: str) -> bool:
    """Abandon an amendment: the answers as last sent come back and it is sent again as it was.
    The abandoned text is erased from the files. False if it is not being amended."""
    async with db.write(erases=True) as conn:
        rows = list(await conn.execute_fetchall(_CANCEL, (reference,)))
        if not rows:
            return False
        nomination_id = int(rows[0][0])
        latest = list(await conn.execute_fetchall(_LATEST_ANSWERS, (reference,)))
        await conn.execute("DELETE FROM answer_parts WHERE nomination_id = ?", (nomination_id,))
        await conn.executemany(
            "INSERT INTO answer_parts (nomination_id, field_id, seq, source, text)"
            " VALUES (?, ?, ?, NULL, ?)",
            [
                (nomination_id, field_id, seq, text)
                for field_id, texts in answers_of(latest[0][0]).items()
                for seq, text in enumerate(texts)
            ],
        )
    return True


def answers_of(document: object) -> dict[str, list[str]]:
    loaded = json.loads(str(document))
    return {str(k): [str(t) for t in v] for k, v in loaded.items()}


_ALL_OF = """
    SELECT v.version, v.submitted_at, v.answers
    FROM nomination_versions AS v JOIN nominations AS n ON n.id = v.nomination_id
    WHERE n.reference = ? ORDER BY v.version
"""


async def all_versions(
    db: SharedConnection, reference: str
) -> list[tuple[int, datetime, dict[str, list[str]]]]:
    """Every version kept of a nomination, oldest first: (number, when sent, answers)."""
    async with db.read() as conn:
        rows = await conn.execute_fetchall(_ALL_OF, (reference,))
    return [(int(n), from_utc_text(str(at)), answers_of(doc)) for n, at, doc in rows]
