"""The engine's answer to one event: the next state and the effects a front end shows.

Every part of the engine (navigation, answering, revising, confirming) returns one, so it lives
below them all, and `flows.engine` re-exports it for callers.
"""

from __future__ import annotations

from dataclasses import dataclass

from flows.effects import Effect
from flows.state import NominationState


@dataclass(frozen=True, slots=True)
class Transition:
    """The engine's answer to one event."""

    state: NominationState
    effects: tuple[Effect, ...]


def with_notes(transition: Transition, notes: tuple[Effect, ...]) -> Transition:
    """The same step, with `notes` shown before its own effects."""
    return Transition(transition.state, (*notes, *transition.effects))
