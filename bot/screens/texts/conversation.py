"""The nominator's conversation: the welcome, questions, receipts, the review, yes/no
questions, problems with an answer, help, several nominations, amending and withdrawing."""

from __future__ import annotations

from bot.screens.actions import Action, label
from bot.screens.menus import commands, help_lines, how_to_start
from flows.effects import Problem
from flows.form import NO, YES, YES_NO_LABELS
from flows.form import plural as plural  # re-exported: screens write texts.plural(...)
from flows.state import Confirmation

WELCOME_NEW = (
    "This bot helps you nominate a colleague or team for this award. It takes about 20 minutes: "
    "a few details, then {questions} questions. Everything is saved as you go, so you can stop "
    "and come back at any time."
)
WELCOME_BACK = "Welcome back. Your nomination {reference} is saved at {progress}."
WELCOME_BACK_FOR = "Welcome back. Your nomination {reference} for {nominee} is saved at {progress}."
WELCOME_ATTENTION = "Some answers need another look:"
START_BUTTON = label(Action.START)
CONTINUE_BUTTON = "Continue your nomination ({progress})"

STEP = "Step {step} of {steps}"
NOMINATION_FOR = "Nomination for {nominee} · {progress}"
AT_REVIEW = "the review"
QUESTION = "Question {question} of {questions}"

LONG_ANSWER_TIP = "Type your answer. You can send it in several parts, then choose Done."
LONG_ANSWER_LIMIT = "Up to {max_words} words."
CURRENT_ANSWER = "Your answer so far:"
REPLACING = "Send your new answer. It replaces the one below."
REPLACING_TIP = "Or choose Add to it, to add to it instead."
CURRENT_SHORT = "Your current answer: {answer}"
KEEP_TIP = "Type a new answer, or choose Keep to leave it as it is."

PART_SAVED = "Saved: {words} {word_s} so far."
PART_SAVED_LIMIT = "Saved: {words} of {max_words} words so far."
PART_SAVED_NEXT = "Send more, or choose Done when you have finished."
OVER_LIMIT_BY = (
    "That is {over} {word_s} over the {max_words}-word limit. Your answer is kept. Make it "
    "shorter before you send it: edit what you sent, or choose Start again."
)
REVISED = "Your edit is saved. {field} now has {words} {word_s}."

HINTS_TITLE = "Examples for {number}"
HINTS_FOOTER = "Do feel free to use any others which you believe answer the question."

REVIEW_TITLE = "Check your nomination {reference}"
REVIEW_NOT_ANSWERED = "Not answered yet"
REVIEW_WORDS = "{words} {word_s}"
REVIEW_WORDS_LIMIT = "{words} of {max_words} words"
REVIEW_READY = (
    "All done. Choose Submit nomination to send it to the award organisers, or change any answer."
)
ATTENTION = {
    Problem.OVER_LIMIT: "{label}: {over} {word_s} over the limit",
    Problem.TOO_SHORT: "{label}: {over} more {word_s} needed",
    Problem.CONSENT_REFUSED: "{label}: we need your agreement to send the nomination",
}
REVIEW_BLOCKED = "Before you can submit:"
OUTSTANDING = {Problem.MISSING: "{label}: not answered yet", **ATTENTION}
CHANGE_BUTTON = "Change: {label}"
ANSWER_BUTTON = "Answer: {label}"  # a question not answered yet: nothing to change
SUBMIT_BUTTON = label(Action.SUBMIT)
FIX_BUTTON = "Go to: {label}"
FULL_BUTTON = "Show {label} in full"
REVIEW_SHORTENED = "This is the start of a long answer. Choose Show {label} in full to read it all."

SUBMITTED = "Thank you. Your nomination has been received."
SUBMITTED_REFERENCE = "Your reference is {reference}."
SUBMITTED_COPY = "A copy is on its way to {email}."
# "{start}" is how to begin again in the front end's own words (bot.screens.menus.how_to_start); the
# plain names are Telegram's wording.
SUBMITTED_AGAIN_TO = "To nominate someone else, {start}."
SUBMITTED_AGAIN = SUBMITTED_AGAIN_TO.format(start=how_to_start(telegram=True))

