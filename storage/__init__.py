"""The only memory: nominations, their answers and position, and the email outbox, in SQLite."""

from storage.errors import (
    NominationFinal,
    OutboxRowNotPending,
    SchemaTooNew,
    StorageError,
    UnknownNomination,
)
from storage.nominations import NominationStore
from storage.outbox import Outbox

__all__ = [
    "NominationFinal",
    "NominationStore",
    "Outbox",
    "OutboxRowNotPending",
    "SchemaTooNew",
    "StorageError",
    "UnknownNomination",
]
