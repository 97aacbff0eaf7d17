"""What the service needs to withdraw a sent nomination: the store's tombstone write and the
organisers' "was withdrawn" email (mail.withdrawn, with the settings bound)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from flows.form import Form
from mail.withdrawn import compose_withdrawn
from storage.types import NewEmail, NominationRecord


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


class VersionStore(Protocol):
    async def versions_of(
        self, reference: str
    ) -> list[tuple[int, datetime, dict[str, list[str]]]]: ...


Json = dict[str, Any]


def sent_versions(
    store: VersionStore, current: Callable[[NominationRecord], Awaitable[list[Json]]]
) -> Callable[[NominationRecord], Awaitable[list[Json]]]:
    """/mydata's versions hook: each version sent (answers as typed), or with none yet (a draft
    never sent, or one sent before versions were kept) `current`, the nomination as it is."""

    async def versions(record: NominationRecord) -> list[Json]:
        kept = await store.versions_of(record.state.reference)
        if not kept:
            return await current(record)
        return [
            {
                "version": number,
                "at": at.isoformat(),
                "answers": {field_id: "\n\n".join(parts) for field_id, parts in answers.items()},
            }
            for number, at, answers in kept
        ]

    return versions
