"""Supporting files on screen: a draft's files with a Remove button each (/files, and just above
the review), and what became of a file sent: saved, refused (saying why), or not fetched."""

from __future__ import annotations

from collections.abc import Sequence

from bot.screens import texts
from bot.screens.actions import Action
from bot.screens.parts import Button, Screen, text_screen
from flows.evidence import EvidenceFile, Limits, Refusal, numbered, size_text
from flows.form import Form
from flows.references import reference_code

REFUSALS = {
    Refusal.NO_DRAFT: texts.FILE_NO_DRAFT,
    Refusal.NOT_HERE: texts.FILE_NOT_HERE,
    Refusal.WRONG_TYPE: texts.FILE_WRONG_TYPE,
    Refusal.TOO_BIG: texts.FILE_TOO_BIG,
    Refusal.NO_ROOM: texts.FILE_NO_ROOM,
    Refusal.SENT: texts.FILE_TOO_LATE,
}


def question_of(form: Form, file: EvidenceFile) -> str:
    """The question a file was sent with, as the nominator knows it ("Q2")."""
    if not form.has_field(file.field_id):
        return file.field_id
    return form.field(file.field_id).number or form.field(file.field_id).prompt


def listing(form: Form, reference: str, files: Sequence[EvidenceFile]) -> Screen:
    """The files of the nomination `reference`, each with a Remove button that acts on it alone."""
    if not files:
        return text_screen(texts.FILES_NONE)
    lines = [
        texts.FILE_LINE.format(
            number=number, question=question_of(form, f), name=f.name, size=size_text(f.size)
        )
        for number, f in numbered(files)
    ]
    screen = text_screen(texts.FILES_HEADING, "\n".join(lines), texts.FILES_HOW_TO_REMOVE)
    code = reference_code(reference)
    rows = tuple(
        (Button(texts.FILE_REMOVE_BUTTON.format(number=n), Action.REMOVE_FILE, str(f.id), code),)
        for n, f in numbered(files)
    )
    return Screen(screen.paragraphs, rows)


def refused(limits: Limits, name: str, refusal: Refusal, left: int = 0) -> Screen:
    limit = limits.per_nomination if refusal is Refusal.NO_ROOM else limits.per_file
    text = REFUSALS[refusal].format(name=name, limit=size_text(limit), left=size_text(left))
    return text_screen(text)


def saved(form: Form, file: EvidenceFile) -> Screen:
    text = texts.FILE_SAVED.format(
        name=file.name, size=size_text(file.size), question=question_of(form, file)
    )
    return text_screen(text)


def not_fetched(name: str) -> Screen:
    return text_screen(texts.FILE_FAILED.format(name=name))


def removed(file: EvidenceFile | None) -> Screen:
    if file is None:
        return text_screen(texts.FILE_NOT_FOUND)
    return text_screen(texts.FILE_REMOVED.format(name=file.name))
