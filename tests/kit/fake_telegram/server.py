"""A fake Telegram Bot API server on 127.0.0.1 for the real python-telegram-bot to talk to.

It answers the methods the nomination bot uses the way Telegram does, including Telegram's
refusals (HTML it can't parse, over-long text, oversized callback_data, "message is not
modified", a callback query answered twice, unknown chats, flood control on request), and it
records every request and every message, so tests can assert on what the user saw.
"""

from __future__ import annotations

import asyncio
import copy
import json
import math
import random
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Self

from aiohttp import web

from .files import FakeFiles
from .records import (
    CallbackQueryRecord,
    ChatState,
    MessageVersion,
    RecordedRequest,
    Reply,
    StoredMessage,
    inline_rows,
)
from .spec import BotApiError, bad_request, load_spec
from .telegram_html import ParsedText, utf16_length
from .validation import (
    CHAT_ACTIONS,
    check_callback_answer_text,
    check_commands,
    check_reply_markup,
    format_text,
)

if TYPE_CHECKING:
    from telegram.ext import ApplicationBuilder

    from .client import FakeGroup, FakeUser

DEFAULT_TOKEN = "123456:TEST-TOKEN"
DEFAULT_UPDATE_TYPES = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
    }
)
_MISSING_PARAMETER = {
    "chat_id": "chat_id is empty",
    "text": "message text is empty",
    "message_id": "message identifier is not specified",
    "callback_query_id": "query is too old and response timeout expired or query ID is invalid",
}
# Parameters the spec marks required that the Bot API also accepts empty.
_MAY_BE_EMPTY = {("setWebhook", "url")}
# A getUpdates cut short by a newer one gets this long to notice its client went away
# before it is answered 409, as a second bot instance polling would be.
_SUPERSEDED_GRACE = 0.05
_MAX_POLL_TIMEOUT = 50.0
_COMMAND_SCOPES = frozenset(
    {
        "default",
        "all_private_chats",
        "all_group_chats",
        "all_chat_administrators",
        "chat",
        "chat_administrators",
        "chat_member",
    }
)
_MAX_UPLOAD = 50 * 1024 * 1024  # bytes a bot may upload
_MAX_CAPTION = 1024  # characters of a caption, after parsing


@dataclass(frozen=True)
class SentDocument:
    """A file the bot sent, as the user would download it."""

    chat_id: int
    message_id: int
    file_name: str
    content: bytes


_FIRST_UPDATE_ID = 10_001

Handler = Callable[[dict[str, Any]], Coroutine[Any, Any, Any]]


def _now() -> int:
    return int(time.time())


class _Changes:
    """Wakes waiters whenever the fake's state changes (a request, an update, a message)."""

    def __init__(self) -> None:
        self._waiters: set[asyncio.Future[None]] = set()

    def notify(self) -> None:
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_result(None)
        self._waiters.clear()

    async def wait_until(
        self,
        predicate: Callable[[], bool],
        timeout: float,  # noqa: ASYNC109 - a deadline, like aiogram_dialog's
    ) -> bool:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            waiter: asyncio.Future[None] = loop.create_future()
            self._waiters.add(waiter)
            try:
                await asyncio.wait({waiter}, timeout=remaining)
            finally:
                self._waiters.discard(waiter)
                waiter.cancel()
        return True


@dataclass
class _Poll:
    superseded: bool = False


@dataclass
class _Failure:
    status: int
    description: str
    parameters: dict[str, Any] | None


