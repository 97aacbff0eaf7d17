"""A colleague's conversation while writing a supporting statement: opening their link, their
typed answers, edited messages, the statement's buttons and the typed commands that stand for
them. The rules are the engine's (bot.services.statements runs it); this decides what each input
means and which screens answer it, for any front end that can open a statement link.

A command that is not one of a form's steps (Back, Done, Review…) pauses the statement, so the
colleague's own nominations carry on as before until they open the link again.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.conversation.conversation import Press, Turn
from bot.screens.actions import STEP_ACTIONS, Action, event_for
from bot.screens.parts import Screen, Subject, position_token
from bot.screens.statement import StatementScreens
from bot.services.statements import StatementService, StatementStep
from flows.events import Event
from flows.state import NominationState


class StatementConversation:
    """Both sides of a statement as the colleague meets it."""

    def __init__(self, statements: StatementService, screens: StatementScreens) -> None:
        self.statements = statements
        self.screens = screens
        self.form = statements.statement_form

    async def open(self, colleague: str, token: str) -> Turn:
        """The colleague opens the link they were forwarded."""
        return self.turn(await self.statements.open(colleague, token))

    async def typed(self, colleague: str, text: str, source: str | None) -> Turn | None:
        """Text from a colleague writing a statement is its answer; None: not writing one."""
        step = await self.statements.typed(colleague, text, source)
        return None if step is None else self.turn(step)

    async def revised(self, colleague: str, source: str, text: str) -> Turn | None:
        """An edit of a message that was part of the statement; None: not one of its parts."""
        step = await self.statements.revise(colleague, source, text)
        return None if step is None else self.turn(step)

    async def command(self, colleague: str, action: Action | None, arg: str) -> Turn | None:
        """A command from someone who may be writing a statement: one of a form's steps acts on
        it; any other pauses it, and None says it is for the rest of the conversation."""
        event = event_for(action, arg) if action in STEP_ACTIONS and action is not None else None
        if event is None or not await self.statements.writing(colleague):
            await self.statements.pause(colleague)
            return None
        step = await self.statements.act(colleague, event)
        return None if step is None else self.turn(step)

    async def press(self, colleague: str, press: Press) -> Turn:
        """A statement's button, on the statement it was shown for, if still at that step."""
        event = event_for(press.action, press.arg) if press.action in STEP_ACTIONS else None
        if event is None or press.ref is None or press.subject is not Subject.STATEMENT:
            return Turn(())

        def current(state: NominationState) -> bool:
            return press.position == position_token(self.form, state)

        return await self.act_on(colleague, press.ref, event, only_if=current)

    async def act_on(
        self,
        colleague: str,
        token: str,
        event: Event,
        *,
        only_if: Callable[[NominationState], bool] | None = None,
    ) -> Turn:
        """One event on the statement `token` (a button of an older kind names no step)."""
        step = await self.statements.act(colleague, event, token=token, only_if=only_if)
        return Turn(()) if step is None else self.turn(step)

    def turn(self, step: StatementStep) -> Turn:
        """The screens for a step, and the nominator's, once the statement is sent."""
        if step.refused is not None:
            return Turn((self.screens.refused(step.refused),))
        if step.sent:
            told: tuple[tuple[str, Screen], ...] = ()
            if step.told is not None:
                nominator, reference = step.told
                told = ((nominator, self.screens.arrived(step.nominee, reference)),)
            return Turn((self.screens.sent(step.nominee),), tell=told)
        if step.token is None or step.state is None:
            return Turn(())
        if step.introduction is not None:
            return Turn(tuple(self.screens.opened(step.token, step.state, step.introduction)))
        if step.stale:
            return Turn(tuple(self.screens.stale(step.token, step.state, nominee=step.nominee)))
        screens = self.screens.render(step.token, step.state, step.effects, nominee=step.nominee)
        return Turn(tuple(screens))
