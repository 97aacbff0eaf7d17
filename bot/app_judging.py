"""The composition root's judging part (issue 18): builds judging's service, screens,
conversation, Telegram handlers and reminder from the settings, for bot/app.py to call (and the
conversation alone for the terminal's judge and `nomination-bot judging`, which the entry point
builds). Kept apart so the root stays readable."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Protocol

from bot.config import Settings
from bot.conversation.judging import JudgingConversation
from bot.jobs.judging import JudgingReminders
from bot.screens.judging import JudgingScreens
from bot.services.evidence import EvidenceService
from bot.services.judge_scoring import ScoringService
from bot.services.judging import JudgingService, JudgingSettings
from bot.services.nominating import NominationService
from flows.approval import ApprovalStatus
from flows.form import Form
from flows.judging.criteria import judging_of
from flows.programme import Programme
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
) -> JudgingService | None:
    """The award's panel, or None for a form with no [judging] section."""
    judging = judging_of(form)
    if judging is None:
        return None
    options = JudgingSettings(
        blind=settings.judging_blind,
        per_nomination=settings.judges_per_nomination,
        dates=settings.judging_dates,
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


def judging_conversation(
    settings: Settings,
    services: OpenServices,
    bot_username: Callable[[], str] = lambda: "",
) -> JudgingConversation | None:
    """The judged award's conversation over its panel (`.panel`), for Telegram, the terminal's
    judge and `nomination-bot judging`; None for a form with no [judging] section. The judged
    award is the first one's form, `services.form`: judging is keyed by form id, so its scoring
    reads that form's nominations only."""
    form, store = services.form, services.store
    asks = services.programme.needs_approval(form.id)
    panel = judging_service(settings, form, store, services.service, asks_approval=asks)
    if panel is None:
        return None
    screens = JudgingScreens(form, panel.judging, blind=settings.judging_blind)
    scoring = ScoringService(panel, form, store, services.evidence.store.list_for)
    return JudgingConversation(panel, scoring, screens, bot_username)


def wire_judging(
    application: AnyApplication,
    settings: Settings,
    services: OpenServices,
    output: ChatOutput,
    nominators: NominationHandlers,
) -> JudgingReminders | None:
    """Judging's Telegram handlers, registered before the nominators' (which catch all), and
    its reminder, run from the Application's post_init to its post_stop. In a programme
    (issue 19) the judged award is the first one's (see judging_conversation). A panel for each
    judged award (handlers, reminders and /leaderboard per award) is not built yet."""
    from bot.telegram.judging import JudgingHandlers

    conversation = judging_conversation(settings, services, lambda: output.username)
    if conversation is None:
        return None
    organisers = tuple(settings.organiser_telegram_ids)
    JudgingHandlers(conversation, nominators, organisers).register(application)
    reminders = JudgingReminders(conversation.panel, output.show)
    stop = asyncio.Event()
    tasks: list[asyncio.Task[None]] = []
    earlier_init, earlier_stop = application.post_init, application.post_stop

    async def post_init(app: AnyApplication) -> None:
        if earlier_init is not None:
            await earlier_init(app)
        tasks.append(asyncio.create_task(reminders.run(stop)))

    async def post_stop(app: AnyApplication) -> None:
        stop.set()
        for task in tasks:
            await task
        if earlier_stop is not None:
            await earlier_stop(app)

    application.post_init = post_init
    application.post_stop = post_stop
    return reminders
