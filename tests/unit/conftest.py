"""Fixtures for the fast tier: the service and screens over the in-memory store, no I/O."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.screens.builder import ScreenBuilder
from bot.services.nominating import NominationService
from flows.form import Form, load_form
from flows.state import NominationState
from storage.evidence import Attachment
from storage.types import EmailKind, NewEmail
from tests.unit.fakes import FakeDraftStore

TINY_FORM = Path(__file__).resolve().parent.parent / "forms" / "tiny.toml"


class StepClock:
    """A clock that moves on a minute each time it is read."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


class RecordingComposer:
    """Stands in for mail.compose: one email per submission, naming its reference."""

    def __init__(self) -> None:
        self.composed: list[str] = []
        self.unconfirmed: list[str] = []  # references composed with the address not confirmed

    def __call__(
        self,
        form: Form,
        state: NominationState,
        submitted_at: datetime,
        attachments: Sequence[Attachment] = (),
        *,
        email_confirmed: bool,
    ) -> Sequence[NewEmail]:
        self.composed.append(state.reference)
        if not email_confirmed:
            self.unconfirmed.append(state.reference)
        message = f"Subject: {state.reference}\r\n\r\nnominated\r\n".encode()
        return [NewEmail(EmailKind.ORGANISERS, ("awards@hee.example",), "<m@x>", message)]


@pytest.fixture(scope="session")
def tiny_form() -> Form:
    return load_form(TINY_FORM)


@pytest.fixture
def store() -> FakeDraftStore:
    return FakeDraftStore()


@pytest.fixture
def composer() -> RecordingComposer:
    return RecordingComposer()


@pytest.fixture
def woken() -> list[int]:
    """One entry per time the service woke the outbox worker."""
    return []


@pytest.fixture
def service(
    store: FakeDraftStore, tiny_form: Form, composer: RecordingComposer, woken: list[int]
) -> NominationService:
    return NominationService(
        store,
        tiny_form,
        compose=composer,
        clock=StepClock(),
        after_submit=lambda: woken.append(1),
    )


@pytest.fixture
def screens(tiny_form: Form) -> ScreenBuilder:
    return ScreenBuilder(tiny_form)
