"""The one vocabulary of actions: for each thing a nominator can do, its button label, the word
typed at the terminal, the Telegram command, its help line and the engine event it stands for.

Every front end derives its buttons, typed words, commands, help and command menu from ACTIONS,
so that the terminal and Telegram cannot drift apart. The words here are user-facing text, kept
beside the rest in spirit: plain UK English, short enough for a phone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

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
    # Supporting statements from colleagues (issue 9; bot/telegram/support.py answers it).
    SUPPORT = "sp"


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """One row of the vocabulary. None where the action has no such form (e.g. no command)."""

    action: Action
    event: Callable[[str], Event | None]
    label: str | None = None
    word: str | None = None
    command: str | None = None
    help: str | None = None
    also_typed: tuple[str, ...] = ()


def _front_end(_: str) -> Event | None:
    """Actions a front end answers itself (help, status), with no engine event."""
    return None


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec(
        Action.START,
        lambda _: Start(),
        "Start a nomination",
        "start",
        "start",
        "begin, or carry on where you stopped",
    ),
    ActionSpec(Action.ANSWER, Answer),
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
    ActionSpec(Action.EDIT, Edit, None, None, "edit", "change one answer, like /edit Q2"),
    ActionSpec(
        Action.SUBMIT,
        lambda _: Submit(),
        "Submit nomination",
        "submit",
        "submit",
        "send your nomination",
    ),
    # Typed "yes" and "no" reach the engine as answers, which it reads as the reply to a
    # pending question: they need no word of their own, and cannot clash with yes/no questions.
    ActionSpec(Action.CONFIRM, lambda _: Confirm(), "Yes"),
    ActionSpec(Action.DECLINE, lambda _: Decline(), "No"),
    ActionSpec(Action.STATUS, _front_end, None, "status", "status", "see how far you have got"),
    ActionSpec(
        Action.CANCEL,
        lambda _: Cancel(),
        None,
        "quit",
        "cancel",
        "stop for now (your answers are kept)",
    ),
    ActionSpec(
        Action.DELETE,
        lambda _: Delete(),
        None,
        "delete",
        "delete",
        "erase the nomination you have not sent yet",
    ),
    # Reading one long answer in full from the review: nothing changes, so no engine event.
    ActionSpec(Action.FULL_ANSWER, _front_end),
    # Reminders of an unfinished draft (bot/telegram/reminders.py answers this).
    ActionSpec(
        Action.STOP_REMINDERS,
        _front_end,
        None,
        None,
        "stop_reminders",
        "stop reminder messages (your draft is kept)",
    ),
    # Supporting files (bot/telegram/evidence.py answers these): Telegram only, since a terminal
    # cannot send a file.
    ActionSpec(Action.FILES, _front_end, None, None, "files", "list the files you have added"),
    # Supporting statements from colleagues (bot/telegram/support.py answers this).
    ActionSpec(
        Action.SUPPORT,
        _front_end,
        None,
        None,
        "support",
        "ask a colleague for a supporting statement, or cancel a link",
    ),
    ActionSpec(
        Action.REMOVE_FILE,
        _front_end,
        None,
        None,
        "removefile",
        "remove a file, like /removefile 2",
    ),
    ActionSpec(
        Action.LIST,
        _front_end,
        "Your nominations",
        "list",
        "mynominations",
        "see all your nominations",
    ),
    ActionSpec(
        Action.ANOTHER,
        _front_end,
        "Start another nomination",
        "new",
        "new",
        "start another nomination (your drafts are kept)",
    ),
    # Continue/Review and View in the list of nominations: the label names the nomination.
    ActionSpec(Action.OPEN, _front_end),
    ActionSpec(Action.VIEW, _front_end),
    ActionSpec(Action.WITHDRAW, _front_end),
    ActionSpec(Action.WITHDRAW_YES, _front_end),
    ActionSpec(Action.WITHDRAW_NO, _front_end),
    ActionSpec(Action.AMEND, _front_end),
    ActionSpec(Action.CANCEL_AMEND, _front_end),
    # Checking the nominator's email address (issue 12): offered on the code step. Not "resend":
    # that is the organisers' command for sending a nomination's email again.
    ActionSpec(
        Action.RESEND_CODE,
        lambda _: ResendCode(),
        "Send a new code",
        "new code",
        "newcode",
        "send a new code to your email",
    ),
    ActionSpec(
        Action.CHANGE_EMAIL,
        lambda _: ChangeEmail(),
        "Change email address",
        "change email",
        "change_email",
        "give a different email address",
    ),
    ActionSpec(
        Action.SKIP_CODE,
        lambda _: SkipCode(),
        "Skip for now",
        "skip code",
        "skip_code",
        "carry on without checking your email",
    ),
    # The nominator's data (issue 9; bot/telegram/mydata.py answers these): Telegram only, since
    # the terminal's nominator is the server's own user.
    ActionSpec(
        Action.PRIVACY, _front_end, None, None, "privacy", "what we keep about you, and how long"
    ),
    ActionSpec(
        Action.MY_DATA, _front_end, None, None, "mydata", "get a copy of all we hold about you"
    ),
    ActionSpec(Action.HELP, _front_end, None, "help", "help", "show this message"),
)

BY_ACTION = {spec.action: spec for spec in ACTIONS}


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


def typed_words() -> dict[str, Action]:
    """Every word a nominator may type for an action at the terminal: its word, other spellings,
    and its button's label, since messages say "choose Show examples" or "choose Start again"."""
    words: dict[str, Action] = {}
    for spec in ACTIONS:
        if spec.word is None:
            continue  # e.g. Yes and No, which a typed answer gives the engine to read
        labels = (spec.label.casefold(),) if spec.label is not None else ()
        for word in (spec.word, *spec.also_typed, *labels):
            words.setdefault(word, spec.action)
    return words


def commands() -> tuple[tuple[str, str], ...]:
    """Telegram's command menu: (command, description) for every action with a command."""
    return tuple(
        (spec.command, spec.help[0].upper() + spec.help[1:])
        for spec in ACTIONS
        if spec.command is not None and spec.help is not None
    )


def help_lines(*, telegram: bool) -> list[str]:
    """One line per command: "/back – go back one question", or "back – …" at a terminal."""
    lines = []
    for spec in ACTIONS:
        name = spec.command if telegram else spec.word
        if name is None or spec.help is None:
            continue
        prefix = "/" if telegram else ""
        lines.append(f"{prefix}{name} – {spec.help}")
    return lines


def how_to_start(*, telegram: bool) -> str:
    """How to begin again, in each front end's words: "send /start" or "type start"."""
    spec = BY_ACTION[Action.START]
    return f"send /{spec.command}" if telegram else f"type {spec.word}"
