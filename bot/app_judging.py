"""The composition root's judging part (issue 18): builds judging's service, screens,
conversation, Telegram handlers and reminder from the settings, for bot/app.py to call. Kept
apart so the root stays readable; nothing else imports it."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Protocol

from bot.config import Settings
from bot.conversation.judging import JudgingConversation
from bot.jobs.judging import JudgingReminders
from bot.screens.judging import JudgingScreens
from bot.services.evidence import EvidenceService
from bot.services.judge_scoring import ScoringService
from bot.services.judging import JudgingService, JudgingSettings
from bot.services.nominating import NominationService
from bot.telegram.handlers import NominationHandlers
from bot.telegram.judging import JudgingHandlers
from bot.telegram.output import ChatOutput
from bot.telegram.runtime import AnyApplication
from flows.approval import ApprovalStatus
from flows.form import Form
from flows.judging.criteria import judging_of
from storage.nominations import NominationStore


def approved_of(store: NominationStore) -> Callable[[], Awaitable[list[str]]]:
    """The references of the nominations their nominees approved."""

    async def approved() -> list[str]:
        statuses = await store.approvals.statuses()
        return [ref for ref, status in statuses.items() if status is ApprovalStatus.APPROVED]

    return approved


def judging_service(
    settings: Settings, form: Form, store: NominationStore, service: NominationService
) -> JudgingService | None:
    """The award's panel, or None for a form with no [judging] section."""
    judging = judging_of(form)
    if judging is None:
        return None
    options = JudgingSettings(
        blind=settings.judging_blind,
        per_nomination=settings.judges_per_nomination,
        dates=settings.judging_dates,
        approved=approved_of(store) if settings.needs_approval(form.id) else None,
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


def wire_judging(
    application: AnyApplication,
    settings: Settings,
    services: OpenServices,
    output: ChatOutput,
    nominators: NominationHandlers,
) -> JudgingReminders | None:
    """Judging's Telegram handlers, registered before the nominators' (which catch all), and
    its reminder, run from the Application's post_init to its post_stop."""
    form, store = services.form, services.store
    panel = judging_service(settings, form, store, services.service)
    if panel is None:
        return None
    screens = JudgingScreens(form, panel.judging, blind=settings.judging_blind)
    scoring = ScoringService(panel, form, store, services.evidence.store.list_for)
    conversation = JudgingConversation(panel, scoring, screens, lambda: output.username)
    organisers = tuple(settings.organiser_telegram_ids)
    JudgingHandlers(conversation, nominators, organisers).register(application)
    reminders = JudgingReminders(panel, output.show)
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
