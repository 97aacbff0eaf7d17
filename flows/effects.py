"""What the engine asks a front end to show. Effects are data; front ends choose the words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from flows.state import Confirmation


@dataclass(frozen=True, slots=True)
class Progress:
    """Where a field sits: "Question 3 of 4" for award questions, "Step 6 of 14" otherwise."""

    step: int
    steps: int
    question: int | None = None
    questions: int | None = None


@dataclass(frozen=True, slots=True)
class Ask:
    """Ask the field; `current` is its saved answer, if any (shown when revisiting).
    `replacing`: the next message replaces `current` (after Change on a long answer)."""

    field_id: str
    progress: Progress
    current: str | None = None
    replacing: bool = False


@dataclass(frozen=True, slots=True)
class Hints:
    """Show the field's suggested examples."""

    field_id: str


class Problem(StrEnum):
    """Why an input was not accepted (or, for OVER_LIMIT, accepted but not yet submittable)."""

    EMPTY = "empty"
    EMPTY_PART = "empty_part"  # an empty message after a saved part of a long answer
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    BAD_EMAIL = "bad_email"
    BAD_PATTERN = "bad_pattern"
    NOT_A_NAME = "not_a_name"  # an email address or phone number typed as a name
    NOT_AN_OPTION = "not_an_option"
    NOT_YES_NO = "not_yes_no"
    CANNOT_SKIP = "cannot_skip"
    NO_HINTS = "no_hints"
    NOTHING_BEFORE = "nothing_before"
    NOTHING_TO_CLEAR = "nothing_to_clear"
    UNKNOWN_FIELD = "unknown_field"
    UNKNOWN_MESSAGE = "unknown_message"
    ALREADY_SUBMITTED = "already_submitted"
    WITHDRAWN = "withdrawn"  # the nomination was withdrawn: nothing of it is left to change
    USE_REVIEW_BUTTONS = "use_review_buttons"
    NOT_LONG_ANSWER = "not_long_answer"
    MISSING = "missing"
    OVER_LIMIT = "over_limit"
    CONSENT_REFUSED = "consent_refused"
    NOTHING_TO_CONFIRM = "nothing_to_confirm"
    NOTHING_TO_REVIEW = "nothing_to_review"  # the review asked for before any answer
    EMAIL_DOMAIN = "email_domain"  # an address outside ALLOWED_EMAIL_DOMAINS


@dataclass(frozen=True, slots=True)
class Reprompt:
    """The input was not used (nothing saved changed); say why and ask again."""

    field_id: str | None
    problem: Problem
    limit: int | None = None
    typed: str = ""  # what was typed, where saying it helps (NOT_YES_NO)


@dataclass(frozen=True, slots=True)
class Note:
    """The input was saved, but the nominator should know something about it (e.g. consent
    refused: the nomination cannot be sent until it is given)."""

    field_id: str
    problem: Problem


@dataclass(frozen=True, slots=True)
class PartSaved:
    """A part of a long answer was saved: show the running word count."""

    field_id: str
    words: int
    max_words: int | None

    @property
    def words_over(self) -> int:
        return max(0, self.words - self.max_words) if self.max_words else 0


@dataclass(frozen=True, slots=True)
class Revised:
    """An edited message changed a saved answer."""

    field_id: str
    words: int
    max_words: int | None


@dataclass(frozen=True, slots=True)
class Outstanding:
    """Something that stops submission: a required field unanswered, an answer over its limit,
    or consent not given."""

    field_id: str
    problem: Problem
    words_over: int = 0


@dataclass(frozen=True, slots=True)
class Review:
    """Show every visible answer; `outstanding` lists what must be fixed before submitting."""

    outstanding: tuple[Outstanding, ...]


@dataclass(frozen=True, slots=True)
class AskConfirm:
    """Ask the pending yes/no question (state.pending). `words`: the answer a Clear would empty;
    `again`: the last message answered neither yes nor no."""

    about: Confirmation
    field_id: str | None = None
    words: int = 0
    again: bool = False


@dataclass(frozen=True, slots=True)
class Kept:
    """No to a pending question: nothing changed (typed text offered for saving is dropped)."""

    about: Confirmation


@dataclass(frozen=True, slots=True)
class Deleted:
    """Yes to deleting: the front end's service must now erase the draft."""


@dataclass(frozen=True, slots=True)
class Withdrawn:
    """Yes to withdrawing: the service must now tell the organisers and erase the answers."""

    reference: str


@dataclass(frozen=True, slots=True)
class Submitted:
    reference: str
    copy_sent: bool = True  # False: the address was not confirmed, so no copy went to it


@dataclass(frozen=True, slots=True)
class SubmitRefused:
    """Submit was refused: the nominator has sent SUBMISSIONS_PER_USER_PER_DAY nominations in
    the last 24 hours. The draft is kept; Submit works again at `until`."""

    until: datetime


class CodeProblem(StrEnum):
    """Why the code step is shown again (flows.checking)."""

    NOT_A_CODE = "not_a_code"  # not six digits
    WRONG = "wrong"  # with the attempts left
    EXPIRED = "expired"  # too old, or every attempt used: a new code is needed
    TOO_MANY_CODES = "too_many_codes"  # no new code can be sent until `until`
    ADDRESS_BUSY = "address_busy"  # the address had many codes, from several askers: `until`


@dataclass(frozen=True, slots=True)
class AskCode:
    """Ask for the code emailed to `address`. `sent`: a code has just been queued;
    `problem`: why it is asked again."""

    address: str
    sent: bool = False
    problem: CodeProblem | None = None
    attempts_left: int = 0
    until: datetime | None = None


@dataclass(frozen=True, slots=True)
class SendCode:
    """For the service: queue a new code to `address`, then show AskCode (or TOO_MANY_CODES)."""

    address: str


@dataclass(frozen=True, slots=True)
class CheckCode:
    """For the service: check the six digits typed, and hand the engine a CodeResult."""

    code: str


@dataclass(frozen=True, slots=True)
class EmailChecked:
    """The address is confirmed (True), or the nominator chose to carry on without (False)."""

    confirmed: bool


@dataclass(frozen=True, slots=True)
class Paused:
    """The nominator stopped for now; the draft is kept."""


Effect = (
    Ask
    | Hints
    | Reprompt
    | Note
    | PartSaved
    | Revised
    | Review
    | AskConfirm
    | Kept
    | Deleted
    | Withdrawn
    | Submitted
    | SubmitRefused
    | AskCode
    | SendCode
    | CheckCode
    | EmailChecked
    | Paused
)
