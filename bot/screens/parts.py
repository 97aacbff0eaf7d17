"""What every screen is made of: paragraphs of styled spans of raw text, buttons that name an action
from the one table (bot/screens/actions.py), and what the buttons act on. Front ends escape and
format them at their own edge; nothing here is escaped."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from bot.screens.actions import Action
from flows.form import Form
from flows.references import reference_code
from flows.state import NominationState

ANY_POSITION = "-"
REVIEW_POSITION = "R"


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


class Subject(StrEnum):
    """What a screen's buttons act on."""

    NOMINATION = "n"  # a nomination, by its reference code (7K3Q9M of LSI-7K3Q9M)
    STATEMENT = "s"  # a colleague's supporting statement, by its link's token
    APPROVAL = "a"  # a nominee's approval, by its nomination's reference


@dataclass(frozen=True, slots=True)
class About:
    """The nomination (or statement) a screen was shown for, and where it stood then, so that a
    button from an earlier step is known for what it is."""

    subject: Subject
    key: str
    position: str = ANY_POSITION


@dataclass(frozen=True, slots=True)
class Button:
    """A button; `ref` names the nomination it acts on where a screen lists several (None: what
    the screen is about)."""

    label: str
    action: Action
    arg: str = ""
    ref: str | None = None


Rows = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True, slots=True)
class Screen:
    """One thing to show: its paragraphs, its buttons, and what they act on (None: nothing in
    particular, as for a help text or a button that names its own nomination)."""

    paragraphs: tuple[Paragraph, ...]
    buttons: Rows = ()
    about: About | None = None

    @property
    def plain_text(self) -> str:
        return "\n\n".join("".join(span.text for span in p) for p in self.paragraphs)

    def shown_for(self, about: About | None) -> Screen:
        """The same screen, its buttons acting on `about`."""
        return replace(self, about=about)


def text_screen(*lines: str) -> Screen:
    return Screen(tuple((Span(line),) for line in lines))


def position_token(form: Form, state: NominationState) -> str:
    """Where a draft stands, as short as a button can carry it: the field's place in the form,
    or the review. A draft from an older form may stand at a field this form lacks: no button
    matches it."""
    if state.at_review:
        return REVIEW_POSITION
    return str(next((i for i, f in enumerate(form.fields) if f.id == state.position), "?"))


def about(form: Form, state: NominationState | None) -> About | None:
    """What a screen shown for this nomination (None: for none) is about."""
    if state is None:
        return None
    return About(Subject.NOMINATION, reference_code(state.reference), position_token(form, state))


def statement_about(form: Form, token: str, state: NominationState | None) -> About:
    """What a colleague's statement screen is about: their link's token, and their step."""
    position = ANY_POSITION if state is None else position_token(form, state)
    return About(Subject.STATEMENT, token, position)