class FakeTelegram:
    """The fake Bot API. Use as `async with FakeTelegram(token=...) as tg:`; see the package doc."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        bot_username: str = "nomination_test_bot",
        *,
        bot_first_name: str = "Nomination Test Bot",
        strict_html: bool = True,
        quiet_period: float = 0.1,
    ) -> None:
        bot_id, sep, _secret = token.partition(":")
        if not sep or not bot_id.isdigit():
            raise ValueError(f"a bot token looks like '123456:ABC…', not {token!r}")
        self.token = token
        self.bot_id = int(bot_id)
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.strict_html = strict_html
        self.quiet_period = quiet_period
        self.spec = load_spec()

        self.requests: list[RecordedRequest] = []
        self.chats: dict[int, ChatState] = {}
        self.callback_queries: dict[str, CallbackQueryRecord] = {}
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self.documents: list[SentDocument] = []  # files the bot sent, with their bytes
        self.webhook_url = ""
        self.dropped_updates: list[dict[str, Any]] = []  # filtered out by allowed_updates
        # Called with each request once its method is known, before it is answered (a test
        # may SIGKILL the bot at that moment: the request is still answered, as Telegram would).
        self.on_request: Callable[[RecordedRequest], None] | None = None

        self._pending: list[dict[str, Any]] = []
        self._next_update_id = _FIRST_UPDATE_ID
        self._delivered_up_to = 0
        self._allowed_updates = DEFAULT_UPDATE_TYPES
        self._failures: dict[str, list[_Failure]] = {}
        # Method -> when (time.monotonic()) the retry_after of a 429 it was answered runs out.
        self._flood_until: dict[str, float] = {}
        self._chaos: _Chaos | None = None
        self._changes = _Changes()
        self._polls: list[_Poll] = []
        self._in_flight = 0
        self._last_activity = time.monotonic()
        self._closing = False
        self._runner: web.AppRunner | None = None
        self._port = 0
        self._users: dict[int, FakeUser] = {}
        self._counter = 0
        self.files = FakeFiles()  # what users sent, for getFile and downloads

        self._methods: dict[str, Handler] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "deleteWebhook": self._delete_webhook,
            "setWebhook": self._set_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "sendMessage": self._send_message,
            "sendDocument": self._send_document,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback_query,
            "sendChatAction": self._send_chat_action,
            "getChat": self._get_chat,
            "getFile": self._get_file,
        }

    # ----------------------------------------------------------------- lifecycle

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{path:.*}", self._handle)
        # handler_cancellation: a long poll whose client gave up stops at once.
        self._runner = web.AppRunner(
            app, access_log=None, handler_cancellation=True, shutdown_timeout=1.0
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = self._runner.addresses[0][1]

    async def close(self) -> None:
        self._closing = True
        self._changes.notify()  # long polls return [] now
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def base_url(self) -> str:
        """What to pass to `ApplicationBuilder.base_url()`; the library appends token and method."""
        return f"http://127.0.0.1:{self._port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self._port}/file/bot"

    def application_builder(self) -> ApplicationBuilder[Any, Any, Any, Any, Any, Any]:
        """`Application.builder()` with this fake's token, base_url and base_file_url set."""
        from telegram.ext import Application

        return (
            Application.builder()
            .token(self.token)
            .base_url(self.base_url)
            .base_file_url(self.base_file_url)
        )

    # ----------------------------------------------------------------- test controls

    def user(
        self,
        user_id: int | None = None,
        first_name: str = "Alex",
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str = "en",
        chat_exists: bool = False,
    ) -> FakeUser:
        """A person in a private chat with the bot (chat id == user id).

        The chat exists for the bot once the user has sent something, or at once with
        `chat_exists=True`; until then the bot's messages to it fail with "chat not found".
        Asking again for a known user_id returns the same FakeUser (its names unchanged).
        """
        from .client import FakeUser

        if user_id is None:
            user_id = 100_000_000 + len(self._users) + 1
        existing = self._users.get(user_id)
        if existing is not None:
            return existing
        fake_user = FakeUser(
            self,
            user_id=user_id,
            first_name=first_name,
            last_name=last_name,
            username=username,
            language_code=language_code,
        )
        self._users[user_id] = fake_user
        if chat_exists:
            self.register_chat(fake_user.chat)
        return fake_user

    def group(
        self,
        chat_id: int = -1001234567890,
        title: str = "Ward 7 team",
        *,
        chat_type: str | None = None,
        username: str | None = None,
    ) -> FakeGroup:
        """A group the bot is a member of; a `-100…` id makes it a supergroup."""
        from .client import FakeGroup

        if chat_type is None:
            chat_type = "supergroup" if str(chat_id).startswith("-100") else "group"
        chat: dict[str, Any] = {"id": chat_id, "title": title, "type": chat_type}
        if username is not None:
            chat["username"] = username
        self.register_chat(chat)
        return FakeGroup(self, chat_id)

    def register_chat(self, chat: dict[str, Any]) -> ChatState:
        """Make a chat known to the bot (the Chat object as it appears in updates)."""
        state = self.chats.get(chat["id"])
        if state is None:
            state = ChatState(chat=dict(chat))
            self.chats[chat["id"]] = state
        return state

    def chat(self, chat_id: int) -> ChatState:
        try:
            return self.chats[chat_id]
        except KeyError:
            raise AssertionError(f"no chat {chat_id} in the fake Telegram") from None

    def fail_next(
        self,
        method: str,
        times: int = 1,
        retry_after: float = 1,
        *,
        error_code: int = 429,
        description: str | None = None,
    ) -> None:
        """Answer the next `times` calls of `method` with flood control (or another error).

        By default: 429 "Too Many Requests: retry after N" with parameters.retry_after, as
        Telegram does; until N seconds have passed, every call of `method` meets it again. These
        answers are not counted in `rejected`.
        """
        canonical = self.spec.canonical_method(method)
        if canonical is None:
            raise ValueError(f"{method!r} is not a Bot API method")
        if error_code == 429:
            failure = _Failure(
                429,
                description or f"Too Many Requests: retry after {retry_after:g}",
                {"retry_after": retry_after},
            )
        else:
            failure = _Failure(error_code, description or "Bad Request", None)
        self._failures.setdefault(canonical, []).extend(failure for _ in range(times))

    def fail_randomly(
        self,
        rate: float,
        *,
        methods: tuple[str, ...] = ("sendMessage", "editMessageText", "answerCallbackQuery"),
        seed: int = 1,
        retry_after: int = 1,
    ) -> None:
        """From now on, fail `rate` of the calls to `methods`, each in one of four ways, as a
        bad network and a busy Telegram do: 429 with retry_after, 502 Bad Gateway, a dropped
        connection before the call is done, and a "time-out" (the call done, then the connection
        dropped before the answer, so the bot cannot know it worked). `rate=0` stops it.

        None of these is counted in `rejected`; `chaos_log` lists what was done to which call.
        """
        canonical = {self.spec.canonical_method(m) or m for m in methods}
        self._chaos = _Chaos(rate, frozenset(canonical), random.Random(seed), retry_after)

    @property
    def chaos_log(self) -> list[tuple[str, str]]:
        """(method, fault) for each call fail_randomly spoiled, in order."""
        return list(self._chaos.log) if self._chaos is not None else []

    # ----------------------------------------------------------------- what happened

    @property
    def rejected(self) -> list[RecordedRequest]:
        """Requests answered with an error, except those the test asked for with fail_next."""
        return [r for r in self.requests if r.status not in (200, 499) and not r.requested_failure]

    @property
    def waiting_polls(self) -> int:
        """getUpdates calls held open now, until an update comes or their timeout is up."""
        return len(self._polls)

    def calls(self, method: str) -> list[RecordedRequest]:
        """The recorded requests of one method (name matched case-insensitively)."""
        canonical = self.spec.canonical_method(method) or method
        return [r for r in self.requests if r.method == canonical]

    def assert_no_rejections(self) -> None:
        rejected = self.rejected
        if rejected:
            lines = "\n".join(f"  {r.summary()}" for r in rejected)
            raise AssertionError(f"the fake Telegram rejected {len(rejected)} request(s):\n{lines}")

    def unanswered_callback_queries(self) -> list[CallbackQueryRecord]:
        return [q for q in self.callback_queries.values() if not q.answered]

    def assert_all_callbacks_answered(self) -> None:
        unanswered = self.unanswered_callback_queries()
        if unanswered:
            lines = "\n".join(
                f"  {q.label!r} (data {q.data!r}) pressed by {q.user_id} in chat {q.chat_id}"
                for q in unanswered
            )
            raise AssertionError(
                f"{len(unanswered)} callback query(ies) never answered "
                f"(the user's button keeps spinning):\n{lines}"
            )

    async def wait_idle(
        self,
        timeout: float = 5.0,  # noqa: ASYNC109 - a deadline, like aiogram_dialog's
        *,
        quiet: float | None = None,
        confirmed: bool = False,
    ) -> None:
        """Wait until every update was fetched and no request came in for `quiet` seconds.

        Long polls waiting with nothing to deliver do not count as activity. With `confirmed`,
        for a bot that confirms an update only once it is handled (bot/telegram/polling.py),
        idle also as soon as it has confirmed every update and no request is in flight: its
        replies to them are all sent by then.
        """
        quiet = self.quiet_period if quiet is None else quiet
        deadline = time.monotonic() + timeout
        while True:
            undelivered = self._undelivered()
            now = time.monotonic()
            done = confirmed and not self.webhook_url and not self._pending
            if (
                not undelivered
                and self._in_flight == 0
                and (done or now - self._last_activity >= quiet)
            ):
                return
            if now >= deadline:
                raise AssertionError(
                    f"the fake Telegram was not idle after {timeout}s: "
                    f"{len(undelivered)} update(s) not fetched by getUpdates "
                    f"(is the Application polling?), {self._in_flight} request(s) in flight"
                )
            await asyncio.sleep(0.01)

    async def wait_for(
        self,
        predicate: Callable[[], bool],
        timeout: float,  # noqa: ASYNC109 - a deadline, like aiogram_dialog's
    ) -> bool:
        """Wait until `predicate()` holds, re-checking whenever the fake's state changes."""
        return await self._changes.wait_until(predicate, timeout)

    def describe_problems(self) -> str:
        """Hints for a failed wait: rejected requests and updates nobody fetched."""
        hints = []
        undelivered = self._undelivered()
        if undelivered:
            hints.append(
                f"{len(undelivered)} update(s) were never fetched by getUpdates "
                "(is the Application polling?)"
            )
        if self.rejected:
            hints.append(
                "rejected requests:\n" + "\n".join(f"  {r.summary()}" for r in self.rejected)
            )
        return "\n".join(hints)

    # ----------------------------------------------------------------- updates in

    def enqueue_update(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Queue an update (e.g. `{"message": {...}}`) for getUpdates; assign its update_id."""
        update = {"update_id": self._next_update_id, **copy.deepcopy(payload)}
        self._next_update_id += 1
        kind = next(key for key in payload)
        if kind in self._allowed_updates:
            self._pending.append(update)
        else:
            self.dropped_updates.append(update)
        self._touch()
        self._changes.notify()
        return update

    def confirmed(self, update_id: int) -> bool:
        """Whether the bot has confirmed a queued update: a getUpdates offset has passed it, so
        Telegram has forgotten it (until `redeliver` queues it again)."""
        # Telegram forgets a prefix of its queue, which is kept in update_id order.
        return not self._pending or update_id < int(self._pending[0]["update_id"])

    def redeliver(self, update: dict[str, Any]) -> None:
        """Queue an update again with its own update_id, as Telegram does when the bot crashed
        before confirming it (the next getUpdates must not have confirmed past it)."""
        self._pending.append(copy.deepcopy(update))
        self._pending.sort(key=lambda u: int(u["update_id"]))
        self._delivered_up_to = min(self._delivered_up_to, int(update["update_id"]) - 1)
        self._touch()
        self._changes.notify()

    def next_id(self) -> int:
        self._counter += 1
        return self._counter

    def bot_user(self) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    def user_dict(self, user_id: int) -> dict[str, Any]:
        known = self._users.get(user_id)
        if known is not None:
            return known.as_user
        return {"id": user_id, "is_bot": False, "first_name": "User"}

    def _undelivered(self) -> list[dict[str, Any]]:
        return [u for u in self._pending if u["update_id"] > self._delivered_up_to]

    def _touch(self) -> None:
        self._last_activity = time.monotonic()

    # ----------------------------------------------------------------- HTTP

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if request.path.startswith("/file/"):
            return await self.files.serve(request, self.token)
        record = RecordedRequest(
            method=request.path, params={}, raw_params={}, content_type=request.content_type
        )
        self.requests.append(record)
        parts = request.path.split("/")
        counts_as_work = not (len(parts) == 3 and parts[2].lower() == "getupdates")
        if counts_as_work:
            self._in_flight += 1
        self._touch()
        try:
            result = await self._dispatch(request, parts, record)
        except BotApiError as exc:
            record.status, record.description = exc.status, exc.description
            body: dict[str, Any] = {
                "ok": False,
                "error_code": exc.status,
                "description": exc.description,
            }
            if exc.parameters:
                body["parameters"] = exc.parameters
        except asyncio.CancelledError:
            record.status = 499
            record.note = "the client closed the connection before the answer"
            raise
        except Exception as exc:  # a bug in the fake: make it loud, never a silent pass
            record.status, record.description = 500, "Internal Server Error"
            record.note = f"fake Telegram crashed: {exc!r}"
            body = {"ok": False, "error_code": 500, "description": "Internal Server Error"}
        else:
            record.status, record.result = 200, result
            body = {"ok": True, "result": result}
        finally:
            if counts_as_work:
                self._in_flight -= 1
            self._touch()
            self._changes.notify()
        return web.json_response(body, status=record.status)

    async def _dispatch(
        self, request: web.Request, parts: list[str], record: RecordedRequest
    ) -> Any:
        # The path is /bot<token>/<method>; Telegram answers 404 to anything else.
        if len(parts) != 3 or not parts[1].startswith("bot"):
            raise BotApiError(404, "Not Found")
        if parts[1].removeprefix("bot") != self.token:
            raise BotApiError(401, "Unauthorized")
        canonical = self.spec.canonical_method(parts[2])
        record.method = canonical or parts[2]
        raw = await self._read_params(request)
        record.raw_params = raw
        if canonical is None:
            raise BotApiError(404, "Not Found")
        if self.on_request is not None:
            self.on_request(record)
        handler = self._methods.get(canonical)
        if handler is None:
            record.note = "a Bot API method the fake does not implement"
            raise BotApiError(404, "Not Found")
        # As Telegram does, a call made before a 429's retry_after is up meets flood control
        # again: only a bot that waits it out gets through.
        left = self._flood_until.get(canonical, 0.0) - time.monotonic()
        if left > 0:
            record.requested_failure = True
            record.note = "called again before retry_after was up"
            seconds = math.ceil(left)
            raise BotApiError(
                429, f"Too Many Requests: retry after {seconds}", {"retry_after": seconds}
            )
        failures = self._failures.get(canonical)
        if failures:
            failure = failures.pop(0)
            record.requested_failure = True
            if failure.parameters is not None and "retry_after" in failure.parameters:
                wait = float(failure.parameters["retry_after"])
                self._flood_until[canonical] = time.monotonic() + wait
            raise BotApiError(failure.status, failure.description, failure.parameters)
        fault = self._chaos.pick(canonical) if self._chaos is not None else None
        if fault is not None:
            record.requested_failure = True
            record.note = f"fail_randomly: {fault}"
        if fault == "429":
            retry_after = self._chaos.retry_after if self._chaos is not None else 1
            raise BotApiError(
                429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
            )
        if fault == "502":
            raise BotApiError(502, "Bad Gateway")
        if fault == "drop":
            _drop_connection(request)
        params = self.spec.decode_params(canonical, raw)
        record.params = params
        self._check_required(canonical, params)
        result = await handler(params)
        if fault == "timeout":
            _drop_connection(request)
        return result

    async def _read_params(self, request: web.Request) -> dict[str, Any]:
        raw: dict[str, Any] = {}
        for key, value in request.query.items():
            raw.setdefault(key, value)
        if not request.body_exists:
            return raw
        if request.content_type == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise bad_request("can't parse JSON encoded request") from None
            if not isinstance(body, dict):
                raise bad_request("JSON encoded request must be an Object")
            raw.update(body)
        elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            form = await request.post()
            for key, field_value in form.items():
                if isinstance(field_value, web.FileField):
                    content = field_value.file.read()
                    field_value.file.close()
                    upload = {"file_name": field_value.filename, "size": len(content)}
                    raw.setdefault(key, {**upload, "content": content})
                else:
                    raw.setdefault(key, field_value)
        return raw

    def _check_required(self, method: str, params: dict[str, Any]) -> None:
        for field_spec in self.spec.methods[method].fields:
            if (
                field_spec.required
                and field_spec.name not in params
                and (method, field_spec.name) not in _MAY_BE_EMPTY
            ):
                reason = _MISSING_PARAMETER.get(field_spec.name, f"{field_spec.name} is required")
                raise bad_request(reason)

    # ----------------------------------------------------------------- methods

    async def _get_me(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            **self.bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook_url:
            raise BotApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = params.get("offset", 0)
        limit = min(max(params.get("limit", 100), 1), 100)
        timeout = min(max(float(params.get("timeout", 0)), 0.0), _MAX_POLL_TIMEOUT)
        if "allowed_updates" in params:
            allowed = params["allowed_updates"]
            if not isinstance(allowed, list):
                raise bad_request("can't parse allowed_updates JSON object")
            self._allowed_updates = frozenset(allowed) if allowed else DEFAULT_UPDATE_TYPES
        # Updates below the offset are confirmed and forgotten; a negative offset keeps the
        # last -offset updates.
        if offset > 0:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        elif offset < 0:
            self._pending = self._pending[offset:]

        for other in self._polls:
            other.superseded = True
        poll = _Poll()
        self._polls.append(poll)
        self._changes.notify()
        try:
            await self._changes.wait_until(
                lambda: bool(self._pending) or poll.superseded or self._closing, timeout
            )
            if poll.superseded and not self._closing:
                await asyncio.sleep(_SUPERSEDED_GRACE)  # a client that left is cancelled here
                raise BotApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
        finally:
            self._polls.remove(poll)
        updates = copy.deepcopy(self._pending[:limit])
        if updates:
            self._delivered_up_to = max(self._delivered_up_to, updates[-1]["update_id"])
        return updates

    async def _delete_webhook(self, params: dict[str, Any]) -> bool:
        self.webhook_url = ""
        if params.get("drop_pending_updates"):
            self._pending.clear()
        return True

    async def _set_webhook(self, params: dict[str, Any]) -> bool:
        self.webhook_url = params.get("url", "")
        if params.get("drop_pending_updates"):
            self._pending.clear()
        return True

    async def _get_webhook_info(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }

    def _commands_key(self, params: dict[str, Any]) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        if not isinstance(scope, dict) or scope.get("type") not in _COMMAND_SCOPES:
            raise bad_request("can't parse BotCommandScope JSON object")
        if scope["type"] in ("chat", "chat_administrators", "chat_member"):
            # Telegram knows the chat only once the user has started the bot.
            scope = {**scope, "chat_id": self._find_chat(scope.get("chat_id")).id}
        if scope["type"] == "chat_member" and not isinstance(scope.get("user_id"), int):
            raise bad_request("can't parse BotCommandScope JSON object")
        language = params.get("language_code", "")
        if language and (len(language) != 2 or not language.isalpha()):
            raise bad_request("LANG_CODE_INVALID")
        return json.dumps(scope, sort_keys=True), language

    async def _set_my_commands(self, params: dict[str, Any]) -> bool:
        key = self._commands_key(params)
        self.commands[key] = check_commands(params["commands"])
        return True

    async def _get_my_commands(self, params: dict[str, Any]) -> list[dict[str, str]]:
        return copy.deepcopy(self.commands.get(self._commands_key(params), []))

    async def _delete_my_commands(self, params: dict[str, Any]) -> bool:
        self.commands.pop(self._commands_key(params), None)
        return True

    def _find_chat(self, chat_id: Any) -> ChatState:
        if isinstance(chat_id, int):
            state = self.chats.get(chat_id)
            if state is not None:
                return state
        elif isinstance(chat_id, str) and chat_id.startswith("@"):
            for state in self.chats.values():
                if state.chat.get("username", "").lower() == chat_id[1:].lower():
                    return state
        raise bad_request("chat not found")

    def _with_users(self, entities: list[dict[str, Any]]) -> tuple[dict[str, Any], ...]:
        """Fill in text_mention users the way Telegram returns them (full User objects)."""
        filled = []
        for entity in entities:
            if entity["type"] == "text_mention":
                entity = {**entity, "user": self.user_dict(entity["user"]["id"])}
            filled.append(entity)
        return tuple(filled)

    async def _send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._find_chat(params["chat_id"])
        parsed = format_text(
            params["text"],
            params.get("parse_mode"),
            params.get("entities"),
            strict_html=self.strict_html,
        )
        markup = check_reply_markup(params.get("reply_markup"), self.spec, inline_only=False)
        reply_to = self._reply_target(chat, params.get("reply_parameters"))
        date = _now()
        message_id = chat.allocate_message_id()
        payload: dict[str, Any] = {
            "message_id": message_id,
            "from": self.bot_user(),
            "chat": copy.deepcopy(chat.chat),
            "date": date,
        }
        if reply_to is not None:
            payload["reply_to_message"] = reply_to.to_api()
        message = StoredMessage(chat.id, message_id, from_bot=True, date=date, payload=payload)
        message.versions.append(
            MessageVersion(
                text=parsed.text,
                entities=self._with_users(parsed.entities),
                source_text=params["text"],
                parse_mode=params.get("parse_mode"),
                reply_markup=markup,
            )
        )
        chat.messages[message_id] = message
        chat.events.append(Reply.of(message, "message"))
        return message.to_api()

    async def _send_document(self, params: dict[str, Any]) -> dict[str, Any]:
        """A file uploaded with the request (multipart), as PTB sends an InputFile; a file_id
        or URL the fake never issued is refused as Telegram refuses an unknown one."""
        chat = self._find_chat(params["chat_id"])
        document = params["document"]
        if isinstance(document, str) and document.startswith("attach://"):
            document = params.get(document.removeprefix("attach://"))
        if not isinstance(document, dict) or "content" not in document:
            raise bad_request("wrong file identifier/HTTP URL specified")
        content: bytes = document["content"]
        if not content:
            raise bad_request("file must be non-empty")
        if len(content) > _MAX_UPLOAD:
            raise BotApiError(413, "Request Entity Too Large")
        caption = params.get("caption", "")
        parsed_caption = ParsedText("", ())
        if caption:
            parsed_caption = format_text(
                caption,
                params.get("parse_mode"),
                params.get("caption_entities"),
                strict_html=self.strict_html,
            )
            if utf16_length(parsed_caption.text) > _MAX_CAPTION:
                raise bad_request("message caption is too long")
        markup = check_reply_markup(params.get("reply_markup"), self.spec, inline_only=False)
        date = _now()
        message_id = chat.allocate_message_id()
        file_id = f"DOC{self.next_id()}"
        file = {
            "file_id": file_id,
            "file_unique_id": file_id.lower(),
            "file_name": document.get("file_name") or "document",
            "file_size": len(content),
        }
        payload: dict[str, Any] = {
            "message_id": message_id,
            "from": self.bot_user(),
            "chat": copy.deepcopy(chat.chat),
            "date": date,
            "document": file,
        }
        message = StoredMessage(chat.id, message_id, from_bot=True, date=date, payload=payload)
        message.versions.append(
            MessageVersion(
                text=parsed_caption.text,
                entities=self._with_users(parsed_caption.entities),
                source_text=caption,
                parse_mode=params.get("parse_mode"),
                reply_markup=markup,
            )
        )
        chat.messages[message_id] = message
        chat.events.append(Reply.of(message, "message"))
        self.documents.append(SentDocument(chat.id, message_id, file["file_name"], content))
        api = message.to_api()
        text = api.pop("text")
        if text:
            api["caption"] = text
            if "entities" in api:
                api["caption_entities"] = api.pop("entities")
        return api

    def _reply_target(self, chat: ChatState, reply_parameters: Any) -> StoredMessage | None:
        if reply_parameters is None:
            return None
        if not isinstance(reply_parameters, dict) or not isinstance(
            reply_parameters.get("message_id"), int
        ):
            raise bad_request("can't parse reply_parameters JSON object")
        target = chat.messages.get(reply_parameters["message_id"])
        if target is None or target.deleted:
            if reply_parameters.get("allow_sending_without_reply"):
                return None
            raise bad_request("message to be replied not found")
        return target

    def _message_to_edit(self, params: dict[str, Any]) -> StoredMessage:
        if "inline_message_id" in params:
            raise bad_request("MESSAGE_ID_INVALID")
        if "chat_id" not in params:
            raise bad_request("chat_id is empty")
        if "message_id" not in params:
            raise bad_request("message identifier is not specified")
        chat = self._find_chat(params["chat_id"])
        message = chat.messages.get(params["message_id"])
        if message is None or message.deleted:
            raise bad_request("message to edit not found")
        if not message.from_bot:
            raise bad_request("message can't be edited")
        return message

    def _apply_edit(self, message: StoredMessage, new: MessageVersion) -> dict[str, Any]:
        current = message.current
        if (new.text, new.entities, new.reply_markup) == (
            current.text,
            current.entities,
            current.reply_markup,
        ):
            raise bad_request(
                "message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message"
            )
        message.versions.append(new)
        self.chats[message.chat_id].events.append(Reply.of(message, "edit"))
        return message.to_api()

    async def _edit_message_text(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._message_to_edit(params)
        if "text" not in params:
            if "rich_message" in params:
                raise bad_request("the fake Bot API does not implement rich_message")
            raise bad_request("message text is empty")
        parsed = format_text(
            params["text"],
            params.get("parse_mode"),
            params.get("entities"),
            strict_html=self.strict_html,
        )
        # Without reply_markup, an edit removes the inline keyboard.
        markup = check_reply_markup(params.get("reply_markup"), self.spec, inline_only=True)
        return self._apply_edit(
            message,
            MessageVersion(
                text=parsed.text,
                entities=self._with_users(parsed.entities),
                source_text=params["text"],
                parse_mode=params.get("parse_mode"),
                reply_markup=markup,
                edit_date=max(_now(), message.date),
            ),
        )

    async def _edit_message_reply_markup(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._message_to_edit(params)
        markup = check_reply_markup(params.get("reply_markup"), self.spec, inline_only=True)
        current = message.current
        return self._apply_edit(
            message,
            MessageVersion(
                text=current.text,
                entities=current.entities,
                source_text=current.source_text,
                parse_mode=current.parse_mode,
                reply_markup=markup,
                edit_date=max(_now(), message.date),
            ),
        )

    async def _delete_message(self, params: dict[str, Any]) -> bool:
        chat = self._find_chat(params["chat_id"])
        message = chat.messages.get(params["message_id"])
        if message is None or message.deleted:
            raise bad_request("message to delete not found")
        message.deleted = True
        return True

    async def _answer_callback_query(self, params: dict[str, Any]) -> bool:
        query = self.callback_queries.get(params["callback_query_id"])
        if query is None or query.answered:
            raise bad_request(_MISSING_PARAMETER["callback_query_id"])
        check_callback_answer_text(params.get("text"))
        query.answered = True
        query.answer = dict(params)
        return True

    async def _send_chat_action(self, params: dict[str, Any]) -> bool:
        self._find_chat(params["chat_id"])
        if params["action"] not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    async def _get_file(self, params: dict[str, Any]) -> dict[str, Any]:
        return self.files.get_file(params)

    async def _get_chat(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._find_chat(params["chat_id"])
        return {
            **copy.deepcopy(chat.chat),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": True,
                "limited_gifts": True,
                "unique_gifts": True,
                "premium_subscription": True,
                "gifts_from_channels": True,
            },
        }

    # ----------------------------------------------------------------- used by the client

    def latest_keyboard_message(self, chat_id: int) -> StoredMessage | None:
        """The newest bot message in the chat that still shows an inline keyboard."""
        state = self.chats.get(chat_id)
        if state is None:
            return None
        for message in reversed(state.bot_messages()):
            if inline_rows(message.reply_markup):
                return message
        return None


@dataclass
class _Chaos:
    """fail_randomly's settings, and what it has done."""

    rate: float
    methods: frozenset[str]
    rng: random.Random
    retry_after: int
    log: list[tuple[str, str]] = field(default_factory=list)

    def pick(self, method: str) -> str | None:
        if method not in self.methods or self.rng.random() >= self.rate:
            return None
        fault = self.rng.choice(("429", "502", "drop", "timeout"))
        self.log.append((method, fault))
        return fault


def _drop_connection(request: web.Request) -> None:
    """Close the client's connection with no answer; the handler's answer then goes nowhere."""
    if request.transport is not None:
        request.transport.close()
    raise asyncio.CancelledError
