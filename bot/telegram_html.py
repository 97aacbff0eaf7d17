"""Screens as Telegram HTML messages: user text escaped exactly once, here, and long screens split
so that no message is over Telegram's 4096 characters (counted after parsing, in UTF-16 units, as
Telegram counts them) and no split falls inside a tag."""

from __future__ import annotations

import html
from collections.abc import Iterator

from bot.screens import Paragraph, Screen, Span, Style

MESSAGE_LIMIT = 4096
_TAGS = {Style.BOLD: "b", Style.ITALIC: "i", Style.QUOTE: "blockquote"}
_SEPARATOR = "\n\n"


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def span_html(span: Span) -> str:
    escaped = html.escape(span.text, quote=False)
    tag = _TAGS.get(span.style)
    return f"<{tag}>{escaped}</{tag}>" if tag else escaped


def paragraph_length(paragraph: Paragraph) -> int:
    return sum(utf16_length(span.text) for span in paragraph)


def screen_messages(screen: Screen, limit: int = MESSAGE_LIMIT) -> list[str]:
    """The screen as one or more HTML messages, each within `limit` once parsed."""
    messages: list[str] = []
    current: list[str] = []
    length = 0
    for paragraph in _fitting_paragraphs(screen.paragraphs, limit):
        size = paragraph_length(paragraph)
        extra = size + (utf16_length(_SEPARATOR) if current else 0)
        if current and length + extra > limit:
            messages.append(_SEPARATOR.join(current))
            current, length, extra = [], 0, size
        current.append("".join(span_html(span) for span in paragraph))
        length += extra
    if current:
        messages.append(_SEPARATOR.join(current))
    return messages


def _fitting_paragraphs(paragraphs: tuple[Paragraph, ...], limit: int) -> Iterator[Paragraph]:
    """Paragraphs no longer than `limit`: an over-long one is cut into pieces, each span keeping
    its own style (so every piece is well-formed HTML by itself)."""
    for paragraph in paragraphs:
        if paragraph_length(paragraph) <= limit:
            yield paragraph
            continue
        for span in paragraph:
            for piece in split_text(span.text, limit):
                yield (Span(piece, span.style),)


def split_text(text: str, limit: int) -> list[str]:
    """Cut text into pieces of at most `limit` UTF-16 units, preferring paragraph breaks, then
    line breaks, then spaces; never splitting a character."""
    pieces: list[str] = []
    rest = text
    while utf16_length(rest) > limit:
        cut = _longest_prefix(rest, limit)
        window = rest[:cut]
        for breaker in ("\n\n", "\n", " "):
            at = window.rfind(breaker)
            if at > cut // 2:
                cut = at + len(breaker)
                break
        piece = rest[:cut].strip()
        if piece:
            pieces.append(piece)
        rest = rest[cut:]
    if rest.strip():
        pieces.append(rest.strip())
    return pieces


def _longest_prefix(text: str, limit: int) -> int:
    """How many characters of text fit in `limit` UTF-16 units."""
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return index
    return len(text)
