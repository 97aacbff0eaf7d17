"""Every word the bot says that is not in the form file, in one place.

Written for a busy nurse on a phone: short, plain UK English, and every button has a typed
equivalent. Placeholders are filled by bot/screens.py; nothing here is escaped or formatted.
"""

from __future__ import annotations

from flows.effects import Problem
from flows.form import NO, NOT_GIVEN, YES, YES_NO_LABELS
from flows.form import plural as plural  # re-exported: screens write texts.plural(...)

WELCOME_NEW = (
    "This bot helps you nominate a colleague or team for this award. It takes about 20 minutes: "
    "a few details, then {questions} questions. Everything is saved as you go, so you can stop "
    "and come back at any time."
)
WELCOME_BACK = "Welcome back. Your nomination {reference} is saved at {progress}."
START_BUTTON = "Start a nomination"
CONTINUE_BUTTON = "Continue your nomination ({progress})"

STEP = "Step {step} of {steps}"
AT_REVIEW = "the review"
QUESTION = "Question {question} of {questions}"

LONG_ANSWER_TIP = "Type your answer. You can send it in several parts, then choose Done."
LONG_ANSWER_LIMIT = "Up to {max_words} words."
CURRENT_ANSWER = "Your answer so far:"
CURRENT_SHORT = "Your current answer: {answer}"
KEEP_TIP = "Type a new answer, or choose Keep to leave it as it is."

PART_SAVED = "Saved: {words} {word_s} so far."
PART_SAVED_LIMIT = "Saved: {words} of {max_words} words so far."
PART_SAVED_NEXT = "Send more, or choose Done when you have finished."
OVER_LIMIT_BY = (
    "That is {over} {word_s} over the {max_words}-word limit. Your answer is kept, but please "
    "shorten it before you submit: edit what you sent, or choose Start again."
)
REVISED = "Your edit is saved. {field} now has {words} {word_s}."

HINTS_TITLE = "Examples for {number}"
HINTS_FOOTER = "Do feel free to use any others which you believe answer the question."

REVIEW_TITLE = "Check your nomination {reference}"
REVIEW_NOT_GIVEN = NOT_GIVEN
REVIEW_WORDS = "{words} {word_s}"
REVIEW_WORDS_LIMIT = "{words} of {max_words} words"
REVIEW_READY = "All done. Choose Submit to send it to the award organisers, or change any answer."
REVIEW_BLOCKED = "Before you can submit:"
OUTSTANDING = {
    Problem.MISSING: "{label}: not answered yet",
    Problem.OVER_LIMIT: "{label}: {over} {word_s} over the limit",
    Problem.CONSENT_REFUSED: "{label}: we need your agreement to send the nomination",
}
CHANGE_BUTTON = "Change: {label}"
SUBMIT_BUTTON = "Submit nomination"
FIX_BUTTON = "Go to: {label}"

SUBMITTED = "Thank you. Your nomination has been received."
SUBMITTED_REFERENCE = "Your reference is {reference}."
SUBMITTED_COPY = "A copy is on its way to {email}."
SUBMITTED_AGAIN = "To nominate someone else, send /start."

PAUSED = "Your nomination is saved. Send /start when you are ready to carry on."
NO_DRAFT = "You have no nomination in progress. Send /start to begin one."
DELETE_CONFIRM = (
    "Delete your nomination {reference}? All your answers will be erased and can't be recovered."
)
DELETE_YES = "Yes, delete it"
DELETE_NO = "No, keep it"
DELETED = "Your nomination has been deleted. Send /start to begin a new one."
DELETE_KEPT = "Your nomination is kept."

CONSENT_REFUSED_NOTE = (
    "Noted. We can't send your nomination without your agreement, but your answers are kept. "
    "You can change this on the review screen."
)
OVER_LIMIT_NOTE = "Your answer is over the word limit. Please shorten it before you submit."

BUTTON_DONE = "Done"
BUTTON_BACK = "Back"
BUTTON_SKIP = "Skip"
BUTTON_HINTS = "Show examples"
BUTTON_REVIEW = "Review answers"
BUTTON_CLEAR = "Start again"
BUTTON_KEEP = "Keep"
BUTTON_YES = YES_NO_LABELS[YES]
BUTTON_NO = YES_NO_LABELS[NO]

PROBLEMS = {
    Problem.EMPTY: "Please type your answer.",
    Problem.TOO_LONG: "That is too long: please keep it under {limit} characters.",
    Problem.BAD_EMAIL: "That doesn't look like an email address. Please type it like name@nhs.net",
    Problem.BAD_PATTERN: "That doesn't look right. Please try again.",
    Problem.NOT_AN_OPTION: "Please choose one of these: {options}.",
    Problem.NOT_YES_NO: "Please answer yes or no.",
    Problem.CANNOT_SKIP: "This one is needed, so it can't be skipped.",
    Problem.NO_HINTS: "There are no examples for this step.",
    Problem.NOTHING_BEFORE: "This is the first question, so there is nothing to go back to.",
    Problem.NOTHING_TO_CLEAR: "There is no answer to start again yet.",
    Problem.UNKNOWN_FIELD: "That question isn't part of this nomination.",
    Problem.UNKNOWN_MESSAGE: "That message isn't one of your answers, so nothing changed.",
    Problem.ALREADY_SUBMITTED: "This nomination has already been sent, so it can't be changed.",
    Problem.USE_REVIEW_BUTTONS: "This is the review: choose an answer to change, or Submit.",
    Problem.NOT_LONG_ANSWER: "Only award questions can be started again. Type a new answer.",
    Problem.MISSING: "Please answer this one.",
    Problem.OVER_LIMIT: "This answer is over the word limit.",
    Problem.CONSENT_REFUSED: CONSENT_REFUSED_NOTE,
}
EMPTY_LONG = "Please type your answer first, then choose Done."


TELEGRAM_HELP = """How this works: answer each question in turn. Everything is saved as you go.

/start – begin, or carry on where you stopped
/back – go to the previous question
/skip – leave out an optional question
/hints – show examples for an award question
/done – finish a long answer and move on
/clear – start a long answer again
/review – check all your answers
/edit Q2 – change one answer
/submit – send your nomination
/status – see how far you have got
/cancel – stop for now (your answers are kept)
/delete – erase this nomination
/help – show this message"""

TELEGRAM_COMMANDS = (
    ("start", "Begin, or carry on where you stopped"),
    ("back", "Go to the previous question"),
    ("skip", "Leave out an optional question"),
    ("hints", "Show examples for this question"),
    ("done", "Finish a long answer and move on"),
    ("review", "Check all your answers"),
    ("status", "See how far you have got"),
    ("cancel", "Stop for now; your answers are kept"),
    ("delete", "Erase this nomination"),
    ("help", "How this works"),
)

CONSOLE_HELP = """Type your answer and press Enter. Where options are numbered, type the number.
Commands: done (finish a long answer), back, skip, hints, review, clear (start a long answer
again), status, delete, help, quit. Everything is saved as you go."""

STATUS_DRAFT = "Your nomination {reference} is at {progress}. {answered} of {total} answered."
ALREADY_DONE = "Done already."
EDIT_NOT_AN_ANSWER = (
    "That message wasn't saved as an answer, so editing it changes nothing. "
    "Please send your answer as a new message."
)
STALE_BUTTON = "That button is from an earlier message. Here is where you are now."
STALE_SUBMITTED = "That nomination has already been sent. Send /start to begin a new one."
STALE_GONE = "That nomination is no longer in progress. Send /start to begin a new one."
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
PRIVATE_CHAT_ONLY = "Nominations are confidential, so I only show them in a private chat with me."
