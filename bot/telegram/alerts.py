"""When something goes wrong: the error handler (log without secrets or answers, then reassure
the nominator) and the organisers' alert about an email that could not be delivered. An error of
the process goes to ORGANISER_TELEGRAM_IDS; an alert about one nomination also to its award's own
organiser_telegram_ids (issue 19), each person told once."""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable, Iterable

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from bot.config import Settings
from bot.programme import load_programme
from bot.screens import texts
from bot.screens.parts import text_screen
from bot.telegram.output import ChatOutput
from flows.programme import Programme
from storage.types import OutboxRow

logger = logging.getLogger(__name__)


ALERT_EVERY = 3600.0  # seconds: one alert per distinct error per hour


def error_site(error: BaseException | None) -> tuple[str, str]:
    """What went wrong, without its message (which may quote an answer or a URL with the
    token): the exception's type, and the innermost frame of our own code that raised it."""
    if error is None:
        return "Unknown error", "unknown place"
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if "site-packages" not in f.filename] or frames
    where = (
        f"{ours[-1].filename.rsplit('/', 1)[-1]}:{ours[-1].lineno} ({ours[-1].name})"
        if ours
        else "unknown place"
    )
    return type(error).__name__, where


class ErrorReporter:
    """python-telegram-bot's error handler. Organisers on Telegram hear of each distinct error
    (type and place) at most once an hour, as the python-telegram-bot team's rules-bot tells
    its admin chat."""

    def __init__(
        self,
        output: ChatOutput,
        organiser_ids: Iterable[int] = (),
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._output = output
        self._organiser_ids = tuple(organiser_ids)
        self._clock = clock
        self._alerted: dict[tuple[str, str], float] = {}

    async def __call__(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log without the token or any answer, and tell the nominator their answers are safe."""
        update_id = update.update_id if isinstance(update, Update) else None
        logger.error(
            "update %s failed: %s", update_id, type(context.error).__name__, exc_info=context.error
        )
        await self._alert(context.error)
        if isinstance(update, Update) and update.effective_chat is not None:
            if update.effective_chat.type != ChatType.PRIVATE:
                return
            try:
                await self._output.show(update.effective_chat.id, text_screen(texts.ERROR_SAFE))
            except Exception:  # the error report itself must never raise
                logger.exception("could not tell the nominator about the error")

    async def _alert(self, error: BaseException | None) -> None:
        """Tell the organisers, unless this error was told within the hour."""
        site = error_site(error)
        now = self._clock()
        last = self._alerted.get(site)
        if last is not None and now - last < ALERT_EVERY:
            return
        self._alerted[site] = now
        text = texts.ORGANISER_ERROR_ALERT.format(error=site[0], where=site[1])
        for organiser in self._organiser_ids:
            try:
                await self._output.show(organiser, text_screen(text))
            except Exception:  # the error report itself must never raise
                logger.exception("could not alert organiser %s", organiser)


class OrganiserAlerts:
    """Tells the organisers on Telegram (if any are configured) about emails that failed: those
    in ORGANISER_TELEGRAM_IDS, and those of the nomination's own award."""

    def __init__(
        self, output: ChatOutput, organiser_ids: Iterable[int], programme: Programme | None = None
    ) -> None:
        self._output = output
        self._organiser_ids = tuple(organiser_ids)
        self._programme = programme

    @classmethod
    def of(cls, output: ChatOutput, settings: Settings) -> OrganiserAlerts:
        """ORGANISER_TELEGRAM_IDS, and each award's organiser_telegram_ids from AWARDS_FILE."""
        return cls(output, settings.organiser_telegram_ids, load_programme(settings))

    def organisers_of(self, reference: str) -> tuple[int, ...]:
        """Who hears about this nomination: everyone's organisers, then its award's, once each."""
        programme = self._programme
        award = programme.award_by_reference(reference) if programme is not None else None
        own = award.organiser_telegram_ids if award is not None else ()
        return tuple(dict.fromkeys([*self._organiser_ids, *own]))

    async def email_failed(self, row: OutboxRow, reason: str) -> None:
        """A permanent email failure (the outbox worker's on_permanent_failure)."""
        text = texts.ORGANISER_EMAIL_FAILED.format(
            reference=row.reference, kind=row.kind.value, reason=reason
        )
        for organiser in self.organisers_of(row.reference):
            try:
                await self._output.show(organiser, text_screen(text))
            except Exception:
                logger.exception("could not tell organiser %s about a failed email", organiser)
