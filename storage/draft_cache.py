"""The drafts being worked on, kept in memory write-through (see NominationStore).

One process owns the database and its store is the only writer of nominations, so a draft read
once is known until it changes there; the store updates or drops an entry on every write. Keyed
by nominator (their current draft), with the reference of each cached draft mapped back.
"""

from __future__ import annotations

from collections import OrderedDict

from flows.state import NominationState


class DraftCache:
    """At most `size` nominators' current drafts, least recently used dropped first."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._drafts: OrderedDict[str, NominationState] = OrderedDict()  # by nominator
        self._owners: dict[str, str] = {}  # nominator by reference, for the cached drafts

    def get(self, nominator: str) -> NominationState | None:
        state = self._drafts.get(nominator)
        if state is not None:
            self._drafts.move_to_end(nominator)
        return state

    def remember(self, nominator: str, state: NominationState) -> None:
        self._drafts[nominator] = state
        self._drafts.move_to_end(nominator)
        self._owners[state.reference] = nominator
        while len(self._drafts) > self._size:
            _, oldest = self._drafts.popitem(last=False)
            self._owners.pop(oldest.reference, None)

    def update(self, state: NominationState) -> None:
        """A cached draft was saved as `state`; a draft not cached stays uncached."""
        nominator = self._owners.get(state.reference)
        if nominator is not None:
            self.remember(nominator, state)

    def forget_nominator(self, nominator: str) -> None:
        """The nominator's current draft changed (a new one, or another chosen)."""
        state = self._drafts.pop(nominator, None)
        if state is not None:
            self._owners.pop(state.reference, None)

    def forget(self, reference: str) -> None:
        """That draft was submitted, deleted, or its save failed."""
        nominator = self._owners.pop(reference, None)
        if nominator is not None:
            self._drafts.pop(nominator, None)
