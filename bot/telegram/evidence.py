"""Supporting files in the Telegram chat: documents and photos sent at an award question, the
list of a nomination's files (/files, and after the review) and removing one (its button, or
/removefile N). The rules are bot.evidence's and flows.evidence's; this module translates.

A file is checked in the nominator's turn, under their per-user lock, so it belongs to the
question they were at when they sent it, even if they type /done straight after. The download
then runs as its own task (Application.create_task, awaited when the Application stops), so the
per-user queue moves on at once and the nominator's next typed answer is saved meanwhile.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from telegram import Document, PhotoSize, Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.screens import texts
from bot.screens.actions import BY_ACTION, Action
from bot.screens.builder import Screen, text_screen
from bot.services.evidence import DownloadFailed, EvidenceService, IncomingFile, Kept, Offer, listed
from bot.services.nominating import Outcome
from bot.telegram.handlers import Handler, nominator_key, ptb
from bot.telegram.runtime import AnyApplication
from flows.effects import Review
from flows.evidence import EvidenceFile, Refusal, size_text
from flows.form import Form
from storage.nominations import join_reference, reference_code

BUTTON_PREFIX = "ev"
_BUTTON = re.compile(rf"^{BUTTON_PREFIX}:([A-Z0-9]+):(\d+)$")


class FilesOutput(Protocol):
    """What these handlers send (TelegramOutput)."""

    async def show(self, chat_id: int, state: None, screen: Screen) -> None: ...

    async def send_choices(
        self, chat_id: int, screen: Screen, rows: Sequence[Sequence[tuple[str, str]]]
    ) -> None: ...

    async def answer_button(self, query_id: str, text: str | None = None) -> None: ...


class EvidenceHandlers:
    """Files in a private chat with the bot."""

    def __init__(self, evidence: EvidenceService, output: FilesOutput, form: Form) -> None:
        self.evidence = evidence
        self.output = output
        self.form = form
        self._application: AnyApplication | None = None

    def commands(self) -> dict[Action, Handler]:
        """The table's file commands (bot/actions.py), answered here rather than by
        NominationHandlers."""
        return {Action.FILES: self.files, Action.REMOVE_FILE: self.remove_typed}

    def register(self, application: AnyApplication) -> None:
        """Register before NominationHandlers: the first handler that matches an update wins."""
        private = filters.ChatType.PRIVATE & ~filters.UpdateType.EDITED
        files = private & (filters.Document.ALL | filters.PHOTO)
        self._application = application
        application.add_handler(MessageHandler(files, ptb(self.file)))
        for action, handler in self.commands().items():
            command = BY_ACTION[action].command
            if command is not None:
                application.add_handler(CommandHandler(command, ptb(handler), filters=private))
        application.add_handler(
            CallbackQueryHandler(ptb(self.remove_button), pattern=_BUTTON.pattern)
        )

    async def file(self, update: Update) -> None:
        """A document or photo: kept with the question it was sent at, or refused, saying why."""
        chat, user, message = update.effective_chat, update.effective_user, update.message
        if chat is None or user is None or message is None:
            return
        telegram_file: Document | PhotoSize
        if message.document is not None:
            telegram_file = message.document
            incoming = IncomingFile(
                message.document.file_name,
                message.document.mime_type,
                message.document.file_size,
                message.caption,
            )
        elif message.photo:
            telegram_file = message.photo[-1]  # the largest size Telegram made
            incoming = IncomingFile(None, None, telegram_file.file_size, message.caption)
        else:
            return
        offer = await self.evidence.offer(nominator_key(user.id), incoming)
        if offer.refusal is not None:
            await self._say(chat.id, self._refusal_text(offer, offer.refusal))
            return

        async def download() -> bytes:
            try:
                found = await telegram_file.get_file()
                return bytes(await found.download_as_bytearray())
            except (
                BadRequest,
                Forbidden,
            ) as exc:  # e.g. "file is too big": asking again won't help
                raise DownloadFailed(exc.message, retry=False) from exc
            except (RetryAfter, TimedOut, NetworkError) as exc:
                raise DownloadFailed(exc.message, retry=True) from exc

        async def fetch_and_keep() -> None:
            await self._say(chat.id, self._kept_text(await self.evidence.keep(offer, download)))

        if self._application is None:
            await fetch_and_keep()
        else:
            self._application.create_task(fetch_and_keep(), update=update, name="keep a file")

    async def files(self, update: Update) -> None:
        """/files: the draft's files, each with a Remove button."""
        chat, user = update.effective_chat, update.effective_user
        if chat is not None and user is not None:
            await self.show_files(chat.id, nominator_key(user.id), always=True)

    async def remove_typed(self, update: Update) -> None:
        """/removefile 2: remove the second file in the list."""
        chat, user, message = update.effective_chat, update.effective_user, update.message
        if chat is None or user is None or message is None:
            return
        key = nominator_key(user.id)
        words = (message.text or "").split()[1:]
        _, files = await self.evidence.files(key)
        chosen = dict(listed(files)).get(int(words[0])) if words and words[0].isdigit() else None
        if chosen is None:
            await self._say(chat.id, texts.FILE_NOT_FOUND)
            await self.show_files(chat.id, key, always=True)
            return
        await self._removed(chat.id, key, await self.evidence.remove(key, chosen.id))

    async def remove_button(self, update: Update) -> None:
        """A Remove button: only for the nomination it was shown for, and only the sender's."""
        query, user = update.callback_query, update.effective_user
        if query is None or user is None:
            return
        await self.output.answer_button(query.id)
        chat_id = query.message.chat.id if query.message is not None else user.id
        match = _BUTTON.match(query.data or "")
        if match is None:
            return
        reference = join_reference(self.form.reference_prefix, match.group(1))
        key = nominator_key(user.id)
        removed = await self.evidence.remove(key, int(match.group(2)), reference=reference)
        await self._removed(chat_id, key, removed)

    async def before_reply(self, chat_id: int, outcome: Outcome) -> None:
        """Just above the review: the files, if there are any, so the review's own buttons stay
        on the last message (NominationHandlers calls this)."""
        state = outcome.state
        if state is not None and any(isinstance(e, Review) for e in outcome.effects):
            files = await self.evidence.store.list_for(state.reference)
            await self._list(chat_id, state.reference, files, always=False)

    async def show_files(self, chat_id: int, key: str, *, always: bool) -> None:
        draft, files = await self.evidence.files(key)
        await self._list(chat_id, draft.reference if draft else "", files, always=always)

    async def _list(
        self, chat_id: int, reference: str, files: Sequence[EvidenceFile], *, always: bool
    ) -> None:
        if not files:
            if always:
                await self._say(chat_id, texts.FILES_NONE)
            return
        lines = [
            texts.FILE_LINE.format(
                number=number, question=self._question(f), name=f.name, size=size_text(f.size)
            )
            for number, f in listed(files)
        ]
        screen = text_screen(texts.FILES_HEADING, "\n".join(lines), texts.FILES_HOW_TO_REMOVE)
        code = reference_code(reference)
        rows = [
            [(texts.FILE_REMOVE_BUTTON.format(number=n), f"{BUTTON_PREFIX}:{code}:{f.id}")]
            for n, f in listed(files)
        ]
        await self.output.send_choices(chat_id, screen, rows)

    async def _removed(self, chat_id: int, key: str, removed: EvidenceFile | None) -> None:
        if removed is None:
            await self._say(chat_id, texts.FILE_NOT_FOUND)
            return
        await self._say(chat_id, texts.FILE_REMOVED.format(name=removed.name))
        await self.show_files(chat_id, key, always=True)

    async def _say(self, chat_id: int, text: str) -> None:
        await self.output.show(chat_id, None, text_screen(text))

    def _question(self, file: EvidenceFile) -> str:
        if not self.form.has_field(file.field_id):
            return file.field_id
        return self.form.field(file.field_id).number or self.form.field(file.field_id).prompt

    def _refusal_text(self, offer: Offer, refusal: Refusal) -> str:
        limits = self.evidence.limits
        return {
            Refusal.NO_DRAFT: texts.FILE_NO_DRAFT,
            Refusal.NOT_HERE: texts.FILE_NOT_HERE,
            Refusal.WRONG_TYPE: texts.FILE_WRONG_TYPE,
            Refusal.TOO_BIG: texts.FILE_TOO_BIG,
            Refusal.NO_ROOM: texts.FILE_NO_ROOM,
            Refusal.SENT: texts.FILE_TOO_LATE,
        }[refusal].format(
            name=offer.name,
            limit=size_text(
                limits.per_nomination if refusal is Refusal.NO_ROOM else limits.per_file
            ),
            left=size_text(offer.left),
        )

    def _kept_text(self, kept: Kept) -> str:
        if kept.failed:
            return texts.FILE_FAILED.format(name=kept.offer.name)
        if kept.refusal is not None or kept.file is None:
            return self._refusal_text(kept.offer, kept.refusal or Refusal.WRONG_TYPE)
        file = kept.file
        return texts.FILE_SAVED.format(
            name=file.name, size=size_text(file.size), question=self._question(file)
        )
