"""What the bot says unasked: a reminder of an unfinished draft, and the warning a week before an
idle draft is erased. Each carries a Continue button for the draft it is about, and a reminder
a Stop reminders button."""

from __future__ import annotations

from datetime import datetime

from bot.screens import texts
from bot.screens.actions import Action
from bot.screens.parts import Button, Screen, text_screen
from flows.references import reference_code
from flows.round import Round


def day(at: datetime) -> str:
    """A date as a person reads it: 3 March 2027."""
    return f"{at.day} {at:%B %Y}"


def _continue(reference: str) -> Button:
    return Button(texts.REMINDER_CONTINUE_BUTTON, Action.OPEN, ref=reference_code(reference))


def reminder_text(
    *, nominee: str | None, answered: int, total: int, at: str | None, round_dates: Round
) -> list[str]:
    """What a reminder says, paragraph by paragraph; `at` is the label of the question the
    draft stands at (None: at the review)."""
    for_nominee = texts.REMINDER_FOR_NOMINEE.format(nominee=nominee) if nominee else ""
    lines = [texts.REMINDER.format(for_nominee=for_nominee, answered=answered, total=total)]
    lines.append(texts.REMINDER_AT_REVIEW if at is None else texts.REMINDER_AT.format(label=at))
    closing = round_dates.closing_sentence()
    if closing is not None:
        lines.append(closing)
    return lines


def reminder(reference: str, lines: list[str]) -> Screen:
    screen = text_screen(*lines)
    stop = Button(texts.REMINDER_STOP_BUTTON, Action.STOP_REMINDERS)
    return Screen(screen.paragraphs, ((_continue(reference),), (stop,)))


def retention_warning(reference: str, nominee: str | None, erase_on: datetime) -> Screen:
    for_nominee = texts.RETENTION_FOR_NOMINEE.format(nominee=nominee) if nominee else ""
    text = texts.RETENTION_WARNING.format(for_nominee=for_nominee, date=day(erase_on))
    return Screen(text_screen(text).paragraphs, ((_continue(reference),),))


def privacy(organiser: str, days: int) -> Screen:
    """The privacy notice, with the organiser's name and the retention period filled in."""
    return text_screen(*(p.format(organiser=organiser, days=days) for p in texts.PRIVACY_NOTICE))
