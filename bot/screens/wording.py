"""How the form's pieces read on any screen: where a question sits ("Question 2 of 4"), its
title, and the opening of a long answer."""

from __future__ import annotations

from bot.screens import texts
from flows.effects import Progress
from flows.form import FormField


def progress_text(p: Progress) -> str:
    if p.question is not None and p.questions is not None:
        return texts.QUESTION.format(question=p.question, questions=p.questions)
    return texts.STEP.format(step=p.step, steps=p.steps)


def question_title(form_field: FormField) -> str:
    return f"{form_field.number} {form_field.prompt}" if form_field.number else form_field.prompt


# On the review, a long answer over this many characters (more than a whole Telegram message;
# the 500-word limit is about 3,000) shows only its opening, with a button to read it in full:
# four answers at the size cap would otherwise send dozens of messages.
REVIEW_FULL_CHARS = 4000
REVIEW_OPENING_CHARS = 600


def opening(text: str, limit: int = REVIEW_OPENING_CHARS) -> str:
    """The start of a long text, cut at a word and marked as cut."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(maxsplit=1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip() + " …"
