"""Fresh drafts and a whole nomination's answers for engine and screen tests."""

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


# An answer long enough for Q1-Q4 (min_words), and a whole individual nomination.
ENOUGH = (
    "She led the change on the ward with patients and staff, and she shared every step of it "
    "with the trust, so that others could take it on as well."
)
INDIVIDUAL = {
    "nominee_type": "individual",
    "nominee_name": "Priya Shah",
    "nominee_role": "Senior Staff Nurse",
    "nominee_organisation": "Leeds Teaching Hospitals NHS Trust",
    "nominee_aware": "yes",
    "nominator_name": "Sam Jones",
    "nominator_email": "sam.jones@nhs.net",
    "nominator_relationship": "Line manager",
    "q1": ENOUGH,
    "q2": ENOUGH,
    "q3": ENOUGH,
    "q4": ENOUGH,
    "consent": "yes",
}
