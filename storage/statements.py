"""Supporting statements from colleagues (issue 9): the links a nominator asks for, and what
the colleague who opened one has written (the engine's state of the statement, as JSON), each
change in one transaction."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from flows.state import NominationState
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
    paused: bool  # the colleague turned to something else; opening the link again carries on
    state: NominationState | None  # the statement as the engine keeps it; None until opened
    created_at: datetime
    sent_at: datetime | None

    @property
    def answers(self) -> dict[str, str]:
        """What the colleague has written so far, by field id."""
        if self.state is None:
            return {}
        return {f: text for f in self.state.answers if (text := self.state.answer(f)) is not None}


class LimitReached(Exception):
    """The nomination already has SUPPORT_MAX statements sent (or as many links still live)."""


_COLUMNS = "s.token, n.reference, s.status, s.colleague, s.step, s.state, s.created_at, s.sent_at"
_FROM = "FROM support_statements AS s JOIN nominations AS n ON n.id = s.nomination_id"
_BY_TOKEN = f"SELECT {_COLUMNS} {_FROM} WHERE s.token = ?"
_OF_NOMINATION = f"SELECT {_COLUMNS} {_FROM} WHERE n.reference = ? ORDER BY s.created_at"
_OF_NOMINATIONS = f"""
    SELECT {_COLUMNS} {_FROM} WHERE n.reference IN (SELECT value FROM json_each(?))
    ORDER BY s.created_at
"""  # noqa: S608
_OF_COLLEAGUE = f"SELECT {_COLUMNS} {_FROM} WHERE s.colleague = ? ORDER BY s.created_at"
_WRITING = f"""
    SELECT {_COLUMNS} {_FROM}
    WHERE s.colleague = ? AND s.status = 'writing' AND s.step NOT LIKE 'paused:%'
    ORDER BY s.created_at DESC LIMIT 1
"""
# Who is writing a statement now: read once, then kept by this store (see `writing`).
_WRITERS = """
    SELECT DISTINCT colleague FROM support_statements
    WHERE status = 'writing' AND step NOT LIKE 'paused:%'
"""
_LIVE = """
    SELECT count(*) FROM support_statements
    WHERE nomination_id = ? AND status IN ('open', 'writing', 'sent')
"""
_SENT = "SELECT count(*) FROM support_statements WHERE nomination_id = ? AND status = 'sent'"
_NOMINATION = "SELECT id FROM nominations WHERE reference = ?"
_INSERT = "INSERT INTO support_statements (token, nomination_id, created_at) VALUES (?, ?, ?)"
_CLAIM = """
    UPDATE support_statements SET status = 'writing', colleague = ?, step = ?, state = ?
    WHERE token = ? AND status = 'open'
"""
PAUSED = "paused:"
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
# `step` mirrors the state's position (and carries the pause); saving carries on a paused one.
_SAVE = """
    UPDATE support_statements SET step = ?, state = ?
    WHERE token = ? AND status = 'writing' AND colleague = ?
"""
_SEND = """
    UPDATE support_statements SET status = 'sent', sent_at = ?, step = ?, state = ?
    WHERE token = ? AND status = 'writing' AND colleague = ?
"""
_REVOKE = """
    UPDATE support_statements SET status = 'revoked', state = '{}'
    WHERE token = ? AND status IN ('open', 'writing')
      AND nomination_id = (SELECT id FROM nominations WHERE reference = ?)
