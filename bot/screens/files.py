"""Supporting files on screen: a draft's files with a Remove button each (/files, and just above
the review), a page at a time, and what became of a file sent: saved, refused (saying why), or
not fetched."""

from __future__ import annotations

from collections.abc import Sequence

from bot.screens import paging, texts
from bot.screens.actions import Action
from bot.screens.parts import Button, Screen, Span, text_screen
from flows.evidence import EvidenceFile, Limits, Refusal, numbered, size_text
from flows.form import Form
from flows.references import reference_code

REFUSALS = {
    Refusal.NO_DRAFT: texts.FILE_NO_DRAFT,
    Refusal.NOT_HERE: texts.FILE_NOT_HERE,
    Refusal.WRONG_TYPE: texts.FILE_WRONG_TYPE,
    Refusal.EMPTY: texts.FILE_EMPTY,
    Refusal.TOO_BIG: texts.FILE_TOO_BIG,
    Refusal.NO_ROOM: texts.FILE_NO_ROOM,
    Refusal.TOO_MANY: texts.FILE_TOO_MANY,
    Refusal.TOO_MANY_HERE: texts.FILE_TOO_MANY_HERE,
    Refusal.SENT: texts.FILE_TOO_LATE,
}


def question_of(form: Form, file: EvidenceFile) -> str:
    """The question a file was sent with, as the nominator knows it ("Q2")."""
    return question_label(form, file.field_id)


def listing(form: Form, reference: str, files: Sequence[EvidenceFile], page: int = 1) -> Screen:
    """The files of the nomination `reference`, each with a Remove button that acts on it alone;
    a page at a time, numbered as /removefile counts them."""
    if not files:
        return text_screen(texts.FILES_NONE)
    code = reference_code(reference)
    items = [
        paging.Item(
            ((Span(_line(form, number, f)),),),
            ((Button(texts.FILE_REMOVE_BUTTON.format(number=number), *_remove(f, code)),),),
        )
        for number, f in numbered(files)
    ]
    shown = paging.page(items, page)
    lines = "\n".join(span.text for p in shown.paragraphs for span in p)
    screen = text_screen(texts.FILES_HEADING, lines, texts.FILES_HOW_TO_REMOVE)
    nav = paging.navigation(Action.FILES_PAGE, shown, code)
    return Screen(screen.paragraphs + paging.heading(shown), shown.rows + nav)


def _line(form: Form, number: int, file: EvidenceFile) -> str:
    return texts.FILE_LINE.format(
        number=number, question=question_of(form, file), name=file.name, size=size_text(file.size)
    )


def _remove(file: EvidenceFile, code: str) -> tuple[Action, str, str]:
    return Action.REMOVE_FILE, str(file.id), code


def refused(
    limits: Limits, name: str, refusal: Refusal, left: int = 0, question: str = ""
) -> Screen:
    """Why a file was not kept; `question` is where it was sent ("Q2")."""
    limit = limits.per_nomination if refusal is Refusal.NO_ROOM else limits.per_file
    count = limits.files_per_question if refusal is Refusal.TOO_MANY_HERE else limits.files
    text = REFUSALS[refusal].format(
        name=name, limit=size_text(limit), left=size_text(left), count=count, question=question
    )
    return text_screen(text)


def saved(form: Form, file: EvidenceFile, *, again: bool = False) -> Screen:
    """A file kept; `again`: the same bytes were already kept with that question, once."""
    wording = texts.FILE_AGAIN if again else texts.FILE_SAVED
    text = wording.format(
        name=file.name, size=size_text(file.size), question=question_of(form, file)
    )
    return text_screen(text)


def question_label(form: Form, field_id: str | None) -> str:
    """A question as the nominator knows it ("Q2"), by its field id."""
    if field_id is None or not form.has_field(field_id):
        return field_id or ""
    return form.field(field_id).number or form.field(field_id).prompt


def not_fetched(name: str) -> Screen:
    return text_screen(texts.FILE_FAILED.format(name=name))


def removed(file: EvidenceFile | None) -> Screen:
    if file is None:
        return text_screen(texts.FILE_NOT_FOUND)
    return text_screen(texts.FILE_REMOVED.format(name=file.name))
