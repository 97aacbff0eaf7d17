"""Judging's conversation (issue 18): a judge's invitation link and registration, /judge,
/myscores, their typed reasons and comments and their buttons; and the organisers' /judges and
/judging. One service call each, then the screens. None answers "not for judging": the update
goes on to the nominators' conversation (or, for a command, its unknown-command reply)."""

from __future__ import annotations

from collections.abc import Callable

from bot.conversation.conversation import Press, Turn
from bot.screens import texts
from bot.screens.actions import Action
from bot.screens.judging import (
    JudgingScreens,
    ScoredLine,
    invitation_screen,
    nothing_to_score,
    panel_screen,
)
from bot.screens.paging import page_number
from bot.screens.parts import Screen, text_screen
from bot.services.judge_scoring import JudgeStep, ScoringService
from bot.services.judging import (
    DETAIL_CHARS,
    LINK_PREFIX,
    Detail,
    JudgingService,
    Registering,
    token_of,
)
from flows.judging.scoring import (
    Change,
    Conflict,
    Score,
    ScoringEvent,
    SkipComment,
    SubmitScores,
)
from storage.judging import Judge


def _event(press: Press) -> ScoringEvent | None:
    match press.action:
        case Action.JUDGE_NO_CONFLICT:
            return Conflict(has_conflict=False)
        case Action.JUDGE_CONFLICT:
            return Conflict(has_conflict=True)
        case Action.JUDGE_SCORE:
            criterion, _, value = press.arg.partition("=")
            return Score(criterion, int(value)) if value.isdigit() else None
        case Action.JUDGE_SKIP_COMMENT:
            return SkipComment()
        case Action.JUDGE_CHANGE:
            return Change(press.arg)
        case Action.JUDGE_SUBMIT:
            return SubmitScores()
    return None


