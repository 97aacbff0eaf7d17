"""Supporting files through any front end: is a file wanted here, fetch it (with retries), keep
it, list a nomination's files, remove one. The rules are flows.evidence's; the bytes are
storage.evidence's; the front end supplies the download.

Why the download runs outside the nominator's turn: fetching a 10 MB file can take seconds, and
the nominator's typed answers must not wait for it (nor ever be lost because of it). So `offer`
(quick: reads the draft and checks the file's name, type, size and how many files there are) is
all that happens in the nominator's turn; `keep` downloads and stores the file afterwards, in its
own task, and touches only the evidence table, never the answers. Answers typed meanwhile are
saved as usual; if the nomination is sent before the file arrives, the file is refused and the
nominator is told.

The download is handed the most bytes the file may have (EVIDENCE_MAX_MB): the front end stops
reading, and raises TooBig, as soon as more arrive, whatever size Telegram claimed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from flows.evidence import (
    EvidenceFile,
    Held,
    Limits,
    Refusal,
    check_content,
    check_offer,
    check_size,
    field_for_file,
    safe_name,
    with_extension,
)
from flows.form import Form
from flows.references import reference_prefix
from flows.state import NominationState
from flows.text import label
from storage.clock import utc_now
from storage.errors import NominationFinal, UnknownNomination
from storage.evidence import AlreadyKept, EvidenceStore, FileLimits, NoRoom, TooMany

logger = logging.getLogger(__name__)

PHOTO_NAME = "photo.jpg"
PHOTO_TYPE = "image/jpeg"
DOWNLOAD_TRIES = 4


class DownloadFailed(Exception):
    """The front end could not fetch the file. `retry`: worth trying again (a network error),
    as opposed to a refusal that would only be repeated (e.g. the file is gone)."""

    def __init__(self, reason: str, *, retry: bool) -> None:
        super().__init__(reason)
        self.retry = retry


class TooBig(Exception):
    """The download passed the most bytes it may have: it was stopped there."""


@dataclass(frozen=True, slots=True)
class IncomingFile:
    """A file as the nominator sent it; `name` and `media_type` None for a photo."""

    name: str | None
    media_type: str | None
    size: int | None
    caption: str | None


@dataclass(frozen=True, slots=True)
class Offer:
    """The verdict on a file before it is downloaded: where it goes, or why it can't."""

    name: str
    media_type: str
    size: int | None
    caption: str | None
    reference: str | None = None
    field_id: str | None = None
    refusal: Refusal | None = None
    left: int = 0  # bytes left of the nomination's total


@dataclass(frozen=True, slots=True)
class Fetched:
    """The outcome of fetching a file: kept (`again`: these bytes were already kept with this
    question, and `file` is that copy), refused (with why), or not fetched at all."""

    offer: Offer
    file: EvidenceFile | None = None
    refusal: Refusal | None = None
    failed: bool = False
    again: bool = False


Download = Callable[[int], Awaitable[bytes]]
"""Fetch a file's bytes, at most the given number: past it, stop and raise TooBig."""
Sleep = Callable[[float], Awaitable[None]]


