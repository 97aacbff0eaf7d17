"""Delivering the outbox: SMTP or .eml-file transports, and the worker that retries with backoff.

Delivery is at-least-once. A row is marked sent only after the server has accepted the message, so
a crash between the two sends it again; the copy carries the same Message-ID, which lets a reader's
mail client (or the organisers) see it as the same email.

Several senders may share one database (the bot's worker and `nomination-bot outbox --send`).
Each claims a row before sending it, with a lease twice as long as a send may take; only the
claimant records the outcome. A sender that dies mid-send leaves its claim to run out, and the
row is then sent again by whoever comes next.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import random
import secrets
import socket
import ssl
from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.headerregistry import Address
from email.parser import BytesHeaderParser
from email.policy import default as default_policy
from enum import StrEnum
from pathlib import Path
from typing import Protocol

import aiosmtplib

from mail.passes import Passes
from storage.clock import utc_now
from storage.errors import OutboxRowNotPending
from storage.files import write_private
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

    @property
    def longest_send(self) -> timedelta:
        """How long one send may take before the worker gives up on it and tries again later."""
        ...

    async def send(self, row: OutboxRow) -> None: ...


class OutboxPort(Protocol):
    """The part of the store's outbox the worker uses."""

    async def due(self, now: datetime, limit: int, /) -> list[OutboxRow]: ...

    async def claim(
        self, id: int, claimant: str, /, *, now: datetime, until: datetime, due_by: datetime | None
    ) -> OutboxRow | None: ...

    async def mark_sent(self, id: int, at: datetime, /, *, claimant: str) -> None: ...

    async def mark_retry(
        self, id: int, /, *, attempts: int, next_attempt_at: datetime, error: str, claimant: str
    ) -> None: ...

    async def mark_failed(
        self, id: int, /, *, attempts: int, error: str, claimant: str
    ) -> None: ...

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

    @property
    def longest_send(self) -> timedelta:
        """`timeout` bounds each step (connect, TLS, login, each command); a send takes several."""
        return timedelta(seconds=self.timeout * _SMTP_STEPS_ALLOWED)


# Enough for connect, EHLO, STARTTLS, login, MAIL, a few RCPTs and DATA each at a crawl; a send
# slower than that is cut off and retried.
_SMTP_STEPS_ALLOWED = 6


