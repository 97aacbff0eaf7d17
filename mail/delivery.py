"""Delivering the outbox: SMTP or .eml-file transports, and the worker that retries with backoff.

Delivery is at-least-once. A row is marked sent only after the server has accepted the message, so
a crash between the two sends it again; the copy carries the same Message-ID, which lets a reader's
mail client (or the organisers) see it as the same email.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import ssl
import tempfile
from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.headerregistry import Address
from email.parser import BytesHeaderParser
from email.policy import default as default_policy
from pathlib import Path
from typing import Protocol

import aiosmtplib

from storage.clock import utc_now
from storage.types import OutboxRow, OutboxStatus

logger = logging.getLogger(__name__)


class DeliveryFailure(Exception):
    """A send that did not go through; `reason` is safe to log and to store."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TemporaryFailure(DeliveryFailure):
    """Worth trying again later: the server was away, busy, or said 4xx."""


class PermanentFailure(DeliveryFailure):
    """Trying again will not help: the server said 5xx (e.g. 550 no such user, 535 bad password)."""


class Transport(Protocol):
    """Something that delivers one outbox row, or raises a DeliveryFailure."""

    async def send(self, row: OutboxRow) -> None: ...


class OutboxPort(Protocol):
    """The part of the store's outbox the worker uses."""

    async def due(self, now: datetime, limit: int, /) -> list[OutboxRow]: ...

    async def mark_sent(self, id: int, at: datetime, /) -> None: ...

    async def mark_retry(
        self, id: int, /, *, attempts: int, next_attempt_at: datetime, error: str
    ) -> None: ...

    async def mark_failed(self, id: int, /, *, attempts: int, error: str) -> None: ...

    async def rows(
        self, statuses: Collection[OutboxStatus] | None = None, /
    ) -> list[OutboxRow]: ...

    async def next_due_at(self) -> datetime | None: ...


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    """Where and how to reach the SMTP server. The password never appears in repr()."""

    host: str
    port: int = 587
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    starttls: bool = True
    use_tls: bool = False
    timeout: float = 30.0
    tls_context: ssl.SSLContext | None = field(default=None, repr=False, compare=False)
    """Whom to trust for TLS; None is the system trust store (tests pass one trusting their CA)."""


class SmtpTransport:
    """Sends each outbox row over its own SMTP connection, with aiosmtplib."""

    def __init__(self, config: SmtpConfig) -> None:
        self._config = config

    def __repr__(self) -> str:
        return f"SmtpTransport({self._config!r})"

    async def send(self, row: OutboxRow) -> None:
        try:
            sender = envelope_sender(row.message)
            async with self._client() as client:
                refused, _ = await client.sendmail(sender, list(row.recipients), row.message)
        except Exception as exc:
            raise _classify(exc) from exc
        if refused:
            # Some recipients took it: sending again would give them a second copy, so this
            # counts as sent, and the refusals are logged for the operator.
            logger.warning(
                "%s %s: %d of %d recipients refused: %s",
                row.reference,
                row.kind.value,
                len(refused),
                len(row.recipients),
                "; ".join(f"{r.code} {r.message}" for r in refused.values()),
            )

    async def check(self) -> None:
        """Connect, secure, log in if configured, and QUIT without sending anything."""
        try:
            async with self._client():
                pass
        except Exception as exc:
            raise _classify(exc) from exc

    def _client(self) -> aiosmtplib.SMTP:
        c = self._config
        return aiosmtplib.SMTP(
            hostname=c.host,
            port=c.port,
            username=c.username,
            password=c.password if c.username is not None else None,
            use_tls=c.use_tls,
            # True means "STARTTLS or fail": credentials never cross the wire in clear text.
            start_tls=False if c.use_tls else c.starttls,
            timeout=c.timeout,
            tls_context=c.tls_context,
        )


