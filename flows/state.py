"""A nomination's state: plain, JSON-serialisable data that the engine reads and replaces."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

REVIEW = "review"
"""The position of a nomination that is on its review screen rather than at a field."""


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"  # answers erased, a tombstone kept (flows.withdrawing)


class Confirmation(StrEnum):
    """What a pending yes/no question is about."""

    CLEAR = "clear"  # empty the current long answer
    DELETE = "delete"  # erase the whole draft
    SAVE_TYPED = "save_typed"  # save text typed at the review as the answer to `field_id`
    EMAIL_CODE = "email_code"  # the code emailed to the address in `field_id` (flows.checking)
    WITHDRAW = "withdraw"  # withdraw a sent nomination (flows.withdrawing)


class Part(BaseModel):
    """One piece of an answer. Long answers may arrive as several messages, one part each.

    `source` names the message the part came from (e.g. a Telegram message id), so that an edit of
    that message can revise just this part; None where there is nothing to edit (the terminal).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str
    source: str | None = None


def joined(parts: tuple[Part, ...]) -> str:
    """A whole answer from its parts, as it is stored and read: a blank line between parts."""
    return "\n\n".join(p.text for p in parts)


class Pending(BaseModel):
    """A yes/no question the nominator has not answered yet. While it is pending, a typed yes or
    no answers it and anything else asks it again; `text` keeps what was typed at the review until
    the nominator chooses."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    about: Confirmation
    field_id: str | None = None
    text: str | None = None
    source: str | None = None


class NominationState(BaseModel):
    """Everything the engine knows about one nomination."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    form_id: str
    form_version: int
    reference: str
    status: Status = Status.DRAFT
    position: str = Field(description="The field being asked, or REVIEW.")
    returning_to_review: bool = Field(
        default=False, description="Set while editing from the review: come back to it afterwards."
    )
    replacing: bool = Field(
        default=False,
        description="Set by Change on an answered long question: the next message replaces it.",
    )
    filling_gaps: bool = Field(
        default=False,
        description="Set by Go to an unanswered field from the review: carry on to the next "
        "unanswered field in the form's order, and to the review once none is left.",
    )
    pending: Pending | None = Field(default=None, description="A yes/no question awaiting reply.")
    answers: dict[str, tuple[Part, ...]] = Field(default_factory=dict)

    def answer(self, field_id: str) -> str | None:
        """The whole answer to a field (parts joined by blank lines), or None if unanswered."""
        parts = self.answers.get(field_id)
        if not parts:
            return None
        return joined(parts)

    def with_answer(self, field_id: str, parts: tuple[Part, ...]) -> NominationState:
        """This state with the field's answer made of `parts`; no parts leave it unanswered."""
        answers = dict(self.answers)
        if parts:
            answers[field_id] = parts
        else:
            answers.pop(field_id, None)
        return self.model_copy(update={"answers": answers})

    @property
    def at_review(self) -> bool:
        return self.position == REVIEW

    @property
    def is_submitted(self) -> bool:
        return self.status is Status.SUBMITTED

    @property
    def is_draft(self) -> bool:
        return self.status is Status.DRAFT
