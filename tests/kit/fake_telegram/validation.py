"""Telegram's rules for message text, keyboards and bot commands, with Telegram's error texts.

Where the fake words an error itself (Telegram's exact text is not known to us), the text still
starts with "Bad Request: " and names the rule.
"""

from __future__ import annotations

import re
from typing import Any

from .spec import ApiSpec, BotApiError, bad_request
from .telegram_html import HtmlParseError, ParsedText, parse_html, utf16_length

MAX_MESSAGE_LENGTH = 4096  # UTF-16 code units, after entities parsing
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER_LENGTH = 200
MAX_INLINE_BUTTONS = 100
MAX_COMMANDS = 100
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
# tdlib trims these (td::is_space) from both ends of a message.
_TRIM = " \t\r\n\v\0"
# Fields of InlineKeyboardButton that are not the button's action.
_BUTTON_DECORATION = frozenset({"text", "icon_custom_emoji_id", "style"})
_ENTITY_TYPES = frozenset(
    {
        "mention",
        "hashtag",
        "cashtag",
        "bot_command",
        "url",
        "email",
        "phone_number",
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "spoiler",
        "blockquote",
        "expandable_blockquote",
        "code",
        "pre",
        "text_link",
        "text_mention",
        "custom_emoji",
        "date_time",
    }
)
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)


def format_text(
    text: str, parse_mode: str | None, entities: Any, *, strict_html: bool
) -> ParsedText:
    """Apply parse_mode (or explicit entities), trim, and check the 1-4096 length rule."""
    if entities is not None:
        parsed = ParsedText(text, _check_entities(entities, text))
    elif parse_mode is None:
        parsed = ParsedText(text, [])
    elif parse_mode.lower() == "html":
        try:
            parsed = parse_html(text, strict=strict_html)
        except HtmlParseError as exc:
            raise bad_request(f"can't parse entities: {exc.reason}") from None
    elif parse_mode.lower() in {"markdown", "markdownv2"}:
        raise bad_request(f"the fake Bot API implements parse_mode HTML only, not {parse_mode}")
    else:
        raise bad_request(f"unsupported parse_mode {parse_mode}")
    parsed = _trim(parsed)
    if not parsed.text:
        raise bad_request("message must be non-empty")
    if utf16_length(parsed.text) > MAX_MESSAGE_LENGTH:
        raise bad_request("message is too long")
    return parsed


def _check_entities(entities: Any, text: str) -> list[dict[str, Any]]:
    if not isinstance(entities, list):
        raise bad_request("can't parse entities JSON object")
    length = utf16_length(text)
    checked = []
    for entity in entities:
        if not isinstance(entity, dict) or entity.get("type") not in _ENTITY_TYPES:
            raise bad_request("can't parse MessageEntity: unsupported entity type")
        offset, size = entity.get("offset"), entity.get("length")
        if not isinstance(offset, int) or not isinstance(size, int) or offset < 0 or size < 0:
            raise bad_request("can't parse MessageEntity: wrong offset or length")
        if offset + size > length:
            raise bad_request("entity ends after the end of the text")
        if size > 0:
            checked.append(dict(entity))
    return checked


def _trim(parsed: ParsedText) -> ParsedText:
    """Drop leading and trailing whitespace as Telegram does, moving the entities with the text."""
    text = parsed.text
    left = len(text) - len(text.lstrip(_TRIM))
    stripped = text.strip(_TRIM)
    if stripped == text:
        return parsed
    shift = utf16_length(text[:left])
    new_length = utf16_length(stripped)
    entities = []
    for entity in parsed.entities:
        start = max(entity["offset"] - shift, 0)
        end = min(entity["offset"] + entity["length"] - shift, new_length)
        if end > start:
            entities.append({**entity, "offset": start, "length": end - start})
    return ParsedText(stripped, entities)


