"""Supporting files in the Telegram chat: documents and photos sent at an award question. The
rules are bot.services.evidence's and flows.evidence's, the words bot.screens.files'; this module
reads the file and downloads it. Listing and removing files are the conversation's (/files,
/removefile N and the Remove buttons).

A file is checked in the nominator's turn, under their per-user lock, so it belongs to the
question they were at when they sent it, even if they type /done straight after. The download
then runs as its own task (Application.create_task, awaited when the Application stops), so the
per-user queue moves on at once and the nominator's next typed answer is saved meanwhile.

The download streams the file from the Bot API's file URL and stops as soon as it passes
EVIDENCE_MAX_MB, whatever the message and getFile claimed: python-telegram-bot's own download
reads the whole file into memory before anyone can look at its size.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit, urlunsplit

import httpx
from telegram import Document, PhotoSize, Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import CallbackQueryHandler, MessageHandler, filters

from bot.conversation import Press
from bot.screens import files as file_screens
from bot.screens.actions import Action
from bot.screens.parts import Screen
from bot.services.evidence import (
    DownloadFailed,
    EvidenceService,
    Fetched,
    IncomingFile,
    Offer,
    TooBig,
)
from bot.telegram.chats import nominator_key, private_chat, ptb
from bot.telegram.handlers import NominationHandlers
from bot.telegram.runtime import AnyApplication, tls_context
from flows.evidence import Refusal

# Remove buttons from before they were the conversation's: still in chats.
_OLD_BUTTON = re.compile(r"^ev:([A-Z0-9]+):(\d+)$")
# A download's own time limits: a slow file must not hold its task for ever.
DOWNLOAD_TIMEOUT = httpx.Timeout(30.0, connect=10.0)


async def stream_file(url: str, most: int) -> bytes:
    """The file at `url`, read a chunk at a time; TooBig as soon as more than `most` bytes have
    come (or the server says as much up front), so a file that lies about its size is never
    held whole. A server error is worth retrying; a refusal (404, 403) is not."""
    parts = urlsplit(url)
    encoded = urlunsplit(parts._replace(path=quote(parts.path)))
    received = bytearray()
    try:
        async with (
            httpx.AsyncClient(timeout=DOWNLOAD_TIMEOUT, verify=tls_context()) as client,
            client.stream("GET", encoded) as response,
        ):
            if response.status_code != httpx.codes.OK:
                reason = f"HTTP {response.status_code}"
                raise DownloadFailed(reason, retry=response.status_code >= 500)
            length = response.headers.get("content-length", "")
            if length.isdigit() and int(length) > most:
                raise TooBig(length)
            async for chunk in response.aiter_bytes():
                received += chunk
                if len(received) > most:
                    raise TooBig(str(len(received)))
    except httpx.HTTPError as exc:
        raise DownloadFailed(type(exc).__name__, retry=True) from exc
    return bytes(received)


class EvidenceHandlers:
    """Files sent in a private chat with the bot."""

    def __init__(self, evidence: EvidenceService, nominators: NominationHandlers) -> None:
        self.evidence = evidence
        self.nominators = nominators
        self.output = nominators.output
        self.form = evidence.form
        self._application: AnyApplication | None = None

    def register(self, application: AnyApplication) -> None:
        """Register before NominationHandlers: the first handler that matches an update wins."""
        private = filters.ChatType.PRIVATE & ~filters.UpdateType.EDITED
        files = private & (filters.Document.ALL | filters.PHOTO)
        self._application = application
        application.add_handler(MessageHandler(files, ptb(self.file)))
        application.add_handler(
            CallbackQueryHandler(ptb(self.old_remove_button), pattern=_OLD_BUTTON.pattern)
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
            await self._say(chat.id, self._refused(offer, offer.refusal))
            return

        async def download(most: int) -> bytes:
            return await self._download(telegram_file, most)

        async def fetch_and_keep() -> None:
            await self._say(chat.id, self._fetched(await self.evidence.keep(offer, download)))

        if self._application is None:
            await fetch_and_keep()
        else:
            self._application.create_task(fetch_and_keep(), update=update, name="keep a file")

    async def _download(self, telegram_file: Document | PhotoSize, most: int) -> bytes:
        """getFile, then the bytes streamed from its URL, at most `most` of them."""
        try:
            found = await telegram_file.get_file()
        except (BadRequest, Forbidden) as exc:  # e.g. "file is too big": asking again won't help
            raise DownloadFailed(exc.message, retry=False) from exc
        except (RetryAfter, TimedOut, NetworkError) as exc:
            raise DownloadFailed(exc.message, retry=True) from exc
        if found.file_path is None:
            raise DownloadFailed("no file_path", retry=False)
        return await stream_file(found.file_path, most)

    async def old_remove_button(self, update: Update) -> None:
        """A Remove button of the older kind: the conversation's Remove, for that nomination."""
        query = update.callback_query
        if query is None:
            return
        await self.output.answer_button(query.id)
        match = _OLD_BUTTON.match(query.data or "")
        if (here := private_chat(update)) is None or match is None:
            return
        chat_id, key = here
        press = Press(Action.REMOVE_FILE, match.group(2), match.group(1))
        await self.nominators.draw_turn(
            chat_id, await self.nominators.conversation.press(key, press)
        )

    async def _say(self, chat_id: int, screen: Screen) -> None:
        await self.output.show(chat_id, screen)

    def _refused(self, offer: Offer, refusal: Refusal) -> Screen:
        form = self.form if offer.reference is None else self.evidence.form_for(offer.reference)
        question = file_screens.question_label(form, offer.field_id)
        limits = self.evidence.limits
        return file_screens.refused(limits, offer.name, refusal, offer.left, question)

    def _fetched(self, fetched: Fetched) -> Screen:
        if fetched.failed:
            return file_screens.not_fetched(fetched.offer.name)
        if fetched.refusal is not None or fetched.file is None:
            return self._refused(fetched.offer, fetched.refusal or Refusal.WRONG_TYPE)
        form = self.evidence.form_for(fetched.file.reference)
        return file_screens.saved(form, fetched.file, again=fetched.again)
