"""Small files of every kind the bot accepts, shaped as their formats are (so that a check by
signature takes them), and the disguises an attacker tries: a web page under a photo's name, a
PDF that is also a web page, an empty file."""

from __future__ import annotations

import io
import zipfile

OOXML_PARTS = {
    ".docx": "word/document.xml",
    ".xlsx": "xl/workbook.xml",
    ".pptx": "ppt/presentation.xml",
}
OLE_STREAMS = {".doc": "WordDocument", ".xls": "Workbook", ".ppt": "PowerPoint Document"}
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PAGE = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>\n"


def ooxml(part: str, filler: bytes = b"") -> bytes:
    """A zip with an Office package's content types and its main part."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        package.writestr(part, b"<?xml version='1.0'?><document/>" + filler)
    return out.getvalue()


def ole(stream: str) -> bytes:
    """An OLE compound file's header, and a directory entry naming the stream."""
    entry = stream.encode("utf-16-le").ljust(64, b"\x00")
    return OLE + b"\x00" * 504 + entry + b"\x00" * 448


def heic() -> bytes:
    box = b"ftypheic" + b"\x00\x00\x00\x00" + b"mif1heic"
    return (len(box) + 4).to_bytes(4, "big") + box + b"\x00\x00\x00\x08meta"


SAMPLES: dict[str, bytes] = {
    ".pdf": b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n",
    **{extension: ooxml(part) for extension, part in OOXML_PARTS.items()},
    **{extension: ole(stream) for extension, stream in OLE_STREAMS.items()},
    ".jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)),
    ".jpeg": b"\xff\xd8\xff\xe1\x00\x10Exif\x00" + bytes(range(256)),
    ".png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00\x01\r\n\xff" * 50,
    ".gif": b"GIF89a\x01\x00\x01\x00" + b"\x00" * 20,
    ".webp": b"RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00" + b"\x00" * 24,
    ".heic": heic(),
    ".txt": "Ward 7's audit notes: waits fell by half, £ and é kept.\n".encode(),
}
"""A file of each accepted extension."""
