"""A fresh draft for engine tests, as the service creates one (at the form's first field)."""

from __future__ import annotations

from flows.engine import first_position
from flows.form import Form
from flows.state import NominationState


def new_nomination(form: Form, reference: str) -> NominationState:
    return NominationState(
        form_id=form.id,
        form_version=form.version,
        reference=reference,
        position=first_position(form),
    )