class SmtpTransport:
    """Sends each outbox row over its own SMTP connection, with aiosmtplib."""

    def __init__(self, config: SmtpConfig) -> None:
        self._config = config

    def __repr__(self) -> str:
        return f"SmtpTransport({self._config!r})"

    @property
    def longest_send(self) -> timedelta:
        return self._config.longest_send

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
    """Writes each email to `<directory>/<reference>-<kind>.eml` (see `path_for`), for running
    without SMTP.

    Each file is written whole (a reader sees all of it or none, even after a power cut) and
    readable by its owner only: an email holds the nomination in full.
    """

    longest_send = timedelta(minutes=1)

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def path_for(self, row: OutboxRow) -> Path:
        """`LSI-7K3Q9M-organisers.eml` for a nomination's first email of a kind; a later one of
        the same kind (resent, amended) adds what its Message-ID adds: none overwrites another."""
        base = f"{row.reference}-{row.kind.value}"
        local = row.message_id.strip("<>").partition("@")[0]
        if local.startswith(f"nomination-{base}"):
            extra = local.removeprefix(f"nomination-{base}")
        else:  # a Message-ID of another shape: a short digest of it keeps the name unique
            extra = "-" + hashlib.sha256(row.message_id.encode()).hexdigest()[:12]
        name = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in base + extra)
        return self.directory / f"{name}.eml"

    async def send(self, row: OutboxRow) -> None:
        try:
            await asyncio.to_thread(write_private, self.path_for(row), row.message)
        except OSError as exc:
            raise TemporaryFailure(f"could not write the .eml file: {exc}") from exc


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """What one pass over the due rows did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    taken: int = 0
    """Rows another sender held, or had dealt with, by the time this one came to them."""

    @property
    def attempted(self) -> int:
        return self.sent + self.retrying + self.failed


class Outcome(StrEnum):
    """What became of one row in a pass."""

    SENT = "sent"
    RETRYING = "retrying"
    FAILED = "failed"
    TAKEN = "taken"


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
        claimant: str | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if batch < 1:
            raise ValueError("batch must be at least 1")
        self._outbox = outbox
        self._transport = transport
        # Stored with each claim (outbox.claimed_by), so a reader can tell which process holds it.
        self.claimant = claimant or f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"
        # Half the lease is the send itself (cut off at longest_send); the other half covers
        # recording the outcome and clocks that differ a little between processes.
        self.lease = transport.longest_send * 2
        self._clock = clock
        self._on_permanent_failure = on_permanent_failure
        self._rng = rng or random.Random()  # noqa: S311 - jitter, not security
        self._base_delay = base_delay
        self._max_delay = max_delay
        self._give_up_after = give_up_after
        self._batch = batch
        self._wake = asyncio.Event()
        self._lock = asyncio.Lock()
        self.passes = Passes()  # run_once's and send_pending_now's alike
        self._timer = sleep  # the wait between passes; a test's clock stands in for the wall's

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
        async with self._lock, self.passes.one():
            now = self._clock()
            rows = await self._outbox.due(now, self._batch)
            return await self._deliver_all(rows, due_by=now)

    async def send_pending_now(self) -> DeliveryReport:
        """Try every pending row at once, whatever its backoff says (`outbox --send`). Rows that
        another sender holds are left to it, and counted as taken."""
        async with self._lock, self.passes.one():
            rows = await self._outbox.rows([OutboxStatus.PENDING])
            return await self._deliver_all(rows, due_by=None)

    async def _deliver_all(
        self, rows: Sequence[OutboxRow], *, due_by: datetime | None
    ) -> DeliveryReport:
        outcomes = [await self._claim_and_deliver(row.id, due_by) for row in rows]
        return DeliveryReport(
            sent=outcomes.count(Outcome.SENT),
            retrying=outcomes.count(Outcome.RETRYING),
            failed=outcomes.count(Outcome.FAILED),
            taken=outcomes.count(Outcome.TAKEN),
        )

    async def _claim_and_deliver(self, row_id: int, due_by: datetime | None) -> Outcome:
        """Claim the row, then send it; the row listed earlier may have moved on meanwhile."""
        now = self._clock()
        row = await self._outbox.claim(
            row_id, self.claimant, now=now, until=now + self.lease, due_by=due_by
        )
        if row is None:
            return Outcome.TAKEN
        try:
            return await self._deliver(row)
        except OutboxRowNotPending:
            # Only if this send outlived its lease (the process was stopped, say) and another
            # sender took the row over: the outcome is theirs to record.
            logger.warning(
                "%s %s: another sender took this email over mid-send; leaving it to them",
                row.reference,
                row.kind.value,
            )
            return Outcome.TAKEN

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
        waiters = {
            asyncio.ensure_future(stop.wait()),
            asyncio.ensure_future(self._wake.wait()),
            asyncio.ensure_future(self._timer(seconds)),
        }
        try:
            await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waiters:
                waiter.cancel()
            await asyncio.gather(*waiters, return_exceptions=True)

    async def _deliver(self, row: OutboxRow) -> Outcome:
        attempts = row.attempts + 1
        longest = self._transport.longest_send
        try:
            async with asyncio.timeout(longest.total_seconds()):
                await self._transport.send(row)
        except PermanentFailure as exc:
            await self._fail(row, attempts, exc.reason)
            return Outcome.FAILED
        except TemporaryFailure as exc:
            return await self._retry(row, attempts, exc.reason)
        except TimeoutError:
            return await self._retry(row, attempts, f"the send took over {longest}; cut off")
        except Exception as exc:
            logger.exception("%s %s: unexpected error while sending", row.reference, row.kind.value)
            return await self._retry(row, attempts, f"unexpected {type(exc).__name__}: {exc}")
        await self._outbox.mark_sent(row.id, self._clock(), claimant=self.claimant)
        logger.info("%s %s: sent (attempt %d)", row.reference, row.kind.value, attempts)
        return Outcome.SENT

    async def _retry(self, row: OutboxRow, attempts: int, reason: str) -> Outcome:
        now = self._clock()
        deadline = row.created_at + self._give_up_after
        if now >= deadline:
            await self._fail(row, attempts, f"gave up after {attempts} attempts: {reason}")
            return Outcome.FAILED
        # The last try falls on the deadline rather than some way past it.
        next_attempt_at = min(now + self.backoff(attempts), deadline)
        await self._outbox.mark_retry(
            row.id,
            attempts=attempts,
            next_attempt_at=next_attempt_at,
            error=reason,
            claimant=self.claimant,
        )
        logger.info(
            "%s %s: attempt %d failed (%s); next try at %s",
            row.reference,
            row.kind.value,
            attempts,
            reason,
            next_attempt_at.isoformat(timespec="seconds"),
        )
        return Outcome.RETRYING

    async def _fail(self, row: OutboxRow, attempts: int, reason: str) -> None:
        await self._outbox.mark_failed(
            row.id, attempts=attempts, error=reason, claimant=self.claimant
        )
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
