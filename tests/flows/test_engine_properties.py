"""Property tests: random event sequences never crash the engine and never lose an answer.

Each run drives one nomination with events drawn one at a time, so that some of them can depend
on where the nomination is (a plausible answer to the field being asked, a revision of a message
that was really sent). A model of the answers is kept beside the engine's state: it changes only
when the event was aimed at a field and the engine says it accepted it.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import event as note_event
from hypothesis import given, settings
from hypothesis import strategies as st

from flows.effects import (
    Ask,
    Effect,
    PartSaved,
    Problem,
    Reprompt,
    Review,
    Revised,
    Submitted,
)
from flows.engine import handle, new_nomination, validate, visible_fields
from flows.events import (
    Answer,
    Back,
    Cancel,
    Clear,
    Done,
    Edit,
    Event,
    GoToReview,
    Replace,
    Revise,
    ShowHints,
    Skip,
    Start,
    Submit,
)
from flows.form import FieldKind, Form, FormField, load_form
from flows.state import REVIEW, NominationState, Part, Status

TINY_FORM = Path(__file__).resolve().parent.parent / "forms" / "tiny.toml"
CHAINED_FORM = TINY_FORM.with_name("chained.toml")


FORMS = {"shipped": load_form(), "tiny": load_form(TINY_FORM), "chained": load_form(CHAINED_FORM)}
REFERENCE = "LSI-TEST23"
SOURCES = ("m1", "m2", "m3", "m4", "m5", "m6")

NAMES = ("Priya Shah", "  Ward 7   Discharge\nTeam ", "Senior Staff Nurse", "Dr. O'Neill-Smith")
EMAILS = ("sam.jones@nhs.net", " Sam.Jones@NHS.net ", "Sam Jones <sam.jones@nhs.net>")
PHONES = ("07700 900123", "+44 (0)7700 900123", "0113 243 3144")
YES_NO = ("yes", "no", "Y", "n", "Yeah", "nope", "YES!", "No.", "1", "2", "true", "false")
SENTENCES = (
    "She rebuilt the discharge pathway with the whole ward.",
    "Waiting times fell from six hours to two.\n\nPatients told us they felt listened to.",
    "  Focus groups every month.  ",
)
JUNK = ("", " ", "\n\t  ", "maybe", "@", "not-an-email", "call me", "3", "0", "skip", "/back")
UNICODE = (
    "😀 Great nurse 👩\u200d⚕️",
    "مرحبا بالعالم",
    "שלום עולם",
    "\u202eevil\u202c",
    "Zoë Ní Bhriain",
    "\u200b",
    "\x00\x1f",
    "a\u00a0b\u2028c",
)


def long_text(words: int) -> str:
    return " ".join(["care"] * words)


any_text = st.one_of(
    st.sampled_from(NAMES + EMAILS + PHONES + YES_NO + SENTENCES + JUNK + UNICODE),
    st.text(max_size=40),
    st.integers(1, 700).map(long_text),
    st.sampled_from(("x" * 30_001, "y" * 201, long_text(6_000))),
)


def good_text(form_field: FormField) -> st.SearchStrategy[str]:
    """Something a nominator might sensibly type at this field (still sometimes rejected)."""
    match form_field.kind:
        case FieldKind.CHOICE:
            labels = [o.label for o in form_field.options]
            values = [o.value for o in form_field.options]
            numbers = [str(n) for n in range(1, len(form_field.options) + 1)]
            return st.sampled_from(labels + values + numbers)
        case FieldKind.YES_NO:
            return st.sampled_from(YES_NO)
        case FieldKind.EMAIL:
            return st.sampled_from(EMAILS)
        case FieldKind.SHORT_TEXT if form_field.pattern is not None:
            return st.sampled_from(PHONES)
        case FieldKind.SHORT_TEXT:
            return st.sampled_from(NAMES)
        case FieldKind.LONG_TEXT:
            limit = form_field.max_words or 500
            return st.one_of(
                st.sampled_from(SENTENCES), st.integers(1, limit + limit // 5).map(long_text)
            )


def unfinished(form: Form, state: NominationState) -> str | None:
    """The first field that stops submission, worked out without the engine."""
    for field_id in shown_fields(form, state):
        f = form.field(field_id)
        answer = state.answer(field_id)
        if answer is None and f.required:
            return field_id
        if answer is not None and f.must_be_yes and answer != "yes":
            return field_id
        if answer is not None and f.max_words and len(answer.split()) > f.max_words:
            return field_id
    return None


def good_move(data: st.DataObject, form: Form, state: NominationState) -> Event:
    """What a nominator heading for submission would do next (their answers may still be wrong)."""
    if state.at_review:
        todo = unfinished(form, state)
        # Sometimes submit regardless, as a hurried nominator would: it must be refused.
        return Edit(todo) if todo and data.draw(st.integers(0, 2)) else Submit()
    here = form.field(state.position)
    source = data.draw(st.sampled_from((None, *SOURCES)))
    answer = state.answer(here.id)
    if here.is_long and answer is not None:
        if here.max_words and len(answer.split()) > here.max_words:
            return Replace(data.draw(st.sampled_from(SENTENCES)), source)
        if data.draw(st.booleans()):
            return Done()
    return Answer(data.draw(good_text(here)), source)


# How often each kind of event is drawn: plausible answers and moving on dominate, so that many
# runs get as far as the review and a submission.
EVENT_KINDS = (
    ("good move",) * 8
    + ("done",) * 2
    + ("submit",) * 2
    + ("review",) * 2
    + ("rethink",) * 2
    + (
        "start",
        "answer",
        "replace",
        "revise",
        "clear",
        "back",
        "skip",
        "hints",
        "edit",
        "cancel",
    )
)


def draw_event(data: st.DataObject, form: Form, state: NominationState, used: list[str]) -> Event:
    kind = data.draw(st.sampled_from(EVENT_KINDS), label="kind")
    source = st.sampled_from((None, *SOURCES))
    match kind:
        case "good move":
            return good_move(data, form, state)
        case "answer":
            return Answer(data.draw(any_text), data.draw(source))
        case "replace":
            return Replace(data.draw(any_text), data.draw(source))
        case "revise":
            sources = st.sampled_from((*used, "never-sent")) if used else st.just("never-sent")
            some_field = data.draw(st.sampled_from(form.fields))
            return Revise(data.draw(sources), data.draw(st.one_of(any_text, good_text(some_field))))
        case "rethink":
            # Change an answer that other fields depend on: the hardest case for visibility.
            deciding = [f.id for f in form.fields if f.kind in (FieldKind.CHOICE, FieldKind.YES_NO)]
            return Edit(data.draw(st.sampled_from(deciding)))
        case "edit":
            ids = [f.id for f in form.fields]
            return Edit(data.draw(st.sampled_from((*ids, REVIEW, "q5", "nonexistent", ""))))
        case "done":
            return Done()
        case "submit":
            return Submit()
        case "review":
            return GoToReview()
        case "start":
            return Start()
        case "clear":
            return Clear()
        case "back":
            return Back()
        case "skip":
            return Skip()
        case "hints":
            return ShowHints()
        case _:
            return Cancel()


def shown_fields(form: Form, state: NominationState) -> list[str]:
    """Visible fields, worked out independently of the engine: a field is asked when every field
    it depends on is itself asked and answered with the value it names."""
    shown: list[str] = []
    for f in form.fields:
        if all(dep in shown and state.answer(dep) == v for dep, v in f.show_if.items()):
            shown.append(f.id)
    return shown


def expected_answers(
    form: Form, before: NominationState, event: Event, effects: tuple[Effect, ...]
) -> dict[str, tuple[Part, ...]]:
    """The model: what the answers must be after `event`, given what the engine reported."""
    answers = dict(before.answers)
    if before.is_submitted or any(isinstance(e, Reprompt) for e in effects):
        return answers
    target = None if before.at_review else form.field(before.position)
    match event:
        case Answer(text=text, source=source) | Replace(text=text, source=source):
            assert target is not None, "an answer on the review screen was accepted"
            value = validate(target, text)
            assert isinstance(value, str)
            check_normalised(target, text, value)
            if target.is_long:
                assert PartSaved(target.id, *saved_words(answers, target, event, value)) in effects
                earlier = answers.get(target.id, ()) if isinstance(event, Answer) else ()
                answers[target.id] = (*earlier, Part(text=value, source=source))
            else:
                assert any(isinstance(e, Ask | Review) for e in effects), "accepted, not moved on"
                answers[target.id] = (Part(text=value, source=source),)
        case Revise(source=source, text=text):
            holder = next(
                (fid for fid, parts in answers.items() if any(p.source == source for p in parts)),
                None,
            )
            if holder is None:
                assert effects == ()
                return answers
            parts = answers[holder]
            index = next(i for i, p in enumerate(parts) if p.source == source)
            value = validate(form.field(holder), text)
            assert isinstance(value, str)
            assert any(isinstance(e, Revised) and e.field_id == holder for e in effects)
            answers[holder] = (*parts[:index], Part(text=value, source=source), *parts[index + 1 :])
        case Clear() if target is not None and target.is_long:
            answers.pop(target.id, None)
        case Skip() if target is not None and not target.required:
            answers.pop(target.id, None)
    return answers


def saved_words(
    answers: dict[str, tuple[Part, ...]], target: FormField, event: Event, value: str
) -> tuple[int, int | None]:
    earlier = answers.get(target.id, ()) if isinstance(event, Answer) else ()
    words = sum(len(p.text.split()) for p in earlier) + len(value.split())
    return words, target.max_words


def check_normalised(target: FormField, text: str, value: str) -> None:
    """Normalising an answer only trims and folds whitespace, or picks the canonical value."""
    match target.kind:
        case FieldKind.LONG_TEXT:
            assert value == text.strip()
        case FieldKind.SHORT_TEXT:
            assert value == " ".join(text.split())
        case FieldKind.CHOICE:
            assert target.option(value) is not None
        case FieldKind.YES_NO:
            assert value in ("yes", "no")
        case FieldKind.EMAIL:
            assert value.casefold() in text.casefold()


def check_invariants(
    form: Form,
    before: NominationState,
    event: Event,
    after: NominationState,
    effects: tuple[Effect, ...],
) -> None:
    assert NominationState.model_validate_json(after.model_dump_json()) == after
    assert (after.form_id, after.form_version, after.reference) == (
        before.form_id,
        before.form_version,
        before.reference,
    )
    shown = shown_fields(form, after)
    assert [f.id for f in visible_fields(form, after)] == shown
    assert after.position == REVIEW or after.position in shown
    for effect in effects:
        if isinstance(effect, Ask):
            assert effect.field_id == after.position
            assert effect.current == after.answer(effect.field_id)
            assert 1 <= effect.progress.step <= effect.progress.steps
        if isinstance(effect, Review):
            assert after.at_review
    if before.is_submitted:
        assert after == before
        if isinstance(event, Start):
            assert effects == (Submitted(before.reference),)
        else:
            assert effects == (Reprompt(None, Problem.ALREADY_SUBMITTED),)
    elif after.is_submitted:
        assert isinstance(event, Submit)
        assert before.at_review
        assert effects == (Submitted(after.reference),)
    else:
        assert after.status is Status.DRAFT
    if after.is_submitted:
        for field_id in shown:
            f = form.field(field_id)
            answer = after.answer(field_id)
            if f.required:
                assert answer, f"submitted without {field_id}"
            if f.must_be_yes:
                assert answer == "yes"
            if f.max_words is not None and answer is not None:
                assert len(answer.split()) <= f.max_words


def run(form: Form, data: st.DataObject) -> None:
    state = new_nomination(form, REFERENCE)
    used: list[str] = []
    for _ in range(data.draw(st.integers(0, 120), label="length")):
        event = draw_event(data, form, state, used)
        snapshot = state.model_dump()
        transition = handle(form, state, event)
        assert state.model_dump() == snapshot, "the engine changed its input"
        after = transition.state
        assert after.answers == expected_answers(form, state, event, transition.effects)
        check_invariants(form, state, event, after, transition.effects)
        if isinstance(event, Answer | Replace) and event.source is not None:
            used.append(event.source)
        if isinstance(event, Revise) and transition.effects:
            note_event("revised an earlier message")
        state = after
    note_event(f"ended {state.status.value}")


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_random_events_on_the_award_form(data: st.DataObject) -> None:
    run(FORMS["shipped"], data)


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_random_events_on_the_tiny_form(data: st.DataObject) -> None:
    run(FORMS["tiny"], data)


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_random_events_on_a_form_with_chained_conditions(data: st.DataObject) -> None:
    run(FORMS["chained"], data)
