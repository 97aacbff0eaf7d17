"""Judging's screens (issue 18): a nomination as a judge reads it (named or blind), each step
of scoring it with its progress line, /myscores, and the organisers' /judges panel and
invitation. The words are in bot/screens/texts/judging.py; the buttons' actions in
bot/screens/actions.py, each carrying the nomination it acts on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.screens import paging, texts
from bot.screens.actions import Action
from bot.screens.parts import Button, Paragraph, Screen, Span, Style, text_screen
from flows.form import Form
from flows.judging.criteria import Judging
from flows.judging.scoring import (
    AskComment,
    AskConflict,
    AskReason,
    AskScore,
    CheckScores,
    Recused,
    Refusal,
    Refused,
    ScoresSubmitted,
    ScoringEffect,
)
from flows.judging.view import NominationView
from flows.reading import ORGANISATION, Entry
from storage.judging import PanelMember


@dataclass(frozen=True, slots=True)
class ScoredLine:
    """One line of /myscores: how the nomination is named, its reference, the judge's scores by
    criterion, and whether it changed since they scored it."""

    title: str
    reference: str
    scores: dict[str, int]
    changed: bool


_REFUSALS = {
    Refusal.NOT_NOW: texts.JUDGE_NOT_NOW,
    Refusal.OFF_SCALE: texts.JUDGE_NOT_NOW,
    Refusal.REASON_NEEDED: texts.JUDGE_REASON_NEEDED,
    Refusal.UNSCORED: texts.JUDGE_UNSCORED,
}


def _bold(text: str) -> Paragraph:
    return (Span(text, Style.BOLD),)


def _plain(text: str) -> Paragraph:
    return (Span(text),)


class JudgingScreens:
    """The screens of one award's judging."""

    def __init__(
        self, form: Form, judging: Judging, *, blind: bool, award: str | None = None
    ) -> None:
        self.form = form
        self.judging = judging
        self.blind = blind
        self.award = award  # the award's id: what a button naming no nomination carries

    # A nomination ----------------------------------------------------------------------

    def nomination(self, view: NominationView, index: int, count: int) -> Screen:
        """The nomination as the panel pack has it: answers word for word, statements, files.
        Blind: no names nor organisation, and a note that answers may still name people."""
        reading = view.reading
        progress = texts.JUDGE_PROGRESS.format(index=index, count=count)
        paragraphs: list[Paragraph] = [((Span(progress, Style.ITALIC)),)]
        if self.blind:
            paragraphs += [_bold(texts.JUDGE_BLIND_TITLE.format(number=view.number))]
            paragraphs += [_plain(texts.JUDGE_BLIND_NOTE)]
        else:
            paragraphs += [_bold(reading.nominee), _plain(reading.headline)]
        if view.changed:
            paragraphs.append(_bold(texts.JUDGE_CHANGED.format(fields=", ".join(view.changed))))
        for section in reading.sections:
            shown = [e for e in section.entries if not self._hidden(e)]
            if shown:
                paragraphs.append(_bold(section.title))
            for entry in shown:
                paragraphs += _entry(entry)
        paragraphs += self._statements(view)
        if view.files:
            paragraphs.append(_plain(texts.JUDGE_FILES.format(names=", ".join(view.files))))
        return Screen(tuple(paragraphs))

    def _hidden(self, entry: Entry) -> bool:
        """Blind: the nominee's and the nominator's names and the organisation are left out."""
        if not self.blind:
            return False
        names = {f.id for f in self.form.fields if f.is_name} | {self.form.roles.nominator_name}
        return entry.field_id in names | {ORGANISATION}

    def _statements(self, view: NominationView) -> list[Paragraph]:
        if not view.statements:
            return []
        paragraphs = [_bold(texts.JUDGE_STATEMENTS)]
        for statement in view.statements:
            by = texts.JUDGE_STATEMENT_BY_BLIND if self.blind else texts.JUDGE_STATEMENT_BY
            paragraphs.append(_plain(by.format(**statement)))
            paragraphs.append((Span(statement.get("statement", ""), Style.QUOTE),))
        return paragraphs

    # Scoring ---------------------------------------------------------------------------

    def step(self, reference: str, effect: ScoringEffect, index: int, count: int) -> Screen:
        """One step of scoring, under its progress line."""
        line = texts.JUDGE_PROGRESS.format(index=index, count=count)
        if isinstance(effect, AskScore):
            line = texts.JUDGE_PROGRESS_CRITERION.format(
                index=index, count=count, criterion=effect.index + 1, criteria=effect.count
            )
        body, buttons = self._body(effect, reference)
        return Screen(((Span(line, Style.ITALIC),), *body), buttons)

    def _body(
        self, effect: ScoringEffect, ref: str
    ) -> tuple[list[Paragraph], tuple[tuple[Button, ...], ...]]:
        next_button = ((Button(texts.JUDGE_NEXT, Action.JUDGE_NEXT, ref=ref),),)
        match effect:
            case AskConflict():
                yes = Button(texts.JUDGE_CONFLICT_YES, Action.JUDGE_CONFLICT, ref=ref)
                no = Button(texts.JUDGE_CONFLICT_NO, Action.JUDGE_NO_CONFLICT, ref=ref)
                return [_plain(texts.JUDGE_CONFLICT)], ((no, yes),)
            case AskReason():
                return [_plain(texts.JUDGE_ASK_REASON)], ()
            case AskScore():
                return self._ask_score(effect, ref)
            case AskComment(current):
                body = [_plain(texts.JUDGE_ASK_COMMENT)]
                if current:
                    body.append(_plain(texts.JUDGE_COMMENT_BEFORE.format(comment=current)))
                skip = Button(texts.JUDGE_SKIP, Action.JUDGE_SKIP_COMMENT, ref=ref)
                return body, ((skip,),)
            case CheckScores(scores, comment):
                return self._check(scores, comment, ref)
            case ScoresSubmitted():
                return [_plain(texts.JUDGE_SUBMITTED)], next_button
            case Recused():
                return [_plain(texts.JUDGE_RECUSED)], next_button
            case Refused(why):
                return [_plain(_REFUSALS.get(why, texts.JUDGE_TOO_LONG))], ()
        return [], ()

    def _ask_score(
        self, effect: AskScore, ref: str
    ) -> tuple[list[Paragraph], tuple[tuple[Button, ...], ...]]:
        criterion = self.judging.criteria[effect.index]
        body = [
            _bold(texts.JUDGE_ASK_SCORE.format(number=criterion.number, criterion=criterion.label)),
            _plain(texts.JUDGE_ASK_SCORE_HINT),
        ]
        if effect.current is not None and (point := self.judging.point(effect.current)):
            body.append(
                _plain(texts.JUDGE_SCORE_BEFORE.format(value=point.value, label=point.label))
            )
        buttons = tuple(
            (
                Button(
                    texts.JUDGE_SCORE_BUTTON.format(value=p.value, label=p.label),
                    Action.JUDGE_SCORE,
                    f"{criterion.id}={p.value}",
                    ref,
                ),
            )
            for p in self.judging.scale
        )
        return body, buttons

    def _check(
        self, scores: dict[str, int], comment: str | None, ref: str
    ) -> tuple[list[Paragraph], tuple[tuple[Button, ...], ...]]:
        lines = []
        for c in self.judging.criteria:
            point = self.judging.point(scores[c.id]) if c.id in scores else None
            value, label = (point.value, point.label) if point else ("-", "not scored")
            lines.append(
                texts.JUDGE_CHECK_LINE.format(
                    number=c.number, criterion=c.label, value=value, label=label
                )
            )
        said = texts.JUDGE_CHECK_COMMENT.format(comment=comment) if comment else None
        body = [
            _bold(texts.JUDGE_CHECK),
            _plain("\n".join(lines)),
            _plain(said or texts.JUDGE_NO_COMMENT),
        ]
        changes = [
            Button(texts.JUDGE_CHANGE.format(number=c.number), Action.JUDGE_CHANGE, c.id, ref)
            for c in self.judging.criteria
        ]
        rows = tuple(tuple(changes[i : i + 2]) for i in range(0, len(changes), 2))
        comment_button = Button(texts.JUDGE_CHANGE_COMMENT, Action.JUDGE_CHANGE, "", ref)
        submit = Button(texts.JUDGE_SUBMIT, Action.JUDGE_SUBMIT, ref=ref)
        return body, (*rows, (comment_button,), (submit,))

    def my_scores(self, lines: Sequence[ScoredLine], page: int = 1) -> Screen:
        """/myscores: each scored nomination's scores, and a button to open it at its check to
        change them, a page at a time."""
        if not lines:
            return text_screen(texts.JUDGE_MY_SCORES_NONE)
        items = []
        for line in lines:
            scores = line.scores
            given = ", ".join(f"{c.number} {scores.get(c.id, '-')}" for c in self.judging.criteria)
            note = texts.JUDGE_MY_SCORES_CHANGED if line.changed else ""
            said = texts.JUDGE_MY_SCORES_LINE.format(title=line.title, scores=given) + note
            label = texts.JUDGE_MY_SCORES_OPEN.format(title=line.title)
            button = Button(label, Action.JUDGE_OPEN, ref=line.reference)
            items.append(paging.Item((_plain(said),), ((button,),)))
        shown = paging.page(items, page)
        heading = _plain(texts.JUDGE_MY_SCORES.format(count=len(lines)))
        # Previous and Next carry no nomination but the award, whose panel's list they page.
        nav = paging.navigation(Action.JUDGE_SCORES_PAGE, shown, ref=self.award or "-")
        return Screen((heading, *paging.heading(shown), *shown.paragraphs), (*shown.rows, *nav))

    def title(self, number: int, nominee: str, reference: str) -> str:
        """How a nomination is named to a judge: blind, by its number only."""
        if self.blind:
            return texts.JUDGE_BLIND_TITLE.format(number=number)
        return f"{reference} {nominee}"


