"""Telegram's HTML parse mode, as the Bot API server applies it to `parse_mode=HTML` text.

A port of tdlib's `parse_html` (td/telegram/MessageEntity.cpp), which the Bot API server runs:
the same supported tags, the same entity decoding, the same error messages and byte offsets
(offsets count UTF-8 bytes of the text as sent). Entities come out in Bot API form, with
offsets and lengths in UTF-16 code units.

`strict=True` (the default) adds the rule from the Bot API docs' "Formatting options": "All `<`,
`>` and `&` symbols that are not a part of a tag or an HTML entity must be replaced with the
corresponding HTML entities". Telegram itself lets a bare `&`, a bare `>`, an unknown entity such
as `&nbsp;` and an entity without its `;` through as literal text; the strict mode rejects them,
so text that passes here renders the same on any reading of the docs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SUPPORTED_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "s",
        "strike",
        "del",
        "u",
        "ins",
        "tg-spoiler",
        "tg-emoji",
        "span",
        "pre",
        "code",
        "blockquote",
    }
)

_NAMED_ENTITIES = {b"lt": "<", b"gt": ">", b"amp": "&", b"quot": '"'}
# td::is_space: the C string's terminating NUL counts as a space, which ends every scan.
_SPACES = frozenset(b" \t\r\n\0\v")
_HEX_DIGITS = frozenset(b"0123456789abcdefABCDEF")
_DIGITS = frozenset(b"0123456789")
_ALPHA = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_NAME_TOKEN = _ALPHA | _DIGITS | frozenset(b".-")

# tdlib sorts entities by offset, then longer first, then by these priorities.
_PRIORITY = {
    "bold": 90,
    "italic": 91,
    "code": 20,
    "pre": 11,
    "text_link": 49,
    "text_mention": 49,
    "underline": 92,
    "strikethrough": 93,
    "blockquote": 0,
    "expandable_blockquote": 0,
    "spoiler": 94,
    "custom_emoji": 99,
}


class HtmlParseError(ValueError):
    """The text is not valid Telegram HTML; `reason` is what follows "can't parse entities: "."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class ParsedText:
    """Text as the user sees it, with its entities in Bot API form (UTF-16 offsets)."""

    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _OpenTag:
    name: str
    argument: str
    utf16_offset: int
    byte_offset: int  # into the decoded output


def utf16_length(text: str) -> int:
    """Length of `text` in UTF-16 code units, the unit of Telegram's offsets and limits."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _decode_entity(buf: bytes, pos: int) -> tuple[int, int]:
    """Decode the HTML entity at `buf[pos] == '&'`; return (code point or 0, position after it)."""
    end = pos + 1
    code = 0
    if buf[pos + 1] == ord("#"):
        end += 1
        if buf[pos + 2] == ord("x"):
            end += 1
            while buf[end] in _HEX_DIGITS:
                code = code * 16 + int(chr(buf[end]), 16)
                end += 1
        else:
            while buf[end] in _DIGITS:
                code = code * 10 + buf[end] - ord("0")
                end += 1
        if code == 0 or code >= 0x10FFFF or end - pos >= 10:
            return 0, pos
    else:
        while buf[end] in _ALPHA:
            end += 1
        named = _NAMED_ENTITIES.get(buf[pos + 1 : end])
        if named is None:
            return 0, pos
        code = ord(named)
    if buf[end] == ord(";"):
        end += 1
    return code, end


def _strict_entity_error(buf: bytes, pos: int) -> HtmlParseError:
    end = pos + 1
    while buf[end] in _ALPHA or buf[end] in _DIGITS or buf[end] == ord("#"):
        end += 1
    if end > pos + 1 and buf[end] == ord(";"):
        name = buf[pos : end + 1].decode("utf-8", "replace")
        return HtmlParseError(f'Unsupported HTML entity "{name}" at byte offset {pos}')
    return HtmlParseError(f'Character "&" must be escaped as "&amp;" at byte offset {pos}')


def _lower_ascii(raw: bytes) -> str:
    return raw.lower().decode("utf-8", "replace")


def _link_entity(url: str) -> dict[str, Any] | None:
    """A simplified LinkManager::get_checked_link: tdlib silently drops links it can't use."""
    if url.startswith("tg://user?id="):
        user_id = url.removeprefix("tg://user?id=")
        if user_id.isdigit() and int(user_id) > 0:
            return {"type": "text_mention", "user": {"id": int(user_id)}}
        return None
    scheme, sep, rest = url.partition("://")
    if not sep:
        # tdlib accepts a bare host ("example.com/x") and adds http://.
        if url and " " not in url and "." in url.split("/", 1)[0]:
            return {"type": "text_link", "url": f"http://{url}"}
        return None
    if scheme.lower() not in {"http", "https", "tg", "ton"} or not rest or " " in rest:
        return None
    return {"type": "text_link", "url": url}


