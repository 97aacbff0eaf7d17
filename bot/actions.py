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
    Clear,
    Confirm,
    Decline,
    Delete,
    Done,
    Edit,
    Event,
    GoToReview,
    ShowHints,
    Skip,
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
    DELETE_CONFIRMED = "X"
    DELETE_KEEP = "k"
    CANCEL = "p"
    STATUS = "i"
    HELP = "?"
    # Several nominations (issue 9): their buttons carry the reference of the one they act on.
    LIST = "l"
    OPEN = "o"
    VIEW = "v"
    ANOTHER = "N"


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
        also_typed=("continue",),
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
        also_typed=("next", "keep"),
    ),
    ActionSpec(
        Action.CLEAR,
        lambda _: Clear(),
        "Start again",
        "clear",
        "clear",
        "start a long answer again",
    ),
    # No word or command yet: the front ends learn "add" in phase 2 (see the handover notes).
    ActionSpec(Action.ADD_TO, lambda _: AddTo(), "Add to it"),
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
    ActionSpec(Action.CONFIRM, lambda _: Confirm(), "Yes", "yes"),
    ActionSpec(Action.DECLINE, lambda _: Decline(), "No", "no"),
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
        Action.DELETE, lambda _: Delete(), None, "delete", "delete", "erase this nomination"
    ),
    # The front ends' own delete buttons until they send Delete to the engine (phase 2).
    ActionSpec(Action.DELETE_CONFIRMED, _front_end, "Yes, delete it"),
    ActionSpec(Action.DELETE_KEEP, _front_end, "No, keep it"),
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
    """Every word a nominator may type for an action at the terminal (with its other spellings)."""
    words: dict[str, Action] = {}
    for spec in ACTIONS:
        for word in (spec.word, *spec.also_typed):
            if word is not None:
                words[word] = spec.action
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
