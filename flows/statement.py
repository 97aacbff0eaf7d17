"""A colleague's supporting statement as a form the engine runs (flows/forms/
supporting_statement.toml): loading it with the SUPPORT_MAX_WORDS limit, and a statement's
first state. Every rule of writing it (saving, Change, Back, Add to it, Start again, edits, the
review) is the engine's, exactly as for a nomination's answers."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources

from flows.form import FieldKind, Form
from flows.journey import first_position
from flows.state import NominationState

STATEMENT_FORM = "supporting_statement.toml"
STATEMENT_FIELD = "statement"  # the statement itself; the other fields say who wrote it
# Its answers, in the order the organisers read them (name, role, relationship, statement).
STATEMENT_FIELDS = ("name", "role", "relationship", STATEMENT_FIELD)


class LinkRefusal(StrEnum):
    """Why a statement link did nothing: to anyone but its colleague, the same as a made-up one."""

    UNKNOWN = "unknown"  # made up, revoked, sent, or someone else's: one reply for them all
    OWN_LINK = "own_link"  # the nominator opened their own link: it is for a colleague
    # The nominator's own link, used or cancelled: they may know (/support lists it), and
    # "it still works" would be untrue.
    OWN_LINK_TAKEN = "own_link_taken"  # a colleague has opened it and is writing
    OWN_LINK_SENT = "own_link_sent"  # its statement was sent
    OWN_LINK_CANCELLED = "own_link_cancelled"
    FULL = "full"  # the nomination already has all the statements it can take


@dataclass(frozen=True, slots=True)
class Introduction:
    """What a colleague is told of the nomination they are asked to support: never its answers,
    only who is nominated and the nominator's first name. None where it is not given."""

    nominator_first_name: str | None
    nominee: str | None
    role: str | None
    organisation: str | None


@dataclass(frozen=True, slots=True)
class Requests:
    """One nomination's supporting statements, as its nominator sees them: how many arrived,
    and the links still waiting (their tokens), which can be cancelled."""

    reference: str
    nominee: str | None
    sent: int
    waiting: tuple[str, ...]


class AskRefusal(StrEnum):
    """Why no new link was made for a nominator."""

    NOT_YOURS = "not_yours"  # no such nomination of theirs (or no such link)
    FULL = "full"  # SUPPORT_MAX statements or links already
    TOO_LATE = "too_late"  # the link's statement was sent already: it can't be cancelled


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
