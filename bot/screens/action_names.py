"""The names of actions, the kinds of screen they belong to, and the front ends that offer them:
what a button's callback data and a typed word stand for. The table that gives each its label,
word, command and event is bot/screens/actions.py."""

from __future__ import annotations

from enum import StrEnum


class FrontEnd(StrEnum):
    TELEGRAM = "telegram"
    TERMINAL = "terminal"


BOTH = frozenset(FrontEnd)
TELEGRAM_ONLY = frozenset({FrontEnd.TELEGRAM})


class Kind(StrEnum):
    """Which kind of screen an action's button belongs to: that decides how a press is checked
    (is the button still current?) and who answers it."""

    STEP = "step"  # a step of a form being filled in: a nomination's or a colleague's statement
    DRAFT = "draft"  # the nominator's draft as a whole: pause, delete, the email-code step
    CHOOSING = "choosing"  # picks a nomination to carry on with or look at; names it itself
    SENT = "sent"  # acts on a sent nomination, which its button names
    READING = "reading"  # shows something (help, status, an answer in full); nothing changes
    FILES = "files"  # the draft's supporting files
    STATEMENTS = "statements"  # asking colleagues for supporting statements
    DATA = "data"  # the nominator's data: answered by the Telegram front end's own handlers
    REMINDERS = "reminders"  # answered by the Telegram front end's reminders
    ORGANISERS = "organisers"  # an organiser's button, answered by the organisers' commands
    JUDGING = "judging"  # a judge's or the panel's: answered by bot/conversation/judging.py
    APPROVAL = "approval"  # the nominee's approval: answered by Telegram's approval handlers

    @property
    def in_the_conversation(self) -> bool:
        """Whether the conversation answers it (the rest are a front end's own)."""
        return self not in (Kind.DATA, Kind.REMINDERS, Kind.ORGANISERS, Kind.JUDGING, Kind.APPROVAL)


class Action(StrEnum):
    """What a button or command does. Values are short: they travel in Telegram's 64-byte
    callback data."""

    ANSWER = "a"
    DONE = "d"
    BACK = "b"
    SKIP = "s"
    HINTS = "h"
    REVIEW = "r"
    CLEAR = "c"
    ADD_TO = "+"
    EDIT = "e"
    SUBMIT = "S"
    START = "go"
    CONFIRM = "y"
    DECLINE = "n"
    DELETE = "x"
    # Not "k" or "X": those were the old delete confirmation's buttons, still in chats.
    KEEP = "K"
    FULL_ANSWER = "f"
    CANCEL = "p"
    STATUS = "i"
    STOP_REMINDERS = "q"
    FILES = "l"
    REMOVE_FILE = "-"
    HELP = "?"
    # Several nominations (issue 9): their buttons carry the reference of the one they act on.
    LIST = "L"
    OPEN = "o"
    VIEW = "v"
    ANOTHER = "N"
    # Withdraw a sent nomination (issue 9), and the Yes/No of its question: each carries the ref.
    WITHDRAW = "w"
    WITHDRAW_YES = "wy"
    WITHDRAW_NO = "wn"
    AMEND = "m"
    CANCEL_AMEND = "mc"
    RESEND_CODE = "rc"
    CHANGE_EMAIL = "ce"
    SKIP_CODE = "sc"
    # The nominator's data (issue 9): answered by bot/telegram/mydata.py.
    PRIVACY = "pv"
    MY_DATA = "md"
    # Supporting statements from colleagues (issue 9): the list, asking for a link (the button
    # names the nomination), cancelling one (the button carries the link's token).
    SUPPORT = "sp"
    SUPPORT_ASK = "sa"
    SUPPORT_CANCEL = "sx"
    # An organiser's Send the organisers' email again, under /nomination REF: it carries REF.
    RESEND = "or"
    # Pages of a long listing (issue 20): Previous and Next carry the page to show.
    FILES_PAGE = "lp"
    LIST_PAGE = "Lp"
    SUPPORT_PAGE = "spp"
    REVIEW_PAGE = "rp"
    AWARD = "aw"  # an awards programme (issue 19): bot/conversation/awards.py says what these do
    AWARD_ABOUT = "ab"
    ANOTHER_AWARD = "aa"
    JUDGE_NO_CONFLICT = "jn"  # judging (issue 18): a value starting "j" routes it there
    JUDGE_CONFLICT = "jy"
    JUDGE_SCORE = "js"  # carries criterion=value
    JUDGE_SKIP_COMMENT = "jk"
    JUDGE_CHANGE = "jc"  # carries the criterion, or nothing for the comment
    JUDGE_SUBMIT = "jS"
    JUDGE_NEXT = "jx"
    JUDGE_MY_SCORES = "jm"  # /myscores: a command, never a button
    JUDGE_OPEN = "jo"  # under /myscores: a scored nomination, opened at its check to change
    JUDGE_SCORES_PAGE = "jp"  # /myscores's Previous and Next: carries the page
    JUDGE_INVITE = "ji"
    JUDGE_REVOKE = "jr"  # carries the invitation's number
    JUDGE_REMOVE = "jd"  # carries the judge's number
    # Several judged awards: an organiser's choice of award (the button's ref) for a command.
    JUDGE_AWARD = "ja"  # carries "judges", "judging open" or "judging close"
    RESULTS_AWARD = "ra"  # carries "leaderboard"
    APPROVE = "ay"  # the nominee's approval (issue 19): Yes, No, No note, share the note or not
    NOMINEE_DECLINE = "an"
    NO_NOTE = "a0"
    SHARE_NOTE = "a1"
    KEEP_NOTE = "a2"
