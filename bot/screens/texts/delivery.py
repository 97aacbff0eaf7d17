"""Where the emails went, told truthfully: in a trial with no email server (no SMTP_HOST), they
are written as files in a folder, and nothing leaves the machine. `{folder}` is that folder."""

# At the review, after "All done. Choose Submit nomination …": a trial sends nothing.
TRIAL_REVIEW = (
    "This copy of the bot has no email server: Submit saves the emails as files in {folder}."
)
# In place of "A copy is on its way to …" after Submit.
TRIAL_SUBMITTED = (
    "No email was sent: this copy of the bot has no email server. The organisers' email and "
    "your copy are saved as files in {folder}."
)
TRIAL_SUBMITTED_NO_COPY = (
    "No email was sent: this copy of the bot has no email server. The organisers' email is "
    "saved as a file in {folder}."
)
# One line at start-up, when ORGANISER_EMAILS is empty in a trial.
TRIAL_ORGANISERS = (
    "ORGANISER_EMAILS is not set: the organisers' email goes to {address}, saved as a file in "
    "{folder}."
)
