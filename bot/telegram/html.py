"""Screens as Telegram HTML messages: user text escaped exactly once, here, and long screens split
so that no message is over Telegram's 4096 characters (counted after parsing, in UTF-16 units, as
Telegram counts them) and no split falls inside a tag."""

from __future__ import annotations

import html
from collections.abc import Iterator

from bot.screens.parts import Paragraph, Screen, Span, Style

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
    """The screen as one or more HTML messages, each within `limit` once parsed. A heading is
    never left at the end of a message: it moves on with the paragraph it introduces."""
    separator = utf16_length(_SEPARATOR)
    groups: list[list[Paragraph]] = [[]]
    for paragraph in _fitting_paragraphs(screen.paragraphs, limit):
        current = groups[-1]
        if current and _length(current) + separator + paragraph_length(paragraph) > limit:
            carried = [current.pop()] if len(current) > 1 and _is_heading(current[-1]) else []
            if carried and _length(carried) + separator + paragraph_length(paragraph) > limit:
                current.extend(carried)
                carried = []
            groups.append(carried)
        groups[-1].append(paragraph)
    return [
        _SEPARATOR.join("".join(span_html(span) for span in p) for p in group)
        for group in groups
        if group
    ]


def _length(paragraphs: list[Paragraph]) -> int:
    return sum(paragraph_length(p) for p in paragraphs) + utf16_length(_SEPARATOR) * (
        len(paragraphs) - 1
    )


def _is_heading(paragraph: Paragraph) -> bool:
    return all(span.style is Style.BOLD for span in paragraph)


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
