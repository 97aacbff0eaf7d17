"""Files in the fake Bot API: what users send (documents, photos), `getFile`, and downloads.

As Telegram does it: a message carries a file_id; `getFile` turns a file_id this bot has seen into
a File with a `file_path`, and refuses an unknown id ("invalid file_id") or, for bots on the
public Bot API, a file over 20 MB ("file is too big"); the bytes are then fetched with a GET of
`<base_file_url><token>/<file_path>`. A wrong token or an unknown path is answered 404, as the real
file server does. `fail_downloads(n)` makes the next n downloads fail (HTTP 500), to test retries;
`hold_downloads()` keeps downloads waiting until `release_downloads()`, to test what the bot does
meanwhile. With `chunked` set, a file is served a chunk at a time with no Content-Length (as a
server that does not say the size up front), and `served` counts the bytes written of each before
the download ended or the bot hung up.
"""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from .spec import bad_request

GET_FILE_LIMIT = 20 * 1024 * 1024
"""The largest file a bot may download from the public Bot API."""
CHUNK = 64 * 1024


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    data: bytes
    file_path: str
    # What the message claims; Telegram's own count, which a test may set to provoke a refusal.
    file_size: int


@dataclass
class FakeFiles:
    """The files users have sent, by file_id and by file_path, and a log of downloads."""

    by_id: dict[str, StoredFile] = field(default_factory=dict)
    by_path: dict[str, StoredFile] = field(default_factory=dict)
    downloads: list[str] = field(default_factory=list)  # file_paths, each time one was served
    chunked: bool = False
    served: dict[str, int] = field(default_factory=dict)  # bytes written, by file_path (chunked)
    _failures: list[int] = field(default_factory=list)
    _gate: asyncio.Event | None = None

    def add(
        self, data: bytes, *, prefix: str, folder: str, suffix: str, size: int | None
    ) -> StoredFile:
        """Keep a file a user sends; returns it with its new ids and path."""
        file_id = f"{prefix}AgADBAADAAECAAMCAAN5AAM{secrets.token_urlsafe(24)}"
        path = f"{folder}/file_{len(self.by_id)}{suffix}"
        stored = StoredFile(
            file_id,
            "AQAD" + secrets.token_urlsafe(9),
            data,
            path,
            len(data) if size is None else size,
        )
        self.by_id[file_id] = stored
        self.by_path[path] = stored
        return stored

    def fail_downloads(self, times: int = 1, status: int = 500) -> None:
        self._failures.extend(status for _ in range(times))

    def hold_downloads(self) -> None:
        self._gate = asyncio.Event()

    def release_downloads(self) -> None:
        if self._gate is not None:
            self._gate.set()
        self._gate = None

    def get_file(self, params: dict[str, Any]) -> dict[str, Any]:
        stored = self.by_id.get(str(params.get("file_id", "")))
        if stored is None:
            raise bad_request("invalid file_id")
        if stored.file_size > GET_FILE_LIMIT:
            raise bad_request("file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.file_size,
            "file_path": stored.file_path,
        }

    async def serve(self, request: web.Request, token: str) -> web.Response:
        """GET /file/bot<token>/<file_path>."""
        if self._gate is not None:
            await self._gate.wait()
        prefix = f"/file/bot{token}/"
        if request.method != "GET" or not request.path.startswith(prefix):
            return web.Response(status=404, text="Not Found")
        stored = self.by_path.get(request.path.removeprefix(prefix))
        if stored is None:
            return web.Response(status=404, text="Not Found")
        if self._failures:
            return web.Response(status=self._failures.pop(0), text="Internal Server Error")
        self.downloads.append(stored.file_path)
        if self.chunked:
            return await self._stream(request, stored)
        return web.Response(body=stored.data, content_type="application/octet-stream")

    async def _stream(self, request: web.Request, stored: StoredFile) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/octet-stream"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        self.served[stored.file_path] = 0
        try:
            for start in range(0, len(stored.data), CHUNK):
                await response.write(stored.data[start : start + CHUNK])
                self.served[stored.file_path] = start + len(stored.data[start : start + CHUNK])
            await response.write_eof()
        except ConnectionError:
            pass  # the bot hung up: `served` says how far it read
        return response