class EvidenceService:
    """Supporting files of nominators' drafts."""

    def __init__(
        self,
        store: EvidenceStore,
        form: Form,
        draft: Callable[[str], Awaitable[NominationState | None]],
        limits: Limits,
        *,
        retry_seconds: float = 2.0,
        clock: Callable[[], datetime] = utc_now,
        sleep: Sleep = asyncio.sleep,
        forms: Sequence[Form] = (),
    ) -> None:
        self.store = store
        self.form = form
        # Every award's form (issue 19): a file is asked for by its own nomination's form.
        self.forms = tuple(forms) or (form,)
        self._draft = draft
        self.limits = limits
        self._retry_seconds = retry_seconds
        self._clock = clock
        self._sleep = sleep

    async def offer(self, nominator: str, incoming: IncomingFile) -> Offer:
        """Whether the file is wanted where the nominator is now, before fetching anything.
        The one door for a file's name and caption: both are cleaned here (flows.text.label),
        as typed text is at NominationService's door, before anything keeps or shows them."""
        photo = incoming.name is None and incoming.media_type is None
        media_type = PHOTO_TYPE if photo else (incoming.media_type or "application/octet-stream")
        given = None if incoming.name is None else label(incoming.name)
        name = PHOTO_NAME if photo else with_extension(safe_name(given, "file"), media_type)
        caption = label(incoming.caption).strip() if incoming.caption is not None else ""
        base = Offer(name, media_type, incoming.size, caption or None)
        draft = await self._draft(nominator)
        field_id = field_for_file(self.form_for(draft.reference) if draft else self.form, draft)
        if draft is None or field_id is None:
            return replace(base, refusal=Refusal.NO_DRAFT if draft is None else Refusal.NOT_HERE)
        held = Held.of(await self.store.list_for(draft.reference), field_id)
        return replace(
            base,
            reference=draft.reference,
            field_id=field_id,
            refusal=check_offer(name, media_type, incoming.size, held, self.limits),
            left=max(0, self.limits.per_nomination - held.used),
        )

    def form_for(self, reference: str) -> Form:
        """The form of the nomination with this reference, by its prefix (LSI- is LSI's)."""
        prefix = reference_prefix(reference)
        return next((f for f in self.forms if f.reference_prefix == prefix), self.form)

    async def keep(self, offer: Offer, download: Download) -> Fetched:
        """Fetch an accepted offer's bytes (retrying with backoff) and keep them."""
        if offer.reference is None or offer.field_id is None or offer.refusal is not None:
            raise ValueError("only an accepted offer can be kept")
        try:
            data = await self._fetch(download)
        except TooBig:
            return Fetched(offer, refusal=Refusal.TOO_BIG)
        if data is None:
            return Fetched(offer, failed=True)
        refusal = check_size(len(data), 0, self.limits) or check_content(
            offer.name, offer.media_type, data
        )
        if refusal is not None:
            return Fetched(offer, refusal=refusal)
        limits = self.limits
        try:
            file = await self.store.add(
                offer.reference,
                offer.field_id,
                name=offer.name,
                caption=offer.caption,
                media_type=offer.media_type,
                data=data,
                total_limit=FileLimits(
                    limits.per_nomination, limits.files, limits.files_per_question
                ),
                at=self._clock(),
            )
        except AlreadyKept as kept:
            return Fetched(offer, file=kept.file, again=True)
        except TooMany as many:
            return Fetched(offer, refusal=Refusal.TOO_MANY_HERE if many.here else Refusal.TOO_MANY)
        except NoRoom:
            return Fetched(offer, refusal=Refusal.NO_ROOM)
        except (NominationFinal, UnknownNomination):
            return Fetched(offer, refusal=Refusal.SENT)
        return Fetched(offer, file=file)

    async def _fetch(self, download: Download) -> bytes | None:
        delay = self._retry_seconds
        for attempt in range(1, DOWNLOAD_TRIES + 1):
            try:
                return await download(self.limits.per_file)
            except DownloadFailed as exc:
                logger.warning("file download failed (try %d): %s", attempt, exc)
                if not exc.retry or attempt == DOWNLOAD_TRIES:
                    return None
            await self._sleep(delay)
            delay *= 2
        return None

    async def files(self, nominator: str) -> tuple[NominationState | None, list[EvidenceFile]]:
        """The nominator's draft and its files (none without a draft)."""
        draft = await self._draft(nominator)
        if draft is None:
            return None, []
        return draft, await self.store.list_for(draft.reference)

    async def remove(
        self, nominator: str, evidence_id: int, *, reference: str | None = None
    ) -> EvidenceFile | None:
        """Remove a file of the nominator's own draft (and, if given, of the nomination with
        this reference: a button names the one it was shown for). None if there is no such file;
        another nominator's files, or a sent nomination's, are never touched."""
        draft = await self._draft(nominator)
        if draft is None or draft.is_submitted:
            return None
        if reference is not None and draft.reference != reference:
            return None
        return await self.store.remove(draft.reference, evidence_id)
