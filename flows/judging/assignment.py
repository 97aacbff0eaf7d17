"""Who judges which nomination. By default every judge gets every nomination; with a number
per nomination (JUDGES_PER_NOMINATION), each nomination gets that many judges, each time the
least loaded ones, so that no judge has more than one more than another where conflicts allow.

Never assigned: a nomination from the judge's own organisation, or one they recused themselves
from. What is assigned already stays; this only adds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Pair = tuple[int, str]  # (judge id, reference)


@dataclass(frozen=True, slots=True)
class Panellist:
    id: int
    organisation: str


@dataclass(frozen=True, slots=True)
class Entry:
    """A nomination to judge: its reference and the nominee's organisation."""

    reference: str
    organisation: str


def same_organisation(one: str, other: str) -> bool:
    """Two organisations as typed are one: case, spaces and a trailing full stop aside."""
    a, b = _plain(one), _plain(other)
    return bool(a) and a == b


def _plain(organisation: str) -> str:
    return " ".join(organisation.casefold().replace(".", " ").split())


def plan(
    judges: Sequence[Panellist],
    entries: Sequence[Entry],
    *,
    assigned: Iterable[Pair] = (),
    recused: Iterable[Pair] = (),
    per_nomination: int | None = None,
) -> list[Pair]:
    """The new (judge id, reference) pairs to assign, in order."""
    have = set(assigned)
    barred = set(recused)
    load = {j.id: 0 for j in judges}
    for judge_id, _reference in have:
        if judge_id in load:
            load[judge_id] += 1
    new: list[Pair] = []
    for entry in entries:
        eligible = [
            j
            for j in judges
            if (j.id, entry.reference) not in barred
            and (j.id, entry.reference) not in have
            and not same_organisation(j.organisation, entry.organisation)
        ]
        if per_nomination is None:
            chosen = eligible
        else:
            already = sum(1 for j in judges if (j.id, entry.reference) in have)
            wanted = max(per_nomination - already, 0)
            chosen = sorted(eligible, key=lambda j: (load[j.id], j.id))[:wanted]
        for judge in chosen:
            load[judge.id] += 1
            new.append((judge.id, entry.reference))
    return new
