"""What a nominator can do: the events the engine accepts. Front ends translate input into these."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class Start:
    """Begin, or resume where the nominator left off."""


@dataclass(frozen=True, slots=True)
class Answer:
    """Text typed (or a button's value) for the current field. For long answers, it adds a part."""

    text: str
    source: str | None = None


@dataclass(frozen=True, slots=True)
class AddTo:
    """After Change on a long answer: add the next messages to it rather than replace it."""


@dataclass(frozen=True, slots=True)
class Revise:
    """The message `source` was edited: the answer part that came from it follows the edit."""

    source: str
    text: str


@dataclass(frozen=True, slots=True)
class Clear:
    """Ask to empty the current long answer, to start it again (it asks first)."""


@dataclass(frozen=True, slots=True)
class Done:
    """Finished with the current (long) answer: move on."""


@dataclass(frozen=True, slots=True)
class Back:
    """Go to the previous question (or, when editing from the review, back to the review)."""


@dataclass(frozen=True, slots=True)
class Skip:
    """Leave an optional field unanswered and move on."""


@dataclass(frozen=True, slots=True)
class ShowHints:
    """Show the suggested examples for the current question."""


@dataclass(frozen=True, slots=True)
class GoToReview:
    """Show every answer so far."""


@dataclass(frozen=True, slots=True)
class Edit:
    """From the review: change the answer to `field_id`, then come back to the review."""

    field_id: str


@dataclass(frozen=True, slots=True)
class Submit:
    """Send the nomination, if it is complete."""


@dataclass(frozen=True, slots=True)
class Delete:
    """Ask to erase the whole draft (it asks first)."""


@dataclass(frozen=True, slots=True)
class Withdraw:
    """Ask to withdraw a sent nomination (it asks first; the service checks the closing date)."""


@dataclass(frozen=True, slots=True)
class Confirm:
    """Yes to the pending question (clear, delete, save what was typed at the review)."""


@dataclass(frozen=True, slots=True)
class Decline:
    """No to the pending question: nothing changes."""


@dataclass(frozen=True, slots=True)
class Cancel:
    """Pause: the draft is kept as it is."""


# Checking the nominator's email address (flows.checking) ------------------------------------


class CodeOutcome(StrEnum):
    """What the service found a typed code to be (it holds the codes; the engine decides)."""

    CONFIRMED = "confirmed"
    WRONG = "wrong"
    EXPIRED = "expired"


@dataclass(frozen=True, slots=True)
class CheckEmail:
    """From the service: the address just given must be proved before it gets a copy."""

    field_id: str


@dataclass(frozen=True, slots=True)
class CodeResult:
    """From the service: what the code the nominator typed turned out to be."""

    outcome: CodeOutcome
    attempts_left: int = 0


@dataclass(frozen=True, slots=True)
class ResendCode:
    """Send a new code to the same address."""


@dataclass(frozen=True, slots=True)
class ChangeEmail:
    """Give a different address instead."""


@dataclass(frozen=True, slots=True)
class SkipCode:
    """Carry on without confirming: the nomination can still be sent, without a copy."""


Event = (
    Start
    | Answer
    | AddTo
    | Revise
    | Clear
    | Done
    | Back
    | Skip
    | ShowHints
    | GoToReview
    | Edit
    | Submit
    | Delete
    | Withdraw
    | Confirm
    | Decline
    | Cancel
    | CheckEmail
    | CodeResult
    | ResendCode
    | ChangeEmail
    | SkipCode
)
