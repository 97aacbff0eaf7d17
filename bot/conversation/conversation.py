"""The nominator's conversation, for every front end alike: what a command, a press of a button
or a typed line means, which service call it is, and which screens answer it. Telegram and the
terminal only read input and draw the screens returned here.

A press carries what its button was shown for (`Press.ref`, `Press.position`): it acts on that
nomination alone, and a button from an earlier step of it is answered as stale, in both front
ends. Nothing here reads the database beyond the service call itself, so a typed answer costs no
more than the service's own commit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from bot.conversation.awards import AwardChoice
from bot.conversation.sent import SentActions
from bot.screens import approval, awards, files, statement_requests, texts
from bot.screens.actions import (
    ANYWHERE,
    NAMING_ACTIONS,
    SENT_ACTIONS,
    Action,
    Kind,
    event_for,
    of_kind,
)
from bot.screens.builder import ScreenBuilder
from bot.screens.nominations import NominationsList
from bot.screens.paging import page_number
from bot.screens.parts import ANY_POSITION, Button, Screen, Subject, position_token, text_screen
from bot.services.approvals import ApprovalService
from bot.services.approvals import link_for as approval_link_for
from bot.services.evidence import EvidenceService
from bot.services.nominating import NominationService, Outcome
from bot.services.statement_requests import SupportService, link_for
from flows.effects import Effect, Review, Submitted
from flows.events import Answer, Edit, Event, GoToReview, Revise
from flows.evidence import numbered
from flows.journey import outstanding
from flows.references import reference_code
from flows.state import NominationState
from flows.statement import AskRefusal

# A press that changes something is pressed once: a second press of the same message is a double
# tap. Show examples changes nothing (they sit beside the question, whose Done must stay usable)
# and choosing a nomination only shows it; but Start and Start another begin a draft, and a
# double tap must not begin two.
ONCE = (of_kind(Kind.STEP, Kind.DRAFT) - {Action.HINTS}) | {Action.START, Action.ANOTHER}


@dataclass(frozen=True, slots=True)
class Press:
    """A press of a button: its action and argument, and what it was shown for (`ref`: a
    nomination's reference code, or a statement link's token; None: whatever is current)."""

    action: Action
    arg: str = ""
    ref: str | None = None
    position: str = ANY_POSITION
    subject: Subject = Subject.NOMINATION


def press_of(button: Button, screen: Screen) -> Press:
    """The press of `button` on `screen`: it carries its own nomination, or the screen's."""
    if button.ref is not None:
        return Press(button.action, button.arg, button.ref)
    if screen.about is None:
        return Press(button.action, button.arg)
    about = screen.about
    return Press(button.action, button.arg, about.key, about.position, about.subject)


@dataclass(frozen=True, slots=True)
class Turn:
    """What answers one press: the screens, whether the press acted (so a second press of the
    same message is a double tap), and screens for other people (key, screen): a nominator told
    that a statement arrived."""

    screens: tuple[Screen, ...]
    acted: bool = False
    tell: tuple[tuple[str, Screen], ...] = field(default=())


