"""Supporting files (evidence): where a nominator may add one, which files are accepted, and the
limits. Pure rules; storage keeps the files and the bot downloads them.

A file belongs to a nomination (by its reference) and to the award question it was sent at, so a
nominator with several nominations, or a nomination that is amended, keeps each file where it was.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from flows.form import Form
from flows.signatures import is_what_it_says
from flows.state import NominationState

MEGABYTE = 1024 * 1024


@dataclass(frozen=True, slots=True)
class FileKind:
    """One kind of file accepted: its extensions and the media types Telegram may report for
    it. Its content is checked by flows.signatures, one check per extension."""

    name: str
    extensions: frozenset[str]
    media_types: frozenset[str]


ACCEPTED: tuple[FileKind, ...] = (
    FileKind("PDF", frozenset({".pdf"}), frozenset({"application/pdf"})),
    FileKind(
        "Word",
        frozenset({".docx"}),
        frozenset({"application/vnd.openxmlformats-officedocument.wordprocessingml.document"}),
    ),
    FileKind("Word", frozenset({".doc"}), frozenset({"application/msword"})),
    FileKind(
        "Excel",
        frozenset({".xlsx"}),
        frozenset({"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}),
    ),
    FileKind("Excel", frozenset({".xls"}), frozenset({"application/vnd.ms-excel"})),
    FileKind(
        "PowerPoint",
        frozenset({".pptx"}),
        frozenset({"application/vnd.openxmlformats-officedocument.presentationml.presentation"}),
    ),
    FileKind("PowerPoint", frozenset({".ppt"}), frozenset({"application/vnd.ms-powerpoint"})),
    FileKind("image", frozenset({".jpg", ".jpeg"}), frozenset({"image/jpeg"})),
    FileKind("image", frozenset({".png"}), frozenset({"image/png"})),
    FileKind("image", frozenset({".gif"}), frozenset({"image/gif"})),
    FileKind("image", frozenset({".webp"}), frozenset({"image/webp"})),
    FileKind("image", frozenset({".heic"}), frozenset({"image/heic"})),
    FileKind("plain text", frozenset({".txt"}), frozenset({"text/plain"})),
)
"""PDF, Word, Excel, PowerPoint, images and plain text: what the organisers can open."""


class Refusal(StrEnum):
    """Why a file was not kept. Nothing else changes when one is refused."""

    NO_DRAFT = "no_draft"
    NOT_HERE = "not_here"  # not at an award question
    WRONG_TYPE = "wrong_type"
    EMPTY = "empty"  # no bytes at all
    TOO_BIG = "too_big"  # over the per-file limit
    NO_ROOM = "no_room"  # over what is left of the nomination's total
    TOO_MANY = "too_many"  # the nomination has as many files as it may (EVIDENCE_MAX_FILES)
    TOO_MANY_HERE = "too_many_here"  # so has this question (EVIDENCE_MAX_FILES_PER_QUESTION)
    SENT = "sent"  # the nomination was sent while the file was on its way


@dataclass(frozen=True, slots=True)
class Limits:
    """Bytes per file and per nomination; files per nomination and per award question."""

    per_file: int
    per_nomination: int
    files: int = 20
    files_per_question: int = 10

    @classmethod
    def in_megabytes(
        cls, per_file: float, per_nomination: float, files: int = 20, files_per_question: int = 10
    ) -> Limits:
        return cls(
            int(per_file * MEGABYTE), int(per_nomination * MEGABYTE), files, files_per_question
        )


@dataclass(frozen=True, slots=True)
class Held:
    """What a nomination holds already: its files' bytes, how many files, how many at the
    question a new file would join."""

    used: int = 0
    files: int = 0
    here: int = 0

    @classmethod
    def of(cls, files: Sequence[EvidenceFile], field_id: str) -> Held:
        here = sum(1 for f in files if f.field_id == field_id)
        return cls(sum(f.size for f in files), len(files), here)


@dataclass(frozen=True, slots=True)
class EvidenceFile:
    """A kept file, as the review, the email and the panel pack list it."""

    id: int
    reference: str
    field_id: str
    name: str
    caption: str | None
    media_type: str
    size: int
    sha256: str
    added_at: datetime


def field_for_file(form: Form, state: NominationState | None) -> str | None:
    """The award question a file sent now belongs to, or None if files can't be added here."""
    if state is None or state.is_submitted or state.at_review:
        return None
    if not form.has_field(state.position) or not form.field(state.position).is_question:
        return None
    return state.position


def kind_of(name: str, media_type: str | None) -> FileKind | None:
    """The accepted kind a file's name and reported media type agree on, if any."""
    extension = _extension(name)
    for kind in ACCEPTED:
        if extension in kind.extensions and (media_type is None or media_type in kind.media_types):
            return kind
    return None


def check_offer(
    name: str, media_type: str | None, size: int | None, held: Held, limits: Limits
) -> Refusal | None:
    """Whether a file may be downloaded at all: its type, how many files there are already
    and, when Telegram says, its size."""
    if kind_of(name, media_type) is None:
        return Refusal.WRONG_TYPE
    if (counted := check_count(held, limits)) is not None:
        return counted
    if size is not None:
        return check_size(size, held.used, limits)
    return None


def check_count(held: Held, limits: Limits) -> Refusal | None:
    if held.files >= limits.files:
        return Refusal.TOO_MANY
    if held.here >= limits.files_per_question:
        return Refusal.TOO_MANY_HERE
    return None


def check_size(size: int, used: int, limits: Limits) -> Refusal | None:
    if size == 0:
        return Refusal.EMPTY
    if size > limits.per_file:
        return Refusal.TOO_BIG
    if used + size > limits.per_nomination:
        return Refusal.NO_ROOM
    return None


def check_content(name: str, media_type: str | None, data: bytes) -> Refusal | None:
    """A downloaded file's bytes must be what its name says (a .pdf that is a program, or a web
    page, is not): checked by the signature of its kind (flows.signatures)."""
    if not data:
        return Refusal.EMPTY
    if kind_of(name, media_type) is None or not is_what_it_says(_extension(name), data):
        return Refusal.WRONG_TYPE
    return None


_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f/\\:*?\"<>|\u2028\u2029]")


def safe_name(name: str | None, fallback: str) -> str:
    """A file name fit for an email header and a folder: no path, no control characters."""
    base = re.split(r"[/\\]", name or "")[-1]
    cleaned = " ".join(_UNSAFE_NAME.sub(" ", base).split()).strip(". ")
    return cleaned[:120] or fallback


def with_extension(name: str, media_type: str | None) -> str:
    """A name without an extension (some apps send none) gets its media type's, so that the
    organisers can open it; any other name is left as it is, to be judged by its extension."""
    if _extension(name) or media_type is None:
        return name
    for kind in ACCEPTED:
        if media_type in kind.media_types:
            return name + min(kind.extensions)
    return name


def size_text(size: int) -> str:
    """E.g. '820 KB' or '1.4 MB', as people say it; under a kilobyte, the bytes ('0 bytes' for
    an empty file, never a rounded-up '1 KB')."""
    if size < 1024:
        return f"{size} byte" if size == 1 else f"{size} bytes"
    if size < MEGABYTE:
        return f"{round(size / 1024)} KB"
    return f"{size / MEGABYTE:.1f} MB"


def _extension(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot >= 0 else ""


def numbered(files: Sequence[EvidenceFile]) -> list[tuple[int, EvidenceFile]]:
    """Files numbered from 1, in the order listed: as the nominator refers to them (/removefile
    2)."""
    return list(enumerate(files, start=1))
