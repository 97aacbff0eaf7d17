"""Pages of buttons. A screen that lists buttons made from data (a draft's files, the nominator's
nominations, their statement links, the review's answers to change) shows them a page at a time
with Previous and Next, so that no screen passes Telegram's limits whatever the data: 100 buttons
on a message (bot/telegram/buttons.py keeps that as the last line of defence).

A listing is a sequence of `Item`s (what one file, nomination or link adds: its paragraphs and its
rows of buttons). Pages are packed in order, each holding at most PER_PAGE items and BUTTONS
buttons; an item with more buttons than a page holds is cut into pieces, its paragraphs on the
first. The same data always packs into the same pages, so a Next button's page number names one
page; if the data changed meanwhile, a page past the end is the last page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.screens import texts
from bot.screens.actions import Action
from bot.screens.parts import Button, Paragraph, Rows, Span

BUTTONS = 30
"""The most buttons a page of a listing holds, leaving room for the screen's own (Submit,
Another, the page's Previous and Next) well within Telegram's 100."""
PER_PAGE = 10
"""The most items (files, nominations) a page lists, so that a page stays short on a phone."""


@dataclass(frozen=True, slots=True)
class Item:
    """What one entry of a listing shows: its paragraphs and its rows of buttons."""

    paragraphs: tuple[Paragraph, ...] = ()
    rows: Rows = ()

    @property
    def buttons(self) -> int:
        return sum(len(row) for row in self.rows)


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a listing: its items, which page it is (from 1) and how many there are."""

    items: tuple[Item, ...] = field(default=())
    number: int = 1
    count: int = 1

    @property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        return tuple(p for item in self.items for p in item.paragraphs)

    @property
    def rows(self) -> Rows:
        return tuple(row for item in self.items for row in item.rows)


def pages(items: Sequence[Item], *, buttons: int = BUTTONS, per_page: int = PER_PAGE) -> list[Page]:
    """The listing cut into pages, in order (one empty page for no items)."""
    packed: list[list[Item]] = [[]]
    for item in _pieces(items, buttons):
        current = packed[-1]
        used = sum(i.buttons for i in current)
        if current and (len(current) >= per_page or used + item.buttons > buttons):
            packed.append([item])
        else:
            current.append(item)
    count = len(packed)
    return [Page(tuple(group), number, count) for number, group in enumerate(packed, 1)]


def page(
    items: Sequence[Item], number: int, *, buttons: int = BUTTONS, per_page: int = PER_PAGE
) -> Page:
    """Page `number` of the listing (the first before it, the last past the end)."""
    cut = pages(items, buttons=buttons, per_page=per_page)
    return cut[min(max(number, 1), len(cut)) - 1]


def navigation(action: Action, shown: Page, ref: str | None = None) -> Rows:
    """Previous and Next for a page, as a row of `action` buttons carrying the page to show
    (and, with `ref`, the nomination the listing is of); none for a listing of one page."""
    row: list[Button] = []
    if shown.number > 1:
        row.append(Button(texts.PAGE_PREVIOUS, action, str(shown.number - 1), ref))
    if shown.number < shown.count:
        row.append(Button(texts.PAGE_NEXT, action, str(shown.number + 1), ref))
    return (tuple(row),) if row else ()


def heading(shown: Page) -> tuple[Paragraph, ...]:
    """ "Page 2 of 3", for a listing of more than one page."""
    if shown.count == 1:
        return ()
    return ((Span(texts.PAGE_OF.format(page=shown.number, pages=shown.count)),),)


def page_number(arg: str) -> int:
    """A page button's argument as a page number (1 for anything else)."""
    return int(arg) if arg.isdigit() and len(arg) < 6 else 1


def _pieces(items: Sequence[Item], buttons: int) -> list[Item]:
    """Items no bigger than a page: one with more buttons is cut, its paragraphs on the first."""
    pieces: list[Item] = []
    for item in items:
        if item.buttons <= buttons:
            pieces.append(item)
            continue
        chunk: list[tuple[Button, ...]] = []
        paragraphs = item.paragraphs
        for row in item.rows:
            row = row[:buttons]  # a row wider than a page is a bug upstream: keep what fits
            if chunk and sum(len(r) for r in chunk) + len(row) > buttons:
                pieces.append(Item(paragraphs, tuple(chunk)))
                chunk, paragraphs = [], ()
            chunk.append(row)
        pieces.append(Item(paragraphs, tuple(chunk)))
    return pieces
