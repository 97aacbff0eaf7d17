"""Supporting statements from colleagues (issue 9), the nominator's side: asking for a link to
forward, seeing each nomination's statements, cancelling a link, and the statements sent while
a nomination was a draft, as files on its email. Each call saves before it returns.

The colleague's side (opening the link, writing, sending) is bot/statement.py.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.screens import texts
from bot.services.statements import StatementService
from bot.services.statements import SupportSettings as SupportSettings
from flows.form import Form
from flows.journey import nominee_name
from mail.statement import statement_attachment
from storage.clock import utc_now
from storage.evidence import Attachment
from storage.nominations import NominationStore
from storage.statements import LimitReached, LinkStatus, SupportStore
from storage.types import NominationRecord

LINK_PREFIX = "support-"
TOKEN_BYTES = 12  # 96 bits; 16 characters, well within Telegram's 64 for a start parameter


@dataclass(frozen=True, slots=True)
class Reply:
    """What to show: paragraphs, and buttons as (label, what they do) rows."""

    paragraphs: tuple[str, ...]
    buttons: tuple[tuple[tuple[str, str], ...], ...] = ()
    # After a statement is sent: who to tell (the nominator's key) and what.
    tell: tuple[str, str] | None = None


def token_of(payload: str) -> str | None:
    """The token of a /start payload "support-<token>", or None for any other payload."""
    return payload[len(LINK_PREFIX) :] if payload.startswith(LINK_PREFIX) else None


class SupportService:
    """The nominator's side of supporting statements, over the nomination store; `statements`
    is the colleague's."""

    def __init__(
        self,
        store: NominationStore,
        form: Form,
        settings: SupportSettings,
        statements: StatementService,
        *,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.statements = statements
        self._store = store
        self._links: SupportStore = store.support
        self.form = form
        self.settings = settings
        self._clock = clock

    # The nominator ---------------------------------------------------------------------------

    async def _own(self, nominator: str, reference: str) -> NominationRecord | None:
        record = await self._store.get(reference)
        return record if record is not None and record.nominator == nominator else None

    async def ask(self, nominator: str, reference: str, bot_username: str) -> Reply:
        """A new link for one of the nominator's nominations, to forward to a colleague."""
        if await self._own(nominator, reference) is None:
            return Reply((texts.SUPPORT_NOT_YOURS,))
        token = secrets.token_urlsafe(TOKEN_BYTES)
        try:
            await self._links.create(
                reference, token, at=self._clock(), maximum=self.settings.maximum
            )
        except LimitReached:
            return Reply((texts.SUPPORT_LIMIT.format(maximum=self.settings.maximum),))
        link = f"https://t.me/{bot_username}?start={LINK_PREFIX}{token}"
        return Reply((texts.SUPPORT_LINK.format(reference=reference), link))

    async def overview(self, nominator: str) -> Reply:
        """Each nomination with its statements (sent or not) and buttons to ask or revoke."""
        records = await self._store.of_nominator(nominator)
        if not records:
            return Reply((texts.SUPPORT_NO_NOMINATIONS,))
        paragraphs = [texts.SUPPORT_TITLE.format(maximum=self.settings.maximum)]
        rows: list[tuple[tuple[str, str], ...]] = []
        for record in records:
            reference = record.state.reference
            nominee = nominee_name(self.form, record.state) or texts.NOMINEE_NOT_NAMED
            links = await self._links.of_nomination(reference)
            sent = sum(1 for link in links if link.status is LinkStatus.SENT)
            live = [k for k in links if k.status in (LinkStatus.OPEN, LinkStatus.WRITING)]
            paragraphs.append(
                texts.SUPPORT_LINE.format(
                    nominee=nominee, reference=reference, sent=sent, waiting=len(live)
                )
            )
            rows.append(((texts.SUPPORT_ASK_BUTTON.format(nominee=nominee), f"a:{reference}"),))
            for number, link in enumerate(live, 1):
                label = texts.SUPPORT_REVOKE_BUTTON.format(number=number, nominee=nominee)
                rows.append(((label, f"x:{link.token}"),))
        return Reply(tuple(paragraphs), tuple(rows))

    async def revoke(self, nominator: str, token: str) -> Reply:
        link = await self._links.get(token)
        if link is None or await self._own(nominator, link.reference) is None:
            return Reply((texts.SUPPORT_NOT_YOURS,))
        if not await self._links.revoke(link.reference, token):
            return Reply((texts.SUPPORT_REVOKE_TOO_LATE,))
        return Reply((texts.SUPPORT_REVOKED.format(reference=link.reference),))

    async def attachments(self, reference: str) -> list[Attachment]:
        """The statements already sent for a draft, as files on its email when it is submitted."""
        links = await self._links.of_nomination(reference)
        record = await self._store.get(reference)
        nominee = nominee_name(self.form, record.state) or "" if record is not None else ""
        sent = [link for link in links if link.status is LinkStatus.SENT]
        return [
            statement_attachment(
                reference, nominee, link.answers, number=n, sent_at=link.sent_at or self._clock()
            )
            for n, link in enumerate(sent, 1)
        ]
