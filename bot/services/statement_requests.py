"""Supporting statements from colleagues (issue 9), the nominator's side: asking for a link to
forward, seeing each nomination's statements, cancelling a link, and the statements sent while
a nomination was a draft, as files on its email. Each call saves before it returns.

The colleague's side (opening the link, writing, sending) is bot/services/statements.py.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime

from bot.services.statements import StatementService
from bot.services.statements import SupportSettings as SupportSettings
from flows.form import Form
from flows.journey import nominee_name
from flows.programme import Programme, own_form
from flows.statement import AskRefusal, Requests
from mail.statement import statement_attachment
from storage.clock import utc_now
from storage.evidence import Attachment
from storage.nominations import NominationStore
from storage.statements import LimitReached, LinkStatus, SupportStore
from storage.types import NominationRecord

LINK_PREFIX = "support-"
TOKEN_BYTES = 12  # 96 bits; 16 characters, well within Telegram's 64 for a start parameter


def token_of(payload: str) -> str | None:
    """The token of a /start payload "support-<token>", or None for any other payload."""
    return payload[len(LINK_PREFIX) :] if payload.startswith(LINK_PREFIX) else None


def link_for(bot_username: str, token: str) -> str:
    """The link a nominator forwards: opening it starts the colleague's statement."""
    return f"https://t.me/{bot_username}?start={LINK_PREFIX}{token}"


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
        programme: Programme | None = None,
    ) -> None:
        self._programme = programme  # each nomination's own award's form
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

    async def ask(self, nominator: str, reference: str) -> str | AskRefusal:
        """A new link's token, for one of the nominator's nominations; or why there is none."""
        if await self._own(nominator, reference) is None:
            return AskRefusal.NOT_YOURS
        token = secrets.token_urlsafe(TOKEN_BYTES)
        try:
            await self._links.create(
                reference, token, at=self._clock(), maximum=self.settings.maximum
            )
        except LimitReached:
            return AskRefusal.FULL
        return token

    async def overview(self, nominator: str) -> list[Requests]:
        """Each of the nominator's nominations, newest first, with its statements sent and its
        links still waiting."""
        overview = []
        for record in await self._store.of_nominator(nominator):
            reference = record.state.reference
            links = await self._links.of_nomination(reference)
            live = (LinkStatus.OPEN, LinkStatus.WRITING)
            overview.append(
                Requests(
                    reference,
                    nominee_name(own_form(self._programme, self.form, record.state), record.state),
                    sum(1 for link in links if link.status is LinkStatus.SENT),
                    tuple(link.token for link in links if link.status in live),
                )
            )
        return overview

    async def revoke(self, nominator: str, token: str) -> str | AskRefusal:
        """Cancel a link not yet used: the reference of its nomination, or why not."""
        link = await self._links.get(token)
        if link is None or await self._own(nominator, link.reference) is None:
            return AskRefusal.NOT_YOURS
        if not await self._links.revoke(link.reference, token):
            return AskRefusal.TOO_LATE
        return link.reference

    async def attachments(self, reference: str) -> list[Attachment]:
        """The statements already sent for a draft, as files on its email when it is submitted."""
        links = await self._links.of_nomination(reference)
        record = await self._store.get(reference)
        nominee = ""
        if record is not None:
            form = own_form(self._programme, self.form, record.state)
            nominee = nominee_name(form, record.state) or ""
        sent = [link for link in links if link.status is LinkStatus.SENT]
        return [
            statement_attachment(
                reference, nominee, link.answers, number=n, sent_at=link.sent_at or self._clock()
            )
            for n, link in enumerate(sent, 1)
        ]
