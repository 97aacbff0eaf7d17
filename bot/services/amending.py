"""What the nominating service needs to withdraw a sent nomination, and to amend one: the store's
tombstone write, reopening and versions (a WithdrawStore), the organisers' "was withdrawn"
email (mail.withdrawn, with the settings bound), and the .eml copies of its earlier emails."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.services.ports import WithdrawnComposer, WithdrawStore
from flows.form import Form
from mail.saved import SavedEmails
from mail.withdrawn import compose_withdrawn
from storage.types import NewEmail


@dataclass(frozen=True, slots=True)
class Withdrawing:
    store: WithdrawStore
    compose: WithdrawnComposer
    saved: SavedEmails | None = None
    """The .eml copies (MAIL_OUTBOX_DIR) of the emails a withdrawal erases; None: none kept."""


def withdrawing(
    store: WithdrawStore,
    mail_from: str,
    organisers: Sequence[str] | Callable[[Form], Sequence[str]],
    saved: SavedEmails | None = None,
) -> Withdrawing:
    """Withdrawal with the organisers' email composed from the settings; `organisers` may be
    each award's, found by the nomination's form (issue 19)."""

    def compose(
        form: Form, reference: str, *, submitted_at: datetime | None, withdrawn_at: datetime
    ) -> list[NewEmail]:
        return compose_withdrawn(
            form,
            reference,
            submitted_at=submitted_at,
            withdrawn_at=withdrawn_at,
            mail_from=mail_from,
            organisers=organisers(form) if callable(organisers) else organisers,
        )

    return Withdrawing(store, compose, saved)
