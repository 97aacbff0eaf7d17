"""The ports: what the services need of storage and of mail, as Protocols (cosmicpython's
abstract repositories). The composition root (bot/app.py) hands each service the real thing;
tests/unit/fakes.py holds in-memory fakes, held to the real store by a contract test."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Protocol

from flows.form import Form
from flows.state import NominationState
from storage.evidence import Attachment
from storage.types import NewEmail, NominationRecord
from storage.verification import CheckResult, CodeWait


class DraftStore(Protocol):
    """What the service needs of storage (storage.NominationStore; a dict-backed fake in tests).

    Each call is one transaction: see NominationStore for the guarantees.
    """

    async def active_draft(self, nominator: str) -> NominationState | None: ...

    async def get(self, reference: str) -> NominationRecord | None: ...

    async def of_nominator(self, nominator: str) -> list[NominationRecord]: ...

    async def set_current(self, nominator: str, reference: str) -> None: ...

    async def create_draft(
        self, nominator: str, form: Form, position: str, *, at: datetime
    ) -> NominationState: ...

    async def save(
        self,
        old: NominationState,
        new: NominationState,
        *,
        at: datetime,
        outbox: Sequence[NewEmail] = (),
    ) -> None: ...

    async def delete_draft(self, reference: str) -> bool: ...


class LimitStore(Protocol):
    """What the daily limit needs of storage (storage.limits.SubmitLimits)."""

    async def submitted_since(self, nominator: str, since: datetime) -> list[datetime]: ...

    async def record_refusal(self, nominator: str, at: datetime) -> None: ...


class Composer(Protocol):
    """Builds the emails for a submitted nomination (mail.compose, with the settings bound).
    `email_confirmed` False: the nominator's address was not proved, so no copy goes to it."""

    def __call__(
        self,
        form: Form,
        state: NominationState,
        submitted_at: datetime,
        attachments: Sequence[Attachment] = (),
        *,
        email_confirmed: bool,
    ) -> Sequence[NewEmail]: ...


AttachmentSource = Callable[[str], Awaitable[Sequence[Attachment]]]
"""A nomination's supporting files with their bytes, by reference (EvidenceStore.attachments)."""


class CodeStore(Protocol):
    """storage.verification.EmailCodes."""

    async def next_allowed(
        self, nominator: str, address: str, now: datetime
    ) -> CodeWait | None: ...

    async def issue(
        self, nominator: str, address: str, code: str, salt: str, at: datetime
    ) -> None: ...

    async def check(
        self, nominator: str, address: str, code: str, now: datetime
    ) -> CheckResult: ...

    async def is_confirmed(self, nominator: str, address: str) -> bool: ...


class CodeComposer(Protocol):
    """mail.compose.compose_code_email, with the settings bound."""

    def __call__(
        self, form: Form, *, address: str, code: str, token: str, at: datetime
    ) -> NewEmail | None: ...


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


class VersionStore(Protocol):
    """Each version of a nomination sent: (number, when, answers by field as typed parts)."""

    async def versions_of(
        self, reference: str
    ) -> list[tuple[int, datetime, dict[str, list[str]]]]: ...
