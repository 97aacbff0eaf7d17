"""The organisers' commands in Telegram: /stats, /export, /nomination REF, /resend REF and
/organiser, for the user ids in ORGANISER_TELEGRAM_IDS only.

Everyone else gets exactly what an unknown command gets: the commands are registered with a
filter on the organisers' user ids, so a stranger's /stats falls through to the nominators'
unknown-command reply, and a stranger's press of an organiser's button (forged callback data)
to the nominators' button handler, which treats it as any other unreadable button. A reference
that is a draft answers as an unknown one does, so guessing reveals nothing either.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from telegram import Bot, BotCommand, BotCommandScopeChat, Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.cli.organisers import normalised, stats_lines
from bot.screens import texts
from bot.screens.actions import Action
from bot.screens.parts import Button, Paragraph, Screen, Span, Style, text_screen
from bot.services.exports import csv_bytes, csv_text
from bot.telegram.chats import Handler, ptb
from bot.telegram.output import ChatOutput
from bot.telegram.runtime import AnyApplication
from flows.form import Form
from flows.reading import ORGANISATION
from flows.round import Round
from mail.compose import compose_resend, nomination_text
from mail.delivery import OutboxWorker
from storage.clock import utc_now
from storage.db import SharedConnection
from storage.errors import UnknownNomination
from storage.nominations import NominationStore
from storage.outbox import queue_for_submitted
from storage.stats import round_stats
from storage.types import NominationRecord, OutboxStatus

logger = logging.getLogger(__name__)

RESEND_PREFIX = "org:resend:"  # the Resend button before it was a screen's: still in chats
EXPORT_FILENAME = "nominations.csv"


@dataclass(frozen=True, slots=True)
class OrganiserSettings:
    """What the commands need of the settings (the composition root fills it in)."""

    organiser_ids: tuple[int, ...]
    mail_from: str
    organiser_emails: tuple[str, ...]
    round_dates: Round
    resend_wait: float = 60.0  # seconds to wait for a resent email before saying it is queued


class OrganiserCommands:
    """The organisers' commands; each checks the user id again, whatever routed it here."""

    def __init__(
        self,
        form: Form,
        store: NominationStore,
        db: SharedConnection,
        worker: OutboxWorker,
        output: ChatOutput,
        settings: OrganiserSettings,
        *,
        refuse_button: Handler,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._form = form
        self._store = store
        self._db = db
        self._worker = worker
        self._output = output
        self._settings = settings
        self._refuse_button = refuse_button
        self._clock = clock
        self._bot: Bot | None = None

    def commands(self) -> dict[str, Callable[[int, str], Awaitable[None]]]:
        return {
            "stats": self.stats,
            "export": self.export,
            "nomination": self.nomination,
            "resend": self.resend,
            "organiser": self.help,
        }

    def register(self, application: AnyApplication) -> None:
        """Before the nominators' handlers, so that an organiser's command is not "unknown"."""
        organisers = filters.User(user_id=self._settings.organiser_ids, allow_empty=False)
        only = filters.ChatType.PRIVATE & ~filters.UpdateType.EDITED & organisers
        self._bot = application.bot
        for name, command in self.commands().items():
            application.add_handler(CommandHandler(name, ptb(self._guarded(command)), only))
        pattern = f"^{RESEND_PREFIX}|^-:-:{Action.RESEND.value}:"
        application.add_handler(CallbackQueryHandler(ptb(self.button), pattern=pattern))

    def is_organiser(self, user_id: int) -> bool:
        return user_id in self._settings.organiser_ids

    async def register_commands(self, application: AnyApplication) -> None:
        """The organisers' menu, in their own chats only (a second setMyCommands scope)."""
        for organiser in self._settings.organiser_ids:
            await self._set_menu(application.bot, organiser)

    async def _set_menu(self, bot: Bot, chat_id: int) -> None:
        commands = [BotCommand(n, d) for n, d in (*texts.TELEGRAM_COMMANDS, *_menu())]
        try:
            await bot.set_my_commands(commands, scope=BotCommandScopeChat(chat_id=chat_id))
        except BadRequest as exc:
            # Telegram knows an organiser's chat only once they have started the bot; their
            # /organiser sets the menu then.
            logger.warning("no organisers' menu for %s yet: %s", chat_id, exc.message)

    def _guarded(self, command: Callable[[int, str], Awaitable[None]]) -> Handler:
        async def handler(update: Update) -> None:
            chat, user, message = update.effective_chat, update.effective_user, update.message
            if chat is None or user is None or message is None:
                return
            if not self.is_organiser(user.id):  # the filter should have stopped it
                return
            await command(chat.id, " ".join((message.text or "").split()[1:]))

        handler.__doc__ = command.__doc__
        return handler

    # The commands ---------------------------------------------------------------------------

    async def help(self, chat_id: int, _argument: str) -> None:
        """/organiser: these commands (and the menu of them, if Telegram did not know this
        chat when the bot started)."""
        if self._bot is not None:
            await self._set_menu(self._bot, chat_id)
        lines = [f"/{name}: {about}" for name, about in texts.ORGANISER_COMMANDS]
        await self._say(chat_id, texts.ORGANISER_HELP, "\n".join(lines))

    async def stats(self, chat_id: int, _argument: str) -> None:
        """/stats: drafts, submissions per day and organisation, emails waiting or failed."""
        stats = await round_stats(self._db, now=self._clock(), organisation_field=ORGANISATION)
        await self._say(chat_id, "\n".join(stats_lines(stats)))

    async def export(self, chat_id: int, _argument: str) -> None:
        """/export: every submitted nomination as a CSV file (UTF-8 with BOM)."""
        records = await self._store.submitted()
        data = csv_bytes(csv_text(self._form, records))
        caption = texts.EXPORT_CAPTION.format(count=len(records))
        await self._output.send_document(chat_id, EXPORT_FILENAME, data, caption)

    async def nomination(self, chat_id: int, argument: str) -> None:
        """/nomination REF: one submitted nomination as the email lays it out."""
        record = await self._submitted(chat_id, argument)
        if record is None or record.submitted_at is None:
            return
        text = nomination_text(
            self._form,
            record.state,
            submitted_at=record.submitted_at,
            round_dates=self._settings.round_dates,
        )
        button = Button(texts.RESEND_BUTTON, Action.RESEND, record.state.reference)
        await self._output.show(chat_id, replace(email_screen(text), buttons=((button,),)))

    async def resend(self, chat_id: int, argument: str) -> None:
        """/resend REF: queue the organisers' email again, and say when it has gone."""
        record = await self._submitted(chat_id, argument)
        if record is None or record.submitted_at is None:
            return
        if not self._settings.organiser_emails:
            await self._say(chat_id, texts.RESEND_NOBODY)
            return
        now = self._clock()
        email = compose_resend(
            self._form,
            record.state,
            submitted_at=record.submitted_at,
            resent_at=now,
            mail_from=self._settings.mail_from,
            organisers=self._settings.organiser_emails,
            round_dates=self._settings.round_dates,
        )
        reference = record.state.reference
        try:
            await queue_for_submitted(self._db, reference, email, at=now)
        except UnknownNomination:  # erased between the two reads
            await self._say(chat_id, texts.NO_SUCH_NOMINATION.format(reference=reference))
            return
        await self._say(chat_id, texts.RESEND_QUEUED.format(reference=reference))
        self._worker.wake()
        if await self._sent(email.message_id):
            await self._say(chat_id, texts.RESEND_SENT.format(reference=reference))
        else:
            await self._say(chat_id, texts.RESEND_NOT_YET.format(reference=reference))

    async def button(self, update: Update) -> None:
        """The Resend button under /nomination; anyone else's press is any unreadable button."""
        query, user = update.callback_query, update.effective_user
        if query is None or user is None:
            return
        if not self.is_organiser(user.id):
            await self._refuse_button(update)
            return
        await self._output.answer_button(query.id)
        chat_id = query.message.chat.id if query.message is not None else user.id
        data = query.data or ""
        reference = data.removeprefix(RESEND_PREFIX).removeprefix(f"-:-:{Action.RESEND.value}:")
        await self.resend(chat_id, reference)

    # Helpers --------------------------------------------------------------------------------

    async def _submitted(self, chat_id: int, argument: str) -> NominationRecord | None:
        """The submitted nomination, or None after saying there is none (a draft's reference
        answers exactly as an unknown one)."""
        reference = normalised(argument)
        if not reference:
            await self._say(chat_id, texts.NEEDS_REFERENCE)
            return None
        record = await self._store.get(reference)
        if record is None or record.submitted_at is None or not record.state.is_submitted:
            await self._say(chat_id, texts.NO_SUCH_NOMINATION.format(reference=reference))
            return None
        return record

    async def _sent(self, message_id: str) -> bool:
        """Whether the email goes within `resend_wait` seconds (the worker was just woken)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._settings.resend_wait
        while loop.time() < deadline:
            rows = await self._store.outbox.rows()
            row = next((r for r in rows if r.message_id == message_id), None)
            if row is None or row.status is OutboxStatus.FAILED:
                return False
            if row.status is OutboxStatus.SENT:
                return True
            await asyncio.sleep(0.2)
        return False

    async def _say(self, chat_id: int, *paragraphs: str) -> None:
        await self._output.show(chat_id, text_screen(*paragraphs))


def email_screen(text: str) -> Screen:
    """The email's plain text for a phone: its underlined headings in bold instead, since a
    line of ===== wraps on a narrow screen. Answers stay as typed (escaped when sent)."""
    paragraphs: list[Paragraph] = []
    for block in text.split("\n\n"):
        lines = block.strip("\n").split("\n")
        if not block.strip():
            continue
        if len(lines) >= 2 and lines[1] and set(lines[1]) <= {"=", "-"}:
            paragraphs.append((Span(lines[0], Style.BOLD),))
            lines = lines[2:]
        if lines:
            paragraphs.append((Span("\n".join(lines)),))
    return Screen(tuple(paragraphs))


def _menu() -> Sequence[tuple[str, str]]:
    """The organisers' commands as the menu shows them (descriptions without the REF hint)."""
    return [(name, about.split(":")[0]) for name, about in texts.ORGANISER_COMMANDS]
