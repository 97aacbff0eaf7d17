"""The store's own exceptions, so callers can tell a broken rule from a broken database."""

from __future__ import annotations


class StorageError(Exception):
    """Something the store refused to do."""


class SchemaTooNew(StorageError):
    """The database file was written by a newer version of the bot than this one."""


class NominationFinal(StorageError):
    """A submitted nomination was about to change; submitted nominations are final."""

    def __init__(self, reference: str) -> None:
        super().__init__(f"nomination {reference} is submitted and cannot change")
        self.reference = reference


class UnknownNomination(StorageError, LookupError):
    """No nomination has this reference (it was never created, or its draft was deleted)."""

    def __init__(self, reference: str) -> None:
        super().__init__(f"no nomination {reference}")
        self.reference = reference


class OutboxRowNotPending(StorageError, LookupError):
    """An outbox row to be marked is not pending under the marker's claim: it was sent or failed
    already, another sender took it over after the claim ran out, or there is no such id."""

    def __init__(self, row_id: int) -> None:
        super().__init__(f"no pending outbox row {row_id} claimed by this sender")
        self.row_id = row_id
