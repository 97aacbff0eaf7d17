"""When something goes wrong: the error handler (log without secrets or answers, then reassure
the nominator) and the organisers' alert about an email that could not be delivered."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from bot import texts
from bot.screens import text_screen
from bot.telegram.output import ChatOutput
from storage.types import OutboxRow

logger = logging.getLogger(__name__)


class ErrorReporter:
    """python-telegram-bot's error handler."""

    def __init__(self, output: ChatOutput) -> None:
        self._output = output

    async def __call__(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log without the token or any answer, and tell the nominator their answers are safe."""
        update_id = update.update_id if isinstance(update, Update) else None
        logger.error(
            "update %s failed: %s", update_id, type(context.error).__name__, exc_info=context.error
        )
        if isinstance(update, Update) and update.effective_chat is not None:
            if update.effective_chat.type != ChatType.PRIVATE:
                return
            try:
                await self._output.send_text(update.effective_chat.id, texts.ERROR_SAFE)
            except Exception:  # the error report itself must never raise
                logger.exception("could not tell the nominator about the error")


class OrganiserAlerts:
    """Tells the organisers on Telegram (if any are configured) about emails that failed."""

    def __init__(self, output: ChatOutput, organiser_ids: Iterable[int]) -> None:
        self._output = output
        self._organiser_ids = tuple(organiser_ids)

    async def email_failed(self, row: OutboxRow, reason: str) -> None:
        """A permanent email failure (the outbox worker's on_permanent_failure)."""
        text = texts.ORGANISER_EMAIL_FAILED.format(
            reference=row.reference, kind=row.kind.value, reason=reason
        )
        for organiser in self._organiser_ids:
            try:
                await self._output.show(organiser, None, text_screen(text))
            except Exception:
                logger.exception("could not tell organiser %s about a failed email", organiser)
