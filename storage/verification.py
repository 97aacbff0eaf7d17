"""The codes that prove a nominator's email address (issue 12, GOV.UK "check your email").

A code is kept only as an HMAC under a random per-row salt, and the address only as a hash, so the
table holds nothing a reader could use. Rows are keyed by nominator and outlive a deleted draft:
the hourly limits count them. Each method is one transaction.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from storage.db import SharedConnection, from_utc_text, utc_text

CODE_LIFETIME = timedelta(minutes=15)
MAX_ATTEMPTS = 5
CODES_PER_HOUR = 3  # per nominator and, separately, per address
HOUR = timedelta(hours=1)

_ISSUE = """
    INSERT INTO email_codes (nominator, address_hash, salt, code_hash, created_at, expires_at)
    VALUES (?, ?, ?, ?, ?, ?)
"""
_BY_NOMINATOR = "SELECT created_at FROM email_codes WHERE nominator = ? AND created_at > ?"
_BY_ADDRESS = "SELECT created_at FROM email_codes WHERE address_hash = ? AND created_at > ?"
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

    async def next_allowed(self, nominator: str, address: str, now: datetime) -> datetime | None:
        """None if a code may be sent now; otherwise the time one may (an hour after the oldest
        of the CODES_PER_HOUR codes sent to this nominator, or to this address)."""
        since = utc_text(now - HOUR)
        async with self._db.snapshot() as conn:
            by_user = await conn.execute_fetchall(_BY_NOMINATOR, (nominator, since))
            by_address = await conn.execute_fetchall(_BY_ADDRESS, (address_hash(address), since))
        waits = [
            sorted(from_utc_text(at) for (at,) in rows)[-CODES_PER_HOUR] + HOUR
            for rows in (list(by_user), list(by_address))
            if len(rows) >= CODES_PER_HOUR
        ]
        return max(waits) if waits else None

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