PAUSED_TO = "Your nomination is saved. When you are ready to carry on, {start}."
PAUSED = PAUSED_TO.format(start=how_to_start(telegram=True))
# "{start}" here is "Send /start" or "Type start" (bot.screens.wording.Wording.start, capitalised).
NO_DRAFT_TO = "You have no nomination in progress. {start} to begin one."
NO_DRAFT = NO_DRAFT_TO.format(start="Send /start")
# {for_nominee} is RETENTION_FOR_NOMINEE once the nominee is named: with several drafts, it says
# which one goes.
DELETE_CONFIRM = (
    "Delete your nomination{for_nominee} ({reference})? All your answers will be erased and "
    "can't be recovered."
)
DELETE_YES = "Yes, delete it"
DELETE_NO = "No, keep it"
DELETED_TO = "Your nomination has been deleted. To begin a new one, {start}."
DELETED = DELETED_TO.format(start=how_to_start(telegram=True))
DELETE_KEPT = "Your nomination is kept."

CONSENT_REFUSED_NOTE = (
    "Noted. We can't send your nomination without your agreement, but your answers are kept. "
    "You can change this on the review screen."
)
OVER_LIMIT_NOTE = "Your answer is over the word limit. Please shorten it before you submit."

CONFIRM = {
    Confirmation.CLEAR: "Clear your {words}-word answer to {label}? You can't get it back.",
    Confirmation.DELETE: DELETE_CONFIRM,
    Confirmation.SAVE_TYPED: "Save this as your answer to {label}?",
}
CONFIRM_YES = {
    Confirmation.CLEAR: "Yes, clear it",
    Confirmation.DELETE: DELETE_YES,
    Confirmation.SAVE_TYPED: "Yes, save it",
}
CONFIRM_NO = {
    Confirmation.CLEAR: "No, keep it",
    Confirmation.DELETE: DELETE_NO,
    Confirmation.SAVE_TYPED: "No",
}
CONFIRM_AGAIN = "Please choose Yes or No first. You can also type yes or no."
KEPT = {
    Confirmation.CLEAR: "Your answer is kept.",
    Confirmation.DELETE: DELETE_KEPT,
    Confirmation.SAVE_TYPED: "Your message was not saved.",
}

BUTTON_DONE = label(Action.DONE)
BUTTON_BACK = label(Action.BACK)
BUTTON_SKIP = label(Action.SKIP)
BUTTON_HINTS = label(Action.HINTS)
BUTTON_REVIEW = label(Action.REVIEW)
BUTTON_CLEAR = label(Action.CLEAR)
BUTTON_ADD_TO = label(Action.ADD_TO)
BUTTON_KEEP = label(Action.KEEP)
BUTTON_YES = YES_NO_LABELS[YES]
BUTTON_NO = YES_NO_LABELS[NO]

