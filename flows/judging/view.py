"""A nomination as a judge reads it: the panel pack's reading of it, with its statements, its
files' names and, after an amendment, what changed. Plain data, built by the judge's service
and drawn by the screens."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flows.reading import Reading


@dataclass(frozen=True, slots=True)
class NominationView:
    reading: Reading
    number: int  # its place among the award's sent nominations: "Nomination 7" when blind
    statements: tuple[Mapping[str, str], ...] = ()  # sent supporting statements, by step
    files: tuple[str, ...] = ()  # the supporting files' names
    changed: tuple[str, ...] = ()  # labels of the answers changed since the judge scored it
