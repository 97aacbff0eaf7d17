"""Judging with one panel per judged award (issues 18 and 19): each award's JudgingConversation
does its own panel's work; this says which panel an update is for, for the Telegram handlers.

A link belongs to the award whose /judges made it. A person may sit on several panels: /judge
takes them to their next nomination across them, /myscores lists by award, and a press goes to
the panel of the nomination it names (by its reference's prefix), so a judge of one award never
reaches another's nominations. An organiser scoped to some awards acts on theirs only; one who
sees several names the award (`/judges lsi`) or chooses it with a button. With one panel,
everything is exactly as that panel's conversation says it; with several, each screen is headed
by its award's name."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bot.conversation.conversation import Press, Turn
from bot.conversation.judging import JudgingConversation
from bot.screens import texts
from bot.screens.actions import Action
from bot.screens.judging import award_choice, headed, nothing_to_score
from bot.screens.parts import Screen, text_screen
from bot.services.judge_scoring import JudgeStep
from bot.services.judging import token_of
from bot.services.organisers import Scope
from bot.services.panels import Choice, Choose, Chosen, NotYours, choose
from storage.judging import Judge

_VERBS = ("open", "close")


class Panels:
    """Every judged award's panel, in the programme's order."""

    def __init__(self, panels: Sequence[JudgingConversation]) -> None:
        if not panels:
            raise ValueError("judging needs at least one panel")
        self.panels = tuple(panels)
        self._by_award = {p.award or "": p for p in self.panels}

    def _headed(self, panel: JudgingConversation, turn: Turn) -> Turn:
        if len(self.panels) == 1 or not turn.screens:
            return turn
        first, *rest = turn.screens
        return replace(turn, screens=(headed(panel.screens.form.title, first), *rest))

    async def _places(self, user_id: int) -> list[tuple[JudgingConversation, Judge]]:
        """The panels the person sits on (still joining, or joined), with their place on each."""
        places = []
        for panel in self.panels:
            judge = await panel.panel.judge(user_id)
            if judge is not None:
                places.append((panel, judge))
        return places

    # A judge ---------------------------------------------------------------------------

    async def open_link(self, user_id: int, payload: str) -> Turn:
        """/start judge-<token>: the link's own award's panel; any other link, one reply."""
        token = token_of(payload)
        judge = None if token is None else await self.panels[0].panel.claim(user_id, token)
        panel = None if judge is None else self._of_form(judge.form_id)
        if judge is None or panel is None:
            return Turn((text_screen(texts.JUDGE_LINK_REFUSED),))
        return await panel.welcome(panel.panel.joined(judge))

    async def typed(self, user_id: int, text: str) -> Turn | None:
        """A detail for a panel they are joining, else a reason or comment for the nomination
        they opened last (only one is open at a time: storage.judging's set_current)."""
        places = await self._places(user_id)
        places.sort(key=lambda place: place[1].registered)  # still joining first
        for panel, _ in places:
            if (turn := await panel.typed(user_id, text)) is not None:
                return self._headed(panel, turn)
        return None

    async def next(self, user_id: int) -> Turn | None:
        """/judge: the next nomination to score on any of their panels (an unscored one first,
        then one changed since they scored it, in the programme's order); all scored (or none
        yet) once none has one; the refusal if none is open."""
        places = await self._places(user_id)
        if not places:
            return None
        joining = [panel for panel, judge in places if not judge.registered]
        if joining:
            return await joining[0].next(user_id)
        if len(places) > 1:  # a panel with one unscored before one with only changed ones
            waiting = {id(p): await p.scoring.unscored(j) for p, j in places}
            places.sort(key=lambda place: waiting[id(place[0])] == 0)
        steps: list[tuple[JudgingConversation, JudgeStep]] = []
        for panel, judge in places:
            step = await panel.scoring.next(judge)
            if step.reference is not None:
                return self._headed(panel, panel.turn(step))
            steps.append((panel, step))
        opened = [step for _, step in steps if not step.not_open]
        if not opened:
            return self._headed(steps[0][0], steps[0][0].turn(steps[0][1]))
        count = sum(step.count for step in opened)
        recused, own = sum(s.recused for s in opened), sum(s.own for s in opened)
        return Turn((nothing_to_score(count, recused, own),))

    async def my_scores(self, user_id: int) -> Turn | None:
        """/myscores: what they have scored, a screen per award they judge."""
        places = await self._places(user_id)
        screens: list[Screen] = []
        for panel, judge in places:
            turn = await panel.my_scores(user_id)
            if turn is not None and not judge.registered:
                return turn  # still joining: the detail asked
            if turn is not None:
                screens += self._headed(panel, turn).screens
        return Turn(tuple(screens)) if places else None

    async def press(self, user_id: int, press: Press) -> Turn | None:
        """A judge's button: for the panel of the nomination it names; None if they are not
        on that panel (an unreadable button)."""
        panel = self._pressed(press)
        if panel is None:
            return None
        if press.action is Action.JUDGE_NEXT:  # Next nomination: on any of their panels
            judge = await panel.panel.judge(user_id)
            return await self.next(user_id) if judge is not None and judge.registered else None
        turn = await panel.press(user_id, press)
        return None if turn is None else self._headed(panel, turn)

    def _pressed(self, press: Press) -> JudgingConversation | None:
        """The panel a judge's button is for: its nomination's award, by the reference's
        prefix (LSI-7K3Q9M is LSI's); for /myscores's Previous and Next, the award they carry."""
        if press.action is Action.JUDGE_SCORES_PAGE:
            return self._by_award.get(press.ref or "")
        prefix = (press.ref or "").rpartition("-")[0]
        return next((p for p in self.panels if p.screens.form.reference_prefix == prefix), None)

    def _of_form(self, form_id: str) -> JudgingConversation | None:
        return next((p for p in self.panels if p.panel.form_id == form_id), None)

    # The organisers --------------------------------------------------------------------

    def _choose(self, scope: Scope, words: Sequence[str]) -> Choice[JudgingConversation]:
        mine = {a: p for a, p in self._by_award.items() if scope is None or a in scope}
        return choose(mine, words, self._by_award)

    def _refused(self, refusal: NotYours) -> Turn:
        if refusal.award is None:
            return Turn((text_screen(texts.JUDGING_OFF),))
        yours = ", ".join(refusal.yours)
        said = texts.PANELS_NOT_YOURS.format(award=refusal.award, awards=yours)
        return Turn((text_screen(said),))

    def _choice(self, question: str, awards: Sequence[str], command: str) -> Turn:
        titled = [(a, self._by_award[a].screens.form.title) for a in awards]
        return Turn((award_choice(question, titled, Action.JUDGE_AWARD, command),))

    async def judges(self, scope: Scope, argument: str = "") -> Turn:
        """/judges [award]: that award's panel, Invite a judge and Remove."""
        match self._choose(scope, argument.split()):
            case Chosen(_, panel):
                return self._headed(panel, await panel.judges())
            case Choose(awards):
                return self._choice(texts.PANELS_CHOOSE_JUDGES, awards, "judges")
            case NotYours() as refusal:
                return self._refused(refusal)

    async def judging(self, scope: Scope, argument: str) -> Turn:
        """/judging open|close [award], or alone: how judging stands."""
        match self._choose(scope, argument.split()):
            case Chosen(_, panel, rest):
                return self._headed(panel, await panel.judging(" ".join(rest)))
            case Choose(awards, rest) if rest and rest[0].casefold() in _VERBS:
                verb = rest[0].casefold()
                question = texts.PANELS_CHOOSE_OPEN if verb == "open" else texts.PANELS_CHOOSE_CLOSE
                return self._choice(question, awards, f"judging {verb}")
            case Choose(awards):
                return await self._states(awards)
            case NotYours() as refusal:
                return self._refused(refusal)

    async def _states(self, awards: Sequence[str]) -> Turn:
        lines = []
        for award in awards:
            panel = self._by_award[award]
            state = "open" if await panel.panel.is_open() else "closed"
            title = panel.screens.form.title
            lines.append(texts.PANELS_STATE_LINE.format(award=title, state=state))
        return Turn((text_screen("\n".join(lines), texts.PANELS_STATE_HINT),))

    async def organiser_press(self, scope: Scope, press: Press) -> Turn:
        """An organiser's choice of award, Invite a judge, Cancel this link or Remove: for
        the award the button carries, if it is one of theirs."""
        if press.action is Action.JUDGE_AWARD:
            command, _, verb = press.arg.partition(" ")
            chosen = press.ref or ""
            if command == "judges":
                return await self.judges(scope, chosen)
            return await self.judging(scope, f"{verb} {chosen}")
        award = press.ref
        if press.action is Action.JUDGE_REMOVE and press.arg.isdigit():
            judge = await self.panels[0].panel.store.judge_by_id(int(press.arg))
            found = None if judge is None else self._of_form(judge.form_id)
            award = found.award if found is not None else None
        match self._choose(scope, [award] if award else []):
            case Chosen(_, panel):
                return self._headed(panel, await panel.organiser_press(press))
        return Turn(())
