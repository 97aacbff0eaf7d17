"""The one clock everything stamps its times with: timezone-aware UTC. bot/ and mail/ take it
from here (tests hand in their own); flows/ never reads a clock."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> datetime:
    return datetime.now(UTC)
