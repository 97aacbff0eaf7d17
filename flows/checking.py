"""The step after the nominator's email address: type the 6-digit code we emailed to it.

GOV.UK's "check your email" pattern. The service holds the codes (it alone has randomness and
storage): the engine asks for a code to be sent (SendCode) or checked (CheckCode), and is told
what a typed code turned out to be (CodeResult). While the step waits, `state.pending` is
Pending(about=EMAIL_CODE, field_id=<the email field>); the position has already moved past the
email question, so confirming, or skipping, carries on where the nominator was going.

Changing the address (from here, by Back, or by Change on the review) asks for the new one;
the service starts the step again for it, since a confirmation belongs to one address.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flows.effects import AskCode, CheckCode, CodeProblem, Effect, EmailChecked, Paused, SendCode
from flows.events import (
    Answer,
    Back,
    Cancel,
    ChangeEmail,
    CheckEmail,
    CodeOutcome,
    CodeResult,
    Event,
    ResendCode,
    SkipCode,
    Start,
)
from flows.state import Confirmation, NominationState, Pending

_CODE = re.compile(r"\d{6}")
_SPACING = re.compile(r"[\s-]+")

ShowPosition = Callable[[NominationState], Effect]


def start(state: NominationState, event: CheckEmail) -> tuple[NominationState, tuple[Effect, ...]]:
    """Begin the step for the address in `event.field_id`: a code is to be sent."""
    address = state.answer(event.field_id) or ""
    waiting = state.model_copy(
        update={"pending": Pending(about=Confirmation.EMAIL_CODE, field_id=event.field_id)}
    )
    return waiting, (SendCode(address),)


def while_code(
    state: NominationState, pending: Pending, event: Event, show: ShowPosition
) -> tuple[NominationState, tuple[Effect, ...]] | None:
    """An event while the code step waits; None for one that leaves the step (the review, say),
    after which the address stays unconfirmed."""
    field_id = pending.field_id or ""
    address = state.answer(field_id) or ""
    done = state.model_copy(update={"pending": None})
    match event:
        case Answer(text=text):
            code = _SPACING.sub("", text)
            if _CODE.fullmatch(code) is None:
                return state, (AskCode(address, problem=CodeProblem.NOT_A_CODE),)
            return state, (CheckCode(code),)
        case CodeResult(outcome=CodeOutcome.CONFIRMED):
            return done, (EmailChecked(confirmed=True), show(done))
        case CodeResult(outcome=CodeOutcome.WRONG, attempts_left=left) if left > 0:
            return state, (AskCode(address, problem=CodeProblem.WRONG, attempts_left=left),)
        case CodeResult():
            return state, (AskCode(address, problem=CodeProblem.EXPIRED),)
        case ResendCode():
            return state, (SendCode(address),)
        case ChangeEmail() | Back():
            # Back to the email question; from the review, come back to it afterwards.
            returning = state.at_review or state.returning_to_review
            update = {"position": field_id, "replacing": False, "returning_to_review": returning}
            there = done.model_copy(update=update)
            return there, (show(there),)
        case SkipCode():
            return done, (EmailChecked(confirmed=False), show(done))
        case Start() | CheckEmail():
            return state, (AskCode(address),)
        case Cancel():
            return state, (Paused(),)
        case _:
            return None