def _sort_key(entity: dict[str, Any]) -> tuple[int, int, int]:
    return (entity["offset"], -entity["length"], _PRIORITY.get(entity["type"], 50))


def parse_html(text: str, *, strict: bool = True) -> ParsedText:
    """Parse Telegram HTML; raise HtmlParseError with Telegram's reason where Telegram refuses."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise HtmlParseError("Strings must be encoded in UTF-8") from exc
    size = len(data)
    buf = data + b"\0"  # tdlib reads a C string: text[size] == 0
    out = bytearray()
    utf16_offset = 0
    need_recheck_utf8 = False
    entities: list[dict[str, Any]] = []
    code_languages: dict[int, str] = {}  # id(code entity) -> language, until <pre> claims it
    nested: list[_OpenTag] = []

    i = 0
    while i < size:
        c = buf[i]
        if c == ord("&"):
            code, end = _decode_entity(buf, i)
            if code != 0:
                if strict and buf[end - 1] != ord(";"):
                    name = buf[i:end].decode("utf-8", "replace")
                    raise HtmlParseError(
                        f'HTML entity "{name}" at byte offset {i} must end with ";"'
                    )
                utf16_offset += 1 + (code > 0xFFFF)
                if 0xD800 <= code <= 0xDFFF:
                    need_recheck_utf8 = True
                out += chr(code).encode("utf-8", "surrogatepass")
                i = end
                continue
            if strict:
                raise _strict_entity_error(buf, i)
        if c != ord("<"):
            if strict and c == ord(">"):
                raise HtmlParseError(f'Character ">" must be escaped as "&gt;" at byte offset {i}')
            if c & 0xC0 != 0x80:  # first byte of a UTF-8 sequence
                utf16_offset += 1 + (c >= 0xF0)  # 4-byte sequences are surrogate pairs
            out.append(c)
            i += 1
            continue

        begin = i
        i += 1
        if buf[i] != ord("/"):
            i = _parse_start_tag(buf, begin, i, nested, utf16_offset, len(out))
        else:
            if not nested:
                raise HtmlParseError(f"Unexpected end tag at byte offset {begin}")
            while buf[i] not in _SPACES and buf[i] != ord(">"):
                i += 1
            end_tag_name = _lower_ascii(buf[begin + 2 : i])
            while buf[i] in _SPACES and buf[i] != 0:
                i += 1
            if buf[i] != ord(">"):
                raise HtmlParseError(f"Unclosed end tag at byte offset {begin}")
            tag = nested[-1]
            if end_tag_name and end_tag_name != tag.name:
                raise HtmlParseError(
                    f"Unmatched end tag at byte offset {begin}, "
                    f'expected "</{tag.name}>", found "</{end_tag_name}>"'
                )
            if utf16_offset > tag.utf16_offset:
                _close_entity(tag, utf16_offset, bytes(out), entities, code_languages)
            nested.pop()
            i += 1
    if nested:
        raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{nested[-1].name}"')

    entities.sort(key=_sort_key)
    try:
        result = out.decode("utf-8")
    except UnicodeDecodeError as exc:
        if need_recheck_utf8:
            raise HtmlParseError(
                "Text contains invalid Unicode characters after decoding HTML entities, "
                "check for unmatched surrogate code units"
            ) from exc
        raise
    return ParsedText(result, entities)


def _parse_start_tag(
    buf: bytes, begin: int, i: int, nested: list[_OpenTag], utf16_offset: int, out_len: int
) -> int:
    """Parse `<tag attr=...>` starting after the `<`; push it; return the position after `>`."""
    while buf[i] not in _SPACES and buf[i] != ord(">"):
        i += 1
    if buf[i] == 0:
        raise HtmlParseError(f"Unclosed start tag at byte offset {begin}")
    tag_name = _lower_ascii(buf[begin + 1 : i])
    if tag_name not in SUPPORTED_TAGS:
        raise HtmlParseError(f'Unsupported start tag "{tag_name}" at byte offset {begin}')

    argument = ""
    while buf[i] != ord(">"):
        while buf[i] != 0 and buf[i] in _SPACES:
            i += 1
        if buf[i] == ord(">"):
            break
        attribute_begin = i
        while buf[i] not in _SPACES and buf[i] not in b"=>/\"'":
            i += 1
        attribute_name = buf[attribute_begin:i]
        if not attribute_name:
            raise HtmlParseError(
                f'Empty attribute name in the tag "{tag_name}" at byte offset {begin}'
            )
        while buf[i] != 0 and buf[i] in _SPACES:
            i += 1
        if buf[i] != ord("="):
            if buf[i] == 0:
                raise HtmlParseError(f'Unclosed start tag "{tag_name}" at byte offset {begin}')
            if tag_name == "blockquote" and attribute_name == b"expandable":
                argument = "1"
            continue
        i += 1
        while buf[i] != 0 and buf[i] in _SPACES:
            i += 1
        if buf[i] == 0:
            raise HtmlParseError(f'Unclosed start tag "{tag_name}" at byte offset {begin}')

        if buf[i] not in b"'\"":
            # A name token: letters, digits, periods or hyphens; not case sensitive.
            token_begin = i
            while buf[i] in _NAME_TOKEN:
                i += 1
            value = _lower_ascii(buf[token_begin:i])
            if buf[i] not in _SPACES and buf[i] != ord(">"):
                raise HtmlParseError(f"Unexpected end of name token at byte offset {token_begin}")
        else:
            quote = buf[i]
            i += 1
            raw = bytearray()
            while buf[i] != quote and buf[i] != 0:
                if buf[i] == ord("&"):
                    code, end = _decode_entity(buf, i)
                    if code != 0:
                        raw += chr(code).encode("utf-8", "surrogatepass")
                        i = end
                        continue
                raw.append(buf[i])
                i += 1
            if buf[i] == quote:
                i += 1
            value = raw.decode("utf-8", "replace")
        if buf[i] == 0:
            raise HtmlParseError(f"Unclosed start tag at byte offset {begin}")

        if tag_name == "a" and attribute_name == b"href":
            argument = value
        elif tag_name == "code" and attribute_name == b"class" and value.startswith("language-"):
            argument = value.removeprefix("language-")
        elif tag_name == "span" and attribute_name == b"class" and value.startswith("tg-"):
            argument = value.removeprefix("tg-")
        elif tag_name == "tg-emoji" and attribute_name == b"emoji-id":
            argument = value
        elif tag_name == "blockquote" and attribute_name == b"expandable":
            argument = "1"

    if tag_name == "span" and argument != "spoiler":
        raise HtmlParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {begin}')
    nested.append(_OpenTag(tag_name, argument, utf16_offset, out_len))
    return i + 1


_SIMPLE_TYPES = {
    "i": "italic",
    "em": "italic",
    "b": "bold",
    "strong": "bold",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "u": "underline",
    "ins": "underline",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
}


def _close_entity(
    tag: _OpenTag,
    utf16_offset: int,
    out: bytes,
    entities: list[dict[str, Any]],
    code_languages: dict[int, str],
) -> None:
    offset = tag.utf16_offset
    length = utf16_offset - offset
    last = entities[-1] if entities else None
    same_span = last is not None and last["offset"] == offset and last["length"] == length
    if tag.name in _SIMPLE_TYPES:
        entities.append({"type": _SIMPLE_TYPES[tag.name], "offset": offset, "length": length})
    elif tag.name == "tg-emoji":
        if not tag.argument.isdigit() or int(tag.argument) == 0 or int(tag.argument) >= 2**63:
            raise HtmlParseError("Invalid custom emoji identifier specified")
        entities.append(
            {
                "type": "custom_emoji",
                "offset": offset,
                "length": length,
                "custom_emoji_id": tag.argument,
            }
        )
    elif tag.name == "a":
        url = tag.argument or out[tag.byte_offset :].decode("utf-8", "replace")
        link = _link_entity(url)
        if link is not None:
            entities.append({**link, "offset": offset, "length": length})
    elif tag.name == "pre":
        # <pre><code class="language-x">…</code></pre> is one pre entity with a language.
        if last is not None and same_span and last["type"] == "code" and id(last) in code_languages:
            last["type"] = "pre"
            last["language"] = code_languages.pop(id(last))
        else:
            entities.append({"type": "pre", "offset": offset, "length": length})
    elif tag.name == "code":
        if last is not None and same_span and last["type"] == "pre" and tag.argument:
            last["language"] = tag.argument
        else:
            entity = {"type": "code", "offset": offset, "length": length}
            entities.append(entity)
            if tag.argument:
                code_languages[id(entity)] = tag.argument
    elif tag.name == "blockquote":
        kind = "expandable_blockquote" if tag.argument else "blockquote"
        entities.append({"type": kind, "offset": offset, "length": length})
