"""The panel pack: every submitted nomination in one self-contained HTML file, for judges.

A contents page, then each nomination on its own printed page, headed by the nominee and their
organisation. With `for_panel`, the nominator's contact details and organisers' notes are left
out (flows.reading.private_fields), so the file can go to the judges as it is. Answers are
escaped once, by the template, as in the email.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from flows.form import NOT_GIVEN, Form
from flows.reading import read
from flows.round import Round
from mail.compose import templates, uk_time
from storage.types import NominationRecord


def panel_pack(
    form: Form,
    records: Sequence[NominationRecord],
    *,
    for_panel: bool,
    generated_at: datetime,
    round_dates: Round | None = None,
) -> str:
    """The pack as one HTML document."""
    nominations = [
        {
            "reading": read(form, record.state, for_panel=for_panel),
            "submitted": uk_time(record.submitted_at) if record.submitted_at else NOT_GIVEN,
        }
        for record in records
    ]
    return (
        templates()
        .get_template("panel.html")
        .render(
            form=form,
            nominations=nominations,
            for_panel=for_panel,
            generated=uk_time(generated_at),
            closing=(round_dates or Round()).closed_sentence(),
            not_given=NOT_GIVEN,
        )
    )