def _entry(entry: Entry) -> list[Paragraph]:
    """One answer: an award question's label in bold and its answer as written; a detail on
    one line."""
    if entry.is_question:
        return [_bold(entry.label or ""), _plain(entry.shown)]
    if entry.label is None:
        return [_plain(entry.shown)]
    return [_plain(f"{entry.label}: {entry.shown}")]


# The organisers -------------------------------------------------------------------------


def panel_screen(members: Sequence[PanelMember], award: str | None = None) -> Screen:
    """/judges: each judge with how many they have scored of those assigned, who is behind,
    and the buttons to invite a judge or remove one (for the award, by id, they carry)."""
    invite = (Button(texts.JUDGES_INVITE, Action.JUDGE_INVITE, ref=award),)
    if not members:
        return Screen((_plain(texts.JUDGES_NONE),), (invite,))
    removes = []
    for m in members:
        judge = m.judge
        label = texts.JUDGES_REMOVE.format(name=judge.name or f"#{judge.id}")
        removes.append((Button(label, Action.JUDGE_REMOVE, str(judge.id), award),))
    heading = texts.JUDGES_PANEL.format(count=len(members))
    return Screen((_plain(heading), _plain("\n".join(panel_lines(members)))), (invite, *removes))


def panel_lines(members: Sequence[PanelMember]) -> list[str]:
    """One line a judge: name, role, how many scored of those assigned, and how many to go
    (for /judges and `nomination-bot judging status`)."""
    lines = []
    for m in members:
        judge = m.judge
        if not judge.registered:
            lines.append(f"{judge.name or '?'} {texts.JUDGES_UNREGISTERED}")
            continue
        line = texts.JUDGES_LINE.format(
            name=judge.name, role=judge.role, scored=m.scored, assigned=m.assigned
        )
        behind = m.assigned - m.scored
        lines.append(line + (texts.JUDGES_BEHIND.format(left=behind) if behind else ""))
    return lines


