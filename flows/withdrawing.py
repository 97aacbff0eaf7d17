"""A nomination once sent (or withdrawn): what the engine does with it.

A sent nomination cannot be changed here (Amend reopens it elsewhere), but it can be withdrawn
after a yes/no question. The closing date is the service's to check: the engine has no clock.
A withdrawn nomination is a tombstone: every event just says so.
"""

from __future__ import annotations

from flows.effects import AskConfirm, Effect, Kept, Problem, Reprompt, Submitted, Withdrawn
from flows.events import Answer, Confirm, Decline, Event, Start, Withdraw
from flows.state import Confirmation, NominationState, Pending, Status
from flows.validation import yes_or_no

Step = tuple[NominationState, tuple[Effect, ...]]


def after_sending(state: NominationState, event: Event) -> Step:
    """An event on a nomination that is no longer a draft."""
    if state.status is Status.WITHDRAWN:
        return state, (Reprompt(None, Problem.WITHDRAWN),)
    pending = state.pending
    if pending is not None and pending.about is Confirmation.WITHDRAW:
        answered = _reply(state, event)
        if answered is not None:
            return answered
        state = state.model_copy(update={"pending": None})
    match event:
        case Start():
            return state, (Submitted(state.reference),)
        case Withdraw():
            asking = state.model_copy(update={"pending": Pending(about=Confirmation.WITHDRAW)})
            return asking, (AskConfirm(Confirmation.WITHDRAW),)
        case _:
            return state, (Reprompt(None, Problem.ALREADY_SUBMITTED),)


def _reply(state: NominationState, event: Event) -> Step | None:
    """Yes or no to withdrawing (by button or typed); None for any other event."""
    answer: str | None = None
    match event:
        case Confirm():
            answer = "yes"
        case Decline():
            answer = "no"
        case Answer(text=text):
            answer = yes_or_no(text)
            if answer is None:
                return state, (AskConfirm(Confirmation.WITHDRAW, again=True),)
        case Withdraw():
            return state, (AskConfirm(Confirmation.WITHDRAW),)
    if answer is None:
        return None
    settled = state.model_copy(update={"pending": None})
    if answer == "yes":
        return settled, (Withdrawn(state.reference),)
    return settled, (Kept(Confirmation.WITHDRAW),)
