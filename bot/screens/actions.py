"""The one vocabulary of actions: for each thing a nominator can do, its button label, the word
typed at the terminal, the Telegram command, its help line, the engine event it stands for, which
kind of screen it belongs to and which front ends offer it.

Every front end derives its buttons, typed words, commands, help and command menu from ACTIONS,
and the conversation derives from it how a press is checked and who answers it, so that the
terminal and Telegram cannot drift apart. The words here are user-facing text, kept beside the
rest in spirit: plain UK English, short enough for a phone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from bot.screens.action_names import BOTH as BOTH
from bot.screens.action_names import TELEGRAM_ONLY as TELEGRAM_ONLY
from bot.screens.action_names import Action as Action
from bot.screens.action_names import FrontEnd as FrontEnd
from bot.screens.action_names import Kind as Kind
from flows.events import (
    AddTo,
    Answer,
    Back,
    Cancel,
    ChangeEmail,
    Clear,
    Confirm,
    Decline,
    Delete,
    Done,
    Edit,
    Event,
    GoToReview,
    ResendCode,
    ShowHints,
    Skip,
    SkipCode,
    Start,
    Submit,
)


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """One row of the vocabulary. None where the action has no such form (e.g. no command).

    `anywhere`: a press acts wherever its nomination stands (a button of the CHOOSING and SENT
    kinds always does). `numbered`: at the terminal, a screen with this button is a choice, and
    its buttons are numbered. `offered_in`: the front ends that offer it at all."""

    action: Action
    event: Callable[[str], Event | None]
    label: str | None = None
    word: str | None = None
    command: str | None = None
    help: str | None = None
    also_typed: tuple[str, ...] = ()
    kind: Kind = Kind.STEP
    anywhere: bool = False
    numbered: bool = False
    offered_in: frozenset[FrontEnd] = BOTH


def _front_end(_: str) -> Event | None:
    """Actions a front end answers itself (help, status), with no engine event."""
    return None


JUDGING = tuple(action for action in Action if action.name.startswith("JUDGE_"))
PANEL_BUTTONS = (Action.JUDGE_INVITE, Action.JUDGE_REVOKE, Action.JUDGE_REMOVE, Action.JUDGE_AWARD)
_JUDGE_WORDS = (Action.JUDGE_SKIP_COMMENT, Action.JUDGE_NEXT, Action.JUDGE_MY_SCORES)
JUDGE_BUTTONS = tuple(a for a in JUDGING if a not in (*PANEL_BUTTONS, *_JUDGE_WORDS))
_judging = partial(ActionSpec, event=_front_end, kind=Kind.JUDGING, numbered=True)
# The nominee's approval (issue 19): Telegram only, since the link opens there.
_approval = partial(ActionSpec, event=_front_end, kind=Kind.APPROVAL, offered_in=TELEGRAM_ONLY)
ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec(
        Action.START,
        lambda _: Start(),
        "Start a nomination",
        "start",
        "start",
        "begin, or carry on where you stopped",
        kind=Kind.CHOOSING,
        numbered=True,
    ),
    ActionSpec(Action.ANSWER, Answer, numbered=True),
    ActionSpec(Action.BACK, lambda _: Back(), "Back", "back", "back", "go back one question"),
    ActionSpec(
        Action.SKIP,
        lambda _: Skip(),
        "Skip",
        "skip",
        "skip",
        "leave out a question you need not answer",
    ),
    ActionSpec(
        Action.HINTS,
        lambda _: ShowHints(),
        "Show examples",
        "hints",
        "hints",
        "show examples for an award question",
        also_typed=("examples",),
    ),
    ActionSpec(
        Action.DONE,
        lambda _: Done(),
        "Done",
        "done",
        "done",
        "finish a long answer and move on",
        also_typed=("next",),
    ),
    # Keep an answer as it is when changing it: Done by another name, so that the screen's
    # "choose Keep" matches the button and the word typed at the terminal.
    ActionSpec(Action.KEEP, lambda _: Done(), "Keep", "keep"),
    ActionSpec(
        Action.CLEAR,
        lambda _: Clear(),
        "Start again",
        "clear",
        "clear",
        "start a long answer again",
    ),
    ActionSpec(
        Action.ADD_TO,
        lambda _: AddTo(),
        "Add to it",
        "add",
        "add",
        "add to an answer you are changing",
    ),
    ActionSpec(
        Action.REVIEW,
        lambda _: GoToReview(),
        "Review answers",
        "review",
        "review",
        "check all your answers",
    ),
    ActionSpec(
        Action.EDIT, Edit, None, None, "edit", "change one answer, like /edit Q2", numbered=True
    ),
    ActionSpec(
        Action.SUBMIT,
        lambda _: Submit(),
        "Submit nomination",
        "submit",
        "submit",
        "send your nomination",
        numbered=True,
    ),
    # Typed "yes" and "no" reach the engine as answers, which it reads as the reply to a
    # pending question: they need no word of their own, and cannot clash with yes/no questions.
    ActionSpec(Action.CONFIRM, lambda _: Confirm(), "Yes", numbered=True),
    ActionSpec(Action.DECLINE, lambda _: Decline(), "No"),
    ActionSpec(
        Action.STATUS,
        _front_end,
        None,
        "status",
        "status",
        "see how far you have got",
        kind=Kind.READING,
    ),
    ActionSpec(
        Action.CANCEL,
        lambda _: Cancel(),
        None,
        "quit",
        "cancel",
        "stop for now (your answers are kept)",
        kind=Kind.DRAFT,
        anywhere=True,
    ),
    ActionSpec(
        Action.DELETE,
        lambda _: Delete(),
        None,
        "delete",
        "delete",
        "erase the nomination you have not sent yet",
        kind=Kind.DRAFT,
    ),
    # Reading one long answer in full from the review: nothing changes, so no engine event.
    ActionSpec(Action.FULL_ANSWER, _front_end, kind=Kind.READING, anywhere=True, numbered=True),
    # Reminders of an unfinished draft: Telegram's reminders answer this.
    ActionSpec(
        Action.STOP_REMINDERS,
        _front_end,
        None,
        None,
        "stop_reminders",
        "stop reminder messages (your draft is kept)",
        kind=Kind.REMINDERS,
        offered_in=TELEGRAM_ONLY,
    ),
    # Supporting files: Telegram only, since a terminal cannot send a file.
    ActionSpec(
        Action.FILES,
        _front_end,
        None,
        None,
        "files",
        "list the files you have added",
        kind=Kind.FILES,
        offered_in=TELEGRAM_ONLY,
    ),
    # Supporting statements from colleagues: Telegram only, since the link opens there.
    ActionSpec(
        Action.SUPPORT,
        _front_end,
        None,
        None,
        "support",
        "ask a colleague for a supporting statement, or cancel a link",
        kind=Kind.STATEMENTS,
        offered_in=TELEGRAM_ONLY,
    ),
    ActionSpec(Action.SUPPORT_ASK, _front_end, kind=Kind.STATEMENTS, offered_in=TELEGRAM_ONLY),
    ActionSpec(Action.SUPPORT_CANCEL, _front_end, kind=Kind.STATEMENTS, offered_in=TELEGRAM_ONLY),
    ActionSpec(
        Action.REMOVE_FILE,
        _front_end,
        None,
        None,
        "removefile",
        "remove a file, like /removefile 2",
        kind=Kind.FILES,
        offered_in=TELEGRAM_ONLY,
    ),
    ActionSpec(
        Action.LIST,
        _front_end,
        "Your nominations",
        "list",
        "mynominations",
        "see all your nominations",
        kind=Kind.CHOOSING,
        numbered=True,
    ),
    ActionSpec(
        Action.ANOTHER,
        _front_end,
        "Start another nomination",
        "new",
        "new",
        "start another nomination (your drafts are kept)",
        kind=Kind.CHOOSING,
        numbered=True,
    ),
    # Continue/Review and View in the list of nominations: the label names the nomination.
    ActionSpec(Action.OPEN, _front_end, kind=Kind.CHOOSING, numbered=True),
    ActionSpec(Action.VIEW, _front_end, kind=Kind.CHOOSING, numbered=True),
    ActionSpec(Action.WITHDRAW, _front_end, kind=Kind.SENT, numbered=True),
    ActionSpec(Action.WITHDRAW_YES, _front_end, kind=Kind.SENT, numbered=True),
    ActionSpec(Action.WITHDRAW_NO, _front_end, kind=Kind.SENT),
    ActionSpec(Action.AMEND, _front_end, kind=Kind.SENT, numbered=True),
    ActionSpec(Action.CANCEL_AMEND, _front_end, kind=Kind.SENT),
    # Checking the nominator's email address (issue 12): offered on the code step. Not "resend":
    # that is the organisers' command for sending a nomination's email again.
    ActionSpec(
        Action.RESEND_CODE,
        lambda _: ResendCode(),
        "Send a new code",
        "new code",
        "newcode",
        "send a new code to your email",
        kind=Kind.DRAFT,
    ),
    ActionSpec(
        Action.CHANGE_EMAIL,
        lambda _: ChangeEmail(),
        "Change email address",
        "change email",
        "change_email",
        "give a different email address",
        kind=Kind.DRAFT,
    ),
    ActionSpec(
        Action.SKIP_CODE,
        lambda _: SkipCode(),
        "Skip for now",
        "skip code",
        "skip_code",
        "carry on without checking your email",
        kind=Kind.DRAFT,
    ),
    # The nominator's data (Telegram's own handlers answer these): Telegram only, since the
    # terminal's nominator is the server's own user.
    ActionSpec(
        Action.PRIVACY,
        _front_end,
        None,
        None,
        "privacy",
        "what we keep about you, and how long",
        kind=Kind.DATA,
        offered_in=TELEGRAM_ONLY,
    ),
    ActionSpec(
        Action.MY_DATA,
        _front_end,
        None,
        None,
        "mydata",
        "get a copy of all we hold about you",
        kind=Kind.DATA,
        offered_in=TELEGRAM_ONLY,
    ),
    ActionSpec(
        Action.HELP, _front_end, None, "help", "help", "show this message", kind=Kind.READING
    ),
    ActionSpec(Action.RESEND, _front_end, kind=Kind.ORGANISERS, offered_in=TELEGRAM_ONLY),
    ActionSpec(Action.RESULTS_AWARD, _front_end, kind=Kind.ORGANISERS, offered_in=TELEGRAM_ONLY),
    # Pages of a long listing (issue 20): the label says Previous or Next, the argument is the
    # page. The files' and the links' carry the nomination; the review's is a step of it.
    ActionSpec(Action.FILES_PAGE, _front_end, kind=Kind.FILES, offered_in=TELEGRAM_ONLY),
    ActionSpec(Action.LIST_PAGE, _front_end, kind=Kind.CHOOSING, numbered=True),
    ActionSpec(Action.SUPPORT_PAGE, _front_end, kind=Kind.STATEMENTS, offered_in=TELEGRAM_ONLY),
    ActionSpec(Action.REVIEW_PAGE, _front_end, kind=Kind.READING, numbered=True),
    ActionSpec(Action.AWARD, _front_end, kind=Kind.CHOOSING, numbered=True),
    ActionSpec(
        Action.AWARD_ABOUT, _front_end, "More about this award", kind=Kind.CHOOSING, numbered=True
    ),
    ActionSpec(
        Action.ANOTHER_AWARD,
        _front_end,
        "Nominate them for another award",
        kind=Kind.CHOOSING,
        numbered=True,
    ),
    # Judging (issue 18): a judge's buttons, numbered at the terminal (`nomination-bot judge`),
    # and their two commands; the organisers' panel buttons are Telegram's only.
    *(_judging(a) for a in JUDGE_BUTTONS),
    _judging(Action.JUDGE_SKIP_COMMENT, word="skip"),  # "Type it, or choose Skip"
    _judging(
        Action.JUDGE_NEXT,
        label="Next nomination",
        word="judge",
        command="judge",
        help="score your next nomination",
    ),
    _judging(
        Action.JUDGE_MY_SCORES,
        word="myscores",
        command="myscores",
        help="see the nominations you have scored",
        numbered=False,
    ),
    *(_judging(a, offered_in=TELEGRAM_ONLY, numbered=False) for a in PANEL_BUTTONS),
    _approval(Action.APPROVE, label="Yes, I'm happy to be nominated"),
    _approval(Action.NOMINEE_DECLINE, label="No, please withdraw it"),
    _approval(Action.NO_NOTE, label="No note"),
    _approval(Action.SHARE_NOTE, label="Yes, they may read it"),
    _approval(Action.KEEP_NOTE, label="No, only the organisers"),
)

BY_ACTION = {spec.action: spec for spec in ACTIONS}


def of_kind(*kinds: Kind) -> frozenset[Action]:
    """The actions of these kinds."""
    return frozenset(spec.action for spec in ACTIONS if spec.kind in kinds)


def offered_in(front_end: FrontEnd) -> frozenset[Action]:
    return frozenset(spec.action for spec in ACTIONS if front_end in spec.offered_in)


# Derived from the table, never kept by hand.
SENT_ACTIONS = of_kind(Kind.SENT)
NAMING_ACTIONS = of_kind(Kind.CHOOSING, Kind.SENT)  # a press names its nomination itself
# A press of these acts wherever its nomination stands: no check that it is still current.
ANYWHERE = NAMING_ACTIONS | {spec.action for spec in ACTIONS if spec.anywhere}
# What a colleague can do while writing a statement: the steps of a form.
STEP_ACTIONS = of_kind(Kind.STEP)
# At the terminal, a screen with any of these buttons is a choice: its buttons are numbered.
NUMBERED = frozenset(spec.action for spec in ACTIONS if spec.numbered)


def label(action: Action) -> str:
    """A button's label, from the table."""
    text = BY_ACTION[action].label
    if text is None:
        raise ValueError(f"{action!r} has no button")
    return text


def event_for(action: Action, arg: str = "") -> Event | None:
    """The engine event a button or command stands for; None for actions a front end handles
    itself."""
    return BY_ACTION[action].event(arg)
