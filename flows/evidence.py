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
from flows.state import NominationState

MEGABYTE = 1024 * 1024


@dataclass(frozen=True, slots=True)
class FileKind:
    """One kind of file accepted: its extensions, the media types Telegram may report for it,
    and the bytes it starts with (None where there is no cheap check, e.g. plain text)."""

    name: str
    extensions: frozenset[str]
    media_types: frozenset[str]
    magic: tuple[bytes, ...] | None


_OOXML_OR_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)  # .doc, .xls and .ppt (the old Office format)

ACCEPTED: tuple[FileKind, ...] = (
    FileKind("PDF", frozenset({".pdf"}), frozenset({"application/pdf"}), (b"%PDF-",)),
    FileKind(
        "Word",
        frozenset({".docx"}),
        frozenset({"application/vnd.openxmlformats-officedocument.wordprocessingml.document"}),
        _OOXML_OR_ZIP,
    ),
    FileKind("Word", frozenset({".doc"}), frozenset({"application/msword"}), _OLE),
    FileKind(
        "Excel",
        frozenset({".xlsx"}),
        frozenset({"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}),
        _OOXML_OR_ZIP,
    ),
    FileKind("Excel", frozenset({".xls"}), frozenset({"application/vnd.ms-excel"}), _OLE),
    FileKind(
        "PowerPoint",
        frozenset({".pptx"}),
        frozenset({"application/vnd.openxmlformats-officedocument.presentationml.presentation"}),
        _OOXML_OR_ZIP,
    ),
    FileKind("PowerPoint", frozenset({".ppt"}), frozenset({"application/vnd.ms-powerpoint"}), _OLE),
    FileKind("image", frozenset({".jpg", ".jpeg"}), frozenset({"image/jpeg"}), (b"\xff\xd8\xff",)),
    FileKind("image", frozenset({".png"}), frozenset({"image/png"}), (b"\x89PNG\r\n\x1a\n",)),
    FileKind("image", frozenset({".gif"}), frozenset({"image/gif"}), (b"GIF87a", b"GIF89a")),
    FileKind("image", frozenset({".webp"}), frozenset({"image/webp"}), (b"RIFF",)),
    FileKind("image", frozenset({".heic"}), frozenset({"image/heic"}), None),
    FileKind("plain text", frozenset({".txt"}), frozenset({"text/plain"}), None),
)
"""PDF, Word, Excel, PowerPoint, images and plain text: what the organisers can open."""

# Executables and scripts by their first bytes: refused whatever the name says.
_NEVER = (b"MZ", b"\x7fELF", b"#!", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe")


class Refusal(StrEnum):
    """Why a file was not kept. Nothing else changes when one is refused."""

    NO_DRAFT = "no_draft"
    NOT_HERE = "not_here"  # not at an award question
    WRONG_TYPE = "wrong_type"
    TOO_BIG = "too_big"  # over the per-file limit
    NO_ROOM = "no_room"  # over what is left of the nomination's total
    SENT = "sent"  # the nomination was sent while the file was on its way


@dataclass(frozen=True, slots=True)
class Limits:
    per_file: int
    per_nomination: int

    @classmethod
    def in_megabytes(cls, per_file: float, per_nomination: float) -> Limits:
        return cls(int(per_file * MEGABYTE), int(per_nomination * MEGABYTE))


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
    name: str, media_type: str | None, size: int | None, used: int, limits: Limits
) -> Refusal | None:
    """Whether a file may be downloaded at all: its type and, when Telegram says, its size."""
    if kind_of(name, media_type) is None:
        return Refusal.WRONG_TYPE
    if size is not None:
        return check_size(size, used, limits)
    return None


def check_size(size: int, used: int, limits: Limits) -> Refusal | None:
    if size > limits.per_file:
        return Refusal.TOO_BIG
    if used + size > limits.per_nomination:
        return Refusal.NO_ROOM
    return None


def check_content(name: str, media_type: str | None, data: bytes) -> Refusal | None:
    """A downloaded file's bytes must be what its name says (a .pdf that is a program is not)."""
    kind = kind_of(name, media_type)
    if kind is None or data.startswith(_NEVER):
        return Refusal.WRONG_TYPE
    if kind.magic is not None and not data.startswith(kind.magic):
        return Refusal.WRONG_TYPE
    if kind.name == "plain text" and b"\x00" in data[:4096]:
        return Refusal.WRONG_TYPE  # text has no NUL bytes; a binary renamed .txt does
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
    """E.g. '820 KB' or '1.4 MB', as people say it."""
    if size < MEGABYTE:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / MEGABYTE:.1f} MB"


def _extension(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot >= 0 else ""


def numbered(files: Sequence[EvidenceFile]) -> list[tuple[int, EvidenceFile]]:
    """Files numbered from 1, in the order listed: as the nominator refers to them (/removefile
    2)."""
    return list(enumerate(files, start=1))
