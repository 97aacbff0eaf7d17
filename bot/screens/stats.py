"""The round's figures as short lines of plain text, the same for `/stats` in Telegram and for
`nomination-bot stats` (each front end escapes and joins them its own way)."""

from __future__ import annotations

from storage.stats import DAYS_SHOWN, TOP_ORGANISATIONS, RoundStats


def stats_lines(stats: RoundStats) -> list[str]:
    """The figures, one a line, with blank lines between the groups."""
    lines = [
        f"Drafts in progress: {stats.drafts}",
        f"Submitted: {stats.submitted}",
        "",
        f"Submitted per day, last {DAYS_SHOWN} days (UK time):",
    ]
    lines += [f"  {day:%a %d %b}: {count}" for day, count in stats.per_day]
    lines += ["", f"By organisation (top {TOP_ORGANISATIONS}):"]
    lines += [f"  {count}  {name}" for name, count in stats.organisations] or ["  none yet"]
    lines += ["", f"Emails waiting to send: {stats.emails_pending}"]
    lines += [f"Emails failed: {stats.emails_failed}"]
    lines += [f"Submits refused (over the daily limit per person): {stats.submits_refused}"]
    if stats.approvals:  # an award asks its nominees to approve (issue 19)
        counts = dict(stats.approvals)
        lines += [
            "",
            f"Nominee's approval: {counts.get('pending', 0)} waiting, "
            f"{counts.get('approved', 0)} approved, {counts.get('declined', 0)} declined",
        ]
    return lines
