"""The nominee's approval of a nomination about them (issue 19), as data: where it stands, what
the nominee is shown of the nomination, and what became of one thing they did. Pure: the
service (bot/services/approvals.py) reads and writes, the screens word it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from flows.form import NO, Form
from flows.reading import is_team, read
from flows.state import NominationState

AWARE_FIELD = "nominee_aware"
"""The yes/no field where the nominator says whether the nominee knows of the nomination."""


class ApprovalStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"


class ApprovalStep(StrEnum):
    """Where the nominee who opened the link is."""

    CHOOSING = ""  # Yes or No
    NOTE = "note"  # chosen; an optional note to the organisers is asked
    SHARE = "share"  # the note is written; whether the nominator may read it is asked


class ApprovalRefusal(StrEnum):
    UNKNOWN = "unknown"  # used, someone else's, guessed, or its nomination is gone: one reply
    OWN_LINK = "own"  # the nominator opened their own link: it is for the nominee


APPROVAL_COLUMN = "Nominee's approval"
"""The organisers' label for an approval's status: /nomination, the CSV and JSON, the pack."""
READS = {
    ApprovalStatus.PENDING: "waiting for the nominee",
    ApprovalStatus.APPROVED: "approved by the nominee",
    ApprovalStatus.DECLINED: "declined by the nominee",
}
READS_BEFORE_CHANGE = "approved by the nominee before the last change"
"""An approval given, then the nomination amended and sent again: the nominee approved an
earlier version (told of the change since, but not asked again)."""


def is_surprise(form: Form, state: NominationState) -> bool:
    """Whether the nominator said the nominee does not know of the nomination."""
    return form.has_field(AWARE_FIELD) and state.answer(AWARE_FIELD) == NO


@dataclass(frozen=True, slots=True)
class NomineeView:
    """What the nominee sees of the nomination about them: the award, the nominee as named, the
    award answers (question label, answer), and who wrote supporting statements (not what).
    Never the nominator's email or phone, nor any other detail of theirs."""

    award: str
    nominee: str
    team: bool
    answers: tuple[tuple[str, str], ...]
    supporters: tuple[str, ...]


def nominee_view(form: Form, state: NominationState, supporters: Sequence[str]) -> NomineeView:
    reading = read(form, state, for_panel=True)
    answers = tuple((e.label or "", e.shown) for e in reading.entries if e.is_question)
    return NomineeView(form.title, reading.nominee, is_team(state), answers, tuple(supporters))


@dataclass(frozen=True, slots=True)
class Forward:
    """A link for the nominator to forward: its token, and whom it is for (a team's lead)."""

    token: str
    nominee: str
    team: bool


@dataclass(frozen=True, slots=True)
class Decided:
    """The nominee's answer, as the nominator is told it: `note` only if they chose to share."""

    approved: bool
    reference: str
    nominee: str
    team: bool
    note: str | None


@dataclass(frozen=True, slots=True)
class ApprovalOutcome:
    """What became of one thing the nominee did: the screen to show at `asked` (with `view` when
    the link was just opened), the answer once given (`decided`, and the nominator to tell), or
    why nothing happened (`refused`)."""

    reference: str | None = None
    refused: ApprovalRefusal | None = None
    view: NomineeView | None = None
    asked: ApprovalStep | None = None
    approve: bool | None = None
    decided: Decided | None = None
    nominator: str | None = None
