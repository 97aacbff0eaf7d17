"""The bot's own words read easily: Flesch reading ease of at least 70 (plain English).

The award's own text (introduction, guidance, questions and examples) is quoted word for word and
is not checked; everything the bot says besides it is: bot/texts.py, the action table's labels
and help, and the form file's own strings (detail questions, their help, "In short" lines).
"""

from __future__ import annotations

import re

import textstat

from bot.screens import actions, texts
from flows.form import Form, load_form

PLAIN_ENGLISH = 70
# Written for the server's administrator, not for nominators.
NOT_FOR_NOMINATORS = {"NO_TERMINAL_NO_BOT", "ORGANISER_EMAIL_FAILED"}


def as_prose(strings: list[str]) -> str:
    """Strings as one text of sentences: placeholders read as a short word, each string ends
    a sentence (a button label is a sentence of its own to a reader)."""
    sentences = []
    for text in strings:
        text = re.sub(r"\{[^}]*\}", "it", text).strip()
        sentences.append(text if text[-1:] in ".?!:" else f"{text}.")
    return " ".join(sentences)


def bot_strings() -> list[str]:
    found: list[str] = []
    for name, value in vars(texts).items():
        if name.startswith("_") or not name.isupper() or name in NOT_FOR_NOMINATORS:
            continue
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            found.extend(v for v in value.values() if isinstance(v, str))
    for spec in actions.ACTIONS:
        found.extend(s for s in (spec.label, spec.help) if s)
    return found


def form_strings(form: Form) -> list[str]:
    found = [form.next_steps]
    for f in form.fields:
        if f.is_question:  # the award's words, quoted as they are; only our line beside them
            found.append(f.in_short or "")
            continue
        found.extend([f.prompt, f.help or "", f.pattern_error or ""])
        for wording in f.variants.values():
            found.extend([wording.prompt or "", wording.help or ""])
    return [s for s in found if s]


def test_the_bots_own_texts_are_plain_english() -> None:
    strings = bot_strings()
    assert len(strings) > 80  # every text is read, not just a few
    assert textstat.flesch_reading_ease(as_prose(strings)) >= PLAIN_ENGLISH


def test_the_forms_own_strings_are_plain_english() -> None:
    strings = form_strings(load_form())
    assert any(s.startswith("In short:") for s in strings)
    assert textstat.flesch_reading_ease(as_prose(strings)) >= PLAIN_ENGLISH


def test_the_check_tells_hard_text_from_plain_text() -> None:
    """The measure itself: the seed's own introduction scores well under the bar."""
    intro = " ".join(load_form().introduction)
    assert textstat.flesch_reading_ease(intro) < PLAIN_ENGLISH
    assert textstat.flesch_reading_ease(as_prose(["Type your answer.", "Choose Done."])) >= 70
