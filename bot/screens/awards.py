"""An awards programme's screens (issue 19): the choice of award, with each open award's button
and one-line description and when the others open or closed; more about one award (its whole
introduction and guidance); and the offer to nominate the same person for another award."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.screens import texts
from bot.screens.actions import Action
from bot.screens.parts import Button, Paragraph, Screen, Span, Style
from bot.screens.welcome import capitalised
from bot.screens.wording import Wording
from flows.programme import Award
from flows.round import Phase


def choice(
    title: str, awards: Sequence[Award], now: datetime, *, about: str | None = None
) -> Screen:
    """The programme's title and one row per open award: its button, and More about it. Awards
    not open say when they open or that they closed. With `about` (a reference code), each
    award's button carries the nomination whose nominee is nominated again."""
    paragraphs: list[Paragraph] = [(Span(title, Style.BOLD),)]
    open_now = [a for a in awards if a.round.phase(now) is Phase.OPEN]
    if open_now:
        paragraphs.append(
            (Span(texts.AWARDS_CHOOSE if about is None else texts.AWARDS_CHOOSE_AGAIN),)
        )
    else:
        paragraphs.append((Span(texts.AWARDS_NONE_OPEN),))
    paragraphs += [(Span(a.title, Style.BOLD), Span(f": {a.description}")) for a in open_now]
    paragraphs += [(Span(_when(a, now)),) for a in awards if a not in open_now]
    # A row each, and More about named by its award: on a phone, two titles side by side
    # would be cut short, and two buttons with one label could not be told apart.
    rows: list[tuple[Button, ...]] = []
    for a in open_now:
        rows.append((Button(a.title, Action.AWARD, a.id, ref=about),))
        more = texts.MORE_ABOUT_NAMED.format(title=a.title)
        rows.append((Button(more, Action.AWARD_ABOUT, a.id, ref=about),))
    return Screen(tuple(paragraphs), tuple(rows))


def _when(award: Award, now: datetime) -> str:
    if award.round.phase(now) is Phase.BEFORE:
        opening = award.round.opening_sentence() or ""
        return texts.AWARD_OPENS.format(title=award.title, opening=opening)
    closed = award.round.closed_sentence() or ""
    return texts.AWARD_CLOSED.format(title=award.title, closed=closed)


def more_about(award: Award, now: datetime, *, about: str | None = None) -> Screen:
    """The award's whole introduction and guidance, word for word, and its dates; a button to
    nominate for it while it is open."""
    form = award.form
    paragraphs: list[Paragraph] = [
        (Span(form.title, Style.BOLD),),
        (Span(form.organiser, Style.ITALIC),),
        *((Span(paragraph),) for paragraph in form.introduction),
        (Span(form.guidance),),
    ]
    phase = award.round.phase(now)
    if phase is Phase.OPEN:
        closing = award.round.closing_sentence()
        paragraphs += [(Span(closing),)] if closing else []
        start = Button(texts.AWARD_START_BUTTON, Action.AWARD, award.id, ref=about)
        return Screen(tuple(paragraphs), ((start,),))
    paragraphs.append((Span(_when(award, now)),))
    return Screen(tuple(paragraphs))


def another_award(code: str) -> Screen:
    """After a sending: nominate the same person for another award, their details carried."""
    button = Button(texts.ANOTHER_AWARD_BUTTON, Action.ANOTHER_AWARD, ref=code)
    return Screen(((Span(texts.ANOTHER_AWARD_OFFER),),), ((button,),))


def nominated_in(title: str) -> Paragraph:
    """A line of /mynominations: which award a nomination is for."""
    return (Span(texts.MY_NOMINATION_AWARD.format(award=title)),)


def help_line(w: Wording) -> str:
    """Help's line when several awards are open: /start asks which one."""
    return texts.HELP_AWARDS.format(start=capitalised(w.start))
