"""Who judges which nomination (flows/judging/assignment.py): everyone everything by default;
N per nomination balanced within one; never the judge's own organisation nor a recusal; what is
assigned stays, and a recusal or a removal is filled again by the next least loaded judge."""

from __future__ import annotations

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from flows.judging.assignment import Entry, Panellist, plan, same_organisation

ADA, BEA, CAL = Panellist(1, "Leeds Trust"), Panellist(2, "York Trust"), Panellist(3, "Hull Trust")
ENTRIES = [Entry(f"LSI-{n}", "Bradford Trust") for n in range(5)]


def test_by_default_every_judge_gets_every_nomination() -> None:
    pairs = plan([ADA, BEA, CAL], ENTRIES)
    assert len(pairs) == 15
    assert plan([ADA, BEA, CAL], ENTRIES, assigned=pairs) == []


def test_never_a_nomination_from_the_judges_own_organisation() -> None:
    own = Entry("LSI-OWN", "  leeds trust. ")
    assert same_organisation("Leeds Trust", "  leeds trust. ")
    assert not same_organisation("", "")
    assert plan([ADA, BEA], [own]) == [(2, "LSI-OWN")]
    assert plan([ADA, BEA], [own], per_nomination=2) == [(2, "LSI-OWN")]


def test_n_per_nomination_is_balanced_and_a_recusal_goes_to_the_least_loaded() -> None:
    pairs = plan([ADA, BEA, CAL], ENTRIES, per_nomination=2)
    # Worked by hand: 1,2 | 3,1 | 2,3 | 1,2 | 3,1 -> loads 4, 3, 3.
    assert pairs == [
        (1, "LSI-0"), (2, "LSI-0"), (3, "LSI-1"), (1, "LSI-1"), (2, "LSI-2"),
        (3, "LSI-2"), (1, "LSI-3"), (2, "LSI-3"), (3, "LSI-4"), (1, "LSI-4"),
    ]  # fmt: skip
    # Ada recuses herself from LSI-0: it goes to Cal, the one judge without it.
    kept = [p for p in pairs if p != (1, "LSI-0")]
    again = plan([ADA, BEA, CAL], ENTRIES, assigned=kept, recused=[(1, "LSI-0")], per_nomination=2)
    assert again == [(3, "LSI-0")]
    # With nobody else free, a recusal is simply not filled.
    assert (
        plan(
            [ADA, BEA],
            ENTRIES[:1],
            assigned=[(2, "LSI-0")],
            recused=[(1, "LSI-0")],
            per_nomination=2,
        )
        == []
    )


@given(st.integers(1, 8), st.integers(0, 30), st.integers(1, 8))
def test_without_conflicts_no_judge_has_more_than_one_more(judges: int, count: int, n: int) -> None:
    panel = [Panellist(i, f"Org {i}") for i in range(judges)]
    entries = [Entry(f"R{i}", "Elsewhere") for i in range(count)]
    pairs = plan(panel, entries, per_nomination=n)
    loads = Counter(j for j, _ in pairs)
    every = [loads.get(j.id, 0) for j in panel]
    assert max(every) - min(every) <= 1
    per = Counter(r for _, r in pairs)
    assert all(per[e.reference] == min(n, judges) for e in entries)
    assert len(set(pairs)) == len(pairs)
