"""The bot's own ReminderStore keeps who stopped reminders in memory, write-through: the check
before every private message costs no round trip to SQLite, and its own stops and resumes are
seen at once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storage import NominationStore
from storage.db import SharedConnection, connect
from storage.reminders import ReminderStore, StopReason

AT = datetime(2026, 11, 29, 17, 0, tzinfo=UTC)
ALEX = "tg:1001"


@pytest.fixture
async def pair(store: NominationStore, db_path: Path) -> AsyncIterator[tuple[ReminderStore, ...]]:
    """The owner (the bot's, cached) and another reader, each over a connection of its own."""
    owner_conn, other_conn = await connect(db_path), await connect(db_path)
    try:
        yield (
            ReminderStore(SharedConnection(owner_conn), owner=True),
            ReminderStore(SharedConnection(other_conn)),
        )
    finally:
        await owner_conn.close()
        await other_conn.close()


async def test_the_owner_sees_its_own_stops_and_resumes_at_once(
    pair: tuple[ReminderStore, ...],
) -> None:
    owner, other = pair
    assert await owner.stopped(ALEX) is None  # read once, then remembered
    await owner.stop(ALEX, StopReason.BLOCKED, AT)
    assert await owner.stopped(ALEX) is StopReason.BLOCKED
    assert await other.stopped(ALEX) is StopReason.BLOCKED  # and it is in the database
    assert await owner.resume(ALEX, only=StopReason.OPTED_OUT) is False  # a block is kept
    assert await owner.stopped(ALEX) is StopReason.BLOCKED
    assert await owner.resume(ALEX, only=StopReason.BLOCKED) is True
    assert await owner.stopped(ALEX) is None
    assert await other.stopped(ALEX) is None


async def test_the_owner_answers_from_memory_and_other_readers_from_the_database(
    pair: tuple[ReminderStore, ...],
) -> None:
    owner, other = pair
    assert await owner.stopped(ALEX) is None
    assert await other.stopped(ALEX) is None
    # Only the owner writes stops in the bot's process; a write behind its back (here, by a
    # second store) shows that its answer comes from memory, not from a query.
    await other.stop(ALEX, StopReason.OPTED_OUT, AT)
    assert await owner.stopped(ALEX) is None
    assert await other.stopped(ALEX) is StopReason.OPTED_OUT
