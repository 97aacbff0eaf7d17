"""Supporting statements from colleagues: the nominator's /support and the colleague's side."""

from __future__ import annotations

# --- Supporting statements from colleagues (issue 9: bot/support.py) ---------------------
SUPPORT_TITLE = (
    "Supporting statements. A colleague can add up to {maximum} to a nomination. Ask for a "
    "link, then forward it to them. Each link works once."
)
SUPPORT_LINE = "{nominee} ({reference}): {sent} received, {waiting} link(s) waiting."
SUPPORT_ASK_BUTTON = "Ask a colleague about {nominee}"
SUPPORT_REVOKE_BUTTON = "Cancel link {number} for {nominee}"
SUPPORT_NO_NOMINATIONS = "You have no nominations yet. Send /new to start one."
SUPPORT_NOT_YOURS = "That nomination or link can't be found."
SUPPORT_LIMIT = "This nomination already has {maximum} supporting statements or links."
SUPPORT_LINK = (
    "Forward the link below to a colleague. They can write a supporting statement for "
    "{reference}. They will not see your answers, and you will not see their statement."
)
SUPPORT_REVOKED = "Link cancelled. Nobody can use it now ({reference})."
SUPPORT_REVOKE_TOO_LATE = "That link can't be cancelled: its statement was already sent."
SUPPORT_HINT = "To ask a colleague for a supporting statement, or cancel a link, send /{command}."
SUPPORT_HINT_TERMINAL = (
    "Asking a colleague for a supporting statement needs the Telegram bot: the link you "
    "forward opens there."
)
SUPPORT_UNKNOWN_LINK = "Sorry, this link doesn't work. Ask the person who sent it for a new one."
SUPPORT_OWN_LINK = "This link is for a colleague: forward it to them. It still works."
SUPPORT_SOMEONE = "A colleague"
NOT_GIVEN_SHORT = "not given"
SUPPORT_INTRO = (
    "{nominator} has nominated {nominee} ({role}, {organisation}) for an award, and asks you "
    "for a short supporting statement. Your answers are saved as you go. To stop for now, send "
    "/start; open the link again to carry on."
)
# A statement's screens are the nomination's own (bot/statement_screens.py changes these).
STATEMENT_FOR = "Supporting statement for {nominee} · {progress}"
STATEMENT_REVIEW = "Your supporting statement for {nominee}. Check it, then send it."
STATEMENT_READY = "All done. Choose Send statement to send it to the award organisers."
STATEMENT_BLOCKED = "Before you can send it:"
SUPPORT_SEND_BUTTON = "Send statement"
SUPPORT_SENT = (
    "Thank you. Your statement for {nominee} is now with the nomination, for the organisers."
)
SUPPORT_LIMIT_COLLEAGUE = "Sorry, this nomination already has all the statements it can take."
SUPPORT_ARRIVED = (
    "A colleague has sent a supporting statement for {nominee} ({reference}). It goes to the "
    "organisers; you won't see it."
)

# The nominator opening their own link once it is no longer open (issue 20): the truth about it.
SUPPORT_OWN_LINK_TAKEN = (
    "A colleague has opened this link and is writing their statement. It won't work for "
    "anyone else. Send /support to ask another colleague."
)
SUPPORT_OWN_LINK_SENT = (
    "This link has been used: a colleague sent their statement with it. It won't work again. "
    "Send /support to ask another colleague."
)
SUPPORT_OWN_LINK_CANCELLED = (
    "You cancelled this link, so it doesn't work any more. Send /support to ask for a new one."
)
