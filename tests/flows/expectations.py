"""What text typed at a field must become, worked out from the form's rules and the samples the
property model types, not from the engine's own checks: so the model notices a valid answer
wrongly refused as well as a bad one let through (issue 15)."""

from __future__ import annotations

from enum import Enum

from flows.form import FieldKind, FormField
from flows.state import Part, joined


class Verdict(Enum):
    REFUSED = "refused"
    UNSURE = "unsure"  # random text: the model has no expectation of its own


# The samples' meanings, written out by hand.
YES_NO_MEANS = {
    "yes": "yes",
    "no": "no",
    "Y": "yes",
    "n": "no",
    "Yeah": "yes",
    "nope": "no",
    "YES!": "yes",
    "No.": "no",
    "1": "yes",
    "2": "no",
    "true": "yes",
    "false": "no",
}
EMAIL_MEANS = {
    "sam.jones@nhs.net": "sam.jones@nhs.net",
    " Sam.Jones@NHS.net ": "Sam.Jones@nhs.net",  # the domain is case-blind; the local part not
    "Sam Jones <sam.jones@nhs.net>": "sam.jones@nhs.net",  # pasted from a mail client
}
PHONES = ("07700 900123", "+44 (0)7700 900123", "0113 243 3144")
NAMES = ("Priya Shah", "  Ward 7   Discharge\nTeam ", "Senior Staff Nurse", "Dr. O'Neill-Smith")
SENTENCES = (
    "She rebuilt the discharge pathway with the whole ward.",
    "Waiting times fell from six hours to two.\n\nPatients told us they felt listened to.",
    "  Focus groups every month.  ",
)
# Typed words that are none of a phone number, an email address or a yes/no.
OTHER_WORDS = ("maybe", "@", "not-an-email", "call me", "3", "0", "skip")
# Text whose meaning the model knows for every kind of field.
KNOWN = frozenset(
    (*YES_NO_MEANS, *EMAIL_MEANS, *PHONES, *NAMES, *SENTENCES, *OTHER_WORDS, "x" * 30_001)
)


def _known(text: str) -> bool:
    return text in KNOWN or set(text) <= set("care ") or set(text) == {"y"}


def expected(form_field: FormField, text: str, earlier: tuple[Part, ...] = ()) -> str | Verdict:
    """The value to store for `text` typed at `form_field` (after the long answer's `earlier`
    parts), REFUSED, or UNSURE."""
    one_line = " ".join(text.split())
    value = text.strip() if form_field.is_long else one_line
    if not value or len(value) > form_field.char_limit:
        return Verdict.REFUSED
    if form_field.is_long and len(joined((*earlier, Part(text=value)))) > form_field.char_limit:
        return Verdict.REFUSED
    if form_field.kind is FieldKind.CHOICE:
        chosen = _option(form_field, value)
        return chosen if chosen is not Verdict.REFUSED or _known(text) else Verdict.UNSURE
    if not _known(text):
        return Verdict.UNSURE
    match form_field.kind:
        case FieldKind.LONG_TEXT:
            return value
        case FieldKind.YES_NO:
            return YES_NO_MEANS.get(text, Verdict.REFUSED)
        case FieldKind.EMAIL:
            return EMAIL_MEANS.get(text, Verdict.REFUSED)
        case FieldKind.SHORT_TEXT if form_field.pattern is not None:  # a phone number
            return one_line if text in PHONES else Verdict.REFUSED
        case FieldKind.SHORT_TEXT if form_field.is_name:
            looks_like_contact = text in EMAIL_MEANS or text in PHONES
            return Verdict.REFUSED if looks_like_contact else one_line
        case _:
            return one_line


def _option(form_field: FormField, value: str) -> str | Verdict:
    """An option typed as its label or value, in any case, or as its number in the list."""
    for number, option in enumerate(form_field.options, 1):
        if value.casefold() in (option.label.casefold(), option.value, str(number)):
            return option.value
    return Verdict.REFUSED
