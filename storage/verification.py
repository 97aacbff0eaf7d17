"""The codes that prove a nominator's email address (issue 12, GOV.UK "check your email").

A code is kept only as an HMAC under a random per-row salt, and the address only as a hash, so the
table holds nothing a reader could use. Rows are keyed by nominator and outlive a deleted draft:
the hourly limits count them. Each method is one transaction.

The hourly limits are counted per asker, so that nobody can use up someone else's codes by typing
their address: each nominator may be sent CODES_PER_HOUR codes, to whatever addresses. Beside
that, one address gets at most ADDRESS_CODES_PER_HOUR codes in all, whoever asks, so that many
accounts cannot flood an inbox; and even then each asker's first code to an address in the hour
is sent, so that its owner is never refused one because others asked.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from storage.db import SharedConnection, from_utc_text, utc_text

CODE_LIFETIME = timedelta(minutes=15)
MAX_ATTEMPTS = 5
CODES_PER_HOUR = 3  # per nominator, to any addresses
ADDRESS_CODES_PER_HOUR = 10  # per address, whoever asks (beyond each asker's first)
HOUR = timedelta(hours=1)

_ISSUE = """
    INSERT INTO email_codes (nominator, address_hash, salt, code_hash, created_at, expires_at)
    VALUES (?, ?, ?, ?, ?, ?)
"""
_BY_NOMINATOR = "SELECT created_at FROM email_codes WHERE nominator = ? AND created_at > ?"
_BY_ADDRESS = "SELECT created_at FROM email_codes WHERE address_hash = ? AND created_at > ?"
_MINE_TO_ADDRESS = """
    SELECT 1 FROM email_codes WHERE nominator = ? AND address_hash = ? AND created_at > ? LIMIT 1
"""
_LATEST = """
    SELECT id, salt, code_hash, expires_at, attempts, confirmed_at FROM email_codes
    WHERE nominator = ? AND address_hash = ? ORDER BY id DESC LIMIT 1
"""
_CONFIRMED = """
    SELECT 1 FROM email_codes
    WHERE nominator = ? AND address_hash = ? AND confirmed_at IS NOT NULL LIMIT 1
"""


class Checked(StrEnum):
    """What a typed code turned out to be."""

    CONFIRMED = "confirmed"
    WRONG = "wrong"
    EXPIRED = "expired"  # past CODE_LIFETIME, or MAX_ATTEMPTS used, or no code for this address


@dataclass(frozen=True, slots=True)
class CodeWait:
    """No code may be sent before `until`: the asker had CODES_PER_HOUR, or (`address_busy`)
    the address had ADDRESS_CODES_PER_HOUR from everyone."""

    until: datetime
    address_busy: bool = False


@dataclass(frozen=True, slots=True)
class CheckResult:
    checked: Checked
    attempts_left: int = 0


def address_hash(address: str) -> str:
    """The same for 'Sam@NHS.net' and 'sam@nhs.net '."""
    return hashlib.sha256(address.strip().casefold().encode()).hexdigest()


def code_hash(code: str, salt: str) -> str:
    return hmac.new(salt.encode(), code.encode(), hashlib.sha256).hexdigest()


class EmailCodes:
    """The email_codes table."""

    def __init__(self, db: SharedConnection) -> None:
        self._db = db

    async def next_allowed(self, nominator: str, address: str, now: datetime) -> CodeWait | None:
        """None if a code may be sent now; otherwise when one may: an hour after the oldest of
        the last CODES_PER_HOUR codes sent to this nominator or, if they already had one to this
        address this hour, of the last ADDRESS_CODES_PER_HOUR sent to the address by anyone."""
        since, hashed = utc_text(now - HOUR), address_hash(address)
        async with self._db.snapshot() as conn:
            by_user = list(await conn.execute_fetchall(_BY_NOMINATOR, (nominator, since)))
            mine = list(await conn.execute_fetchall(_MINE_TO_ADDRESS, (nominator, hashed, since)))
            by_address = list(await conn.execute_fetchall(_BY_ADDRESS, (hashed, since)))
        if len(by_user) >= CODES_PER_HOUR:
            return CodeWait(_an_hour_after(by_user, CODES_PER_HOUR))
        if mine and len(by_address) >= ADDRESS_CODES_PER_HOUR:
            return CodeWait(_an_hour_after(by_address, ADDRESS_CODES_PER_HOUR), address_busy=True)
        return None

    async def issue(self, nominator: str, address: str, code: str, salt: str, at: datetime) -> None:
        """Record a new code (as a hash). Earlier codes for the address stop working."""
        row = (
            nominator,
            address_hash(address),
            salt,
            code_hash(code, salt),
            utc_text(at),
            utc_text(at + CODE_LIFETIME),
        )
        async with self._db.write() as conn:
            await conn.execute(_ISSUE, row)

    async def check(self, nominator: str, address: str, code: str, now: datetime) -> CheckResult:
        """Check a typed code against the latest one sent to the address, counting the attempt."""
        async with self._db.write() as conn:
            rows = list(await conn.execute_fetchall(_LATEST, (nominator, address_hash(address))))
            if not rows:
                return CheckResult(Checked.EXPIRED)
            row_id, salt, expected, expires_at, attempts, confirmed_at = rows[0]
            if confirmed_at is not None:
                return CheckResult(Checked.CONFIRMED)
            if from_utc_text(expires_at) <= now or attempts >= MAX_ATTEMPTS:
                return CheckResult(Checked.EXPIRED)
            if hmac.compare_digest(code_hash(code, salt), expected):
                await conn.execute(
                    "UPDATE email_codes SET confirmed_at = ? WHERE id = ?", (utc_text(now), row_id)
                )
                return CheckResult(Checked.CONFIRMED)
            await conn.execute(
                "UPDATE email_codes SET attempts = attempts + 1 WHERE id = ?", (row_id,)
            )
            left = MAX_ATTEMPTS - attempts - 1
            return CheckResult(Checked.WRONG, left)

    async def is_confirmed(self, nominator: str, address: str) -> bool:
        async with self._db.read() as conn:
            rows = await conn.execute_fetchall(_CONFIRMED, (nominator, address_hash(address)))
        return bool(list(rows))


def _an_hour_after(rows: Sequence[Sequence[object]], limit: int) -> datetime:
    """An hour after the oldest of the latest `limit` codes: when one of them stops counting."""
    return sorted(from_utc_text(str(row[0])) for row in rows)[-limit] + HOUR
