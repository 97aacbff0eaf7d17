"""What a new draft is given from the nominator's earlier nominations, so that it is offered
with Keep instead of typed again: their own details from their last nomination (issue 16), and
with Nominate them for another award, the nominee's details too (issue 19). Award answers are
never carried: each award asks its own questions."""

from __future__ import annotations

from collections.abc import Sequence

from flows.form import Form
from flows.state import NominationState, Part

# The nominator's own details. Not the relationship: that is about the nominee.
ABOUT_THE_NOMINATOR = ("nominator_name", "nominator_email", "nominator_phone")
# How the nominator knows the nominee: carried with the nominee, not with the nominator.
RELATIONSHIP = "nominator_relationship"


def replace_source(part: Part) -> Part:
    """A part carried into another nomination: no message of this one to edit it by."""
    return part.model_copy(update={"source": None})


def nominee_fields(form: Form) -> tuple[str, ...]:
    """The fields about the nominee: the section that names them (the shipped form's and the
    example award's first), and how the nominator knows them."""
    named = set(form.roles.nominee)
    for section in form.sections:
        ids = tuple(f.id for f in section.fields)
        if named & set(ids):
            return (*ids, RELATIONSHIP) if form.has_field(RELATIONSHIP) else ids
    return ()


def carried_over(
    form: Form, draft: NominationState, source: NominationState, field_ids: Sequence[str]
) -> NominationState:
    """`draft` with `source`'s answers to the fields of `field_ids` that `form` asks too."""
    for field_id in field_ids:
        parts = source.answers.get(field_id, ())
        if form.has_field(field_id) and parts:
            draft = draft.with_answer(field_id, tuple(replace_source(p) for p in parts))
    return draft
