"""The parts every screen is made of: paragraphs of styled spans of raw text, and buttons that
name an action from the one table (bot/actions.py). Front ends escape and format them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.screens.actions import Action


class Style(StrEnum):
    PLAIN = "plain"
    BOLD = "bold"
    ITALIC = "italic"
    QUOTE = "quote"


@dataclass(frozen=True, slots=True)
class Span:
    text: str
    style: Style = Style.PLAIN


Paragraph = tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class Button:
    """A button; `ref` names the nomination it acts on where a screen lists several (None: the
    one the screen is about)."""

    label: str
    action: Action
    arg: str = ""
    ref: str | None = None


@dataclass(frozen=True, slots=True)
class Screen:
    paragraphs: tuple[Paragraph, ...]
    buttons: tuple[tuple[Button, ...], ...] = ()

    @property
    def plain_text(self) -> str:
        return "\n\n".join("".join(span.text for span in p) for p in self.paragraphs)


def text_screen(*lines: str) -> Screen:
    return Screen(tuple((Span(line),) for line in lines))
