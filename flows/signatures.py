"""What a file's bytes say it is: each accepted kind checked by its signature, so that a file is
kept only if its content is what its name says (an HTML page named photo.heic is not a photo).

Pure functions over bytes already in memory. Each check reads the format's own marks, not just
its first bytes where those are shared: a .webp is a RIFF file whose form type is WEBP, a .heic an
ISO media file whose brands name HEIF, a .docx a zip whose directory holds word/document.xml, a
.doc an OLE file with a WordDocument stream. The filetype and puremagic packages were weighed:
filetype tells the old Office formats apart by fixed sector offsets that some writers don't use,
and reads only a zip's first few entries; zipfile reads the whole directory, exactly.

HTML is refused inside any of them: a PDF that is also a web page (a "polyglot") opens as a page
if anyone saves it as one, and no photo, spreadsheet or PDF of evidence needs a script tag.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

# Executables and scripts by their first bytes: refused whatever the name says.
PROGRAMS = (b"MZ", b"\x7fELF", b"#!", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe")

# Markup a browser acts on. In a binary format's bytes these appear only if someone put them there.
_HTML = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|script|iframe|svg|object|embed)[\s>/]", re.I
)
# A text file that a browser would sniff as HTML: one that starts (after space or a BOM) with a tag.
_HTML_START = re.compile(
    rb"(?:\xef\xbb\xbf)?\s*<(?:!doctype|html|head|body|script|iframe|svg)", re.I
)

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HEIF_BRANDS = frozenset({b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"})


def _pdf(data: bytes) -> bool:
    return data.startswith(b"%PDF-")


def _jpeg(data: bytes) -> bool:
    return data.startswith(b"\xff\xd8\xff")


def _png(data: bytes) -> bool:
    return data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR"


def _gif(data: bytes) -> bool:
    return data[:6] in (b"GIF87a", b"GIF89a")


def _webp(data: bytes) -> bool:
    return data.startswith(b"RIFF") and data[8:12] == b"WEBP" and data[12:15] == b"VP8"


def _heic(data: bytes) -> bool:
    """An ISO media file (its first box `ftyp`) whose major or compatible brands name HEIF."""
    if data[4:8] != b"ftyp":
        return False
    box = int.from_bytes(data[:4], "big")
    brands = [data[8:12]] + [data[i : i + 4] for i in range(16, min(box, len(data), 64), 4)]
    return any(brand in _HEIF_BRANDS for brand in brands)


def _ooxml(part: str) -> Callable[[bytes], bool]:
    """A zip (an Office Open XML package) whose directory names the main part of its kind."""

    def check(data: bytes) -> bool:
        if not data.startswith(b"PK\x03\x04"):
            return False
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                names = set(package.namelist())  # the directory only: nothing is unpacked
        except (zipfile.BadZipFile, ValueError, EOFError):
            return False
        return "[Content_Types].xml" in names and part in names

    return check


def _ole(stream: str, *more: str) -> Callable[[bytes], bool]:
    """An OLE compound file (the old Office format) holding a stream of this name."""
    names = [name.encode("utf-16-le") for name in (stream, *more)]

    def check(data: bytes) -> bool:
        return data.startswith(_OLE) and any(name in data for name in names)

    return check


def _text(data: bytes) -> bool:
    """Plain text has no NUL bytes (a binary renamed .txt does) and is not a web page."""
    return b"\x00" not in data[:4096] and _HTML_START.match(data) is None


SIGNATURES: dict[str, Callable[[bytes], bool]] = {
    ".pdf": _pdf,
    ".docx": _ooxml("word/document.xml"),
    ".xlsx": _ooxml("xl/workbook.xml"),
    ".pptx": _ooxml("ppt/presentation.xml"),
    ".doc": _ole("WordDocument"),
    ".xls": _ole("Workbook", "Book"),
    ".ppt": _ole("PowerPoint Document"),
    ".jpg": _jpeg,
    ".jpeg": _jpeg,
    ".png": _png,
    ".gif": _gif,
    ".webp": _webp,
    ".heic": _heic,
    ".txt": _text,
}
"""Every accepted extension's check (flows.evidence.ACCEPTED names the same extensions)."""


def is_what_it_says(extension: str, data: bytes) -> bool:
    """Whether `data` is a file of this extension's kind, with no program or web page in it."""
    check = SIGNATURES.get(extension)
    if check is None or not data or data.startswith(PROGRAMS):
        return False
    if extension != ".txt" and _HTML.search(data) is not None:
        return False
    return check(data)
