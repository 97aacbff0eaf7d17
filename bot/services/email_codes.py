"""The service's half of checking a nominator's email address: the codes themselves.

The engine (flows.checking) decides the step; this module does what it asks with what the engine
may not have: randomness (the code), the clock and storage. A code is queued as an outbox row in
the same save as the state that asks for it, so the nominator is told "we've sent a code" only
once it is durably queued.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from bot.services.ports import CodeComposer, CodeStore
from flows import engine
from flows.effects import AskCode, CheckCode, CodeProblem, Effect, SendCode
from flows.engine import Transition
from flows.events import CheckEmail, CodeOutcome, CodeResult, SkipCode
from flows.form import Form
from flows.journey import nominator_email
from flows.state import NominationState
from storage.types import NewEmail
from storage.verification import Checked

_OUTCOMES = {
    Checked.CONFIRMED: CodeOutcome.CONFIRMED,
    Checked.WRONG: CodeOutcome.WRONG,
    Checked.EXPIRED: CodeOutcome.EXPIRED,
}


def _six_digits() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


@dataclass(frozen=True, slots=True)
class EmailCheck:
    """Checking is on (VERIFY_NOMINATOR_EMAIL, with SMTP): where the codes live, how they are
    written, and where randomness comes from (replaceable in tests)."""

    codes: CodeStore
    compose: CodeComposer
    new_code: Callable[[], str] = field(default=_six_digits)
    new_token: Callable[[], str] = field(default=lambda: secrets.token_hex(16))

    async def is_confirmed(self, form: Form, nominator: str, state: NominationState) -> bool:
        address = nominator_email(form, state)
        return address is not None and await self.codes.is_confirmed(nominator, address)

    async def step(
        self,
        form: Form,
        nominator: str,
        old: NominationState,
        transition: Transition,
        now: datetime,
    ) -> tuple[Transition, tuple[NewEmail, ...]]:
        """Start the step for a newly given, unconfirmed address; check a typed code; send one.
        Returns the transition to save and the code email to queue with it, if any."""
        field_id = form.roles.nominator_email
        if field_id is None:  # a form that asks for no address has none to check
            return transition, ()
        address = transition.state.answer(field_id)
        changed = address is not None and address != old.answer(field_id)
        if changed and address and not await self.codes.is_confirmed(nominator, address):
            transition = engine.handle(form, transition.state, CheckEmail(field_id))
        for effect in transition.effects:
            if isinstance(effect, CheckCode) and address is not None:
                result = await self.codes.check(nominator, address, effect.code, now)
                event = CodeResult(_OUTCOMES[result.checked], result.attempts_left)
                transition = engine.handle(form, transition.state, event)
        sending = next((e for e in transition.effects if isinstance(e, SendCode)), None)
        if sending is None:
            return transition, ()
        return await self._send(form, nominator, transition, sending.address, now)

    async def _send(
        self, form: Form, nominator: str, transition: Transition, address: str, now: datetime
    ) -> tuple[Transition, tuple[NewEmail, ...]]:
        wait = await self.codes.next_allowed(nominator, address, now)
        if wait is not None:
            problem = CodeProblem.ADDRESS_BUSY if wait.address_busy else CodeProblem.TOO_MANY_CODES
            ask = AskCode(address, problem=problem, until=wait.until)
            return _replaced(transition, ask), ()
        code = self.new_code()
        email = self.compose(form, address=address, code=code, token=self.new_token(), at=now)
        if email is None:
            # No email can go to this address (a non-ASCII local part): nor will a copy, so
            # there is nothing to protect. Carry on, unconfirmed.
            return engine.handle(form, transition.state, SkipCode()), ()
        await self.codes.issue(nominator, address, code, secrets.token_hex(16), now)
        return _replaced(transition, AskCode(address, sent=True)), (email,)


def _replaced(transition: Transition, ask: AskCode) -> Transition:
    effects: tuple[Effect, ...] = tuple(
        ask if isinstance(e, SendCode) else e for e in transition.effects
    )
    return Transition(transition.state, effects)
