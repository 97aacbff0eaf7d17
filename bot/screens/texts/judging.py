"""Judging (issue 18): what judges and the organisers read about it."""

from __future__ import annotations

from bot.screens.actions import BY_ACTION, Action, label
from bot.screens.menus import commands, help_lines

# --- Invitations and registration ---------------------------------------------------------
JUDGE_LINK_REFUSED = "Sorry, this link can't be used. Ask the awards team for a new one."
JUDGE_WELCOME = "Welcome to the judging panel for {award}. First, a few details about you."
JUDGE_ASK = {
    "name": "What is your full name?",
    "role": "What is your job title or role?",
    "organisation": "Which organisation do you work for?",
}
JUDGE_DETAIL_REFUSED = "Please type a short answer, up to {limit} characters."
JUDGE_REGISTERED = (
    "Thank you, {name}. You are on the panel. Send /judge to score your next nomination, "
    "or send /myscores to see what you have scored."
)
JUDGE_REGISTERED_NOT_OPEN = (
    "Thank you, {name}. You are on the panel. Judging has not opened yet: we will tell you "
    "when there are nominations to score, or send /judge later."
)
# A judge's chat's menu adds these to the nominators'.
JUDGE_COMMANDS = commands(judging=True)

# --- A nomination, as a judge reads it ----------------------------------------------------
JUDGE_PROGRESS = "Nomination {index} of {count}"
JUDGE_PROGRESS_CRITERION = "Nomination {index} of {count} · Criterion {criterion} of {criteria}"
JUDGE_BLIND_TITLE = "Nomination {number}"
JUDGE_BLIND_NOTE = (
    "Names and organisations are hidden. The answers are shown as the nominator wrote them, "
    "so they may still name people."
)
JUDGE_CHANGED = "This nomination was changed since you scored it. What changed: {fields}."
JUDGE_STATEMENTS = "Supporting statements"
JUDGE_STATEMENT_BY = "From {name}, {role} ({relationship})"
JUDGE_STATEMENT_BY_BLIND = "From a colleague ({role}, {relationship})"
JUDGE_FILES = "Supporting files: {names}"

# --- Scoring ------------------------------------------------------------------------------
JUDGE_CONFLICT = (
    "Before you score it: do you have a conflict of interest? For example, you know the "
    "nominee or the nominator personally, you work in the same team, or you would gain."
)
JUDGE_CONFLICT_YES = "Yes, I have a conflict"
JUDGE_CONFLICT_NO = "No conflict"
JUDGE_ASK_REASON = "Please tell us briefly what the conflict is. Only the awards team will see it."
JUDGE_REASON_NEEDED = "Please type what the conflict is, in a few words."
JUDGE_RECUSED = (
    "Thank you. You will not score this nomination; it goes to another judge where there is one. "
    "Send /judge for your next one."
)
JUDGE_ASK_SCORE = "{number} {criterion}"
JUDGE_ASK_SCORE_HINT = "Choose a score for this question."
JUDGE_SCORE_BEFORE = "Your score before: {value} ({label})."
JUDGE_SCORE_BUTTON = "{value} {label}"
JUDGE_ASK_COMMENT = (
    "Any comment for the panel? Type it, or choose Skip. Only the awards team and the panel see it."
)
JUDGE_COMMENT_BEFORE = "Your comment before: {comment}"
JUDGE_SKIP = "Skip"
JUDGE_CHECK = "Check your scores"
JUDGE_CHECK_LINE = "{number} {criterion} – {value} ({label})"  # a question: no "?:"
JUDGE_CHECK_COMMENT = "Comment: {comment}"
JUDGE_NO_COMMENT = "Comment: none"
JUDGE_CHANGE = "Change {number}"
JUDGE_CHANGE_COMMENT = "Change comment"
JUDGE_SUBMIT = "Submit scores"
JUDGE_SUBMITTED = "Your scores are saved. You can change them until judging closes."
JUDGE_NEXT = label(Action.JUDGE_NEXT)
JUDGE_TOO_LONG = "That is too long. Please make it shorter."
JUDGE_UNSCORED = "Please score every question before you submit."
JUDGE_NOT_NOW = "That button is from an earlier step. Here is where you are."
JUDGE_ALL_SCORED = "You have scored all {count} of your nominations. Thank you!"
JUDGE_SCORED_THE_ONE = "You have scored your nomination. Thank you!"
JUDGE_NONE_YET = "There are no nominations for you to score yet."
JUDGE_ALL_RECUSED = (
    "You declared a conflict of interest with all {count} of your nominations, so none is "
    "left for you to score. The awards team may give you others."
)
JUDGE_RECUSED_THE_ONE = (
    "You declared a conflict of interest with your nomination, so none is left for you to "
    "score. The awards team may give you others."
)
JUDGE_OWN_THE_ONE = (
    "The nomination sent so far is from your own organisation, so it is not yours to score: "
    "nobody judges their own."
)
JUDGE_ALL_OWN = (
    "None of the nominations is yours to score: all {count} so far are from your own "
    "organisation, and nobody judges their own."
)
JUDGE_GONE = "That nomination is no longer yours to score."
JUDGING_NOT_OPEN = "Judging has not opened yet."
JUDGING_CLOSED = "Judging has closed, so scores can't be changed now. Your scores are kept."
JUDGE_MY_SCORES = "Your scores ({count}):"
JUDGE_MY_SCORES_NONE = "You have not scored any nominations yet. Send /judge to start."
JUDGE_MY_SCORES_LINE = "{title}: {scores}"
JUDGE_MY_SCORES_CHANGED = " (changed since you scored it)"
JUDGE_MY_SCORES_OPEN = "Change {title}"
JUDGE_REMINDER = (
    "Judging closes at {close}. You have {count} nomination(s) still to score. "
    "Send /judge to carry on."
)

