"""A NominationRecord built from its row of nomination columns and its answer parts: the one
place the store turns rows into a record (storage.nominations, storage.sent)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from flows.state import NominationState, Part, Pending, Status
from storage import nomination_sql as sql
from storage.db import from_utc_text
from storage.types import NominationRecord


def build_record(row: Sequence[Any], parts: Iterable[Sequence[Any]]) -> NominationRecord:
    """A record from nomination columns (as sql.COLUMNS) and its (field_id, source, text) parts."""
    column = dict(zip(sql.COLUMNS, row, strict=True))
    answers: dict[str, list[Part]] = {}
    for field_id, source, text in parts:
        # Validated, though it was when saved: pydantic-core's validation is about twice as fast
        # as model_construct, which runs in Python.
        answers.setdefault(field_id, []).append(Part(text=text, source=source))
    state = NominationState(
        form_id=column["form_id"],
        form_version=column["form_version"],
        reference=column["reference"],
        status=Status(column["status"]),
        position=column["position"],
        returning_to_review=bool(column["returning_to_review"]),
        replacing=bool(column["replacing"]),
        pending=None
        if column["pending"] is None
        else Pending.model_validate_json(column["pending"]),
        filling_gaps=bool(column["filling_gaps"]),
        answers={field_id: tuple(field_parts) for field_id, field_parts in answers.items()},
    )
    submitted_at = column["submitted_at"]
    return NominationRecord(
        state=state,
        nominator=column["nominator"],
        created_at=from_utc_text(column["created_at"]),
        updated_at=from_utc_text(column["updated_at"]),
        submitted_at=None if submitted_at is None else from_utc_text(submitted_at),
    )
