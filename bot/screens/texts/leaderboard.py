"""Judging's results for organisers: the leaderboard and the shortlist (issue 18)."""

from __future__ import annotations

LEADERBOARD_TITLE = "Leaderboard: best normalised score first (scale {low} to {high})"
LEADERBOARD_KEY = (
    "Normalised corrects lenient and harsh judges; raw is the plain average. "
    "⚠ marks judges {spread:g} or more points apart. ★ is on the shortlist."
)
LEADERBOARD_NONE = "No nominations to judge yet."
LEADERBOARD_LINE = "{rank} {reference} {nominee}{star}"
LEADERBOARD_RANK = "{rank}."
LEADERBOARD_FIGURES = (
    "   normalised {normalised} · raw {raw} (rank {raw_rank}) · "
    "scored {received} of {assigned}{recusals}{flag}"
)
LEADERBOARD_UNSCORED = "   not scored yet · {received} of {assigned}{recusals}"
LEADERBOARD_RECUSALS = " · {count} recused"
LEADERBOARD_DISAGREE = " · ⚠ judges disagree"
NOT_RANKED = "–"
LEADERBOARD_MORE = (
    "These are the first {shown} of {count}. For every one: nomination-bot scores on the server."
)
SHORTLIST_ADDED = "{reference} is on the shortlist ({count} now)."
SHORTLIST_REMOVED = "{reference} is off the shortlist ({count} now)."
SHORTLIST_UNKNOWN = "No sent nomination has the reference {reference}."
SHORTLIST_LIST = "The shortlist ({count}): {references}"
SHORTLIST_EMPTY = "The shortlist is empty. Add one with /shortlist LSI-7K3Q9M."
NO_JUDGING = "This award has no judging: its form file has no [judging] section."
