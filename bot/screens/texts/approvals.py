"""The nominee's approval (issue 19): the nominator's link and reminder, the nominee's side, and
what each is told of the answer. A team's words name its lead, who approves for the team."""

from __future__ import annotations

# The nominator, before Submit and after it ---------------------------------------------------
APPROVAL_SURPRISE = (
    "This award asks the nominee to approve their nomination, so once you submit it they will "
    "know about it."
)
APPROVAL_SURPRISE_TEAM = (
    "This award asks the team's lead to approve the nomination, so once you submit it the team "
    "will know about it."
)
# The terminal has no Telegram link to give: said plainly, at the review and after Submit.
APPROVAL_SURPRISE_TERMINAL = (
    "This award asks the nominee to approve their nomination. In Telegram, once you submit it "
    "you would get a link to forward to them. The terminal gives no link, so they are not told."
)
APPROVAL_SURPRISE_TERMINAL_TEAM = (
    "This award asks the team's lead to approve the nomination. In Telegram, once you submit it "
    "you would get a link to forward to them. The terminal gives no link, so they are not told."
)
APPROVAL_TERMINAL = (
    "This award asks {nominee} to approve the nomination before it is judged. In Telegram you "
    "would now get a link to forward to them. The terminal has no link to give, so nobody is "
    "asked, and this nomination is not judged until it is approved."
)
APPROVAL_TERMINAL_TEAM = (
    "This award asks the team's lead to approve the nomination for {nominee} before it is "
    "judged. In Telegram you would now get a link to forward to them. The terminal has no link "
    "to give, so nobody is asked, and this nomination is not judged until it is approved."
)
APPROVAL_LINK = (
    "This award asks {nominee} to approve the nomination. Forward the link below to them. "
    "It works once. They will see the award answers, but not your email or phone number."
)
APPROVAL_LINK_TEAM = (
    "This award asks the team's lead to approve the nomination for {nominee}. Forward the link "
    "below to them. It works once. They will see the award answers, but not your email or phone "
    "number."
)
APPROVAL_REMINDER = (
    "{nominee} has not yet answered about your nomination {reference}. The link you had no "
    "longer works. Forward this new one to them:"
)
APPROVAL_REMINDER_TEAM = (
    "The team's lead has not yet answered about your nomination of {nominee} ({reference}). The "
    "link you had no longer works. Forward this new one to them:"
)
APPROVAL_APPROVED = "Good news: {nominee} has approved your nomination {reference}."
APPROVAL_APPROVED_TEAM = "Good news: the team's lead has approved your nomination {reference}."
APPROVAL_DECLINED = (
    "{nominee} asked for your nomination {reference} to be withdrawn, so it has been withdrawn "
    "and its answers erased. Thank you for nominating them."
)
APPROVAL_DECLINED_TEAM = (
    "The team's lead asked for your nomination {reference} to be withdrawn, so it has been "
    "withdrawn and its answers erased. Thank you for nominating the team."
)
APPROVAL_THEIR_NOTE = "Their note:"

# The nominee ----------------------------------------------------------------------------------
APPROVAL_INTRO = (
    "You have been nominated for {award}. The award organisers ask you to approve your "
    "nomination before it is judged. Here is what was written about you."
)
APPROVAL_INTRO_TEAM = (
    "{nominee} has been nominated for {award}, and you are named as the team's lead. The award "
    "organisers ask you to approve the nomination for the team before it is judged. Here is "
    "what was written."
)
APPROVAL_SUPPORTERS = "Supporting statements from: {names}."
APPROVAL_QUESTION = "Are you happy to be nominated?"
APPROVAL_QUESTION_TEAM = "Is the team happy to be nominated?"
APPROVAL_NOTE = "Would you like to add a note for the organisers? Type it now, or choose No note."
APPROVAL_NOTE_DECLINE = (
    "The nomination will be withdrawn. Would you like to add a note for the organisers first? "
    "Type it now, or choose No note."
)
APPROVAL_SHARE = "May the person who nominated you read your note too?"
APPROVAL_THANKS = "Thank you. We have told the organisers and the person who nominated you."
APPROVAL_WITHDRAWN = (
    "The nomination has been withdrawn and its answers erased. We have told the organisers and "
    "the person who made it."
)
APPROVAL_CHANGED = (
    "The nomination about you for {award} was changed after you approved it. Here is what it "
    "says now."
)
APPROVAL_CHANGED_TEAM = (
    "The nomination of {nominee} for {award} was changed after you approved it for the team. "
    "Here is what it says now."
)
APPROVAL_CHANGED_AFTER = (
    "The organisers can see that you approved it before this change. If you are not happy with "
    "it now, please tell the person who nominated you."
)
APPROVAL_UNKNOWN_LINK = "Sorry, this link doesn't work. Ask the person who sent it for a new one."
APPROVAL_OWN_LINK = "This link is for the person you nominated: forward it to them."
