"""Supporting statements from colleagues (issue 9): the links a nominator asks for, and what
the colleague who opened one has written, each change in one transaction."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from storage.db import SharedConnection, from_utc_text, utc_text
from storage.outbox import insert_emails
from storage.types import NewEmail


class LinkStatus(StrEnum):
    OPEN = "open"  # not yet opened by a colleague
    WRITING = "writing"  # claimed by the colleague who opened it
    SENT = "sent"
    REVOKED = "revoked"


@dataclass(frozen=True, slots=True)
class SupportLink:
    """One link and, once a colleague has opened it, their statement so far."""

    token: str
    reference: str
    status: LinkStatus
    colleague: str | None
    step: str
    answers: dict[str, str]
    created_at: datetime
    sent_at: datetime | None


class LimitReached(Exception):
    """The nomination already has SUPPORT_MAX statements sent (or as many links still live)."""


_COLUMNS = "s.token, n.reference, s.status, s.colleague, s.step, s.answers, s.created_at, s.sent_at"
_FROM = "FROM support_statements AS s JOIN nominations AS n ON n.id = s.nomination_id"
_BY_TOKEN = f"SELECT {_COLUMNS} {_FROM} WHERE s.token = ?"
_OF_NOMINATION = f"SELECT {_COLUMNS} {_FROM} WHERE n.reference = ? ORDER BY s.created_at"
_WRITING = f"""
    SELECT {_COLUMNS} {_FROM}
    WHERE s.colleague = ? AND s.status = 'writing' AND s.step NOT LIKE 'paused:%'
    ORDER BY s.created_at DESC LIMIT 1
"""
_LIVE = """
    SELECT count(*) FROM support_statements
    WHERE nomination_id = ? AND status IN ('open', 'writing', 'sent')
"""
_SENT = "SELECT count(*) FROM support_statements WHERE nomination_id = ? AND status = 'sent'"
_NOMINATION = "SELECT id FROM nominations WHERE reference = ?"
_INSERT = "INSERT INTO support_statements (token, nomination_id, created_at) VALUES (?, ?, ?)"
_CLAIM = """
    UPDATE support_statements SET status = 'writing', colleague = ?, step = ?
    WHERE token = ? AND status = 'open'
"""
# A colleague who turns to anything else (a command) pauses their statement: their typing goes
# to their own nominations again until they open the link once more.
_PAUSE = """
    UPDATE support_statements SET step = 'paused:' || step
    WHERE colleague = ? AND status = 'writing' AND step NOT LIKE 'paused:%'
"""
_RESUME = """
    UPDATE support_statements SET step = substr(step, 8)
    WHERE token = ? AND colleague = ? AND status = 'writing' AND step LIKE 'paused:%'
"""
_SAVE = """
    UPDATE support_statements SET step = ?, answers = ?
    WHERE token = ? AND status = 'writing' AND colleague = ?
"""
_SEND = """
    UPDATE support_statements SET status = 'sent', sent_at = ?
    WHERE token = ? AND status = 'writing' AND colleague = ?
"""
_REVOKE = """
    UPDATE support_statements SET status = 'revoked', answers = '{}'
    WHERE token = ? AND status IN ('open', 'writing')
      AND nomination_id = (SELECT id FROM nominations WHERE reference = ?)
"""


class SupportStore:
    """The links and statements, over the nomination store's connection."""

    def __init__(self, db: SharedConnection) -> None:
        self._db = db

    async def create(self, reference: str, token: str, *, at: datetime, maximum: int) -> None:
        """A new open link for the nomination. Raises LimitReached when `maximum` links are
        already open, being written or sent (revoked ones do not count)."""
        async with self._db.write() as conn:
            rows = list(await conn.execute_fetchall(_NOMINATION, (reference,)))
            if not rows:
                raise LookupError(reference)
            nomination_id = int(rows[0][0])
            live = list(await conn.execute_fetchall(_LIVE, (nomination_id,)))
            if int(live[0][0]) >= maximum:
                raise LimitReached(reference)
            await conn.execute(_INSERT, (token, nomination_id, utc_text(at)))

    async def get(self, token: str) -> SupportLink | None:
        async with self._db.read() as conn:
            rows = list(await conn.execute_fetchall(_BY_TOKEN, (token,)))
        return _link(rows[0]) if rows else None

    async def of_nomination(self, reference: str) -> list[SupportLink]:
        async with self._db.read() as conn:
            rows = list(await conn.execute_fetchall(_OF_NOMINATION, (reference,)))
        return [_link(row) for row in rows]

    async def writing(self, colleague: str) -> SupportLink | None:
        """The statement this colleague is writing now, if any (the one opened last)."""
        async with self._db.read() as conn:
            rows = list(await conn.execute_fetchall(_WRITING, (colleague,)))
        return _link(rows[0]) if rows else None

    async def claim(self, token: str, colleague: str, step: str) -> bool:
        """The colleague takes an open link: from now on only they can write through it."""
        async with self._db.write() as conn:
            cursor = await conn.execute(_CLAIM, (colleague, step, token))
            return cursor.rowcount == 1

    async def pause(self, colleague: str) -> None:
        # Every command comes here: most senders write no statement, and a read costs less.
        if await self.writing(colleague) is None:
            return
        async with self._db.write() as conn:
            await conn.execute(_PAUSE, (colleague,))

    async def resume(self, token: str, colleague: str) -> None:
        async with self._db.write() as conn:
            await conn.execute(_RESUME, (token, colleague))

    async def save(self, token: str, colleague: str, step: str, answers: dict[str, str]) -> bool:
        async with self._db.write() as conn:
            cursor = await conn.execute(_SAVE, (step, json.dumps(answers), token, colleague))
            return cursor.rowcount == 1

    async def send(
        self,
        token: str,
        colleague: str,
        *,
        at: datetime,
        maximum: int,
        outbox: Sequence[NewEmail] = (),
    ) -> bool:
        """Mark the statement sent and queue `outbox` with it, in one transaction. False if the
        link is no longer this colleague's to send; LimitReached if the nomination is full."""
        async with self._db.write() as conn:
            rows = list(await conn.execute_fetchall(_BY_TOKEN, (token,)))
            link = _link(rows[0]) if rows else None
            if link is None or link.status is not LinkStatus.WRITING or link.colleague != colleague:
                return False
            ids = list(await conn.execute_fetchall(_NOMINATION, (link.reference,)))
            nomination_id = int(ids[0][0])
            sent = list(await conn.execute_fetchall(_SENT, (nomination_id,)))
            if int(sent[0][0]) >= maximum:
                raise LimitReached(link.reference)
            await conn.execute(_SEND, (utc_text(at), token, colleague))
            if outbox:
                await insert_emails(conn, nomination_id, list(outbox), at=at)
            return True

    async def revoke(self, reference: str, token: str) -> bool:
        """The nominator withdraws a link not yet sent; whatever was written through it goes."""
        async with self._db.write(erases=True) as conn:
            cursor = await conn.execute(_REVOKE, (token, reference))
            return cursor.rowcount == 1


def _link(row: Any) -> SupportLink:
    token, reference, status, colleague, step, answers, created_at, sent_at = row
    return SupportLink(
        token=token,
        reference=reference,
        status=LinkStatus(status),
        colleague=colleague,
        step=step,
        answers=dict(json.loads(answers)),
        created_at=from_utc_text(created_at),
        sent_at=None if sent_at is None else from_utc_text(sent_at),
    )
