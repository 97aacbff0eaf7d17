"""A tiny test client over the fake Bot API: people who send messages and press buttons.

In the spirit of aiogram_dialog's test client: `await user.send("/start")`, then
`await user.replies()` to read what the bot answered, and `await user.press("Yes")` to tap an
inline button by its label. Updates look like Telegram's: increasing update_id, int dates,
`from` with is_bot false, commands with their bot_command entity, callback queries with the
message they are attached to.
"""

from __future__ import annotations

import copy
import secrets
import time
from typing import TYPE_CHECKING, Any

from .records import CallbackQueryRecord, Reply, StoredMessage, inline_rows
from .telegram_html import utf16_length

if TYPE_CHECKING:
    from .server import FakeTelegram


def _is_word_character(char: str) -> bool:
    return char.isalnum() or char == "_"


def _is_command_character(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char == "_")


def bot_command_entities(text: str) -> list[dict[str, Any]]:
    """The bot_command entities Telegram marks in a message (tdlib's match_bot_commands)."""
    entities = []
    size = len(text)
    position = text.find("/")
    while position != -1:
        start = position
        previous = text[start - 1] if start > 0 else ""
        end = start + 1
        if previous and (_is_word_character(previous) or previous in "/<>"):
            position = text.find("/", start + 1)
            continue
        while end < size and _is_command_character(text[end]):
            end += 1
        valid = 1 <= end - start - 1 <= 64
        if valid and end < size and text[end] == "@":
            mention_end = end + 1
            while mention_end < size and _is_command_character(text[mention_end]):
                mention_end += 1
            valid = 3 <= mention_end - end - 1 <= 32
            end = mention_end
        following = text[end] if end < size else ""
        if valid and not (following and (_is_word_character(following) or following in "/<>")):
            entities.append(
                {
                    "type": "bot_command",
                    "offset": utf16_length(text[:start]),
                    "length": utf16_length(text[start:end]),
                }
            )
        position = text.find("/", max(end, start + 1))
    return entities


def _file_ids(prefix: str) -> tuple[str, str]:
    """A (file_id, file_unique_id) pair shaped like Telegram's."""
    return (
        f"{prefix}AgADBAADAAECAAMCAAN5AAM" + secrets.token_urlsafe(24),
        "AQAD" + secrets.token_urlsafe(9),
    )


