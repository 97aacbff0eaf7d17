"""Table-driven tests of the engine: each event in each kind of step, then the details a nominator
meets (validation, long answers in parts, word limits, revisions, editing from the review)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pytest

from flows.effects import (
    Ask,
    AskConfirm,
    Effect,
    Hints,
    Note,
    Outstanding,
    PartSaved,
    Paused,
    Problem,
    Progress,
    Reprompt,
    Review,
    Revised,
    Submitted,
)
from flows.engine import Transition, handle, validate, word_count
from flows.events import (
    Answer,
    Back,
    Cancel,
    Clear,
    Done,
    Edit,
    Event,
    GoToReview,
    Revise,
    ShowHints,
    Skip,
    Start,
    Submit,
)
from flows.form import Form
from flows.state import REVIEW, Confirmation, NominationState, Part, Status
from tests.flows.drafts import new_nomination

REF = "LSI-TEST23"

INDIVIDUAL_STEPS = (
    "nominee_type",
    "nominee_name",
    "nominee_role",
    "nominee_organisation",
    "nominee_aware",
    "nominator_name",
    "nominator_email",
    "nominator_phone",
    "nominator_relationship",
    "q1",
    "q2",
    "q3",
    "q4",
    "consent",
)
TEAM_STEPS = (
    "nominee_type",
    "team_name",
    *INDIVIDUAL_STEPS[2:],
)
OPTIONAL = {"nominator_phone"}

MORE = (
    "Every week she met staff, patients and families to plan the next change, "
    "and she shared what they learned with the whole trust."
)
ANSWERS = {
    "nominee_type": "individual",
    "nominee_name": "Priya Shah",
    "nominee_role": "Senior Staff Nurse",
    "nominee_organisation": "Leeds Teaching Hospitals NHS Trust",
    "nominee_aware": "no",
    "nominator_name": "Sam Jones",
    "nominator_email": "sam.jones@nhs.net",
    "nominator_phone": "07700 900123",
    "nominator_relationship": "Line manager",
    "consent": "yes",
    # Award answers are at least the form's 25 words.
    "q1": "She rebuilt the discharge pathway with the whole ward. " + MORE,
    "q2": "Waiting times fell from six hours to two. " + MORE,
    "q3": "Monthly focus groups with patients and families. " + MORE,
    "q4": "She set up the trust's inclusion network. " + MORE,
}
TEAM_ANSWERS = {
    **{k: v for k, v in ANSWERS.items() if k != "nominee_name"},
    "nominee_type": "team",
    "team_name": "Ward 7 Discharge Team",
}


def source_of(field_id: str) -> str:
    """Every prepared answer came from a message named after its field."""
    return f"msg-{field_id}"


def state_at(
    position: str,
    answers: Mapping[str, str | tuple[Part, ...]],
    *,
    returning: bool = False,
    status: Status = Status.DRAFT,
) -> NominationState:
    return NominationState(
        form_id="leading_for_service_improvement",
        form_version=2,
        reference=REF,
        status=status,
        position=position,
        returning_to_review=returning,
        answers={
            k: v if isinstance(v, tuple) else (Part(text=v, source=source_of(k)),)
            for k, v in answers.items()
        },
    )


def answered_before(field_id: str) -> dict[str, str]:
    """The first pass so far: every individual step before `field_id` answered."""
    return {k: ANSWERS[k] for k in INDIVIDUAL_STEPS[: INDIVIDUAL_STEPS.index(field_id)]}


def progress_of(field_id: str, *, team: bool = False) -> Progress:
    steps = TEAM_STEPS if team else INDIVIDUAL_STEPS
    step = steps.index(field_id) + 1
    if field_id.startswith("q"):
        return Progress(step, len(steps), int(field_id[1:]), 4)
    return Progress(step, len(steps))


def ask(field_id: str, current: str | None = None, *, team: bool = False) -> Ask:
    return Ask(field_id, progress_of(field_id, team=team), current)


def missing(*field_ids: str) -> Review:
    return Review(tuple(Outstanding(f, Problem.MISSING) for f in field_ids))


def missing_from(field_id: str, *, hidden: tuple[str, ...] = ()) -> Review:
    """The review on a first pass at `field_id`: it and every later required field missing."""
    later = INDIVIDUAL_STEPS[INDIVIDUAL_STEPS.index(field_id) :]
    return missing(*(f for f in later if f not in OPTIONAL and f not in hidden))


@dataclass(frozen=True)
class Case:
    """One event applied to one state, and everything that must follow from it."""

    name: str
    state: NominationState
    event: Event
    position: str
    effects: tuple[Effect, ...]
    # Answers that change: a field's new parts, or None where the answer is removed.
    changes: Mapping[str, tuple[Part, ...] | None] = field(default_factory=dict)
    returning: bool = False
    status: Status = Status.DRAFT


def check(form: Form, case: Case) -> None:
    before = case.state.model_dump()
    transition = handle(form, case.state, case.event)
    assert case.state.model_dump() == before, "the engine changed its input state"
    assert transition.effects == case.effects
    assert transition.state.position == case.position
    assert transition.state.returning_to_review is case.returning
    assert transition.state.status is case.status
    expected = dict(case.state.answers)
    for field_id, parts in case.changes.items():
        if parts is None:
            expected.pop(field_id, None)
        else:
            expected[field_id] = parts
    assert transition.state.answers == expected
    assert (transition.state.form_id, transition.state.reference) == (
        case.state.form_id,
        case.state.reference,
    )


def part(text: str, source: str | None = None) -> tuple[Part, ...]:
    return (Part(text=text, source=source),)


# --- every event in every kind of step ------------------------------------------------------------

CHOICE = state_at("nominee_type", {})
SHORT = state_at("nominee_name", answered_before("nominee_name"))
YES_NO = state_at("nominee_aware", answered_before("nominee_aware"))
EMAIL = state_at("nominator_email", answered_before("nominator_email"))
PHONE = state_at("nominator_phone", answered_before("nominator_phone"))
CONSENT = state_at("consent", answered_before("consent"))
LONG = state_at("q2", answered_before("q2") | {"q2": ANSWERS["q2"]})
REVIEWING = state_at(REVIEW, ANSWERS)
SUBMITTED = state_at(REVIEW, ANSWERS, status=Status.SUBMITTED)


def rejected(name: str, state: NominationState, event: Event, problem: Problem) -> Case:
    return Case(name, state, event, state.position, (Reprompt(state.position, problem),))


def unmoved(
    name: str,
    state: NominationState,
    event: Event,
    *effects: Effect,
    changes: Mapping[str, tuple[Part, ...] | None] | None = None,
) -> Case:
    """The nomination stays where it is (its answers may still change)."""
    return Case(
        name,
        state,
        event,
        state.position,
        effects,
        changes or {},
        returning=state.returning_to_review,
    )


GRID = [
    # A choice (the first step).
    unmoved("choice-start", CHOICE, Start(), ask("nominee_type")),
    Case(
        "choice-answer-by-label",
        CHOICE,
        Answer("An individual", "m9"),
        "nominee_name",
        (ask("nominee_name"),),
        {"nominee_type": part("individual", "m9")},
    ),
    Case(
        "choice-replace-team-asks-team-name",
        CHOICE,
        Answer("A team", "m9"),
        "team_name",
        (ask("team_name", team=True),),
        {"nominee_type": part("team", "m9")},
    ),
    unmoved("choice-revise-unknown-source", CHOICE, Revise("msg-q1", "New text")),
    rejected("choice-clear", CHOICE, Clear(), Problem.NOT_LONG_ANSWER),
    rejected("choice-done-unanswered", CHOICE, Done(), Problem.EMPTY),
    rejected("choice-back-from-first-field", CHOICE, Back(), Problem.NOTHING_BEFORE),
    rejected("choice-skip-required", CHOICE, Skip(), Problem.CANNOT_SKIP),
    rejected("choice-hints", CHOICE, ShowHints(), Problem.NO_HINTS),
    rejected("choice-review", CHOICE, GoToReview(), Problem.NOTHING_TO_REVIEW),
    Case("choice-edit-q3", CHOICE, Edit("q3"), "q3", (ask("q3"),)),
    rejected("choice-submit-nothing-to-review", CHOICE, Submit(), Problem.NOTHING_TO_REVIEW),
    unmoved("choice-cancel", CHOICE, Cancel(), Paused()),
    # A short text.
    unmoved("short-start", SHORT, Start(), ask("nominee_name")),
    Case(
        "short-answer-trimmed-and-folded",
        SHORT,
        Answer("  Priya \n  Shah ", "m9"),
        "nominee_role",
        (ask("nominee_role"),),
        {"nominee_name": part("Priya Shah", "m9")},
    ),
    Case(
        "short-replace",
        SHORT,
        Answer("Priya Shah"),
        "nominee_role",
        (ask("nominee_role"),),
        {"nominee_name": part("Priya Shah")},
    ),
    Case(
        "short-revise-choice-to-team-moves-on-to-team-name",
        SHORT,
        Revise(source_of("nominee_type"), "A team"),
        "team_name",
        (Revised("nominee_type", 1, None),),
        {"nominee_type": part("team", source_of("nominee_type"))},
    ),
    rejected("short-clear", SHORT, Clear(), Problem.NOT_LONG_ANSWER),
    rejected("short-done-unanswered", SHORT, Done(), Problem.EMPTY),
    Case("short-back", SHORT, Back(), "nominee_type", (ask("nominee_type", "individual"),)),
    rejected("short-skip-required", SHORT, Skip(), Problem.CANNOT_SKIP),
    rejected("short-hints", SHORT, ShowHints(), Problem.NO_HINTS),
    Case("short-review", SHORT, GoToReview(), REVIEW, (missing_from("nominee_name"),)),
    Case(
        "short-edit-earlier-field",
        SHORT,
        Edit("nominee_type"),
        "nominee_type",
        (ask("nominee_type", "individual"),),
        returning=True,
    ),
    Case("short-submit-goes-to-review", SHORT, Submit(), REVIEW, (missing_from("nominee_name"),)),
    unmoved("short-cancel", SHORT, Cancel(), Paused()),
    # A yes/no.
    unmoved("yes_no-start", YES_NO, Start(), ask("nominee_aware")),
    Case(
        "yes_no-answer-nope",
        YES_NO,
        Answer("Nope"),
        "nominator_name",
        (ask("nominator_name"),),
        {"nominee_aware": part("no")},
    ),
    Case(
        "yes_no-replace-y",
        YES_NO,
        Answer("Y", "m9"),
        "nominator_name",
        (ask("nominator_name"),),
        {"nominee_aware": part("yes", "m9")},
    ),
    unmoved(
        "yes_no-revise-earlier-short-answer",
        YES_NO,
        Revise(source_of("nominee_name"), "Priya  Patel"),
        Revised("nominee_name", 2, None),
        changes={"nominee_name": part("Priya Patel", source_of("nominee_name"))},
    ),
    rejected("yes_no-clear", YES_NO, Clear(), Problem.NOT_LONG_ANSWER),
    rejected("yes_no-done-unanswered", YES_NO, Done(), Problem.EMPTY),
    Case(
        "yes_no-back",
        YES_NO,
        Back(),
        "nominee_organisation",
        (ask("nominee_organisation", ANSWERS["nominee_organisation"]),),
    ),
    rejected("yes_no-skip-required", YES_NO, Skip(), Problem.CANNOT_SKIP),
    rejected("yes_no-hints", YES_NO, ShowHints(), Problem.NO_HINTS),
    Case("yes_no-review", YES_NO, GoToReview(), REVIEW, (missing_from("nominee_aware"),)),
    Case(
        "yes_no-edit",
        YES_NO,
        Edit("nominee_name"),
        "nominee_name",
        (ask("nominee_name", "Priya Shah"),),
        returning=True,
    ),
    Case("yes_no-submit", YES_NO, Submit(), REVIEW, (missing_from("nominee_aware"),)),
    unmoved("yes_no-cancel", YES_NO, Cancel(), Paused()),
    # An email address.
    unmoved("email-start", EMAIL, Start(), ask("nominator_email")),
    Case(
        "email-answer-trimmed",
        EMAIL,
        Answer(" sam.jones@nhs.net ", "m9"),
        "nominator_phone",
        (ask("nominator_phone"),),
        {"nominator_email": part("sam.jones@nhs.net", "m9")},
    ),
    Case(
        "email-replace-with-display-name",
        EMAIL,
        Answer("Sam Jones <sam.jones@nhs.net>"),
        "nominator_phone",
        (ask("nominator_phone"),),
        {"nominator_email": part("sam.jones@nhs.net")},
    ),
    unmoved(
        "email-revise-earlier-name",
        EMAIL,
        Revise(source_of("nominator_name"), "Samantha Jones"),
        Revised("nominator_name", 2, None),
        changes={"nominator_name": part("Samantha Jones", source_of("nominator_name"))},
    ),
    rejected("email-clear", EMAIL, Clear(), Problem.NOT_LONG_ANSWER),
    rejected("email-done-unanswered", EMAIL, Done(), Problem.EMPTY),
    Case("email-back", EMAIL, Back(), "nominator_name", (ask("nominator_name", "Sam Jones"),)),
    rejected("email-skip-required", EMAIL, Skip(), Problem.CANNOT_SKIP),
    rejected("email-hints", EMAIL, ShowHints(), Problem.NO_HINTS),
    Case("email-review", EMAIL, GoToReview(), REVIEW, (missing_from("nominator_email"),)),
    Case(
        "email-edit-later-field",
        EMAIL,
        Edit("consent"),
        "consent",
        (ask("consent"),),
    ),
    Case("email-submit", EMAIL, Submit(), REVIEW, (missing_from("nominator_email"),)),
    unmoved("email-cancel", EMAIL, Cancel(), Paused()),
    # A short text with a pattern: the phone number, which is optional.
    unmoved("phone-start", PHONE, Start(), ask("nominator_phone")),
    Case(
        "phone-answer",
        PHONE,
        Answer("07700 900123", "m9"),
        "nominator_relationship",
        (ask("nominator_relationship"),),
        {"nominator_phone": part("07700 900123", "m9")},
    ),
    Case(
        "phone-replace-folded",
        PHONE,
        Answer("+44 (0)7700   900123"),
        "nominator_relationship",
        (ask("nominator_relationship"),),
        {"nominator_phone": part("+44 (0)7700 900123")},
    ),
    unmoved("phone-revise-unknown-source", PHONE, Revise("never-sent", "07700 900123")),
    rejected("phone-clear", PHONE, Clear(), Problem.NOT_LONG_ANSWER),
    Case(
        "phone-done-unanswered-optional-moves-on",
        PHONE,
        Done(),
        "nominator_relationship",
        (ask("nominator_relationship"),),
    ),
    Case(
        "phone-back",
        PHONE,
        Back(),
        "nominator_email",
        (ask("nominator_email", "sam.jones@nhs.net"),),
    ),
    Case(
        "phone-skip-optional",
        PHONE,
        Skip(),
        "nominator_relationship",
        (ask("nominator_relationship"),),
    ),
    rejected("phone-hints", PHONE, ShowHints(), Problem.NO_HINTS),
    Case("phone-review", PHONE, GoToReview(), REVIEW, (missing_from("nominator_relationship"),)),
    rejected("phone-edit-hidden-field", PHONE, Edit("team_name"), Problem.UNKNOWN_FIELD),
    Case("phone-submit", PHONE, Submit(), REVIEW, (missing_from("nominator_relationship"),)),
    unmoved("phone-cancel", PHONE, Cancel(), Paused()),
    # Consent, which must be yes to submit.
    unmoved("consent-start", CONSENT, Start(), ask("consent")),
    Case(
        "consent-answer-yes",
        CONSENT,
        Answer("yes"),
        REVIEW,
        (Review(()),),
        {"consent": part("yes")},
    ),
    Case(
        "consent-replace-refused-is-kept-with-a-note",
        CONSENT,
        Answer("No.", "m9"),
        REVIEW,
        (
            Note("consent", Problem.CONSENT_REFUSED),
            Review((Outstanding("consent", Problem.CONSENT_REFUSED),)),
        ),
        {"consent": part("no", "m9")},
    ),
    unmoved(
        "consent-revise-earlier-invalid-keeps-old",
        CONSENT,
        Revise(source_of("nominator_phone"), "call me"),
        Reprompt("nominator_phone", Problem.BAD_PATTERN),
    ),
    rejected("consent-clear", CONSENT, Clear(), Problem.NOT_LONG_ANSWER),
    rejected("consent-done-unanswered", CONSENT, Done(), Problem.EMPTY),
    Case(
        "consent-back",
        CONSENT,
        Back(),
        "q4",
        (ask("q4", ANSWERS["q4"]),),
    ),
    rejected("consent-skip-required", CONSENT, Skip(), Problem.CANNOT_SKIP),
    rejected("consent-hints", CONSENT, ShowHints(), Problem.NO_HINTS),
    Case("consent-review", CONSENT, GoToReview(), REVIEW, (missing_from("consent"),)),
    rejected("consent-edit-unknown-field", CONSENT, Edit("q5"), Problem.UNKNOWN_FIELD),
    Case("consent-submit", CONSENT, Submit(), REVIEW, (missing_from("consent"),)),
    unmoved("consent-cancel", CONSENT, Cancel(), Paused()),
    # A long answer (Q2), one part saved so far.
    unmoved("long-start-shows-saved-answer", LONG, Start(), ask("q2", ANSWERS["q2"])),
    unmoved(
        "long-answer-adds-a-part",
        LONG,
        Answer("\n  Patients noticed.  \n", "m9"),
        PartSaved("q2", word_count(ANSWERS["q2"]) + 2, 500),
        changes={"q2": (*LONG.answers["q2"], Part(text="Patients noticed.", source="m9"))},
    ),
    unmoved(
        "long-replace-after-change",
        LONG.model_copy(update={"replacing": True}),
        Answer("Fresh start.", "m9"),
        PartSaved("q2", 2, 500),
        changes={"q2": part("Fresh start.", "m9")},
    ),
    unmoved(
        "long-revise-part",
        LONG,
        Revise(source_of("q2"), "Waiting times halved."),
        Revised("q2", 3, 500),
        changes={"q2": part("Waiting times halved.", source_of("q2"))},
    ),
    unmoved(
        "long-clear-asks-first",
        LONG,
        Clear(),
        AskConfirm(Confirmation.CLEAR, "q2", word_count(ANSWERS["q2"])),
    ),
    Case("long-done-moves-on", LONG, Done(), "q3", (ask("q3"),)),
    Case("long-back", LONG, Back(), "q1", (ask("q1", ANSWERS["q1"]),)),
    rejected("long-skip-required", LONG, Skip(), Problem.CANNOT_SKIP),
    unmoved("long-hints", LONG, ShowHints(), Hints("q2")),
    Case("long-review", LONG, GoToReview(), REVIEW, (missing("q3", "q4", "consent"),)),
    Case(
        "long-edit",
        LONG,
        Edit("nominee_type"),
        "nominee_type",
        (ask("nominee_type", "individual"),),
        returning=True,
    ),
    Case("long-submit", LONG, Submit(), REVIEW, (missing("q3", "q4", "consent"),)),
    unmoved("long-cancel", LONG, Cancel(), Paused()),
    # The review of a complete nomination.
    unmoved("review-start", REVIEWING, Start(), Review(())),
    unmoved(
        "review-answer", REVIEWING, Answer("hello"), Reprompt(None, Problem.USE_REVIEW_BUTTONS)
    ),
    unmoved(
        "review-revise-long-part",
        REVIEWING,
        Revise(source_of("q4"), "She founded the network."),
        Revised("q4", 4, 500),
        changes={"q4": part("She founded the network.", source_of("q4"))},
    ),
    unmoved("review-clear", REVIEWING, Clear(), Reprompt(None, Problem.NOT_LONG_ANSWER)),
    unmoved("review-done", REVIEWING, Done(), Review(())),
    Case("review-back-to-last-field", REVIEWING, Back(), "consent", (ask("consent", "yes"),)),
    unmoved("review-skip", REVIEWING, Skip(), Reprompt(None, Problem.CANNOT_SKIP)),
    unmoved("review-hints", REVIEWING, ShowHints(), Reprompt(None, Problem.NO_HINTS)),
    unmoved("review-review", REVIEWING, GoToReview(), Review(())),
    Case(
        "review-edit",
        REVIEWING,
        Edit("nominee_role"),
        "nominee_role",
        (ask("nominee_role", "Senior Staff Nurse"),),
        returning=True,
    ),
    Case(
        "review-submit-complete",
        REVIEWING,
        Submit(),
        REVIEW,
        (Submitted(REF),),
        status=Status.SUBMITTED,
    ),
    unmoved("review-cancel", REVIEWING, Cancel(), Paused()),
    # A submitted nomination: nothing changes.
    Case("submitted-start", SUBMITTED, Start(), REVIEW, (Submitted(REF),), status=Status.SUBMITTED),
    *(
        Case(
            f"submitted-{name}",
            SUBMITTED,
            event,
            REVIEW,
            (Reprompt(None, Problem.ALREADY_SUBMITTED),),
            status=Status.SUBMITTED,
        )
        for name, event in list[tuple[str, Event]](
            [
                ("answer", Answer("yes")),
                ("revise", Revise(source_of("q1"), "Changed after sending")),
                ("clear", Clear()),
                ("done", Done()),
                ("back", Back()),
                ("skip", Skip()),
                ("hints", ShowHints()),
                ("review", GoToReview()),
                ("edit", Edit("q1")),
                ("submit", Submit()),
                ("cancel", Cancel()),
            ]
        )
    ),
]


@pytest.mark.parametrize("case", GRID, ids=lambda c: c.name)
def test_every_event_in_every_kind_of_step(form: Form, case: Case) -> None:
    check(form, case)


def test_the_grid_covers_every_event_in_every_step() -> None:
    events = {
        Start,
        Answer,
        Revise,
        Clear,
        Done,
        Back,
        Skip,
        ShowHints,
        GoToReview,
        Edit,
        Submit,
        Cancel,
    }
    steps = {
        "choice",
        "short",
        "yes_no",
        "email",
        "phone",
        "consent",
        "long",
        "review",
        "submitted",
    }
    covered = {(c.name.split("-")[0], type(c.event)) for c in GRID}
    assert covered == {(s, e) for s in steps for e in events}


# --- what is refused, and why ---------------------------------------------------------------------

REFUSED = [
    # (id, field, text, problem, limit)
    ("empty", "nominee_name", "", Problem.EMPTY, None),
    ("whitespace-only", "nominee_name", "  \n\t \u00a0", Problem.EMPTY, None),
    ("too-long-name", "nominee_name", "x" * 121, Problem.TOO_LONG, 120),
    ("too-long-role", "nominee_role", "x" * 151, Problem.TOO_LONG, 150),
    ("too-long-organisation", "nominee_organisation", "x" * 201, Problem.TOO_LONG, 200),
    ("name-is-an-email", "nominee_name", "jo.bloggs@nhs.example", Problem.NOT_A_NAME, None),
    ("name-has-an-email", "nominee_name", "Jo Bloggs jo@nhs.net", Problem.NOT_A_NAME, None),
    ("name-is-a-phone", "nominee_name", "07700 900123", Problem.NOT_A_NAME, None),
    ("name-is-a-phone-plus", "nominator_name", "+44 (0)113 243 3144", Problem.NOT_A_NAME, None),
    ("nominator-name-is-an-email", "nominator_name", "sam@nhs.net", Problem.NOT_A_NAME, None),
    ("email-no-at", "nominator_email", "sam.jones", Problem.BAD_EMAIL, None),
    ("email-no-domain", "nominator_email", "sam@", Problem.BAD_EMAIL, None),
    ("email-no-local-part", "nominator_email", "@nhs.net", Problem.BAD_EMAIL, None),
    ("email-space", "nominator_email", "sam jones@nhs.net", Problem.BAD_EMAIL, None),
    ("email-two-at", "nominator_email", "sam@jones@nhs.net", Problem.BAD_EMAIL, None),
    ("email-empty", "nominator_email", " ", Problem.EMPTY, None),
    ("choice-not-an-option", "nominee_type", "a dog", Problem.NOT_AN_OPTION, None),
    ("choice-number-too-high", "nominee_type", "3", Problem.NOT_AN_OPTION, None),
    ("choice-number-zero", "nominee_type", "0", Problem.NOT_AN_OPTION, None),
    ("choice-part-of-a-label", "nominee_type", "indiv", Problem.NOT_AN_OPTION, None),
    ("yes_no-maybe", "nominee_aware", "maybe", Problem.NOT_YES_NO, None),
    ("yes_no-yes-please", "nominee_aware", "yes please", Problem.NOT_YES_NO, None),
    ("consent-not-sure", "consent", "not sure", Problem.NOT_YES_NO, None),
    ("phone-words", "nominator_phone", "call me", Problem.BAD_PATTERN, None),
    ("phone-too-short", "nominator_phone", "123", Problem.BAD_PATTERN, None),
    (
        "phone-extension-without-digits",
        "nominator_phone",
        "07700 900123 ext",
        Problem.BAD_PATTERN,
        None,
    ),
    ("phone-not-uk", "nominator_phone", "+1 202 555 0123", Problem.BAD_PATTERN, None),
    ("phone-too-long", "nominator_phone", "0" * 31, Problem.TOO_LONG, 30),
    ("long-empty", "q1", "", Problem.EMPTY, None),
    ("long-blank-lines", "q1", "\n\n  \n", Problem.EMPTY, None),
    ("long-runaway-paste", "q1", "x" * 30_001, Problem.TOO_LONG, 30_000),
]


@pytest.mark.parametrize(
    ("field_id", "text", "problem", "limit"),
    [r[1:] for r in REFUSED],
    ids=[r[0] for r in REFUSED],
)
def test_refused_input_reprompts_and_changes_nothing(
    form: Form,
    field_id: str,
    text: str,
    problem: Problem,
    limit: int | None,
) -> None:
    state = state_at(field_id, answered_before(field_id))
    typed = text if problem is Problem.NOT_YES_NO else ""  # said back to the nominator
    refused = Reprompt(field_id, problem, limit, typed)
    check(form, unmoved("refused", state, Answer(text, "m9"), refused))


def test_validate_names_the_field_and_the_limit(form: Form) -> None:
    assert validate(form.field("team_name"), "x" * 121) == Reprompt(
        "team_name", Problem.TOO_LONG, 120
    )


ACCEPTED = [
    # (id, field, text, stored)
    ("short-trimmed", "nominee_name", "   Priya Shah   ", "Priya Shah"),
    ("short-folded", "nominee_name", "Priya \n\t  Shah", "Priya Shah"),
    ("short-no-break-space", "nominee_name", "Priya\u00a0Shah", "Priya Shah"),
    ("short-at-its-limit", "nominee_name", "x" * 120, "x" * 120),
    (
        "short-punctuation-kept",
        "nominee_name",
        "Dr. Siobhán O'Neill-Smith",
        "Dr. Siobhán O'Neill-Smith",
    ),
    ("short-emoji-kept", "nominator_relationship", "Colleague 👩\u200d⚕️", "Colleague 👩\u200d⚕️"),
    ("short-rtl-kept", "nominee_name", "مريم حداد", "مريم حداد"),
    ("choice-label", "nominee_type", "An individual", "individual"),
    ("choice-label-any-case", "nominee_type", "a TEAM", "team"),
    ("choice-label-folded", "nominee_type", "  A   team ", "team"),
    ("choice-value", "nominee_type", "individual", "individual"),
    ("choice-value-any-case", "nominee_type", "Team", "team"),
    ("choice-number-1", "nominee_type", "1", "individual"),
    ("choice-number-2", "nominee_type", " 2 ", "team"),
    ("email-plain", "nominator_email", "sam.jones@nhs.net", "sam.jones@nhs.net"),
    ("email-trimmed", "nominator_email", "  sam.jones@nhs.net\n", "sam.jones@nhs.net"),
    ("email-display-name", "nominator_email", "Sam Jones <sam.jones@nhs.net>", "sam.jones@nhs.net"),
    ("email-domain-lowercased", "nominator_email", "Sam.Jones@NHS.NET", "Sam.Jones@nhs.net"),
    ("email-plus", "nominator_email", "sam+awards@nhs.net", "sam+awards@nhs.net"),
    ("phone-spaced", "nominator_phone", "07700 900123", "07700 900123"),
    ("phone-international", "nominator_phone", "+44 (0)7700 900123", "+44 (0)7700 900123"),
    ("phone-dashes", "nominator_phone", "0113-243-3144", "0113-243-3144"),
    ("phone-folded", "nominator_phone", "  07700   900123 ", "07700 900123"),
    ("phone-extension", "nominator_phone", "0113 243 3144 ext 5521", "0113 243 3144 ext 5521"),
    ("phone-plus-44", "nominator_phone", "+447700900123", "+447700900123"),
    (
        "phone-extension-any-case",
        "nominator_phone",
        "0113 243 3144 Ext. 55",
        "0113 243 3144 Ext. 55",
    ),
    ("long-ends-trimmed-inside-kept", "q1", "  One.\n\n  Two.  \n", "One.\n\n  Two."),
    ("long-at-its-limit", "q1", "x" * 30_000, "x" * 30_000),
]
YES_WORDS = ["yes", "Yes", "YES", "y", "Y", "yeah", "Yep", "1", "true", "Yes.", "yes!", " yes "]
NO_WORDS = ["no", "No", "NO", "n", "N", "nope", "2", "false", "No.", "no!", " no "]
ACCEPTED += [(f"yes_no-{w.strip()}", "nominee_aware", w, "yes") for w in YES_WORDS]
ACCEPTED += [(f"yes_no-{w.strip()}", "nominee_aware", w, "no") for w in NO_WORDS]


@pytest.mark.parametrize(
    ("field_id", "text", "stored"), [a[1:] for a in ACCEPTED], ids=[a[0] for a in ACCEPTED]
)
def test_accepted_input_is_stored_normalised(
    form: Form, field_id: str, text: str, stored: str
) -> None:
    state = state_at(field_id, answered_before(field_id) if field_id in ANSWERS else {})
    transition = handle(form, state, Answer(text, "m9"))
    assert not any(isinstance(e, Reprompt) for e in transition.effects)
    assert transition.state.answers[field_id] == part(stored, "m9")


# --- long answers over several messages -----------------------------------------------------------


def test_long_answer_over_three_parts(form: Form) -> None:
    state = state_at("q1", answered_before("q1"))
    texts = [
        ("She rebuilt the discharge pathway.", 5),
        ("  Then she trained every nurse on the ward.\n", 13),
        ("Waiting fell by half.", 17),
    ]
    for number, (text, words) in enumerate(texts, 1):
        transition = handle(form, state, Answer(text, f"m{number}"))
        assert transition.effects == (PartSaved("q1", words, 500),)
        assert transition.state.position == "q1"
        state = transition.state
    assert state.answers["q1"] == (
        Part(text="She rebuilt the discharge pathway.", source="m1"),
        Part(text="Then she trained every nurse on the ward.", source="m2"),
        Part(text="Waiting fell by half.", source="m3"),
    )
    assert state.answer("q1") == (
        "She rebuilt the discharge pathway.\n\n"
        "Then she trained every nurse on the ward.\n\n"
        "Waiting fell by half."
    )
    assert word_count(state.answer("q1")) == 17
    # Revise the middle part only.
    transition = handle(form, state, Revise("m2", "Then she coached the ward."))
    assert transition.effects == (Revised("q1", 14, 500),)
    assert transition.state.answers["q1"][1] == Part(text="Then she coached the ward.", source="m2")
    assert transition.state.answers["q1"][0::2] == state.answers["q1"][0::2]
    # Revised to nothing: refused, the old text stays.
    refused = handle(form, state, Revise("m2", "   "))
    assert refused == Transition(state, (Reprompt("q1", Problem.EMPTY),))
    # Under the form's 25 words, Done asks for more; with more, it moves on and keeps every part.
    short = handle(form, state, Done())
    assert short == Transition(state, (Reprompt("q1", Problem.TOO_SHORT, 25),))
    state = handle(form, state, Answer("It took a year of weekly meetings to get there.")).state
    done = handle(form, state, Done())
    assert done.effects == (ask("q2"),)
    assert done.state.answers["q1"] == state.answers["q1"]


def test_long_answer_parts_together_may_not_pass_the_safety_cap(form: Form) -> None:
    state = state_at("q1", {"q1": (Part(text="x" * 20_000, source="m1"),)})
    check(
        form,
        unmoved(
            "joined-too-long",
            state,
            Answer("y" * 9_999, "m2"),
            Reprompt("q1", Problem.TOO_LONG, 30_000),
        ),
    )
    # Exactly at the cap, with the blank line between the parts, is fine.
    at_cap = handle(form, state, Answer("y" * 9_998, "m2"))
    assert at_cap.effects == (PartSaved("q1", 2, 500),)
    assert len(at_cap.state.answer("q1") or "") == 30_000


def test_revising_a_part_to_the_same_text_at_the_cap_is_accepted(form: Form) -> None:
    parts = (Part(text="x" * 20_000, source="m1"), Part(text="y" * 9_998, source="m2"))
    state = state_at("q2", {"q1": parts})
    transition = handle(form, state, Revise("m2", "z" * 9_998))
    assert transition.effects == (Revised("q1", 2, 500),)


def test_revising_a_short_answer_to_its_longest_is_accepted(form: Form) -> None:
    state = state_at("nominee_role", {"nominee_type": "individual", "nominee_name": "Priya"})
    for length in (119, 120):
        transition = handle(form, state, Revise(source_of("nominee_name"), "x" * length))
        assert transition.effects == (Revised("nominee_name", 1, None),)
    transition = handle(form, state, Revise(source_of("nominee_name"), "x" * 121))
    assert transition.effects == (Reprompt("nominee_name", Problem.TOO_LONG, 120),)


def test_revise_of_a_short_answer_is_validated_like_an_answer(form: Form) -> None:
    state = state_at("nominee_role", {"nominee_type": "individual"})
    check(
        form,
        unmoved(
            "revise-email",
            state_at("q1", answered_before("q1")),
            Revise(source_of("nominator_email"), " Sam <SAM@NHS.NET> "),
            Revised("nominator_email", 1, None),
            changes={"nominator_email": part("SAM@nhs.net", source_of("nominator_email"))},
        ),
    )
    check(
        form,
        unmoved(
            "revise-choice-invalid",
            state,
            Revise(source_of("nominee_type"), "a dog"),
            Reprompt("nominee_type", Problem.NOT_AN_OPTION),
        ),
    )


# --- word limits ----------------------------------------------------------------------------------


def words(n: int) -> str:
    return " ".join(["care"] * n)


def test_over_the_word_limit_is_kept_noted_and_blocks_submission(form: Form) -> None:
    state = state_at("q1", {k: v for k, v in ANSWERS.items() if k != "q1"})
    for text, total in [(words(300), 300), (words(200), 500), (words(10), 510)]:
        transition = handle(form, state, Answer(text))
        assert transition.effects == (PartSaved("q1", total, 500),)
        state = transition.state
    saved = transition.effects[0]
    assert isinstance(saved, PartSaved)
    assert saved.words_over == 10
    assert word_count(state.answer("q1")) == 510

    done = handle(form, state, Done())
    assert done.effects == (Note("q1", Problem.OVER_LIMIT), ask("q2", ANSWERS["q2"]))
    assert done.state.answer("q1") == state.answer("q1")

    review = handle(form, done.state, GoToReview())
    over = Review((Outstanding("q1", Problem.OVER_LIMIT, words_over=10),))
    assert review.effects == (over,)
    refused = handle(form, review.state, Submit())
    assert refused.effects == (over,)
    assert refused.state == review.state
    assert refused.state.status is Status.DRAFT


def test_exactly_at_the_word_limit_is_fine(form: Form) -> None:
    state = state_at("q1", {k: v for k, v in ANSWERS.items() if k != "q1"})
    state = handle(form, state, Answer(words(500))).state
    assert handle(form, state, Done()).effects == (ask("q2", ANSWERS["q2"]),)
    assert handle(form, state, GoToReview()).effects == (Review(()),)


def test_part_saved_words_over() -> None:
    assert PartSaved("q1", 510, 500).words_over == 10
    assert PartSaved("q1", 499, 500).words_over == 0
    assert PartSaved("q1", 999, None).words_over == 0


# --- more navigation ---------------------------------------------------------------------------

NAVIGATION = [
    Case(
        "back-while-editing-returns-to-review",
        state_at("nominee_role", ANSWERS, returning=True),
        Back(),
        REVIEW,
        (Review(()),),
    ),
    Case(
        "back-from-first-field-while-editing-returns-to-review",
        state_at("nominee_type", ANSWERS, returning=True),
        Back(),
        REVIEW,
        (Review(()),),
    ),
    Case(
        "answer-while-editing-returns-to-review",
        state_at("nominee_role", ANSWERS, returning=True),
        Answer("Ward Sister"),
        REVIEW,
        (Review(()),),
        {"nominee_role": part("Ward Sister")},
    ),
    Case(
        "done-on-kept-short-answer-while-editing-returns-to-review",
        state_at("nominee_role", ANSWERS, returning=True),
        Done(),
        REVIEW,
        (Review(()),),
    ),
    Case(
        "done-on-long-answer-while-editing-returns-to-review",
        state_at("q3", ANSWERS, returning=True),
        Done(),
        REVIEW,
        (Review(()),),
    ),
    Case(
        "skip-optional-while-editing-returns-to-review",
        state_at("nominator_phone", ANSWERS, returning=True),
        Skip(),
        REVIEW,
        (Review(()),),
        {"nominator_phone": None},
    ),
    Case(
        "refusing-consent-while-editing-returns-to-review-with-it-outstanding",
        state_at("consent", ANSWERS, returning=True),
        Answer("no"),
        REVIEW,
        (
            Note("consent", Problem.CONSENT_REFUSED),
            Review((Outstanding("consent", Problem.CONSENT_REFUSED),)),
        ),
        {"consent": part("no")},
    ),
    Case(
        "review-while-editing-forgets-the-edit",
        state_at("q2", ANSWERS, returning=True),
        GoToReview(),
        REVIEW,
        (Review(()),),
    ),
    Case(
        "skip-optional-removes-its-answer",
        state_at("nominator_phone", ANSWERS),
        Skip(),
        "nominator_relationship",
        (ask("nominator_relationship", "Line manager"),),
        {"nominator_phone": None},
    ),
    Case(
        "done-on-optional-keeps-its-answer",
        state_at("nominator_phone", ANSWERS),
        Done(),
        "nominator_relationship",
        (ask("nominator_relationship", "Line manager"),),
    ),
    Case(
        "done-on-empty-long-answer",
        state_at("q2", answered_before("q2")),
        Done(),
        "q2",
        (Reprompt("q2", Problem.EMPTY),),
    ),
    Case(
        "clear-on-empty-long-answer",
        state_at("q2", answered_before("q2")),
        Clear(),
        "q2",
        (Reprompt("q2", Problem.NOTHING_TO_CLEAR),),
    ),
    Case(
        "edit-unknown-field-from-review",
        REVIEWING,
        Edit("nonexistent"),
        REVIEW,
        (Reprompt(None, Problem.UNKNOWN_FIELD),),
    ),
    Case(
        "edit-hidden-field-from-review",
        REVIEWING,
        Edit("team_name"),
        REVIEW,
        (Reprompt(None, Problem.UNKNOWN_FIELD),),
    ),
    Case(
        "back-from-review-of-a-team-goes-to-the-declaration",
        state_at(REVIEW, TEAM_ANSWERS),
        Back(),
        "consent",
        (ask("consent", "yes", team=True),),
    ),
    Case(
        "back-after-team-name-goes-to-the-choice",
        state_at("nominee_role", {"nominee_type": "team", "team_name": "Ward 7"}),
        Back(),
        "team_name",
        (ask("team_name", "Ward 7", team=True),),
    ),
    Case(
        "answering-the-last-question-waits-for-more-parts",
        state_at("q4", {k: v for k, v in ANSWERS.items() if k != "q4"}),
        Answer("Inclusive."),
        "q4",
        (PartSaved("q4", 1, 500),),
        {"q4": part("Inclusive.")},
    ),
    Case(
        "done-on-the-last-question-goes-to-the-declaration",
        state_at("q4", ANSWERS),
        Done(),
        "consent",
        (ask("consent", "yes"),),
    ),
    Case(
        "the-declaration-goes-to-review",
        state_at("consent", ANSWERS),
        Answer("yes"),
        REVIEW,
        (Review(()),),
        {"consent": part("yes")},
    ),
    Case(
        "submit-from-a-field-shows-the-review-first",
        state_at("q4", ANSWERS),
        Submit(),
        REVIEW,
        (Review(()),),
    ),
    Case(
        "submit-with-missing-fields",
        state_at(REVIEW, {k: v for k, v in ANSWERS.items() if k not in ("nominee_role", "q3")}),
        Submit(),
        REVIEW,
        (missing("nominee_role", "q3"),),
    ),
    Case(
        "submit-with-consent-refused",
        state_at(REVIEW, ANSWERS | {"consent": "no"}),
        Submit(),
        REVIEW,
        (Review((Outstanding("consent", Problem.CONSENT_REFUSED),)),),
    ),
    Case(
        "submit-over-the-word-limit",
        state_at(REVIEW, ANSWERS | {"q2": words(501), "q4": words(600)}),
        Submit(),
        REVIEW,
        (
            Review(
                (
                    Outstanding("q2", Problem.OVER_LIMIT, 1),
                    Outstanding("q4", Problem.OVER_LIMIT, 100),
                )
            ),
        ),
    ),
    Case(
        "submit-without-the-optional-phone",
        state_at(REVIEW, {k: v for k, v in ANSWERS.items() if k != "nominator_phone"}),
        Submit(),
        REVIEW,
        (Submitted(REF),),
        status=Status.SUBMITTED,
    ),
    Case(
        "submit-a-team",
        state_at(REVIEW, TEAM_ANSWERS),
        Submit(),
        REVIEW,
        (Submitted(REF),),
        status=Status.SUBMITTED,
    ),
    Case(
        "submit-a-team-without-its-name",
        state_at(REVIEW, {k: v for k, v in TEAM_ANSWERS.items() if k != "team_name"}),
        Submit(),
        REVIEW,
        (missing("team_name"),),
    ),
    Case(
        "hidden-answers-do-not-count-for-submission",
        state_at(REVIEW, ANSWERS | {"team_name": "Ward 7"}),
        Submit(),
        REVIEW,
        (Submitted(REF),),
        status=Status.SUBMITTED,
    ),
]


@pytest.mark.parametrize("case", NAVIGATION, ids=lambda c: c.name)
def test_navigation(form: Form, case: Case) -> None:
    check(form, case)


def test_edit_from_the_review_returns_to_the_review(form: Form) -> None:
    edit = handle(form, REVIEWING, Edit("q1"))
    assert edit.effects == (Ask("q1", progress_of("q1"), ANSWERS["q1"], replacing=True),)
    better = "A better answer. " + MORE
    more = handle(form, edit.state, Answer(better, "m9"))
    assert more.effects == (PartSaved("q1", word_count(better), 500),)
    assert more.state.position == "q1"
    done = handle(form, more.state, Done())
    assert done.effects == (Review(()),)
    assert done.state.returning_to_review is False
    assert done.state.answer("q1") == better
    assert handle(form, done.state, Submit()).effects == (Submitted(REF),)


def test_switching_to_a_team_from_the_review_asks_for_the_team(form: Form) -> None:
    edit = handle(form, REVIEWING, Edit("nominee_type"))
    assert edit.effects == (ask("nominee_type", "individual"),)
    team = handle(form, edit.state, Answer("A team"))
    assert team.effects == (ask("team_name", team=True),)
    assert team.state.returning_to_review is True
    lead = handle(form, team.state, Answer("Ward 7 Discharge Team"))
    assert lead.effects == (Review(()),)
    assert lead.state.returning_to_review is False
    # The individual's name is kept (hidden), in case the nominator switches back.
    assert lead.state.answer("nominee_name") == "Priya Shah"
    back = handle(form, handle(form, lead.state, Edit("nominee_type")).state, Answer("1"))
    assert back.effects == (Review(()),)


def test_switching_to_a_team_and_going_back_shows_the_team_name_missing(form: Form) -> None:
    state = handle(form, handle(form, REVIEWING, Edit("nominee_type")).state, Answer("2")).state
    # Back goes to the question before (the choice), and the edit is over: nothing else changes.
    back = handle(form, state, Back())
    assert back.effects == (ask("nominee_type", "team", team=True),)
    assert back.state.returning_to_review is False


def test_new_nomination(form: Form) -> None:
    state = new_nomination(form, REF)
    assert state == state_at("nominee_type", {})
    assert handle(form, state, Start()).effects == (Ask("nominee_type", Progress(1, 14)),)


# --- progress -------------------------------------------------------------------------------------

INDIVIDUAL_PROGRESS = [
    (f, Progress(n, 14, int(f[1:]), 4) if f.startswith("q") else Progress(n, 14))
    for n, f in enumerate(INDIVIDUAL_STEPS, 1)
]
# A team's journey has as many steps as an individual's: the count never jumps.
TEAM_PROGRESS = [
    (f, Progress(n, 14, int(f[1:]), 4) if f.startswith("q") else Progress(n, 14))
    for n, f in enumerate(TEAM_STEPS, 1)
]


@pytest.mark.parametrize(
    ("field_id", "expected"), INDIVIDUAL_PROGRESS, ids=[f for f, _ in INDIVIDUAL_PROGRESS]
)
def test_progress_for_an_individual(form: Form, field_id: str, expected: Progress) -> None:
    transition = handle(form, state_at(field_id, ANSWERS), Start())
    assert transition.effects == (Ask(field_id, expected, ANSWERS[field_id]),)


@pytest.mark.parametrize(("field_id", "expected"), TEAM_PROGRESS, ids=[f for f, _ in TEAM_PROGRESS])
def test_progress_for_a_team(form: Form, field_id: str, expected: Progress) -> None:
    transition = handle(form, state_at(field_id, TEAM_ANSWERS), Start())
    assert transition.effects == (Ask(field_id, expected, TEAM_ANSWERS[field_id]),)


def test_progress_counts_do_not_jump_on_the_first_pass(form: Form) -> None:
    """Before the choice, steps are counted as for an individual; an individual's count stays."""
    state = new_nomination(form, REF)
    seen = []
    for field_id in INDIVIDUAL_STEPS:
        transition = handle(form, state, Start())
        seen.append(transition.effects[0])
        text = words(30) if field_id.startswith("q") else ANSWERS[field_id]
        state = handle(form, state, Answer(text)).state
        if field_id.startswith("q"):
            state = handle(form, state, Done()).state
    assert seen == [ask(f) for f in INDIVIDUAL_STEPS]
    assert state.at_review
