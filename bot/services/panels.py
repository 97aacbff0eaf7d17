"""Which award's panel an organiser's command is for, in a programme of several judged awards
(issues 18 and 19): an award id typed after the command (`/leaderboard lsi`, `/judging open
lsi`), else the only judged award the organiser sees, else a choice for them to make. Pure, and
the same for judging's commands and the results' (/leaderboard, /shortlist)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Chosen(Generic[T]):
    """The command is for this award: its id, its panel (or results), and the other words."""

    award: str
    item: T
    rest: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Choose:
    """The organiser sees several judged awards and named none: they choose."""

    awards: tuple[str, ...]
    rest: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class NotYours:
    """The award named is not a judged one the organiser sees (None: they see no judged one)."""

    award: str | None
    yours: tuple[str, ...] = ()


Choice = Chosen[T] | Choose | NotYours


def choose(judged: Mapping[str, T], words: Sequence[str], known: Collection[str]) -> Choice[T]:
    """`judged`: the judged awards the organiser sees, by id, in the programme's order;
    `known`: every award id of the programme, so that a word naming one is read as an award."""
    named = [w.casefold() for w in words if w.casefold() in known]
    rest = tuple(w for w in words if w.casefold() not in known)
    yours = tuple(judged)
    if named:
        award = named[0]
        return Chosen(award, judged[award], rest) if award in judged else NotYours(award, yours)
    if not judged:
        return NotYours(None)
    if len(judged) == 1:
        award, item = next(iter(judged.items()))
        return Chosen(award, item, rest)
    return Choose(yours, rest)
