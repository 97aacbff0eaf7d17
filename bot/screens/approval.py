"""The nominee's approval as screens (issue 19): the link and the reminder for the nominator, the
nomination as the nominee sees it with Yes and No, the note and whether to share it, and what
each side is told of the answer. A team's words name its lead."""

from __future__ import annotations

from bot.screens import texts
from bot.screens.actions import Action, label
from bot.screens.parts import About, Button, Paragraph, Screen, Span, Style, Subject, text_screen
from flows.approval import ApprovalOutcome, ApprovalRefusal, ApprovalStep, Decided, NomineeView

REFUSED = {
    ApprovalRefusal.UNKNOWN: texts.APPROVAL_UNKNOWN_LINK,
    ApprovalRefusal.OWN_LINK: texts.APPROVAL_OWN_LINK,
}


def _about(reference: str) -> About:
    return About(Subject.APPROVAL, reference)


def _button(action: Action) -> tuple[Button, ...]:
    return (Button(label(action), action),)


def surprise(team: bool, *, telegram: bool = True) -> str:
    """Said at the review, before Submit, where the nominee does not know of the nomination (at
    the terminal, which gives no link to forward, that they will not be told)."""
    if not telegram:
        return texts.APPROVAL_SURPRISE_TERMINAL_TEAM if team else texts.APPROVAL_SURPRISE_TERMINAL
    return texts.APPROVAL_SURPRISE_TEAM if team else texts.APPROVAL_SURPRISE


def no_link(nominee: str, team: bool) -> str:
    """After Submit at the terminal: what Telegram would give instead (a link to forward), and
    that without it nobody is asked."""
    return (texts.APPROVAL_TERMINAL_TEAM if team else texts.APPROVAL_TERMINAL).format(
        nominee=nominee
    )


def link(nominee: str, team: bool, url: str) -> Screen:
    """After Submit: the link the nominator forwards to the nominee (or the team's lead)."""
    said = texts.APPROVAL_LINK_TEAM if team else texts.APPROVAL_LINK
    return text_screen(said.format(nominee=nominee), url)


def reminder(nominee: str, team: bool, reference: str, url: str) -> Screen:
    said = texts.APPROVAL_REMINDER_TEAM if team else texts.APPROVAL_REMINDER
    return text_screen(said.format(nominee=nominee, reference=reference), url)


def told(decided: Decided) -> Screen:
    """The nominator hears the answer, and the note only if the nominee shared it."""
    if decided.approved:
        said = texts.APPROVAL_APPROVED_TEAM if decided.team else texts.APPROVAL_APPROVED
    else:
        said = texts.APPROVAL_DECLINED_TEAM if decided.team else texts.APPROVAL_DECLINED
    paragraphs: list[Paragraph] = [
        (Span(said.format(nominee=decided.nominee, reference=decided.reference)),)
    ]
    if decided.note is not None:
        paragraphs += [(Span(texts.APPROVAL_THEIR_NOTE),), (Span(decided.note, Style.QUOTE),)]
    return Screen(tuple(paragraphs))


def _nomination(intro: str, view: NomineeView) -> list[Paragraph]:
    """The nomination as its nominee sees it, under `intro`: the award answers, who supports it."""
    paragraphs: list[Paragraph] = [(Span(intro.format(award=view.award, nominee=view.nominee)),)]
    for question, answer in view.answers:
        paragraphs += [(Span(question, Style.BOLD),), (Span(answer, Style.QUOTE),)]
    if view.supporters:
        names = ", ".join(view.supporters)
        paragraphs.append((Span(texts.APPROVAL_SUPPORTERS.format(names=names)),))
    return paragraphs


def opened(reference: str, view: NomineeView) -> Screen:
    """The nomination as its nominee sees it: the award, the award answers, who supports it;
    then Yes or No."""
    intro = texts.APPROVAL_INTRO_TEAM if view.team else texts.APPROVAL_INTRO
    paragraphs = _nomination(intro, view)
    question = texts.APPROVAL_QUESTION_TEAM if view.team else texts.APPROVAL_QUESTION
    paragraphs.append((Span(question, Style.BOLD),))
    rows = (_button(Action.APPROVE), _button(Action.NOMINEE_DECLINE))
    return Screen(tuple(paragraphs), rows, _about(reference))


def changed(view: NomineeView) -> Screen:
    """Told to a nominee who approved: the nomination was changed since, and how it reads now."""
    intro = texts.APPROVAL_CHANGED_TEAM if view.team else texts.APPROVAL_CHANGED
    return Screen((*_nomination(intro, view), (Span(texts.APPROVAL_CHANGED_AFTER),)))


def asked(outcome: ApprovalOutcome) -> Screen | None:
    """The screen for where the nominee now is (None: nothing to ask)."""
    reference = outcome.reference
    if reference is None:
        return None
    if outcome.asked is ApprovalStep.CHOOSING and outcome.view is not None:
        return opened(reference, outcome.view)
    if outcome.asked is ApprovalStep.NOTE:
        said = texts.APPROVAL_NOTE if outcome.approve else texts.APPROVAL_NOTE_DECLINE
        return Screen(((Span(said),),), (_button(Action.NO_NOTE),), _about(reference))
    if outcome.asked is ApprovalStep.SHARE:
        rows = (_button(Action.SHARE_NOTE), _button(Action.KEEP_NOTE))
        return Screen(((Span(texts.APPROVAL_SHARE),),), rows, _about(reference))
    return None


def answered(approved: bool) -> Screen:
    """The nominee's last screen."""
    return text_screen(texts.APPROVAL_THANKS if approved else texts.APPROVAL_WITHDRAWN)


def refused(refusal: ApprovalRefusal) -> Screen:
    return text_screen(REFUSED[refusal])