# --- The organisers -----------------------------------------------------------------------
JUDGES_PANEL = "Judging panel ({count}):"
JUDGES_NONE = "There are no judges yet."
JUDGES_LINE = "{name}, {role}: {scored} of {assigned} scored"
JUDGES_BEHIND = " ({left} to go)"
JUDGES_UNREGISTERED = "(still giving their details)"
JUDGES_INVITE = "Invite a judge"
JUDGES_REMOVE = "Remove {name}"
JUDGES_INVITATION = (
    "Forward this link to one person. Whoever opens it first joins the panel; it works once. {link}"
)
JUDGES_REVOKE = "Cancel this link"
JUDGES_REVOKED = "That link is cancelled: nobody can join with it now."
JUDGES_NOT_REVOKED = "That link was used or cancelled already."
JUDGES_REMOVED = "{name} is off the panel. Nominations they had not scored go to others."
JUDGING_STATE = "Judging is {state}. Send /judging open or /judging close."
JUDGING_OPENED = "Judging is open. Judges can score their nominations with /judge."
JUDGING_CLOSED_NOW = "Judging is closed. Scores can no longer be changed."
JUDGING_OFF = "This award's form has no [judging] section, so there is nothing to judge."

# --- The terminal and the command line (`nomination-bot judge`, `nomination-bot judging`) --
_HELP = BY_ACTION[Action.HELP]
JUDGE_CONSOLE_HELP = "\n".join(
    [
        "Type the number of a choice, or your answer when asked. You can also type:",
        *help_lines(telegram=False, judging=True),
        f"{_HELP.word} – {_HELP.help}",
        "quit – stop for now (your scores are kept)",
    ]
)
JUDGE_CONSOLE_CHOOSE = "Please type the number of a choice above, or help."
JUDGE_CONSOLE_WHAT = "Type judge for your next nomination, or help."
JUDGE_CONSOLE_BYE = "Goodbye. Run nomination-bot judge again to carry on."
JUDGE_CONSOLE_NOT_OPEN = "Judging is not open. To open it, run: nomination-bot judging open"
JUDGING_CLI_OPENED = (
    "Judging is open. Judges score with /judge in Telegram, or here: nomination-bot judge"
)
JUDGING_CLI_CLOSED = "Judging is closed. Scores can no longer be changed."
JUDGING_CLI_STATE = "Judging is {state}."
JUDGING_CLI_PANEL = "Judges: {count}"
JUDGING_CLI_NO_JUDGES = (
    "Judges: none yet. Invite them with /judges in Telegram, or judge here: nomination-bot judge"
)
