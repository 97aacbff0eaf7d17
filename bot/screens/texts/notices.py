"""What is said of the round and unasked: the round's dates, and reminders of a draft."""

from __future__ import annotations

# --- The round, reminders and organiser commands (issue 8) -------------------------------------
# Added for the Telegram wiring in phase 2; the dates come from flows.round.Round's sentences
# ("Nominations close at 5pm on Friday 15 January 2027.") and are filled in by the front end.
ROUND_NOT_OPEN = "Nominations for this award are not open yet. {opening} Please come back then."
ROUND_CLOSED = (
    "Thank you for your interest. {closed} No new nominations can be started or sent. "
    "You can still read your draft with /review."
)
REMINDER = (
    "You started a nomination{for_nominee} and have answered {answered} of {total} questions. "
    "It is saved: carry on whenever you are ready."
)
REMINDER_FOR_NOMINEE = " for {nominee}"
REMINDER_CONTINUE_BUTTON = "Continue"
REMINDER_STOP_BUTTON = "Stop reminders"
REMINDERS_STOPPED = "You won't get any more reminders. Your draft is still saved."
ORGANISER_COMMANDS = (
    ("stats", "How the round is going"),
    ("export", "All submitted nominations as a CSV file"),
    ("nomination", "One nomination: /nomination REF"),
    ("resend", "Send a nomination's email again: /resend REF"),
    ("judges", "The judging panel: who has scored what; invite or remove a judge"),
    ("judging", "Open or close judging: /judging open, /judging close"),
    ("leaderboard", "Nominations ranked by the judges' scores"),
    ("shortlist", "Add or remove a nomination: /shortlist REF"),
    ("organiser", "These commands"),
)
RESEND_QUEUED = (
    "The organisers' email for {reference} is queued again. I'll tell you when it has gone."
)
RESEND_SENT = "The organisers' email for {reference} has been sent again."
NO_SUCH_NOMINATION = "No submitted nomination has the reference {reference}."