def envelope_sender(message: bytes) -> str:
    """The address in the message's From header, for MAIL FROM."""
    headers = BytesHeaderParser(policy=default_policy).parsebytes(message)
    from_header = headers.get("From")
    addresses: tuple[Address, ...] = getattr(from_header, "addresses", ())
    if not addresses or not addresses[0].addr_spec:
        raise PermanentFailure("the message has no From address")
    return addresses[0].addr_spec


def _classify(exc: BaseException) -> DeliveryFailure:
    """A 5xx reply is permanent; anything else (refused, timed out, 4xx, TLS trouble) may pass."""
    if isinstance(exc, DeliveryFailure):
        return exc
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        reason = "all recipients refused: " + "; ".join(
            f"{r.code} {r.message}" for r in exc.recipients
        )
        if exc.recipients and all(500 <= r.code < 600 for r in exc.recipients):
            return PermanentFailure(reason)
        return TemporaryFailure(reason)
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        reason = f"{exc.code} {exc.message}"
        return PermanentFailure(reason) if 500 <= exc.code < 600 else TemporaryFailure(reason)
    return TemporaryFailure(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)


class FileTransport:
    """Writes each email to `<directory>/<reference>-<kind>.eml`, for running without SMTP."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def path_for(self, row: OutboxRow) -> Path:
        name = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in row.reference)
        return self.directory / f"{name}-{row.kind.value}.eml"

    async def send(self, row: OutboxRow) -> None:
        try:
            await asyncio.to_thread(self._write, self.path_for(row), row.message)
        except OSError as exc:
            raise TemporaryFailure(f"could not write the .eml file: {exc}") from exc

    def _write(self, path: Path, data: bytes) -> None:
        """Atomically: a reader sees the whole file or none of it, even after a power cut."""
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as tmp:
                tmp.write(data)
                tmp.flush()
                os.fsync(tmp.fileno())
            os.replace(tmp_name, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp_name)
            raise
        _fsync_directory(path.parent)


def _fsync_directory(directory: Path) -> None:
    """Makes the rename itself durable (POSIX); a no-op where directories can't be opened."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """What one pass over the due rows did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0

    @property
    def attempted(self) -> int:
        return self.sent + self.retrying + self.failed