"""


class SupportStore:
    """The links and statements, over the nomination store's connection."""

    def __init__(self, db: SharedConnection) -> None:
        self._db = db
        # Everyone who may be writing a statement. Every private message asks `writing`, and
        # almost nobody is: this spares those a database round trip each. Read from the
        # database once; a colleague becomes a writer only through `claim` or `resume` here
        # (one bot per database), so someone not in it is not writing.
        self._writers: set[str] | None = None

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

    async def of_each_nomination(self, references: Sequence[str]) -> dict[str, list[SupportLink]]:
        """Several nominations' links in one read (a page of the panel pack): {reference: links}."""
        async with self._db.read() as conn:
            rows = await conn.execute_fetchall(_OF_NOMINATIONS, (json.dumps(list(references)),))
        links: dict[str, list[SupportLink]] = {reference: [] for reference in references}
        for link in map(_link, rows):
            links[link.reference].append(link)
        return links

    async def of_colleague(self, colleague: str) -> list[SupportLink]:
        """Every link this colleague opened, whatever became of it (for /mydata)."""
        async with self._db.read() as conn:
            rows = list(await conn.execute_fetchall(_OF_COLLEAGUE, (colleague,)))
        return [_link(row) for row in rows]

    async def writing(self, colleague: str) -> SupportLink | None:
        """The statement this colleague is writing now, if any (the one opened last)."""
        if self._writers is None:
            async with self._db.read() as conn:
                self._writers = {row[0] for row in await conn.execute_fetchall(_WRITERS)}
        if colleague not in self._writers:
            return None
        async with self._db.read() as conn:
            rows = list(await conn.execute_fetchall(_WRITING, (colleague,)))
        if not rows:
            self._writers.discard(colleague)
            return None
        return _link(rows[0])

    async def claim(self, token: str, colleague: str, state: NominationState) -> bool:
        """The colleague takes an open link, starting at `state`: from now on only they can
        write through it."""
        async with self._db.write() as conn:
            row = (colleague, state.position, state.model_dump_json(), token)
            cursor = await conn.execute(_CLAIM, row)
            claimed = cursor.rowcount == 1
        if claimed and self._writers is not None:
            self._writers.add(colleague)
        return claimed

    async def pause(self, colleague: str) -> None:
        # Every command comes here: most senders write no statement, and a read costs less.
        if await self.writing(colleague) is None:
            return
        async with self._db.write() as conn:
            await conn.execute(_PAUSE, (colleague,))

    async def resume(self, token: str, colleague: str) -> None:
        async with self._db.write() as conn:
            await conn.execute(_RESUME, (token, colleague))
        if self._writers is not None:
            self._writers.add(colleague)

    async def save(self, token: str, colleague: str, state: NominationState) -> bool:
        """The statement after one event, committed before the colleague is answered. False if
        the link is no longer this colleague's to write."""
        async with self._db.write() as conn:
            row = (state.position, state.model_dump_json(), token, colleague)
            cursor = await conn.execute(_SAVE, row)
            return cursor.rowcount == 1

    async def send(
        self,
        token: str,
        colleague: str,
        state: NominationState,
        *,
        at: datetime,
        maximum: int,
        outbox: Sequence[NewEmail] = (),
    ) -> bool:
        """Mark the statement sent as `state` and queue `outbox` with it, in one transaction.
        False if the link is no longer this colleague's to send; LimitReached if the nomination
        is full."""
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
            sent_row = (utc_text(at), state.position, state.model_dump_json(), token, colleague)
            await conn.execute(_SEND, sent_row)
            if outbox:
                await insert_emails(conn, nomination_id, list(outbox), at=at)
            return True

    async def revoke(self, reference: str, token: str) -> bool:
        """The nominator withdraws a link not yet sent; whatever was written through it goes."""
        async with self._db.write(erases=True) as conn:
            cursor = await conn.execute(_REVOKE, (token, reference))
            return cursor.rowcount == 1


def _link(row: Any) -> SupportLink:
    token, reference, status, colleague, step, state, created_at, sent_at = row
    return SupportLink(
        token=token,
        reference=reference,
        status=LinkStatus(status),
        colleague=colleague,
        paused=str(step).startswith(PAUSED),
        # An open link has no state yet, and a cancelled one keeps none ('{}').
        state=NominationState.model_validate_json(state) if state != "{}" else None,
        created_at=from_utc_text(created_at),
        sent_at=None if sent_at is None else from_utc_text(sent_at),
    )
