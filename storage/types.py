"""Records the store hands in and out, beyond the engine's own NominationState."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from flows.state import NominationState


class EmailKind(StrEnum):
    ORGANISERS = "organisers"
    NOMINATOR = "nominator"
    VERIFY = "verify"  # a code proving the nominator's address: none of their text (issue 12)
    WITHDRAWN = "withdrawn"  # "LSI-… was withdrawn": a reference and a date, none of the answers
    SUPPORT = "support"  # a colleague's supporting statement for a submitted nomination (issue 9)
    APPROVAL = "approval"  # the nominee approved or declined (issue 19): their note, no answers


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class NewEmail:
    """An email to queue in the outbox, in the same transaction as the submission it belongs to."""

    kind: EmailKind
    recipients: tuple[str, ...]
    message_id: str
    message: bytes  # the complete RFC 5322 message, as it will be sent


@dataclass(frozen=True, slots=True)
class OutboxRow:
    id: int
    reference: str
    kind: EmailKind
    recipients: tuple[str, ...]
    message_id: str
    message: bytes
    status: OutboxStatus
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None
    claimed_by: str | None = None
    """The sender that holds the row while it sends it (see Outbox.claim), if any."""
    claimed_until: datetime | None = None
    """When that sender's lease runs out; after it, another sender may take the row."""


@dataclass(frozen=True, slots=True)
class NominationRecord:
    """A nomination with what the store keeps about it beyond its state."""

    state: NominationState
    nominator: str
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    version: int | None = None
    """The number of its latest sent version (1 for the first), where the read fills it in
    (NominationStore.submitted, for the organisers' exports)."""
