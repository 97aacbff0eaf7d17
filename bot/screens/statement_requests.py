"""Supporting statements as their nominator sees them (/support): each nomination's statements
and waiting links, with a button to ask a colleague and one to cancel each waiting link; the
link to forward; and what cancelling did."""

from __future__ import annotations

from collections.abc import Sequence

from bot.screens import paging, texts
from bot.screens.actions import Action
from bot.screens.parts import Button, Screen, Span, text_screen
from flows.references import reference_code
from flows.statement import AskRefusal, Requests

REFUSED = {
    AskRefusal.NOT_YOURS: texts.SUPPORT_NOT_YOURS,
    AskRefusal.TOO_LATE: texts.SUPPORT_REVOKE_TOO_LATE,
}


def overview(requests: Sequence[Requests], maximum: int, page: int = 1) -> Screen:
    """Each nomination, newest first: statements received, links waiting, and its buttons; a
    page at a time."""
    if not requests:
        return text_screen(texts.SUPPORT_NO_NOMINATIONS)
    shown = paging.page([_item(one) for one in requests], page)
    title = (Span(texts.SUPPORT_TITLE.format(maximum=maximum)),)
    nav = paging.navigation(Action.SUPPORT_PAGE, shown)
    return Screen((title, *shown.paragraphs, *paging.heading(shown)), shown.rows + nav)


def _item(one: Requests) -> paging.Item:
    """One nomination's line, its Ask button and a Cancel button for each waiting link."""
    nominee = one.nominee or texts.NOMINEE_NOT_NAMED
    line = texts.SUPPORT_LINE.format(
        nominee=nominee, reference=one.reference, sent=one.sent, waiting=len(one.waiting)
    )
    ask = texts.SUPPORT_ASK_BUTTON.format(nominee=nominee)
    rows: list[tuple[Button, ...]] = [
        (Button(ask, Action.SUPPORT_ASK, ref=reference_code(one.reference)),)
    ]
    for number, token in enumerate(one.waiting, 1):
        label = texts.SUPPORT_REVOKE_BUTTON.format(number=number, nominee=nominee)
        rows.append((Button(label, Action.SUPPORT_CANCEL, token),))
    return paging.Item(((Span(line),),), tuple(rows))


def link(reference: str, url: str) -> Screen:
    return text_screen(texts.SUPPORT_LINK.format(reference=reference), url)


def refused(refusal: AskRefusal, maximum: int) -> Screen:
    if refusal is AskRefusal.FULL:
        return text_screen(texts.SUPPORT_LIMIT.format(maximum=maximum))
    return text_screen(REFUSED[refusal])


def revoked(reference: str) -> Screen:
    return text_screen(texts.SUPPORT_REVOKED.format(reference=reference))
