"""A nominee's conversation while approving a nomination about them (issue 19): opening their
link, Yes or No, a typed note, whether the nominator may read it. The rules are the approval
service's; this decides what each input means and which screens answer it.

A command while a note is asked leaves the approval undecided, so the nominee's own chat carries
on as before; opening the link again starts from Yes or No.
"""

from __future__ import annotations

from bot.conversation.conversation import Press, Turn
from bot.screens import approval
from bot.screens.actions import Action
from bot.screens.parts import Subject
from bot.services.approvals import ApprovalService
from flows.approval import ApprovalOutcome

_CHOICES = {Action.APPROVE: True, Action.NOMINEE_DECLINE: False}
_FINISHES = {Action.NO_NOTE: False, Action.SHARE_NOTE: True, Action.KEEP_NOTE: False}


class ApprovalConversation:
    """The nominee's side of an approval, for any front end that can open its link."""

    def __init__(self, approvals: ApprovalService) -> None:
        self.approvals = approvals

    async def open(self, person: str, token: str) -> Turn:
        """The nominee opens the link they were forwarded."""
        return self.turn(await self.approvals.open(person, token))

    async def press(self, person: str, press: Press) -> Turn:
        """Yes, No, No note, or whether to share the note: on the approval the button names."""
        reference = press.ref
        if press.subject is not Subject.APPROVAL or reference is None:
            return Turn(())
        if press.action in _CHOICES:
            approve = _CHOICES[press.action]
            return self.turn(await self.approvals.choose(person, reference, approve=approve))
        if press.action in _FINISHES:
            share = _FINISHES[press.action]
            return self.turn(await self.approvals.finish(person, reference, share=share))
        return Turn(())

    async def typed(self, person: str, text: str) -> Turn | None:
        """Text from a nominee asked for a note is the note; None: it is for something else."""
        outcome = await self.approvals.typed(person, text)
        return None if outcome is None else self.turn(outcome)

    async def command(self, person: str) -> None:
        """Any command: a note being asked for is left, and nothing is decided."""
        await self.approvals.leave(person)

    def turn(self, outcome: ApprovalOutcome) -> Turn:
        """The nominee's screen, and the nominator's once the answer is given."""
        if outcome.refused is not None:
            return Turn((approval.refused(outcome.refused),))
        decided, nominator = outcome.decided, outcome.nominator
        if decided is not None:
            told = () if nominator is None else ((nominator, approval.told(decided)),)
            return Turn((approval.answered(decided.approved),), acted=True, tell=told)
        screen = approval.asked(outcome)
        return Turn(() if screen is None else (screen,), acted=True)
