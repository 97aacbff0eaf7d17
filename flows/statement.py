"""A colleague's supporting statement as a form the engine runs (flows/forms/
supporting_statement.toml): loading it with the SUPPORT_MAX_WORDS limit, and a statement's
first state. Every rule of writing it (saving, Change, Back, Add to it, Start again, edits, the
review) is the engine's, exactly as for a nomination's answers."""

from __future__ import annotations

import tomllib
from importlib import resources

from flows.form import FieldKind, Form
from flows.journey import first_position
from flows.state import NominationState

STATEMENT_FORM = "supporting_statement.toml"
STATEMENT_FIELD = "statement"  # the statement itself; the other fields say who wrote it
# Its answers, in the order the organisers read them (name, role, relationship, statement).
STATEMENT_FIELDS = ("name", "role", "relationship", STATEMENT_FIELD)


def load_statement_form(max_words: int) -> Form:
    """The statement's form with its word limit set from SUPPORT_MAX_WORDS: the setting wins
    over the file's default."""
    text = resources.files("flows.forms").joinpath(STATEMENT_FORM).read_text(encoding="utf-8")
    data = tomllib.loads(text)
    for section in data["sections"]:
        for field in section["fields"]:
            if field["id"] == STATEMENT_FIELD:
                field["max_words"] = max_words
    form = Form.model_validate(data)
    if tuple(f.id for f in form.fields) != STATEMENT_FIELDS:
        raise ValueError(f"{STATEMENT_FORM} must ask {STATEMENT_FIELDS}, in that order")
    if form.field(STATEMENT_FIELD).kind is not FieldKind.LONG_TEXT:
        raise ValueError(f"{STATEMENT_FORM}: the statement must be a long_text field")
    return form


def new_statement(form: Form, reference: str) -> NominationState:
    """A statement just opened: nothing answered, at its first step. `reference` is the
    nomination's it supports."""
    return NominationState(
        form_id=form.id,
        form_version=form.version,
        reference=reference,
        position=first_position(form),
    )


def answers_of(form: Form, state: NominationState) -> dict[str, str]:
    """The statement's answers as text, by field id (for its email and the panel pack)."""
    return {f.id: answer for f in form.fields if (answer := state.answer(f.id)) is not None}