# Each says what is wrong and how to put it right (the GOV.UK pattern); the question follows.
PROBLEMS = {
    Problem.EMPTY: "Your message was empty. Type your answer and send it.",
    Problem.EMPTY_PART: "That message was empty, so nothing was added. Send more, or choose Done.",
    Problem.TOO_SHORT: (
        "Your answer has {words} {word_s}. Please write at least {limit}, so the judges can see "
        "what they did. Choose Show examples for ideas."
    ),
    Problem.TOO_LONG: "That is too long. Keep it under {limit} characters.",
    Problem.BAD_EMAIL: "That is not an email address. Type it like name@nhs.net",
    Problem.BAD_PATTERN: "That is not in the form we need. Check it and type it again.",
    Problem.NOT_A_NAME: (
        "That looks like an email address or a phone number. This question asks for a name: {asks}"
    ),
    Problem.NOT_AN_OPTION: "That is not one of the choices. Choose one of these: {options}.",
    Problem.NOT_YES_NO: "'{typed}' is not a yes or a no. Choose Yes or No, or type it.",
    Problem.CANNOT_SKIP: "We need an answer to this one, so you can't skip it. Type your answer.",
    Problem.NO_HINTS: "There are no examples for this step.",
    Problem.NOTHING_TO_REVIEW: "Nothing to review yet: your answers appear there as you give them.",
    Problem.NOTHING_BEFORE: "This is the first question, so there is nothing to go back to.",
    Problem.NOTHING_TO_CLEAR: "There is no answer to start again yet.",
    Problem.UNKNOWN_FIELD: "That question isn't part of this nomination.",
    Problem.UNKNOWN_MESSAGE: "That message isn't one of your answers, so nothing changed.",
    Problem.ALREADY_SUBMITTED: "This nomination has already been sent, so it can't be changed.",
    Problem.USE_REVIEW_BUTTONS: (
        "Your message was not saved: it doesn't answer any question still to do. At the "
        "review, change an answer first, then type the new one."
    ),
    Problem.NOT_LONG_ANSWER: "Only award questions can be started again. Type a new answer.",
    Problem.MISSING: "Please answer this one.",
    Problem.OVER_LIMIT: "This answer is over the word limit.",
    Problem.CONSENT_REFUSED: CONSENT_REFUSED_NOTE,
    Problem.NOTHING_TO_CONFIRM: "There is no question to say yes or no to. Here is where you are.",
    Problem.EMAIL_DOMAIN: "We can only take email addresses ending {domains}. Type your work one.",
}
EMPTY_LONG = "You have not answered {label} yet. Type your answer, then choose Done."


# Help and the command menu come from the one table of actions (bot/actions.py).
HELP_INTRO = "How this works: answer each question in turn. Everything is saved as you go."
CONSOLE_INTRO = (
    "Type your answer and press Enter. Where options are numbered, type the number. "
    "Everything is saved as you go. You can also type:"
)
TELEGRAM_HELP = "\n".join([HELP_INTRO, "", *help_lines(telegram=True)])
TELEGRAM_COMMANDS = commands()
CONSOLE_HELP = "\n".join([CONSOLE_INTRO, *help_lines(telegram=False)])
# Without a check of the nominator's address (no SMTP), the code's words are left out.
TELEGRAM_HELP_NO_CODES = "\n".join([HELP_INTRO, "", *help_lines(telegram=True, email_codes=False)])
CONSOLE_HELP_NO_CODES = "\n".join([CONSOLE_INTRO, *help_lines(telegram=False, email_codes=False)])

STATUS_DRAFT = "Your nomination {reference} is at {progress}. {answered} of {total} answered."
ALREADY_DONE = "Done already."
EDIT_NOT_AN_ANSWER = (
    "That message wasn't saved as an answer, so editing it changes nothing. "
    "Please send your answer as a new message."
)
STALE_BUTTON = "That button is from an earlier message. Here is where you are now."
STALE_SUBMITTED_TO = "That nomination has already been sent. {start} to begin a new one."
STALE_SUBMITTED = STALE_SUBMITTED_TO.format(start="Send /start")
STALE_GONE_TO = "That nomination is no longer in progress. {start} to begin a new one."
STALE_GONE = STALE_GONE_TO.format(start="Send /start")
NOT_TEXT = "Please type your answer as a message. Photos, files and voice notes can't be used here."
UNKNOWN_COMMAND = "Sorry, I don't know that command."
GROUP_REFUSED = (
    "Nominations are confidential, so I only take them in a private chat. Tap here to start: {link}"
)
ERROR_SAFE = (
    "Sorry, something went wrong on our side. Your answers so far are safe; please try again."
)
CONSOLE_BYE = "Your nomination is saved. Run the bot again to carry on."
CONSOLE_GOODBYE = "Goodbye."
CONSOLE_LINE_CUT = (
    "That was not saved: a terminal takes at most {limit} characters in one line, so the end "
    "of it was cut off. Paste a long answer in parts, each shorter than that: every part is "
    "added to the answer."
)
NO_TERMINAL_NO_BOT = (
    "TELEGRAM_BOT_TOKEN is not set and there is no terminal to talk to. Set TELEGRAM_BOT_TOKEN "
    "(see config.example.env) to run the Telegram bot, or run it in a terminal."
)
ORGANISER_EMAIL_FAILED = (
    "Email for nomination {reference} ({kind}) could not be delivered: {reason}. "
    "Run `nomination-bot outbox` on the server for details."
)