class ChatView:
    """What the bot showed in one chat, read as the user sees it."""

    def __init__(self, tg: FakeTelegram, chat_id: int) -> None:
        self.tg = tg
        self.chat_id = chat_id
        self._cursor = 0
        # The update_id of the newest message or press sent in this chat (see tg.confirmed).
        self.last_update_id: int | None = None

    def _events(self) -> list[Reply]:
        state = self.tg.chats.get(self.chat_id)
        return state.events if state is not None else []

    async def replies(
        self,
        n: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109 - a deadline, like aiogram_dialog's
    ) -> list[Reply]:
        """Wait for the next `n` new bot messages or edits in this chat; return exactly those.

        Anything beyond `n` stays unread for the next call (see `unread()`).
        """
        arrived = await self.tg.wait_for(lambda: len(self._events()) - self._cursor >= n, timeout)
        if not arrived:
            got = self._events()[self._cursor :]
            shown = "\n".join(f"  {r.kind} {r.message_id}: {r.text!r}" for r in got) or "  nothing"
            problems = self.tg.describe_problems()
            raise AssertionError(
                f"expected {n} new bot message(s) or edit(s) in chat {self.chat_id} "
                f"within {timeout}s, got {len(got)}:\n{shown}"
                + (f"\n{problems}" if problems else "")
            )
        replies = self._events()[self._cursor : self._cursor + n]
        self._cursor += n
        return list(replies)

    async def reply(
        self,
        timeout: float = 5.0,  # noqa: ASYNC109 - a deadline, like aiogram_dialog's
    ) -> Reply:
        """The next single new bot message or edit in this chat."""
        (reply,) = await self.replies(1, timeout)
        return reply

    def unread(self) -> list[Reply]:
        """Every bot message or edit not yet returned by replies()/unread(), without waiting."""
        replies = self._events()[self._cursor :]
        self._cursor += len(replies)
        return list(replies)

    def bot_messages(self) -> list[StoredMessage]:
        """The bot's messages in this chat as they are now (deleted ones left out)."""
        state = self.tg.chats.get(self.chat_id)
        return state.bot_messages() if state is not None else []

    def last_message(self) -> Reply:
        """The bot's newest message in this chat, as it looks now."""
        messages = self.bot_messages()
        if not messages:
            raise AssertionError(f"the bot has sent nothing to chat {self.chat_id}")
        return Reply.of(messages[-1], "message")

    def buttons(self) -> list[str]:
        """Labels of the newest inline keyboard in this chat ([] if there is none)."""
        message = self.tg.latest_keyboard_message(self.chat_id)
        return Reply.of(message, "message").buttons if message is not None else []

    def unanswered_callback_queries(self) -> list[CallbackQueryRecord]:
        return [q for q in self.tg.unanswered_callback_queries() if q.chat_id == self.chat_id]

    # -- shared by private chats and groups

    def _post(self, sender: FakeUser, content: dict[str, Any]) -> dict[str, Any]:
        state = self.tg.chats.get(self.chat_id)
        if state is None:
            state = self.tg.register_chat(self._chat_object())
        message_id = state.allocate_message_id()
        message = {
            "message_id": message_id,
            "from": sender.as_user,
            "chat": copy.deepcopy(state.chat),
            "date": int(time.time()),
            **content,
        }
        state.messages[message_id] = StoredMessage(
            self.chat_id, message_id, from_bot=False, date=message["date"], payload=message
        )
        self.last_update_id = self.tg.enqueue_update({"message": message})["update_id"]
        return copy.deepcopy(message)

    def _chat_object(self) -> dict[str, Any]:
        return self.tg.chat(self.chat_id).chat

    def _text_content(self, text: str) -> dict[str, Any]:
        if not text:
            raise ValueError("Telegram never delivers an empty text message")
        content: dict[str, Any] = {"text": text}
        entities = bot_command_entities(text)
        if entities:
            content["entities"] = entities
        return content

    def _press(
        self, sender: FakeUser, label: str, message_id: int | None, forged: str | None = None
    ) -> CallbackQueryRecord:
        if message_id is None:
            message = self.tg.latest_keyboard_message(self.chat_id)
            if message is None:
                raise AssertionError(f"the bot shows no inline keyboard in chat {self.chat_id}")
        else:
            state = self.tg.chats.get(self.chat_id)
            found = state.messages.get(message_id) if state is not None else None
            if found is None or not found.from_bot or found.deleted:
                raise AssertionError(f"no bot message {message_id} in chat {self.chat_id}")
            message = found
        buttons = [b for row in inline_rows(message.reply_markup) for b in row]
        matches = [b for b in buttons if b.get("text") == label]
        labels = [b.get("text") for b in buttons]
        if not matches:
            raise AssertionError(
                f"no inline button {label!r} on message {message.message_id} in chat "
                f"{self.chat_id}; its buttons are {labels}"
            )
        if len(matches) > 1:
            raise AssertionError(f"{len(matches)} buttons labelled {label!r}: {labels}")
        data = matches[0].get("callback_data") if forged is None else forged
        if not isinstance(data, str):
            kind = next(k for k in matches[0] if k not in {"text", "style", "icon_custom_emoji_id"})
            raise AssertionError(f"button {label!r} is a {kind} button; it sends no callback query")
        return self._send_callback(sender, message, data, label)

    def _send_callback(
        self, sender: FakeUser, message: StoredMessage, data: str, label: str
    ) -> CallbackQueryRecord:
        query_id = str(4_000_000_000_000_000_000 + self.tg.bot_id * 1000 + self.tg.next_id())
        self.last_update_id = self.tg.enqueue_update(
            {
                "callback_query": {
                    "id": query_id,
                    "from": sender.as_user,
                    "message": message.to_api(),
                    "chat_instance": str(-(abs(self.chat_id * 7_919 + self.tg.bot_id) % 10**18)),
                    "data": data,
                }
            }
        )["update_id"]
        record = CallbackQueryRecord(
            id=query_id,
            user_id=sender.user_id,
            chat_id=self.chat_id,
            message_id=message.message_id,
            data=data,
            label=label,
        )
        self.tg.callback_queries[query_id] = record
        return record