class JudgingConversation:
    """Judging, for a front end whose people are known by a number (Telegram's user id)."""

    def __init__(
        self,
        panel: JudgingService,
        scoring: ScoringService,
        screens: JudgingScreens,
        bot_username: Callable[[], str],
        *,
        award: str | None = None,
    ) -> None:
        self.panel = panel
        self.scoring = scoring
        self.screens = screens
        self._bot_username = bot_username
        self.award = award  # the award's id, carried by the organisers' buttons

    # A judge ---------------------------------------------------------------------------

    async def open_link(self, user_id: int, payload: str) -> Turn:
        """/start judge-<token>: a used, revoked or made-up link gets one reply, alike."""
        token = token_of(payload)
        registering = None if token is None else await self.panel.open_link(user_id, token)
        if registering is None:
            return Turn((text_screen(texts.JUDGE_LINK_REFUSED),))
        return await self.welcome(registering)

    async def welcome(self, registering: Registering) -> Turn:
        """Someone who opened one of this award's links: welcomed to its panel, by its name."""
        welcome = text_screen(texts.JUDGE_WELCOME.format(award=self.screens.form.title))
        # `acted`: the link made them a judge (their chat's command menu gains /judge).
        return Turn((welcome, *await self._registration(registering)), acted=True)

    async def typed(self, user_id: int, text: str) -> Turn | None:
        """A judge's registration answer, conflict reason or comment; None: not a judge's."""
        judge = await self.panel.judge(user_id)
        if judge is None:
            return None
        if not judge.registered:
            return Turn(await self._registration(await self.panel.give_detail(judge, text)))
        step = await self.scoring.typed(judge, text)
        return None if step is None else self.turn(step)

    async def next(self, user_id: int) -> Turn | None:
        """/judge: the judge's next nomination to score (still joining: the detail asked)."""
        judge = await self.panel.judge(user_id)
        if judge is None or not judge.registered:
            return await self._still_joining(judge)
        return self.turn(await self.scoring.next(judge))

    async def my_scores(self, user_id: int, page: int = 1) -> Turn | None:
        """/myscores: what the judge has scored, each with a button to change it (still
        joining: the detail asked)."""
        judge = await self.panel.judge(user_id)
        if judge is None or not judge.registered:
            return await self._still_joining(judge)
        lines = [
            ScoredLine(
                self.screens.title(s.number, s.nominee, s.assignment.reference),
                s.assignment.reference,
                dict(s.assignment.scores),
                s.changed,
            )
            for s in await self.scoring.scored(judge)
        ]
        return Turn((self.screens.my_scores(lines, page),))

    async def press(self, user_id: int, press: Press) -> Turn | None:
        """A judge's button; None if the presser is not a judge (an unreadable button)."""
        judge = await self._registered(user_id)
        if judge is None or press.ref is None:
            return None
        if press.action is Action.JUDGE_NEXT:
            return self.turn(await self.scoring.next(judge))
        if press.action is Action.JUDGE_OPEN:  # from /myscores: at its check, to change
            return self.turn(await self.scoring.open(judge, press.ref))
        if press.action is Action.JUDGE_SCORES_PAGE:
            return await self.my_scores(user_id, page_number(press.arg))
        event = _event(press)
        if event is None:
            return Turn(())
        return self.turn(await self.scoring.act(judge, press.ref, event), acted=True)

    async def _still_joining(self, judge: Judge | None) -> Turn | None:
        """A judge who has not given all their details is asked the next one again."""
        if judge is None:
            return None
        return Turn(await self._registration(Registering(judge, Detail(judge.step))))

    async def _registered(self, user_id: int) -> Judge | None:
        judge = await self.panel.judge(user_id)
        return judge if judge is not None and judge.registered else None

    async def _registration(self, registering: Registering) -> tuple[Screen, ...]:
        if registering.asking is not None:
            ask = texts.JUDGE_ASK[registering.asking.value]
            if registering.refused:
                return (text_screen(texts.JUDGE_DETAIL_REFUSED.format(limit=DETAIL_CHARS), ask),)
            return (text_screen(ask),)
        words = (
            texts.JUDGE_REGISTERED
            if await self.panel.is_open()
            else texts.JUDGE_REGISTERED_NOT_OPEN
        )
        return (text_screen(words.format(name=registering.judge.name)),)

    def turn(self, step: JudgeStep, *, acted: bool = False) -> Turn:
        if step.not_open:
            return Turn(
                (text_screen(texts.JUDGING_CLOSED if step.closed else texts.JUDGING_NOT_OPEN),)
            )
        if step.gone:
            return Turn((text_screen(texts.JUDGE_GONE),))
        if step.all_scored or step.reference is None:
            return Turn((nothing_to_score(step.count, step.recused, step.own),))
        screens: list[Screen] = []
        if step.view is not None:
            screens.append(self.screens.nomination(step.view, step.index, step.count))
        for effect in step.effects:
            screens.append(self.screens.step(step.reference, effect, step.index, step.count))
        return Turn(tuple(screens), acted=acted)

    # The organisers --------------------------------------------------------------------

    async def judges(self) -> Turn:
        """/judges: the panel, who is behind, Invite a judge and Remove."""
        return Turn((panel_screen(await self.panel.panel(), self.award),))

    async def organiser_press(self, press: Press) -> Turn:
        """An organiser's Invite a judge, Cancel this link or Remove."""
        match press.action:
            case Action.JUDGE_INVITE:
                invitation = await self.panel.invite()
                link = f"https://t.me/{self._bot_username()}?start={LINK_PREFIX}{invitation.token}"
                return Turn((invitation_screen(link, invitation.id, self.award),), acted=True)
            case Action.JUDGE_REVOKE if press.arg.isdigit():
                done = await self.panel.revoke(int(press.arg))
                return Turn(
                    (text_screen(texts.JUDGES_REVOKED if done else texts.JUDGES_NOT_REVOKED),)
                )
            case Action.JUDGE_REMOVE if press.arg.isdigit():
                judge = await self.panel.store.judge_by_id(int(press.arg))
                if judge is None or not await self.panel.remove(judge.id):
                    return await self.judges()
                removed = text_screen(texts.JUDGES_REMOVED.format(name=judge.name))
                panel = panel_screen(await self.panel.panel(), self.award)
                return Turn((removed, panel), acted=True)
        return Turn(())

    async def judging(self, argument: str) -> Turn:
        """/judging open, /judging close, or /judging alone: how it stands."""
        match argument.strip().casefold():
            case "open":
                await self.panel.set_open(True)
                return Turn((text_screen(texts.JUDGING_OPENED),))
            case "close":
                await self.panel.set_open(False)
                return Turn((text_screen(texts.JUDGING_CLOSED_NOW),))
        state = "open" if await self.panel.is_open() else "closed"
        return Turn((text_screen(texts.JUDGING_STATE.format(state=state)),))
