"""The organisers' commands in Telegram."""

from __future__ import annotations

# --- The organisers in Telegram (issue 8) -------------------------------------------------
ORGANISER_HELP = "Organisers' commands (only you can see and use these):"
EXPORT_CAPTION = "{count} submitted nomination(s), one row each."
NEEDS_REFERENCE = "Please add the reference, for example /nomination LSI-7K3Q9M."
RESEND_BUTTON = "Send the organisers' email again"
RESEND_NOBODY = "ORGANISER_EMAILS is empty: there is nobody to send it to."
RESEND_SAVED = (
    "The email for {reference} is saved as a file in {folder} on the server. No email server "
    "is set up, so nothing was sent."
)
RESEND_NOT_YET = (
    "The email for {reference} has not gone yet: it stays in the outbox. "
    "Run `nomination-bot outbox` on the server for details."
)
REMINDER_AT = "You got as far as: {label}."
REMINDER_AT_REVIEW = "You got as far as the review: it is ready to check and send."
ORGANISER_ERROR_ALERT = "The bot hit an error: {error} in {where}. Details are in the server's log."