def invitation_screen(link: str, invitation_id: int, award: str | None = None) -> Screen:
    revoke = Button(texts.JUDGES_REVOKE, Action.JUDGE_REVOKE, str(invitation_id), award)
    return Screen((_plain(texts.JUDGES_INVITATION.format(link=link)),), ((revoke,),))


# Several judged awards ------------------------------------------------------------------


def headed(title: str, screen: Screen) -> Screen:
    """A screen under the name of the award it is about, for someone who sees several."""
    return replace(screen, paragraphs=(_bold(title), *screen.paragraphs))


def award_choice(
    question: str, awards: Sequence[tuple[str, str]], action: Action, command: str
) -> Screen:
    """An organiser's choice of award for a command: a button per (id, title), each carrying
    the command and, as its ref, the award."""
    rows = tuple((Button(title, action, command, award_id),) for award_id, title in awards)
    return Screen((_plain(question),), rows)


def nothing_to_score(count: int, recused: int, own: int = 0) -> Screen:
    """Nothing waits to be scored: all `count` scored; or none given to the judge, for the
    conflicts they declared, or since every one sent (`own` of them) is from their own
    organisation; or none sent yet."""
    if count:
        return _counted(count, texts.JUDGE_ALL_SCORED, texts.JUDGE_SCORED_THE_ONE)
    if recused:
        return _counted(recused, texts.JUDGE_ALL_RECUSED, texts.JUDGE_RECUSED_THE_ONE)
    if own:
        return _counted(own, texts.JUDGE_ALL_OWN, texts.JUDGE_OWN_THE_ONE)
    return text_screen(texts.JUDGE_NONE_YET)


def _counted(count: int, several: str, one: str) -> Screen:
    """ "All 3 of your nominations", but never "all 1": one is said as one."""
    return text_screen(one if count == 1 else several.format(count=count))
