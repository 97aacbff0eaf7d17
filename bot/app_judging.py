"""The composition root's judging part (issue 18): builds each judged award's service, screens,
conversation and reminder from the settings, and judging's Telegram handlers over them all, for
bot/app.py to call (and one award's conversation alone for the terminal's judge and
`nomination-bot judging`, which the entry point builds). Kept apart so the root stays readable."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Protocol

from bot.config import Settings
from bot.conversation.judging import JudgingConversation
from bot.conversation.panels import Panels
from bot.jobs.judging import JudgingReminders
from bot.screens.judging import JudgingScreens
from bot.services.evidence import EvidenceService
from bot.services.judge_scoring import ScoringService
from bot.services.judging import JudgingService, JudgingSettings
from bot.services.nominating import NominationService
from flows.approval import ApprovalStatus
from flows.form import Form
from flows.judging.criteria import judging_of
from flows.judging.phase import JudgingDates
from flows.programme import Award, Programme
from storage.nominations import NominationStore

if TYPE_CHECKING:  # the terminal's judge and the command line never load python-telegram-bot
    from bot.telegram.handlers import NominationHandlers
    from bot.telegram.output import ChatOutput
    from bot.telegram.runtime import AnyApplication


def approved_of(store: NominationStore) -> Callable[[], Awaitable[list[str]]]:
    """The references of the nominations their nominees approved."""

    async def approved() -> list[str]:
        statuses = await store.approvals.statuses()
        return [ref for ref, status in statuses.items() if status is ApprovalStatus.APPROVED]

    return approved


def judging_service(
    settings: Settings,
    form: Form,
    store: NominationStore,
    service: NominationService,
    *,
    asks_approval: bool = False,
    dates: JudgingDates | None = None,
) -> JudgingService | None:
    """The award's panel, or None for a form with no [judging] section. `dates`: the award's
    own (default: JUDGING_OPEN_AT and JUDGING_CLOSE_AT)."""
    judging = judging_of(form)
    if judging is None:
        return None
    options = JudgingSettings(
        blind=settings.judging_blind,
        per_nomination=settings.judges_per_nomination,
        dates=dates or settings.judging_dates,
        approved=approved_of(store) if asks_approval else None,
    )
    # The nominators' clock: a test's, or the wall's.
    return JudgingService(judging, store.judging, options, clock=service.now)


class OpenServices(Protocol):
    """What judging needs of bot.app's Services (named here, since bot.app imports this)."""

    @property
    def form(self) -> Form: ...
    @property
    def store(self) -> NominationStore: ...
    @property
    def service(self) -> NominationService: ...
    @property
    def evidence(self) -> EvidenceService: ...
    @property
    def programme(self) -> Programme: ...


def award_panel(
    settings: Settings, services: OpenServices, award: Award, username: Callable[[], str]
) -> JudgingConversation | None:
    """One award's panel: its service, scoring, screens and conversation; None if its form
    has no [judging] section."""
    store = services.store
    asks = services.programme.needs_approval(award.form.id)
    panel = judging_service(
        settings, award.form, store, services.service, asks_approval=asks, dates=award.judging_dates
    )
    if panel is None:
        return None
    screens = JudgingScreens(
        award.form, panel.judging, blind=settings.judging_blind, award=award.id
    )
    scoring = ScoringService(panel, award.form, store, services.evidence.store.list_for)
    return JudgingConversation(panel, scoring, screens, username, award=award.id)


def judging_conversation(
    settings: Settings,
    services: OpenServices,
    bot_username: Callable[[], str] = lambda: "",
    *,
    award: str | None = None,
) -> JudgingConversation | None:
    """One award's conversation over its panel (`.panel`), for the terminal's judge and
    `nomination-bot judging`: the award with the id `award`, or the programme's first judged
    one; None if that award is not judged (or there is none such)."""
    for each in services.programme:
        if award is None or each.id == award:
            conversation = award_panel(settings, services, each, bot_username)
            if conversation is not None or award is not None:
                return conversation
    return None


def wire_judging(
    application: AnyApplication,
    settings: Settings,
    services: OpenServices,
    output: ChatOutput,
    nominators: NominationHandlers,
) -> list[JudgingReminders]:
    """Judging's Telegram handlers, registered before the nominators' (which catch all), and
    its reminders, run from the Application's post_init to its post_stop: a panel for each
    award whose form has a [judging] section (judging is keyed by form id, so each panel reads
    its own award's nominations only), each with its own dates and its own reminder."""
    from bot.telegram.judging import JudgingHandlers
    from bot.telegram.organisers import OrganiserChats

    def username() -> str:  # read when a link is made: known once the bot has started
        return output.username

    several = len([a for a in services.programme if judging_of(a.form) is not None]) > 1
    panels = [
        conversation
        for award in services.programme
        if (conversation := award_panel(settings, services, award, username)) is not None
    ]
    if not panels:
        return []
    organisers = OrganiserChats.of(settings.organiser_telegram_ids, services.programme)
    JudgingHandlers(Panels(panels), nominators, organisers).register(application)
    reminders = [
        JudgingReminders(p.panel, output.show, award=p.screens.form.title if several else None)
        for p in panels
    ]
    stop = asyncio.Event()
    tasks: list[asyncio.Task[None]] = []
    earlier_init, earlier_stop = application.post_init, application.post_stop

    async def post_init(app: AnyApplication) -> None:
        if earlier_init is not None:
            await earlier_init(app)
        tasks.extend(asyncio.create_task(r.run(stop)) for r in reminders)

    async def post_stop(app: AnyApplication) -> None:
        stop.set()
        for task in tasks:
            await task
        if earlier_stop is not None:
            await earlier_stop(app)

    application.post_init = post_init
    application.post_stop = post_stop
    return reminders
