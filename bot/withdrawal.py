"""What the service needs to withdraw a sent nomination: the store's tombstone write and the
organisers' "was withdrawn" email (mail.withdrawn, with the settings bound)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from flows.form import Form
from mail.withdrawn import compose_withdrawn
from storage.types import NewEmail


class WithdrawStore(Protocol):
    """What storage.NominationStore does for a sent nomination: withdraw it (erase the answers,
    keep a tombstone, queue `outbox`), reopen it for amending, cancel an amendment, and give
    the latest version sent."""

    async def withdraw(
        self, reference: str, *, at: datetime, outbox: Sequence[NewEmail] = ()
    ) -> bool: ...

    async def reopen(self, nominator: str, reference: str, *, at: datetime) -> bool: ...

    async def cancel_amendment(self, nominator: str, reference: str) -> bool: ...

    async def latest_answers(self, reference: str) -> tuple[int, dict[str, list[str]]] | None: ...


class WithdrawnComposer(Protocol):
    def __call__(
        self, form: Form, reference: str, *, submitted_at: datetime | None, withdrawn_at: datetime
    ) -> Sequence[NewEmail]: ...


@dataclass(frozen=True, slots=True)
class Withdrawing:
    store: WithdrawStore
    compose: WithdrawnComposer


def withdrawing(store: WithdrawStore, mail_from: str, organisers: Sequence[str]) -> Withdrawing:
    """Withdrawal with the organisers' email composed from the settings."""

    def compose(
        form: Form, reference: str, *, submitted_at: datetime | None, withdrawn_at: datetime
    ) -> list[NewEmail]:
        return compose_withdrawn(
            form,
            reference,
            submitted_at=submitted_at,
            withdrawn_at=withdrawn_at,
            mail_from=mail_from,
            organisers=organisers,
        )

    return Withdrawing(store, compose)
