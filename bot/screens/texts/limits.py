"""The limits on one nominator: the daily limit, and checking their email address."""

from __future__ import annotations

from bot.screens.actions import Action, label
from flows.effects import CodeProblem

# --- Limits on one nominator (issue 12, section 1) -----------------------------------------------
# SUBMISSIONS_PER_USER_PER_DAY: {until} is flows.round.uk_deadline ("2:05pm on Tuesday 3 March
# 2026"). ALLOWED_EMAIL_DOMAINS: the problem above lists them as "@nhs.net or @nhs.uk".
SUBMIT_REFUSED = (
    "You have sent as many nominations as we can take from one person in a day, so this one "
    "has not been sent. It is saved. You can send it from {until}."
)
DOMAINS_JOIN = " or "

# Checking the nominator's email address (GOV.UK "check your email"). {address} is shown in bold.
CODE_SENT_TITLE = "Check your email"
CODE_SENT_TO = "We've sent a 6-digit code to {address}. Type the code here. It lasts 15 minutes."
CODE_WHY = (
    "We check your address before we send you a copy of your nomination. If you don't get the "
    "email, check your junk folder, or choose Send a new code."
)
CODE_PROBLEMS = {
    CodeProblem.NOT_A_CODE: "That is not a code. Type the 6 digits from the email, like 123456.",
    CodeProblem.WRONG: (
        "That code is not right. Check the email and type it again ({left} {try_s} left)."
    ),
    CodeProblem.EXPIRED: "That code can't be used any more. Choose Send a new code.",
    CodeProblem.TOO_MANY_CODES: (
        "We can't send another code yet, as we've sent 3 in the last hour. You can ask for a new "
        "one from {until}, use the code you have, or skip this for now."
    ),
    # Many people asked for codes to this address (issue 20): not the nominator's own doing.
    CodeProblem.ADDRESS_BUSY: (
        "We can't send another code to this address yet, as it has had a lot of codes in the "
        "last hour. You can ask for a new one from {until}, use the code you have, or skip "
        "this for now."
    ),
}
EMAIL_CONFIRMED = "Thank you. Your email address is confirmed."
EMAIL_SKIPPED = (
    "You can still send your nomination, but we won't send you a copy, and we'll tell the "
    "organisers your address is not confirmed. To confirm it later, change your email address "
    "on the review."
)
CODE_NOT_CHECKED = "We are not checking email addresses at the moment. Choose Skip for now."
SUBMITTED_NO_COPY = "We have not sent you a copy, as your email address {email} is not confirmed."
BUTTON_RESEND_CODE = label(Action.RESEND_CODE)
BUTTON_CHANGE_EMAIL = label(Action.CHANGE_EMAIL)
BUTTON_SKIP_CODE = label(Action.SKIP_CODE)