def check_reply_markup(markup: Any, spec: ApiSpec, *, inline_only: bool) -> dict[str, Any] | None:
    """Validate reply_markup; return the inline keyboard to keep on the message, if any."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        return _check_inline_keyboard(markup["inline_keyboard"], spec)
    if inline_only:
        raise bad_request("inline keyboard expected")
    if "keyboard" in markup:
        _check_reply_keyboard(markup["keyboard"])
    elif "remove_keyboard" in markup:
        if markup["remove_keyboard"] is not True:
            raise bad_request('field "remove_keyboard" must be true')
    elif "force_reply" in markup:
        if markup["force_reply"] is not True:
            raise bad_request('field "force_reply" must be true')
    else:
        raise bad_request("can't parse reply keyboard markup JSON object")
    return None


def _check_inline_keyboard(rows: Any, spec: ApiSpec) -> dict[str, Any] | None:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(
            'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'
        )
    actions = [
        n for n in spec.type_field_names("InlineKeyboardButton") if n not in _BUTTON_DECORATION
    ]
    kept_rows = []
    count = 0
    for row in rows:
        kept_row = []
        for button in row:
            count += 1
            kept_row.append(_check_inline_button(button, actions))
        if kept_row:
            kept_rows.append(kept_row)
    if count > MAX_INLINE_BUTTONS:
        raise bad_request("REPLY_MARKUP_TOO_LONG")
    return {"inline_keyboard": kept_rows} if kept_rows else None


def _button_error(reason: str) -> BotApiError:
    return bad_request(f"can't parse inline keyboard button: {reason}")


def _check_inline_button(button: Any, actions: list[str]) -> dict[str, Any]:
    if not isinstance(button, dict):
        raise _button_error("InlineKeyboardButton must be an Object")
    if "text" not in button:
        raise _button_error('Can\'t find field "text"')
    if not isinstance(button["text"], str):
        raise _button_error('Field "text" must be of type String')
    if not button["text"].strip():
        raise bad_request("BUTTON_TEXT_INVALID (inline keyboard button text is empty)")
    # The Bot API treats an empty string like a missing field.
    present = [name for name in actions if button.get(name) not in (None, "")]
    if not present:
        raise _button_error("Text buttons are unallowed in the inline keyboard")
    if len(present) > 1:
        raise _button_error(
            f"exactly one of the optional fields must be used, found {', '.join(present)}"
        )
    action = present[0]
    value = button[action]
    if action == "callback_data":
        if not isinstance(value, str):
            raise _button_error('Field "callback_data" must be of type String')
        if len(value.encode("utf-8")) > MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
    elif action == "url" and (
        not isinstance(value, str) or not re.match(r"(?i)(https?|tg)://\S+$", value)
    ):
        raise bad_request(f"inline keyboard button URL '{value}' is invalid")
    return {k: v for k, v in button.items() if v is not None}


def _check_reply_keyboard(rows: Any) -> None:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('field "keyboard" of the ReplyKeyboardMarkup must be an Array of Arrays')
    for row in rows:
        for button in row:
            label = button.get("text") if isinstance(button, dict) else button
            if not isinstance(label, str):
                raise bad_request(
                    'can\'t parse keyboard button: Field "text" must be of type String'
                )
            if not label.strip():
                raise bad_request("keyboard button text is empty")


def check_callback_answer_text(text: Any) -> None:
    if text is not None and utf16_length(str(text)) > MAX_CALLBACK_ANSWER_LENGTH:
        raise bad_request("MESSAGE_TOO_LONG")


def check_commands(commands: Any) -> list[dict[str, str]]:
    """Validate setMyCommands' list: 1-32 chars [a-z0-9_] command, 1-256 char description, ≤100."""
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    if len(commands) > MAX_COMMANDS:
        raise bad_request("BOT_COMMANDS_TOO_MUCH")
    checked = []
    for item in commands:
        if not isinstance(item, dict):
            raise bad_request("can't parse BotCommand: BotCommand must be an Object")
        command, description = item.get("command"), item.get("description")
        if not isinstance(command, str) or not _COMMAND.fullmatch(command):
            raise bad_request("BOT_COMMAND_INVALID")
        if not isinstance(description, str) or not description.strip() or len(description) > 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        checked.append({"command": command, "description": description})
    return checked
