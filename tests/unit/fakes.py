"""In-memory fakes for the fast tier (cosmicpython's FakeRepository): a draft store behind
bot.services.ports.DraftStore and a ChatOutput that records what would be sent. Both record, so
tests assert on what happened rather than on calls."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.screens.parts import Screen
from flows.form import Form
from flows.state import NominationState
from storage.errors import NominationFinal, UnknownNomination
from storage.types import NewEmail, NominationRecord


class FakeDraftStore:
    """Nominations in a dict, with NominationStore's rules: several drafts per nominator, the
    one last continued (else the most recently changed) being worked on, submitted nominations
    final, a save only from the state as stored."""

    def __init__(self) -> None:
        self.records: dict[str, NominationRecord] = {}
        self.current: dict[str, str] = {}
        self.outbox: list[NewEmail] = []
        self._codes = (f"{n:06d}" for n in itertools.count(1))

    async def active_draft(self, nominator: str) -> NominationState | None:
        drafts = [
            (r.state.reference == self.current.get(nominator), r.updated_at, n, r.state)
            for n, r in enumerate(self.records.values())
            if r.nominator == nominator and not r.state.is_submitted
        ]
        return max(drafts, key=lambda d: d[:3])[3] if drafts else None

    async def of_nominator(self, nominator: str) -> list[NominationRecord]:
        mine = [r for r in self.records.values() if r.nominator == nominator]
        return list(reversed(mine))  # dicts keep insertion order: oldest first

    async def set_current(self, nominator: str, reference: str) -> None:
        self.current[nominator] = reference

    async def get(self, reference: str) -> NominationRecord | None:
        return self.records.get(reference)

    async def create_draft(
        self, nominator: str, form: Form, position: str, *, at: datetime
    ) -> NominationState:
        reference = f"{form.reference_prefix}-{next(self._codes)}"
        state = NominationState(
            form_id=form.id, form_version=form.version, reference=reference, position=position
        )
        self.records[reference] = NominationRecord(state, nominator, at, at, None)
        self.current[nominator] = reference
        return state

    async def save(
        self,
        old: NominationState,
        new: NominationState,
        *,
        at: datetime,
        outbox: Sequence[NewEmail] = (),
    ) -> None:
        record = self.records.get(old.reference)
        if record is None:
            raise UnknownNomination(old.reference)
        if record.state.is_submitted or old.is_submitted:
            raise NominationFinal(old.reference)
        if record.state != old:
            raise AssertionError(f"save from a state that is not the stored one: {old!r}")
        submitted_at = at if new.is_submitted else None
        self.records[old.reference] = NominationRecord(
            new, record.nominator, record.created_at, at, submitted_at
        )
        self.outbox.extend(outbox)

    async def delete_draft(self, reference: str) -> bool:
        record = self.records.get(reference)
        if record is None or record.state.is_submitted:
            return False
        del self.records[reference]
        return True


@dataclass(frozen=True, slots=True)
class Sent:
    """One thing the handlers sent: a screen, a link, a file or an answer to a button press."""

    kind: str  # "screen", "link", "document" or "answer"
    chat_id: int | None
    text: str
    screen: Screen | None = None

    @property
    def labels(self) -> list[str]:
        """The screen's button labels, in order."""
        return [b.label for row in self.screen.buttons for b in row] if self.screen else []


@dataclass
class FakeOutput:
    """A ChatOutput that records instead of sending."""

    username: str = "nomination_test_bot"
    sent: list[Sent] = field(default_factory=list)

    async def show(self, chat_id: int, screen: Screen) -> None:
        self.sent.append(Sent("screen", chat_id, screen.plain_text, screen))

    async def send_link(self, chat_id: int, text: str, label: str, url: str) -> None:
        self.sent.append(Sent("link", chat_id, f"{text} [{label}: {url}]"))

    async def answer_button(self, query_id: str, text: str | None = None) -> None:
        self.sent.append(Sent("answer", None, text or ""))

    async def send_document(self, chat_id: int, filename: str, data: bytes, caption: str) -> None:
        self.sent.append(Sent("document", chat_id, f"{filename}: {caption}"))

    def screens(self) -> list[Screen]:
        return [s.screen for s in self.sent if s.screen is not None]

    def take(self) -> list[Sent]:
        """Everything sent since the last take."""
        taken, self.sent = self.sent, []
        return taken
