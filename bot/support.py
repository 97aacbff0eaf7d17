"""Supporting statements from colleagues (issue 9): what the nominator and the colleague can do,
each in one call that saves before it returns, and the replies they get, as plain data.

The nominator asks for a link to a nomination of theirs; a colleague opens it (claiming it: it
is single-use), answers four steps and sends. A colleague only ever sees the nominee's name,
role, organisation and the nominator's first name; the nominator never sees the statement.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot import texts
from flows import support as rules
from flows.form import Form
from flows.journey import nominee_name
from flows.support import Step
from mail.support import compose_statement_email, statement_attachment
from storage.clock import utc_now
from storage.evidence import Attachment
from storage.nominations import NominationStore
from storage.support import LimitReached, LinkStatus, SupportLink, SupportStore
from storage.types import NominationRecord

LINK_PREFIX = "support-"
TOKEN_BYTES = 12  # 96 bits; 16 characters, well within Telegram's 64 for a start parameter
# The nominee's role and organisation, by field id: shown to the colleague when the form has them.
ROLE_FIELD = "nominee_role"
ORGANISATION_FIELD = "nominee_organisation"


@dataclass(frozen=True, slots=True)
class SupportSettings:
    maximum: int = 3  # SUPPORT_MAX
    max_words: int = 300  # SUPPORT_MAX_WORDS
    mail_from: str = ""
    organisers: tuple[str, ...] = ()


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
    """The two sides of a supporting statement, over the nomination store."""

    def __init__(
        self,
        store: NominationStore,
        form: Form,
        settings: SupportSettings,
        *,
        clock: Callable[[], datetime] = utc_now,
        after_send: Callable[[], None] | None = None,
    ) -> None:
        self._store = store
        self._links: SupportStore = store.support
        self.form = form
        self.settings = settings
        self._clock = clock
        self._after_send = after_send

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

    # The colleague ---------------------------------------------------------------------------

    async def open(self, colleague: str, token: str) -> Reply:
        """The colleague opens a link: claimed by them if open, carried on if already theirs.
        Anything else (unknown, revoked, sent, someone else's) gets one and the same reply."""
        link = await self._links.get(token)
        if link is not None and await self._own(colleague, link.reference) is not None:
            return Reply((texts.SUPPORT_OWN_LINK,))  # and the link stays open for the colleague
        if link is not None and link.status is LinkStatus.OPEN:
            if await self._links.claim(token, colleague, rules.next_step(link.answers, None)):
                link = await self._links.get(token)
        elif link is not None and link.status is LinkStatus.WRITING and link.colleague == colleague:
            await self._links.resume(token, colleague)
            link = await self._links.get(token)
        if link is None or link.status is not LinkStatus.WRITING or link.colleague != colleague:
            return Reply((texts.SUPPORT_UNKNOWN_LINK,))
        record = await self._store.get(link.reference)
        if record is None:
            return Reply((texts.SUPPORT_UNKNOWN_LINK,))
        return await self._screen(link, intro=self._intro(record))

    def _intro(self, record: NominationRecord) -> str:
        state = record.state
        nominator = (state.answer(self.form.roles.nominator_name) or "").split()
        return texts.SUPPORT_INTRO.format(
            nominator=nominator[0] if nominator else texts.SUPPORT_SOMEONE,
            nominee=nominee_name(self.form, state) or texts.NOMINEE_NOT_NAMED,
            role=state.answer(ROLE_FIELD) or texts.NOT_GIVEN_SHORT,
            organisation=state.answer(ORGANISATION_FIELD) or texts.NOT_GIVEN_SHORT,
        )

    async def pause(self, colleague: str) -> None:
        """The colleague turned to something else: their typing goes to their own nominations."""
        await self._links.pause(colleague)

    async def typed(self, colleague: str, text: str) -> Reply | None:
        """A message from a colleague: their statement's answer if they are writing one, else
        None (it is for their own nominations)."""
        link = await self._links.writing(colleague)
        if link is None:
            return None
        step = Step(link.step)
        written = rules.write(link.answers, step, text, max_words=self.settings.max_words)
        if written.problem is not None:
            problem = texts.SUPPORT_PROBLEMS[written.problem.value]
            return await self._screen(link, intro=problem.format(limit=self.settings.max_words))
        if step is Step.REVIEW:
            return await self._screen(link, intro=texts.SUPPORT_AT_REVIEW)
        await self._links.save(link.token, colleague, written.step.value, written.answers)
        saved = await self._links.get(link.token)
        return await self._screen(saved or link, intro=texts.SUPPORT_SAVED)

    async def change(self, colleague: str, token: str, step: str) -> Reply:
        link = await self._links.get(token)
        known = step in {s.value for s in rules.ANSWER_STEPS}
        if not known or link is None or link.colleague != colleague:
            return Reply((texts.SUPPORT_UNKNOWN_LINK,))
        if link.status is not LinkStatus.WRITING:
            return Reply((texts.SUPPORT_UNKNOWN_LINK,))
        await self._links.save(token, colleague, step, link.answers)
        await self._links.resume(token, colleague)
        changed = await self._links.get(token)
        return await self._screen(changed or link)

    async def send(self, colleague: str, token: str) -> Reply:
        """Send the statement: attached to the nomination, emailed now if it was already sent."""
        link = await self._links.get(token)
        if link is None or link.colleague != colleague or link.status is not LinkStatus.WRITING:
            return Reply((texts.SUPPORT_UNKNOWN_LINK,))
        if not rules.ready(link.answers):
            return await self._screen(link)
        record = await self._store.get(link.reference)
        if record is None:
            return Reply((texts.SUPPORT_UNKNOWN_LINK,))
        at = self._clock()
        emails = []
        if record.state.is_submitted:
            nominee = nominee_name(self.form, record.state) or ""
            email = compose_statement_email(
                link.reference,
                nominee,
                link.answers,
                token=token,
                sent_at=at,
                mail_from=self.settings.mail_from,
                organisers=self.settings.organisers,
            )
            emails = [email] if email is not None else []
        try:
            sent = await self._links.send(
                token, colleague, at=at, maximum=self.settings.maximum, outbox=emails
            )
        except LimitReached:
            return Reply((texts.SUPPORT_LIMIT_COLLEAGUE,))
        if not sent:
            return Reply((texts.SUPPORT_UNKNOWN_LINK,))
        if emails and self._after_send is not None:
            self._after_send()
        nominee = nominee_name(self.form, record.state) or texts.NOMINEE_NOT_NAMED
        tell = texts.SUPPORT_ARRIVED.format(nominee=nominee, reference=link.reference)
        return Reply((texts.SUPPORT_SENT.format(nominee=nominee),), tell=(record.nominator, tell))

    async def _screen(self, link: SupportLink, *, intro: str | None = None) -> Reply:
        """The colleague's current step, or the review of their statement with its buttons."""
        record = await self._store.get(link.reference)
        nominee = (
            nominee_name(self.form, record.state) if record is not None else None
        ) or texts.NOMINEE_NOT_NAMED
        head = [intro] if intro else []
        step = Step(link.step.removeprefix("paused:"))
        if step is not Step.REVIEW:
            number = rules.ANSWER_STEPS.index(step) + 1
            title = texts.SUPPORT_STEP.format(
                nominee=nominee, step=number, steps=len(rules.ANSWER_STEPS)
            )
            prompt = texts.SUPPORT_PROMPTS[step.value].format(
                nominee=nominee, limit=self.settings.max_words
            )
            return Reply((*head, title, prompt))
        lines = [
            texts.SUPPORT_REVIEW_LINE.format(label=texts.SUPPORT_LABELS[s.value], answer=answer)
            for s in rules.ANSWER_STEPS
            if (answer := link.answers.get(s.value))
        ]
        buttons = tuple(
            (
                (
                    texts.SUPPORT_CHANGE_BUTTON.format(label=texts.SUPPORT_LABELS[s.value]),
                    f"c:{s.value}:{link.token}",
                ),
            )
            for s in rules.ANSWER_STEPS
        )
        send = ((texts.SUPPORT_SEND_BUTTON, f"s:{link.token}"),)
        title = texts.SUPPORT_REVIEW.format(nominee=nominee)
        return Reply((*head, title, *lines), (send, *buttons))
