"""The nominator's data: the privacy notice, /mydata and the retention warning."""

from __future__ import annotations

# --- The nominator's data (issue 9) -------------------------------------------------------
# The privacy notice, paragraph by paragraph; {organiser} is the form's, {days} is
# DRAFT_RETENTION_DAYS.
PRIVACY_NOTICE = (
    "What we keep: your answers, the files you add, and your Telegram user number.",
    "Why: to send your nomination to the {organiser} award organisers, and a copy to you.",
    "Who sees it: only the award organisers. Nothing is published without asking you first.",
    "How long: a draft you leave alone for {days} days is deleted, with its files. We warn you "
    "a week before. Sent nominations are kept until the organisers delete them after the award.",
    "To stop misuse, we also keep a scrambled note of each email code we send you, for {days} "
    "days. It can't be read back, and deleting a draft does not remove it.",
    "A colleague's supporting statement: we keep their name, role, how they know the nominee, "
    "the statement and their Telegram user number. Only the organisers and judges see it; the "
    "nominator never sees its text. It is deleted with the nomination: when it is withdrawn, "
    "deleted as a draft, or deleted by the organisers after the award.",
    "Send /mydata for a copy of all we hold about you. Send /delete to delete a draft.",
)
MY_DATA_FILE = "my-nomination-data.json"
# {held} lists what is held, each kind as MY_DATA_COUNTS words it, joined by commas.
MY_DATA_CAPTION = "All we hold about you: {held}."
MY_DATA_COUNTS = {
    "nominations": "{count} nomination(s)",
    "supporting_statements": "{count} supporting statement(s)",
    "nominee_approvals": "{count} answer(s) about a nomination of you",
}
MY_DATA_NONE = "We hold nothing about you."
RETENTION_WARNING = (
    "Your draft nomination{for_nominee} has not changed for a while. We will delete it on "
    "{date} unless you carry on with it before then."
)
RETENTION_FOR_NOMINEE = " for {nominee}"