class FakeUser(ChatView):
    """A person in a private chat with the bot (chat id == user id)."""

    def __init__(
        self,
        tg: FakeTelegram,
        *,
        user_id: int,
        first_name: str,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str = "en",
    ) -> None:
        super().__init__(tg, user_id)
        self.user_id = user_id
        self.first_name = first_name
        self.last_name = last_name
        self.username = username
        self.language_code = language_code

    @property
    def as_user(self) -> dict[str, Any]:
        """The User object Telegram puts in `from`."""
        user: dict[str, Any] = {"id": self.user_id, "is_bot": False, "first_name": self.first_name}
        if self.last_name is not None:
            user["last_name"] = self.last_name
        if self.username is not None:
            user["username"] = self.username
        user["language_code"] = self.language_code
        return user

    @property
    def chat(self) -> dict[str, Any]:
        """The private Chat object."""
        chat: dict[str, Any] = {"id": self.user_id, "first_name": self.first_name}
        if self.last_name is not None:
            chat["last_name"] = self.last_name
        if self.username is not None:
            chat["username"] = self.username
        chat["type"] = "private"
        return chat

    def _chat_object(self) -> dict[str, Any]:
        return self.chat

    async def send(self, text: str) -> dict[str, Any]:
        """Send a text message; a `/command` carries its bot_command entity. Returns the Message."""
        return self._post(self, self._text_content(text))

    async def edit(self, message_id: int, text: str) -> dict[str, Any]:
        """Edit one of this user's text messages; the bot gets an edited_message update."""
        state = self.tg.chats.get(self.chat_id)
        stored = state.messages.get(message_id) if state is not None else None
        if stored is None or stored.from_bot or "text" not in stored.payload:
            raise AssertionError(f"user {self.user_id} has no text message {message_id} to edit")
        payload = stored.payload
        payload.pop("entities", None)
        payload.update(self._text_content(text))
        payload["edit_date"] = max(int(time.time()), payload["date"])
        self.tg.enqueue_update({"edited_message": payload})
        return copy.deepcopy(payload)

    async def send_photo(
        self, caption: str | None = None, *, data: bytes | None = None
    ) -> dict[str, Any]:
        """Send a photo. With `data`, its largest size is those bytes, which the bot can fetch
        (getFile, then a download); without, its file_ids are ones getFile refuses."""
        sizes = []
        for width, height, size in ((90, 51, 1_274), (320, 180, 14_027), (800, 450, 61_418)):
            file_id, unique_id = _file_ids("AgAC")
            sizes.append(
                {
                    "file_id": file_id,
                    "file_unique_id": unique_id,
                    "file_size": size,
                    "width": width,
                    "height": height,
                }
            )
        if data is not None:
            stored = self.tg.files.add(
                data, prefix="AgAC", folder="photos", suffix=".jpg", size=None
            )
            sizes[-1].update(
                file_id=stored.file_id, file_unique_id=stored.file_unique_id, file_size=len(data)
            )
        content: dict[str, Any] = {"photo": sizes}
        if caption:
            content["caption"] = caption
        return self._post(self, content)

    async def send_sticker(self, emoji: str = "👍") -> dict[str, Any]:
        file_id, unique_id = _file_ids("CAAC")
        thumb_id, thumb_unique_id = _file_ids("AAMC")
        return self._post(
            self,
            {
                "sticker": {
                    "width": 512,
                    "height": 512,
                    "emoji": emoji,
                    "set_name": "HotCherry",
                    "is_animated": False,
                    "is_video": False,
                    "type": "regular",
                    "thumbnail": {
                        "file_id": thumb_id,
                        "file_unique_id": thumb_unique_id,
                        "file_size": 5_416,
                        "width": 128,
                        "height": 128,
                    },
                    "file_id": file_id,
                    "file_unique_id": unique_id,
                    "file_size": 21_340,
                }
            },
        )

    async def send_voice(self, duration: int = 3) -> dict[str, Any]:
        file_id, unique_id = _file_ids("AwAC")
        return self._post(
            self,
            {
                "voice": {
                    "duration": duration,
                    "mime_type": "audio/ogg",
                    "file_id": file_id,
                    "file_unique_id": unique_id,
                    "file_size": 6_000 * duration,
                }
            },
        )

    async def send_document(
        self,
        file_name: str = "nomination.pdf",
        mime_type: str = "application/pdf",
        caption: str | None = None,
        *,
        data: bytes | None = None,
        file_size: int | None = None,
    ) -> dict[str, Any]:
        """Send a file. With `data`, the bot can fetch those bytes; `file_size` is what the
        message claims (by default the data's length, or 48,213 bytes without data)."""
        if data is None:
            file_id, unique_id = _file_ids("BQAC")
            size = 48_213 if file_size is None else file_size
        else:
            suffix = file_name[file_name.rfind(".") :] if "." in file_name else ""
            stored = self.tg.files.add(
                data, prefix="BQAC", folder="documents", suffix=suffix, size=file_size
            )
            file_id, unique_id, size = stored.file_id, stored.file_unique_id, stored.file_size
        content: dict[str, Any] = {
            "document": {
                "file_name": file_name,
                "mime_type": mime_type,
                "file_id": file_id,
                "file_unique_id": unique_id,
                "file_size": size,
            }
        }
        if caption:
            content["caption"] = caption
        return self._post(self, content)

    async def send_location(
        self, latitude: float = 51.507351, longitude: float = -0.127758
    ) -> dict[str, Any]:
        return self._post(self, {"location": {"latitude": latitude, "longitude": longitude}})

    async def send_contact(
        self,
        phone_number: str = "447700900123",
        first_name: str | None = None,
        last_name: str | None = None,
    ) -> dict[str, Any]:
        """Share a contact; by default the user's own (as a request_contact button sends it)."""
        contact: dict[str, Any] = {
            "phone_number": phone_number,
            "first_name": first_name or self.first_name,
        }
        if last_name is not None:
            contact["last_name"] = last_name
        if first_name is None:
            contact["user_id"] = self.user_id
        return self._post(self, {"contact": contact})

    async def press(self, label: str, *, message_id: int | None = None) -> CallbackQueryRecord:
        """Tap the inline button `label` on the newest keyboard (or on message `message_id`)."""
        return self._press(self, label, message_id)

    async def press_forged(self, label: str, data: str) -> CallbackQueryRecord:
        """Tap `label` on the newest keyboard, but send `data` instead of the button's own, as
        a modified client can: callback data is whatever the client says it is."""
        return self._press(self, label, None, forged=data)

    async def press_data(self, data: str) -> CallbackQueryRecord:
        """A callback query with `data` the bot never put on a button (a modified client's),
        from the bot's latest message with a keyboard."""
        message = self.tg.latest_keyboard_message(self.chat_id)
        if message is None:
            raise AssertionError(f"the bot shows no inline keyboard in chat {self.chat_id}")
        return self._send_callback(self, message, data, label=f"(forged {data!r})")

    async def send_content(self, content: dict[str, Any]) -> dict[str, Any]:
        """Send a message of any other kind Telegram delivers (video_note, poll, dice, a forward,
        a reply): `content` is the Message's fields besides its id, sender, chat and date."""
        return self._post(self, content)


class FakeGroup(ChatView):
    """A group or supergroup the bot is in; people in it send and press as themselves."""

    @property
    def chat(self) -> dict[str, Any]:
        return self.tg.chat(self.chat_id).chat

    async def send(self, user: FakeUser, text: str) -> dict[str, Any]:
        return self._post(user, self._text_content(text))

    async def press(
        self, user: FakeUser, label: str, *, message_id: int | None = None
    ) -> CallbackQueryRecord:
        return self._press(user, label, message_id)
