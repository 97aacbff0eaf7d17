"""What the fake Bot API remembers: requests, chats, messages with their edits, callback queries."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass
class RecordedRequest:
    """One HTTP request to the fake, decoded, with the answer it got."""

    method: str  # canonical Bot API name, or the path as sent when unknown
    params: dict[str, Any]  # decoded by the documented types (reply_markup is a dict, …)
    raw_params: dict[str, Any]  # as received: strings for form fields
    content_type: str
    status: int = 0  # HTTP status of the answer; 499 when the client went away first
    description: str | None = None  # Telegram's error description, None on success
    result: Any = None
    requested_failure: bool = False  # answered with an error the test asked for (fail_next)
    note: str | None = None  # the fake's own remark, e.g. a Bot API method it does not implement

    @property
    def ok(self) -> bool:
        return self.status == 200

    def summary(self) -> str:
        params = {k: v for k, v in self.params.items() if k != "reply_markup"}
        text = repr(params)
        if len(text) > 300:
            text = text[:300] + "…"
        outcome = "ok" if self.ok else f"{self.status} {self.description}"
        note = f" [{self.note}]" if self.note else ""
        return f"{self.method} {text} -> {outcome}{note}"


@dataclass(frozen=True)
class MessageVersion:
    """A bot message's content at one point: as the user sees it, and as the bot sent it."""

    text: str
    entities: tuple[dict[str, Any], ...]
    source_text: str  # the `text` parameter as sent (the HTML, when parse_mode=HTML)
    parse_mode: str | None
    reply_markup: dict[str, Any] | None  # only inline keyboards stay attached to a message
    edit_date: int | None = None


@dataclass
class StoredMessage:
    """A message in a chat, from the bot or from a user, with the bot's edit history."""

    chat_id: int
    message_id: int
    from_bot: bool
    date: int
    # A user's message: the whole Message object. A bot's: all but text, entities,
    # reply_markup and edit_date, which live in `versions` (oldest first).
    payload: dict[str, Any]
    versions: list[MessageVersion] = field(default_factory=list)
    deleted: bool = False

    @property
    def current(self) -> MessageVersion:
        return self.versions[-1]

    @property
    def text(self) -> str:
        return self.current.text

    @property
    def html(self) -> str:
        return self.current.source_text

    @property
    def reply_markup(self) -> dict[str, Any] | None:
        return self.current.reply_markup

    @property
    def edited(self) -> bool:
        return len(self.versions) > 1

    def to_api(self) -> dict[str, Any]:
        """The Message object as Telegram returns it now."""
        message = copy.deepcopy(self.payload)
        if not self.from_bot:
            return message  # a user's message keeps its whole content in `payload`
        version = self.current
        message["text"] = version.text
        if version.entities:
            message["entities"] = copy.deepcopy(list(version.entities))
        if version.reply_markup is not None:
            message["reply_markup"] = copy.deepcopy(version.reply_markup)
        if version.edit_date is not None:
            message["edit_date"] = version.edit_date
        return message


def inline_rows(reply_markup: dict[str, Any] | None) -> list[list[dict[str, Any]]]:
    if not reply_markup:
        return []
    rows = reply_markup.get("inline_keyboard")
    return rows if isinstance(rows, list) else []


@dataclass(frozen=True)
class Reply:
    """Something the bot showed in a chat: a new message or an edit of one, as the user sees it."""

    kind: Literal["message", "edit"]
    chat_id: int
    message_id: int
    text: str
    entities: tuple[dict[str, Any], ...]
    html: str  # the text as the bot sent it
    parse_mode: str | None
    reply_markup: dict[str, Any] | None

    @property
    def button_rows(self) -> list[list[str]]:
        return [[button["text"] for button in row] for row in inline_rows(self.reply_markup)]

    @property
    def buttons(self) -> list[str]:
        """Labels of the inline keyboard, row by row, flattened."""
        return [label for row in self.button_rows for label in row]

    def callback_data(self, label: str) -> str | None:
        for row in inline_rows(self.reply_markup):
            for button in row:
                if button.get("text") == label:
                    data = button.get("callback_data")
                    return data if isinstance(data, str) else None
        return None

    @classmethod
    def of(
        cls, message: StoredMessage, kind: Literal["message", "edit"], version: int = -1
    ) -> Reply:
        content = message.versions[version]
        return cls(
            kind=kind,
            chat_id=message.chat_id,
            message_id=message.message_id,
            text=content.text,
            entities=content.entities,
            html=content.source_text,
            parse_mode=content.parse_mode,
            reply_markup=content.reply_markup,
        )


@dataclass
class CallbackQueryRecord:
    """A button press the fake delivered, and the bot's answer to it (if any)."""

    id: str
    user_id: int
    chat_id: int
    message_id: int
    data: str
    label: str
    answered: bool = False
    answer: dict[str, Any] | None = None


@dataclass
class ChatState:
    """A chat the bot can write to, with every message in it and what the bot showed, in order."""

    chat: dict[str, Any]  # the Chat object as it appears in updates
    messages: dict[int, StoredMessage] = field(default_factory=dict)
    events: list[Reply] = field(default_factory=list)  # bot messages and edits, in order
    next_message_id: int = 1

    @property
    def id(self) -> int:
        chat_id = self.chat["id"]
        assert isinstance(chat_id, int)
        return chat_id

    def allocate_message_id(self) -> int:
        message_id = self.next_message_id
        self.next_message_id += 1
        return message_id

    def bot_messages(self, *, include_deleted: bool = False) -> list[StoredMessage]:
        return [
            m for m in self.messages.values() if m.from_bot and (include_deleted or not m.deleted)
        ]