class OutboxWorker:
    """Sends due outbox rows; retries temporary failures with jittered exponential backoff."""

    def __init__(
        self,
        outbox: OutboxPort,
        transport: Transport,
        *,
        clock: Callable[[], datetime] = utc_now,
        on_permanent_failure: Callable[[OutboxRow, str], Awaitable[None]] | None = None,
        rng: random.Random | None = None,
        base_delay: timedelta = timedelta(seconds=30),
        max_delay: timedelta = timedelta(hours=1),
        give_up_after: timedelta = timedelta(hours=48),
        batch: int = 20,
    ) -> None:
        if batch < 1:
            raise ValueError("batch must be at least 1")
        self._outbox = outbox
        self._transport = transport
        self._clock = clock
        self._on_permanent_failure = on_permanent_failure
        self._rng = rng or random.Random()  # noqa: S311 - jitter, not security
        self._base_delay = base_delay
        self._max_delay = max_delay
        self._give_up_after = give_up_after
        self._batch = batch
        self._wake = asyncio.Event()
        self._lock = asyncio.Lock()

    def wake(self) -> None:
        """Ask a running loop to look at the outbox now (the submit path calls this)."""
        self._wake.set()

    def backoff(self, attempts: int) -> timedelta:
        """The wait after the `attempts`-th failure: equal jitter, between half and all of
        base * 2^(attempts-1), capped at max_delay."""
        exponent = min(max(attempts - 1, 0), 32)
        ceiling = min(self._base_delay * (1 << exponent), self._max_delay)
        return ceiling / 2 + ceiling / 2 * self._rng.random()

    async def run_once(self) -> DeliveryReport:
        """Send every row that is due now (up to `batch`), recording each outcome."""
        async with self._lock:
            return await self._deliver_all(await self._outbox.due(self._clock(), self._batch))

    async def send_pending_now(self) -> DeliveryReport:
        """Try every pending row at once, whatever its backoff says (`outbox --send`)."""
        async with self._lock:
            return await self._deliver_all(await self._outbox.rows([OutboxStatus.PENDING]))

    async def _deliver_all(self, rows: Sequence[OutboxRow]) -> DeliveryReport:
        sent = retrying = failed = 0
        for row in rows:
            outcome = await self._deliver(row)
            if outcome is OutboxStatus.SENT:
                sent += 1
            elif outcome is OutboxStatus.FAILED:
                failed += 1
            else:
                retrying += 1
        return DeliveryReport(sent=sent, retrying=retrying, failed=failed)

    async def run(self, stop: asyncio.Event, *, idle_poll: float = 5.0) -> None:
        """Deliver until `stop` is set, sleeping until the next row is due, `idle_poll` passes or
        `wake()` is called. A failing pass is logged and retried; it never ends the loop."""
        while not stop.is_set():
            self._wake.clear()
            timeout = idle_poll
            try:
                await self.run_once()
                next_due = await self._outbox.next_due_at()
            except Exception:
                logger.exception("outbox pass failed; trying again in %.1f s", idle_poll)
            else:
                if next_due is not None:
                    until_due = (next_due - self._clock()).total_seconds()
                    timeout = min(max(until_due, 0.0), idle_poll)
            await self._sleep(stop, timeout)

    async def _sleep(self, stop: asyncio.Event, seconds: float) -> None:
        if seconds <= 0:
            return
        waiters = {asyncio.create_task(stop.wait()), asyncio.create_task(self._wake.wait())}
        try:
            await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waiters:
                waiter.cancel()
            await asyncio.gather(*waiters, return_exceptions=True)

    async def _deliver(self, row: OutboxRow) -> OutboxStatus:
        attempts = row.attempts + 1
        try:
            await self._transport.send(row)
        except PermanentFailure as exc:
            await self._fail(row, attempts, exc.reason)
            return OutboxStatus.FAILED
        except TemporaryFailure as exc:
            return await self._retry(row, attempts, exc.reason)
        except Exception as exc:
            logger.exception("%s %s: unexpected error while sending", row.reference, row.kind.value)
            return await self._retry(row, attempts, f"unexpected {type(exc).__name__}: {exc}")
        await self._outbox.mark_sent(row.id, self._clock())
        logger.info("%s %s: sent (attempt %d)", row.reference, row.kind.value, attempts)
        return OutboxStatus.SENT

    async def _retry(self, row: OutboxRow, attempts: int, reason: str) -> OutboxStatus:
        now = self._clock()
        deadline = row.created_at + self._give_up_after
        if now >= deadline:
            await self._fail(row, attempts, f"gave up after {attempts} attempts: {reason}")
            return OutboxStatus.FAILED
        # The last try falls on the deadline rather than some way past it.
        next_attempt_at = min(now + self.backoff(attempts), deadline)
        await self._outbox.mark_retry(
            row.id, attempts=attempts, next_attempt_at=next_attempt_at, error=reason
        )
        logger.info(
            "%s %s: attempt %d failed (%s); next try at %s",
            row.reference,
            row.kind.value,
            attempts,
            reason,
            next_attempt_at.isoformat(timespec="seconds"),
        )
        return OutboxStatus.PENDING

    async def _fail(self, row: OutboxRow, attempts: int, reason: str) -> None:
        await self._outbox.mark_failed(row.id, attempts=attempts, error=reason)
        logger.warning(
            "%s %s: delivery failed for good after %d attempts: %s",
            row.reference,
            row.kind.value,
            attempts,
            reason,
        )
        if self._on_permanent_failure is not None:
            try:
                await self._on_permanent_failure(row, reason)
            except Exception:
                logger.exception(
                    "%s %s: on_permanent_failure raised", row.reference, row.kind.value
                )