# --------------------------------------------------------------------------------------------
# Public safety (issue 12): said by the Telegram runtime, not by a conversation step.

FLOODED = (
    "You're sending messages faster than I can save them, so I've kept only the first {kept}. "
    "Please send the rest again after my replies."
)
# A message saved just before the bot restarted, whose reply may have been lost (Telegram only).
RESTARTED = "Sorry, I restarted just after saving your last message. Here is where you are."
RESTARTED_NO_DRAFT = (
    "Sorry, I restarted just after saving your last message. It is saved: please carry on."
)
# --------------------------------------------------------------------------------------------
# Several nominations (issue 9): /mynominations and its buttons.

MY_NOMINATIONS_TITLE = "Your nominations, newest first"
MY_NOMINATIONS_NONE = "You have no nominations yet."
MY_NOMINATION_DRAFT = "{number}. {nominee}: draft, {progress}. Reference {reference}."
MY_NOMINATION_SENT = "{number}. {nominee}: sent on {date}. Reference {reference}."
MY_NOMINATION_AT_REVIEW = "ready to review"
NOMINEE_NOT_NAMED = "Nominee not named yet"
NOT_NAMED_YET = "{label} not named yet"  # the label of the field naming them: Team, Nominee
LIST_CONTINUE = "Continue {number}"
LIST_REVIEW = "Review {number}"
LIST_VIEW = "View {number}"
LIST_BUTTON = label(Action.LIST)
ANOTHER_BUTTON = label(Action.ANOTHER)
VIEW_TITLE = "Nomination {reference}, sent on {date}"

PRIVATE_CHAT_ONLY = "Nominations are confidential, so I only show them in a private chat with me."


# --- Amend or withdraw until the closing date (issue 9) -------------------------------------
LIST_WITHDRAW = "Withdraw {number}"
MY_NOMINATION_WITHDRAWN = "{number}. Withdrawn on {date}. Reference {reference}."
CONFIRM[Confirmation.WITHDRAW] = (
    "Withdraw nomination {reference}? We will tell the organisers, then erase your answers. "
    "You can't undo this."
)
CONFIRM_YES[Confirmation.WITHDRAW] = "Yes, withdraw it"
CONFIRM_NO[Confirmation.WITHDRAW] = "No, keep it"
KEPT[Confirmation.WITHDRAW] = "Your nomination is not withdrawn: nothing has changed."
WITHDRAWN_DONE = (
    "Nomination {reference} is withdrawn. We have told the organisers and erased your answers."
)
WITHDRAW_CLOSED = (
    "{closed} Nomination {reference} can no longer be changed or withdrawn. "
    "Please contact the organisers."
)
ALREADY_WITHDRAWN = "Nomination {reference} was withdrawn, so there is nothing left to change."
PROBLEMS[Problem.WITHDRAWN] = "This nomination was withdrawn, so there is nothing left to change."
LIST_AMEND = "Amend {number}"
LIST_CANCEL_AMEND = "Cancel changes {number}"
MY_NOMINATION_AMENDING = (
    "{number}. {nominee}: changes not sent yet, {progress}. Reference {reference}. "
    "The organisers have the version you sent."
)
AMEND_CLOSED = WITHDRAW_CLOSED
AMEND_CANCELLED = (
    "Your changes to {reference} are cancelled. The organisers keep the version you sent."
)