class Conversation:
    """One front end's side of the nominators' conversation."""

    def __init__(
        self,
        service: NominationService,
        screens: ScreenBuilder,
        *,
        evidence: EvidenceService | None = None,
        support: SupportService | None = None,
        bot_username: Callable[[], str] = lambda: "",
        approvals: ApprovalService | None = None,
    ) -> None:
        self.service = service
        self.screens = screens
        self.form = service.form
        self.listing = NominationsList(screens.wording, service.programme.awards)
        self.awards = AwardChoice(service)
        self.sent = SentActions(service, screens)
        self.evidence = evidence  # None: no files here (the terminal)
        self.support = support  # None: no statements here (the terminal)
        self.approvals = approvals  # None: no nominee's approval here (the terminal)
        self._bot_username = bot_username

    # Commands and typed lines ---------------------------------------------------------------

    async def opening(self, nominator: str) -> list[Screen]:
        """The welcome, or where the draft stands; and the round's news. Outside the round with
        no draft, the news alone: nothing is asked."""
        draft = await self.service.draft(nominator)
        screens = self.screens.of(draft)
        if draft is None:
            chosen = self.awards.choice()  # several awards open, or none of several
            if chosen is not None:
                return [chosen]
            only = self.awards.only_open()
            screens = self.screens if only is None else self.screens.for_form(only.form.id)
        shown = []
        if draft is not None or self.service.is_open():
            shown.append(screens.welcome(draft))
        notice = screens.notice(self.service.round_notice())
        return [*shown, *([notice] if notice is not None else [])]

    async def command(
        self, nominator: str, action: Action, arg: str = "", *, at: datetime | None = None
    ) -> list[Screen]:
        """A typed command (Telegram's /done, the terminal's `done`): the same as its button,
        for the draft being worked on."""
        match action:
            case Action.START:
                return await self.opening(nominator)
            case Action.HELP:
                return [text_screen(self._help())]
            case Action.STATUS:
                return [self.screens.status(await self.service.draft(nominator))]
            case Action.LIST:
                return [self.listing.screen(await self.service.nominations(nominator))]
            case Action.ANOTHER:
                return await self._another(nominator)
            case Action.EDIT:
                draft = await self.service.draft(nominator)
                field_id = self.screens.field_named(draft, arg) if draft else None
                event: Event = GoToReview() if field_id is None else Edit(field_id)
                return await self.shown(await self.service.apply(nominator, event))
            case Action.FILES:
                return [await self._files(nominator)]
            case Action.REMOVE_FILE:
                return await self._remove_numbered(nominator, arg)
            case Action.SUPPORT:
                return [await self._requests(nominator)]
        typed_event = event_for(action, arg)
        if typed_event is None:
            raise ValueError(f"{action!r} is not a command the conversation answers")
        outcome = await self.service.apply(nominator, typed_event, pressed_at=at)
        if outcome.state is None and not outcome.effects:
            return [self.screens.no_draft()]
        return await self.shown(outcome)

    async def typed(
        self, nominator: str, text: str, *, source: str | None = None, at: datetime | None = None
    ) -> list[Screen]:
        """A typed answer; a long answer may arrive over several messages."""
        outcome = await self.service.apply(nominator, Answer(text, source), pressed_at=at)
        return await self.shown(outcome)

    async def revised(self, nominator: str, source: str, text: str) -> list[Screen]:
        """An edited message: the saved answer that came from it follows the edit."""
        outcome = await self.service.apply(nominator, Revise(source, text))
        if outcome.state is None:
            return []
        if not outcome.effects:
            # E.g. a mistyped email that was refused, then corrected by editing it: say so, or
            # the nominator would wait for an answer that never comes.
            return [text_screen(texts.EDIT_NOT_AN_ANSWER)]
        return await self.shown(outcome)

    async def after_restart(self, nominator: str) -> list[Screen]:
        """For one whose last message was saved just before a restart and its reply lost:
        their draft's current step; with no draft, their nominations (one just sent among
        them), if they have any."""
        if await self.service.draft(nominator) is not None:
            here = await self.shown(await self.service.continue_nomination(nominator))
            return [text_screen(texts.RESTARTED), *here]
        nominations = await self.service.nominations(nominator)
        listing = [self.listing.screen(nominations)] if nominations else []
        return [text_screen(texts.RESTARTED if listing else texts.RESTARTED_NO_DRAFT), *listing]

    def unknown_command(self) -> Screen:
        """A command nobody answers: say so, and list the ones that apply here."""
        return text_screen(texts.UNKNOWN_COMMAND, self._help())

    def _help(self) -> str:
        w = self.screens.wording
        if not w.email_codes:
            told = texts.TELEGRAM_HELP_NO_CODES if w.telegram else texts.CONSOLE_HELP_NO_CODES
        else:
            told = texts.TELEGRAM_HELP if w.telegram else texts.CONSOLE_HELP
        if len(self.service.open_awards()) > 1:  # /start asks which award
            told += "\n\n" + awards.help_line(w)
        return told

    # Presses --------------------------------------------------------------------------------

    async def press(self, nominator: str, press: Press, *, at: datetime | None = None) -> Turn:
        """A button: it acts on the nomination it was shown for, if it is still current."""
        if press.action in NAMING_ACTIONS:
            return await self._naming(nominator, press)
        match press.action:
            case Action.FULL_ANSWER:
                return Turn(tuple(await self._full_answer(nominator, press)))
            case Action.REVIEW_PAGE:
                return Turn(tuple(await self._review_page(nominator, press)))
            case Action.FILES_PAGE:
                return Turn((await self._files(nominator, page_number(press.arg)),))
            case Action.SUPPORT_PAGE:
                return Turn((await self._requests(nominator, page_number(press.arg)),))
            case Action.REMOVE_FILE if press.ref is not None and press.arg.isdigit():
                return Turn(tuple(await self._remove(nominator, press.ref, int(press.arg))))
            case Action.SUPPORT_ASK if press.ref is not None:
                return Turn((await self._ask(nominator, press.ref),))
            case Action.SUPPORT_CANCEL:
                return Turn((await self._cancel_link(nominator, press.arg),))
        event = event_for(press.action, press.arg)
        if event is None or press.ref is None:
            return Turn(tuple(await self.unreadable(nominator)))
        outcome = await self.service.apply(
            nominator,
            event,
            only_if=lambda draft: self.is_current(press, draft),
            code=press.ref,
            pressed_at=at,
        )
        if outcome.state is None and not outcome.effects:
            return Turn((await self._gone(nominator, press.ref),))
        if outcome.refused and outcome.state is not None:
            return Turn(tuple(await self._stale(nominator, outcome.state)))
        return Turn(tuple(await self.shown(outcome)), acted=press.action in ONCE)

    async def unreadable(self, nominator: str) -> list[Screen]:
        """A button this conversation can't read (forged, or from a version long gone): with no
        draft, the welcome (with several awards open, which one); otherwise nothing changes and
        nothing is said."""
        draft = await self.service.draft(nominator)
        if draft is not None:
            return []
        return [self.awards.choice() or self.screens.welcome(None)]

    def is_current(self, press: Press, draft: NominationState) -> bool:
        """Whether a press was shown for this draft, at this position (where that matters)."""
        return press.ref == reference_code(draft.reference) and (
            press.action in ANYWHERE
            or press.position == position_token(self.service.form_of(draft), draft)
        )

    async def _naming(self, nominator: str, press: Press) -> Turn:
        """Buttons that name a nomination: Start/Continue, the list's Continue, Review and View,
        Your nominations, Start another, and a sent one's Amend and Withdraw."""
        code, acted = press.ref, press.action in ONCE
        if press.action in (Action.LIST, Action.LIST_PAGE):
            records = await self.service.nominations(nominator)
            return Turn((self.listing.screen(records, page_number(press.arg)),))
        if press.action is Action.ANOTHER:
            return Turn(tuple(await self._another(nominator)), acted)
        if press.action in (Action.AWARD, Action.AWARD_ABOUT, Action.ANOTHER_AWARD):
            chosen = await self.awards.press(nominator, press.action, press.arg, press.ref)
            screens = await self.shown(chosen) if isinstance(chosen, Outcome) else [chosen]
            # Acted once a draft began: a second tap must not begin two; a refusal may be retried.
            started = isinstance(chosen, Outcome) and chosen.state is not None
            return Turn(tuple(screens), acted=started)
        if code is None and press.action is not Action.START:
            return Turn(tuple(await self.unreadable(nominator)))
        if press.action in SENT_ACTIONS and code is not None:
            shown = await self.sent.press(nominator, press.action, code)
            screens = await self.shown(shown) if isinstance(shown, Outcome) else [shown]
            return Turn(tuple(screens))
        if press.action is Action.VIEW and code is not None:
            record = await self.service.own(nominator, code)
            if record is None or not record.state.is_submitted:
                return Turn((await self._gone(nominator, code),))
            return Turn((self.listing.view(record),))
        if press.action is Action.OPEN and code is not None:
            outcome = await self.service.continue_draft(nominator, code)
            if outcome.state is None:
                return Turn((await self._gone(nominator, code),))
            return Turn(tuple(await self.shown(outcome)))
        # Start or Continue from a welcome: that draft if it is still one, else as /start would.
        outcome = Outcome(None)
        if code is not None:
            outcome = await self.service.continue_draft(nominator, code)
        if outcome.state is None:
            # An old Start with several awards open now: which award, as /start would ask.
            which = self.awards.choice()
            if which is not None and await self.service.draft(nominator) is None:
                return Turn((which,))
            outcome = await self.service.continue_nomination(nominator)
        return Turn(tuple(await self.shown(outcome)), acted)

    async def _another(self, nominator: str) -> list[Screen]:
        """Start another nomination: the choice of award when there is one to make."""
        chosen = self.awards.choice()
        if chosen is not None:
            return [chosen]
        return await self.shown(await self.service.start_another(nominator))

    async def _full_answer(self, nominator: str, press: Press) -> list[Screen]:
        """One long answer in full, from the review's "Show Q1 in full": nothing changes."""
        own = await self.service.own(nominator, press.ref) if press.ref is not None else None
        draft = None if own is None or own.state.is_submitted else own.state
        if draft is None:
            return [await self._gone(nominator, press.ref)]
        if not self.is_current(press, draft) or not self.service.form_of(draft).has_field(
            press.arg
        ):
            return await self._stale(nominator, draft)
        return [self.screens.full_answer(draft, press.arg)]

    async def _review_page(self, nominator: str, press: Press) -> list[Screen]:
        """Another page of the review's buttons: nothing changes."""
        own = await self.service.own(nominator, press.ref) if press.ref is not None else None
        draft = None if own is None or own.state.is_submitted else own.state
        if draft is None:
            return [await self._gone(nominator, press.ref)]
        if not self.is_current(press, draft):
            return await self._stale(nominator, draft)
        problems = outstanding(self.service.form_of(draft), draft)
        return [self.screens.review(draft, problems, page_number(press.arg))]

    async def _gone(self, nominator: str, code: str | None) -> Screen:
        """A button of the nominator's nomination that was sent or deleted: say which. Anyone
        else's nomination is answered as one that never was."""
        sent = code is not None and await self.service.was_submitted(nominator, code)
        return self.screens.gone_nomination(sent=sent)

    async def _stale(self, nominator: str, draft: NominationState) -> list[Screen]:
        here = await self.shown(await self.service.continue_nomination(nominator))
        return [text_screen(texts.STALE_BUTTON).shown_for(None), *here]

    # Outcomes -------------------------------------------------------------------------------

    async def shown(self, outcome: Outcome) -> list[Screen]:
        """The screens for an outcome (already committed by the service): the files just above
        the review, the effects' screens (with no draft, what happened to it, or the welcome),
        then the round's news."""
        screens: list[Screen] = []
        nothing = outcome.state is None and not outcome.effects and outcome.notice is None
        if nothing and (chosen := self.awards.choice()) is not None:
            return [chosen]  # no draft, and several awards: which one, not the first's welcome
        if outcome.state is not None and any(isinstance(e, Review) for e in outcome.effects):
            screens += await self._files_above_review(outcome.state)
        if outcome.state is not None or outcome.effects or outcome.notice is None:
            screens += self.screens.render(outcome.state, outcome.effects)
        screens += await self._approval_links(outcome.effects)
        notice = self.screens.of(outcome.state).notice(outcome.notice)
        return [*screens, *([notice] if notice is not None else []), *self.awards.after(outcome)]

    async def _approval_links(self, effects: tuple[Effect, ...]) -> list[Screen]:
        """Just sent, for an award that asks its nominee: the link to forward (issue 19)."""
        if self.approvals is None:
            return []
        sent = [effect.reference for effect in effects if isinstance(effect, Submitted)]
        shown = []
        for reference in sent:
            forward = await self.approvals.ask(reference)
            if forward is not None:
                url = approval_link_for(self._bot_username(), forward.token)
                shown.append(approval.link(forward.nominee, forward.team, url))
        return shown

    # Supporting files -----------------------------------------------------------------------

    async def _files_above_review(self, draft: NominationState) -> list[Screen]:
        if self.evidence is None:
            return []
        kept = await self.evidence.store.list_for(draft.reference)
        return [files.listing(self.service.form_of(draft), draft.reference, kept)] if kept else []

    async def _files(self, nominator: str, page: int = 1) -> Screen:
        if self.evidence is None:
            return text_screen(texts.FILES_NONE)
        draft, kept = await self.evidence.files(nominator)
        form = self.service.form_of(draft) if draft is not None else self.form
        return files.listing(form, draft.reference if draft else "", kept, page)

    async def _remove_numbered(self, nominator: str, arg: str) -> list[Screen]:
        """/removefile 2: the second file in the list."""
        if self.evidence is None:
            return [files.removed(None)]
        _, kept = await self.evidence.files(nominator)
        number = int(arg.split()[0]) if arg.split() and arg.split()[0].isdigit() else 0
        chosen = dict(numbered(kept)).get(number)
        if chosen is None:
            return [files.removed(None), await self._files(nominator)]
        removed = await self.evidence.remove(nominator, chosen.id)
        return [files.removed(removed), *([await self._files(nominator)] if removed else [])]

    async def _remove(self, nominator: str, code: str, evidence_id: int) -> list[Screen]:
        """A Remove button: only for the nomination it was shown for, and only the sender's."""
        if self.evidence is None:
            return [files.removed(None)]
        reference = await self.service.reference_of(nominator, code)
        removed = await self.evidence.remove(nominator, evidence_id, reference=reference)
        return [files.removed(removed), *([await self._files(nominator)] if removed else [])]

    # Asking colleagues for supporting statements --------------------------------------------

    async def _requests(self, nominator: str, page: int = 1) -> Screen:
        if self.support is None:
            return text_screen(texts.SUPPORT_HINT_TERMINAL)
        overview = await self.support.overview(nominator)
        return statement_requests.overview(overview, self.support.settings.maximum, page)

    async def _ask(self, nominator: str, code: str) -> Screen:
        if self.support is None:
            return text_screen(texts.SUPPORT_HINT_TERMINAL)
        reference = await self.service.reference_of(nominator, code)
        token = await self.support.ask(nominator, reference)
        if isinstance(token, AskRefusal):
            return statement_requests.refused(token, self.support.settings.maximum)
        return statement_requests.link(reference, link_for(self._bot_username(), token))

    async def _cancel_link(self, nominator: str, token: str) -> Screen:
        if self.support is None:
            return text_screen(texts.SUPPORT_HINT_TERMINAL)
        done = await self.support.revoke(nominator, token)
        if isinstance(done, AskRefusal):
            return statement_requests.refused(done, self.support.settings.maximum)
        return statement_requests.revoked(done)
