"""The webhook server: takes Telegram's updates over HTTP and answers each once it is handled.

Telegram forgets an update once it is answered 200, so the answer waits until the update's
effects are committed; an update that could not be handled is answered 500, and Telegram sends
it again (one committed already is then skipped: storage/updates.py).

python-telegram-bot's own server (Updater.start_webhook) reads the whole body before it checks
the secret header, with no cap below tornado's 100 MB, and logs an update it cannot parse with
its content. This one is the "custom webhook server" python-telegram-bot documents: the same
tornado, but the secret and the size are checked from the headers, before any of the body is
read, and a refused request's connection is closed instead of drained. Telegram's updates are a
few kilobytes; the cap is far above any real one.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from http import HTTPStatus
from typing import Any

import tornado.web
from telegram import Bot, Update
from tornado.httpserver import HTTPServer

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name, not a secret
MAX_BODY_BYTES = 1024 * 1024

HandleUpdate = Callable[[Update], Awaitable[None]]
"""Handles one update, returning once its effects are committed."""


@tornado.web.stream_request_body
class _UpdateHandler(tornado.web.RequestHandler):
    """One POST from Telegram: the secret and the size are checked in `prepare`, which tornado
    runs once the headers are in and before it reads any of the body."""

    SUPPORTED_METHODS = ("POST",)

    def initialize(self, handle: HandleUpdate, bot: Bot, secret: str) -> None:
        self._handle = handle
        self._bot = bot
        self._secret = secret
        self._body = bytearray()

    def prepare(self) -> None:
        given = self.request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self._secret.encode()):
            self._refuse(HTTPStatus.FORBIDDEN)
            return
        length = self.request.headers.get("Content-Length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
            self._refuse(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)

    def data_received(self, chunk: bytes) -> None:
        if self._finished:
            return
        self._body += chunk
        if len(self._body) > MAX_BODY_BYTES:  # chunked, so no Content-Length to check first
            self._refuse(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)

    async def post(self) -> None:
        if self._finished:
            return
        update = self._parse(bytes(self._body))
        if update is not None:
            try:
                await self._handle(update)
            except Exception:
                logger.exception(
                    "webhook: update %d was not handled; Telegram will resend it", update.update_id
                )
                self.set_status(HTTPStatus.INTERNAL_SERVER_ERROR)
        # 200 even for an update that could not be read: Telegram would resend it for ever.
        self.finish()

    def _parse(self, body: bytes) -> Update | None:
        """The update, or None after logging why (never the content: it is a nominator's)."""
        update_id: object = None
        try:
            data = json.loads(body)
            if isinstance(data, dict):
                update_id = data.get("update_id")
            return Update.de_json(data, self._bot)
        except Exception as exc:
            logger.error(
                "webhook: ignored an update that could not be read (update_id %s, %d bytes): %s",
                update_id,
                len(body),
                type(exc).__name__,
            )
            return None

    def _refuse(self, status: HTTPStatus) -> None:
        # Finishing before the body is read makes tornado close the connection once the answer
        # is written, instead of reading (or draining) the rest of the body.
        self.set_status(status)
        self.finish()

    def log_exception(self, *args: Any) -> None:
        """No request details in the log: they may hold a nominator's text."""
        logger.warning("webhook: a request could not be handled")


class _WebhookApp(tornado.web.Application):
    def log_request(self, handler: tornado.web.RequestHandler) -> None:
        """Telegram calls every few seconds: nothing to log per request."""


@asynccontextmanager
async def webhook_server(
    handle: HandleUpdate, bot: Bot, *, listen: str, port: int, path: str, secret: str
) -> AsyncIterator[None]:
    """Serve POST /<path> on listen:port while the block runs, each update to `handle`."""
    route = "/" + path.strip("/") + "/?"
    options = {"handle": handle, "bot": bot, "secret": secret}
    app = _WebhookApp([(route, _UpdateHandler, options)])
    server = HTTPServer(app, max_body_size=MAX_BODY_BYTES, idle_connection_timeout=60)
    server.listen(port, address=listen)
    try:
        yield
    finally:
        server.stop()
        await server.close_all_connections()
