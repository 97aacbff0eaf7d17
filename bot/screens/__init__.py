"""Effects become screens: paragraphs of styled spans and buttons that name actions from the one
action table, the same for every front end. Screens import flows and storage types only.

By subject: `question`, `review`, `confirm`, `welcome`, `email_code`, `nominations` (the list
and a sent one's View), `files`, `statement` (a colleague's), `statement_requests` (the
nominator's /support) and `reminders`; `builder` finds each engine effect its screen. `parts` is
what a screen is made of, `wording` what it is worded from, `actions` the one table of actions
and `texts` every sentence outside the form."""

from bot.screens.builder import ScreenBuilder
from bot.screens.parts import About, Button, Paragraph, Screen, Span, Style, Subject, text_screen

__all__ = [
    "About",
    "Button",
    "Paragraph",
    "Screen",
    "ScreenBuilder",
    "Span",
    "Style",
    "Subject",
    "text_screen",
]
