"""Checking typed answers against their field: what to store for one, or why it can't be
accepted, and whether a long answer's parts together stay under the field's character cap."""

from __future__ import annotations

import re

from pydantic.networks import validate_email
from pydantic_core import PydanticCustomError

from flows.effects import Problem, Reprompt
from flows.form import NO, YES, FieldKind, FormField
from flows.state import Part, joined

# An email address anywhere in the answer, or an answer that is only a phone number's characters
# with at least seven digits: neither is a person's or a team's name.
_EMAIL_IN = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")
_PHONE_ONLY = re.compile(r"[+(]?[0-9][0-9 ().+-]*(?:(?:ext\.?|x) ?[0-9]+)?", re.IGNORECASE)

YES_WORDS = frozenset({"yes", "y", "yeah", "yep", "1", "true"})
NO_WORDS = frozenset({"no", "n", "nope", "2", "false"})


def word_count(text: str | None) -> int:
    """Words as a reader counts them: runs of non-space characters."""
    return len(text.split()) if text else 0


def yes_or_no(text: str) -> str | None:
    """YES or NO for a typed yes/no ("Yes.", "n", "1"…), or None for anything else."""
    word = text.strip().casefold().rstrip(".!")
    if word in YES_WORDS:
        return YES
    if word in NO_WORDS:
        return NO
    return None


def validate(form_field: FormField, text: str) -> str | Reprompt:
    """The answer to store for `text`, normalised, or why it can't be accepted."""
    # One-line answers: newlines and runs of spaces from a paste become single spaces.
    value = text.strip() if form_field.is_long else " ".join(text.split())
    if not value:
        return Reprompt(form_field.id, Problem.EMPTY)
    if len(value) > form_field.char_limit:
        return Reprompt(form_field.id, Problem.TOO_LONG, form_field.char_limit)
    match form_field.kind:
        case FieldKind.EMAIL:
            try:
                _, value = validate_email(value)
            except PydanticCustomError:
                return Reprompt(form_field.id, Problem.BAD_EMAIL)
        case FieldKind.CHOICE:
            chosen = _choose(form_field, value)
            if chosen is None:
                return Reprompt(form_field.id, Problem.NOT_AN_OPTION)
            value = chosen
        case FieldKind.YES_NO:
            answer = yes_or_no(value)
            if answer is None:
                return Reprompt(form_field.id, Problem.NOT_YES_NO, typed=value)
            value = answer
        case FieldKind.SHORT_TEXT:
            if form_field.pattern is not None and not re.fullmatch(form_field.pattern, value):
                return Reprompt(form_field.id, Problem.BAD_PATTERN)
            if form_field.is_name and not is_a_name(value):
                return Reprompt(form_field.id, Problem.NOT_A_NAME)
        case FieldKind.LONG_TEXT:
            pass
    return value


def is_a_name(value: str) -> bool:
    """False for an email address or a phone number, which a slip can put in a name's place."""
    if _EMAIL_IN.search(value):
        return False
    phone = _PHONE_ONLY.fullmatch(value) is not None
    return not (phone and sum(c.isdigit() for c in value) >= 7)


def too_long(form_field: FormField, parts: tuple[Part, ...]) -> bool:
    """Whether an answer made of `parts`, joined as it is stored, is over the field's cap."""
    return len(joined(parts)) > form_field.char_limit


def _choose(form_field: FormField, value: str) -> str | None:
    wanted = value.casefold()
    for number, option in enumerate(form_field.options, 1):
        if wanted in (option.value, option.label.casefold(), str(number)):
            return option.value
    return None
