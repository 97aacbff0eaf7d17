"""Property tests: random event sequences never crash the engine and never lose an answer.

Each run drives one nomination with events drawn one at a time, so that some of them can depend
on where the nomination is (a plausible answer to the field being asked, a revision of a message
that was really sent). A model of the answers is kept beside the engine's state: it changes only
when the event was aimed at a field and the engine says it accepted it. Two promises are checked
on every step: no text a nominator types is dropped without a reply saying so, and no answer
changes except the one the nominator is on (or the message they edited).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from hypothesis import event as note_event
from hypothesis import given, settings
from hypothesis import strategies as st

from flows.effects import (
    Ask,
    AskConfirm,
    Deleted,
    Effect,
    Kept,
    PartSaved,
    Problem,
    Reprompt,
    Review,
    Revised,
    Submitted,
)
from flows.engine import handle, validate, visible_fields
from flows.events import (
    AddTo,
    Answer,
    Back,
    Cancel,
    Clear,
    Confirm,
    Decline,
    Delete,
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
from flows.form import FieldKind, Form, FormField, load_form
from flows.state import REVIEW, Confirmation, NominationState, Part, Status
from flows.validation import yes_or_no
from tests.flows.drafts import new_nomination
from tests.flows.expectations import (
    EMAIL_MEANS,
    NAMES,
    OTHER_WORDS,
    PHONES,
    SENTENCES,
    YES_NO_MEANS,
    Verdict,
    expected,
)

T = TypeVar("T")
TINY_FORM = Path(__file__).resolve().parent.parent / "forms" / "tiny.toml"
CHAINED_FORM = TINY_FORM.with_name("chained.toml")


FORMS = {"shipped": load_form(), "tiny": load_form(TINY_FORM), "chained": load_form(CHAINED_FORM)}
REFERENCE = "LSI-TEST23"
SOURCES = ("m1", "m2", "m3", "m4", "m5", "m6")

EMAILS = tuple(EMAIL_MEANS)
YES_NO = tuple(YES_NO_MEANS)
JUNK = ("", " ", "\n\t  ", *OTHER_WORDS, "/back")
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


# Strategies are built once: hypothesis works out a new strategy's label and checks it on its
# first draw, which made building them afresh for every event most of the cost of these tests.
BOOLEANS = st.booleans()
ONE_IN_THREE = st.integers(0, 2)
SOURCE = st.sampled_from((None, *SOURCES))
_BUILT: dict[tuple[str, int], tuple[object, st.SearchStrategy[Any]]] = {}


def once(
    name: str, owner: object, build: Callable[[], st.SearchStrategy[T]]
) -> st.SearchStrategy[T]:
    """The strategy `build` makes for this form or field, built on first use. Kept by the owner's
    id, with the owner beside it so that the id is never reused."""
    key = (name, id(owner))
    if key not in _BUILT:
        _BUILT[key] = (owner, build())
    return _BUILT[key][1]


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
    return once("good text", form_field, lambda: _good_text(form_field))


def _good_text(form_field: FormField) -> st.SearchStrategy[str]:
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
        if answer is not None and f.min_words and len(answer.split()) < f.min_words:
            return field_id
    return None


def good_move(data: st.DataObject, form: Form, state: NominationState) -> Event:
    """What a nominator heading for submission would do next (their answers may still be wrong)."""
    if state.pending is not None:
        return Confirm() if data.draw(BOOLEANS) else Decline()
    if state.at_review:
        todo = unfinished(form, state)
        # Sometimes submit regardless, as a hurried nominator would: it must be refused.
        return Edit(todo) if todo and data.draw(ONE_IN_THREE) else Submit()
    here = form.field(state.position)
    source = data.draw(SOURCE)
    answer = state.answer(here.id)
    if here.is_long and answer is not None:
        if here.max_words and len(answer.split()) > here.max_words:
            return Clear()
        if data.draw(BOOLEANS):
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
        "add to",
        "delete",
        "confirm",
        "decline",
        "revise",
        "clear",
        "back",
        "skip",
        "hints",
        "edit",
        "cancel",
    )
)


EVENT_KIND = st.sampled_from(EVENT_KINDS)


def deciding(form: Form) -> list[str]:
    """The fields whose answers other fields depend on."""
    return [f.id for f in form.fields if f.kind in (FieldKind.CHOICE, FieldKind.YES_NO)]


def edit_targets(form: Form) -> tuple[str, ...]:
    """What an Edit may name: every field, the review, and names no field has."""
    return (*(f.id for f in form.fields), REVIEW, "q5", "nonexistent", "")


def draw_event(data: st.DataObject, form: Form, state: NominationState, used: list[str]) -> Event:
    kind = data.draw(EVENT_KIND, label="kind")
    match kind:
        case "good move":
            return good_move(data, form, state)
        case "answer":
            return Answer(data.draw(any_text), data.draw(SOURCE))
        case "add to":
            return AddTo()
        case "delete":
            return Delete()
        case "confirm":
            return Confirm()
        case "decline":
            return Decline()
        case "revise":
            sources = st.sampled_from((*used, "never-sent")) if used else st.just("never-sent")
            some_field = data.draw(once("field", form, lambda: st.sampled_from(form.fields)))
            text = once(
                "any or good", some_field, lambda: st.one_of(any_text, good_text(some_field))
            )
            return Revise(data.draw(sources), data.draw(text))
        case "rethink":
            # Change an answer that other fields depend on: the hardest case for visibility.
            return Edit(data.draw(once("deciding", form, lambda: st.sampled_from(deciding(form)))))
        case "edit":
            return Edit(data.draw(once("edit", form, lambda: st.sampled_from(edit_targets(form)))))
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
    check_refused_only_when_expected(form, before, event, effects)
    if before.is_submitted or any(isinstance(e, Reprompt) for e in effects):
        return answers
    pending = before.pending
    if pending is not None and not isinstance(event, Revise):
        reply = yes_or_no(event.text) if isinstance(event, Answer) else None
        if isinstance(event, Confirm) or reply == "yes":
            return confirmed(form, before, answers, effects)
        if isinstance(event, Decline | Answer | Start | Cancel) or (
            isinstance(event, Clear | Delete) and pending.about is not Confirmation.SAVE_TYPED
        ):
            return answers  # answered no, asked again, or paused: nothing changes
        before = before.model_copy(update={"pending": None})
    target = None if before.at_review else form.field(before.position)
    match event:
        case Answer(text=text, source=source):
            if target is None:
                return answers  # typed at the review: offered, not saved
            answers[target.id] = answered(answers, target, before.replacing, text, source, effects)
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
        case Skip() if target is not None and not target.required:
            answers.pop(target.id, None)
    return answers


def check_refused_only_when_expected(
    form: Form, before: NominationState, event: Event, effects: tuple[Effect, ...]
) -> None:
    """An answer typed at the field being asked is refused exactly when the model says so."""
    if not isinstance(event, Answer) or before.is_submitted or before.pending is not None:
        return
    if before.at_review:
        return
    target = form.field(before.position)
    earlier = () if before.replacing else before.answers.get(target.id, ())
    verdict = expected(target, event.text, earlier)
    refused = any(isinstance(e, Reprompt) and e.field_id == target.id for e in effects)
    if verdict is Verdict.REFUSED:
        assert refused, f"{event.text!r} should be refused at {target.id}: {effects!r}"
    elif verdict is not Verdict.UNSURE:
        assert not refused, f"{event.text!r} wrongly refused at {target.id}: {effects!r}"


def confirmed(
    form: Form,
    before: NominationState,
    answers: dict[str, tuple[Part, ...]],
    effects: tuple[Effect, ...],
) -> dict[str, tuple[Part, ...]]:
    pending = before.pending
    assert pending is not None
    match pending.about:
        case Confirmation.CLEAR:
            answers.pop(before.position, None)
        case Confirmation.DELETE:
            assert effects == (Deleted(),)
        case Confirmation.SAVE_TYPED:
            assert pending.field_id is not None and pending.text is not None
            target = form.field(pending.field_id)
            parts = answered(answers, target, False, pending.text, pending.source, effects)
            answers[target.id] = parts
    return answers


def answered(
    answers: dict[str, tuple[Part, ...]],
    target: FormField,
    replacing: bool,
    text: str,
    source: str | None,
    effects: tuple[Effect, ...],
) -> tuple[Part, ...]:
    """A field's parts after `text` was accepted as its answer."""
    earlier = () if replacing or not target.is_long else answers.get(target.id, ())
    verdict = expected(target, text, earlier)
    assert verdict is not Verdict.REFUSED, f"{text!r} accepted at {target.id}"
    # Where the model has no expectation of its own (random text), the engine's value, checked
    # for being only a normalised form of what was typed.
    value = validate(target, text) if verdict is Verdict.UNSURE else verdict
    assert isinstance(value, str)
    check_normalised(target, text, value)
    if not target.is_long:
        assert any(isinstance(e, Ask | Review) for e in effects), "accepted, not moved on"
        return (Part(text=value, source=source),)
    words = sum(len(p.text.split()) for p in earlier) + len(value.split())
    assert PartSaved(target.id, words, target.max_words) in effects
    return (*earlier, Part(text=value, source=source))


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
            assert not effect.replacing or after.replacing
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
            if f.min_words is not None and answer is not None:
                assert len(answer.split()) >= f.min_words


def check_typed_text_is_never_dropped_silently(
    before: NominationState, event: Event, after: NominationState, effects: tuple[Effect, ...]
) -> None:
    """Typed text is saved, kept for the nominator to choose about, read as a yes or no to the
    question waiting for one, or refused with a reply that says so."""
    if not isinstance(event, Answer) or before.is_submitted:
        return
    # Accepted as the answer to the field being asked (expected_answers checks how exactly).
    saved = before.pending is None and not before.at_review
    kept = after.pending is not None and after.pending.text == event.text
    replied = any(isinstance(e, Reprompt | AskConfirm | Kept | Deleted) for e in effects)
    read_as_reply = before.pending is not None and yes_or_no(event.text) is not None
    assert saved or kept or replied or read_as_reply, f"{event!r} was dropped: {effects!r}"


def check_only_the_current_answer_changes(
    before: NominationState, event: Event, after: NominationState
) -> None:
    """Only the field the nominator is on changes (or the one typed text was offered for, once
    the nominator says yes); a Revise changes only the field whose message was edited."""
    changed = {
        fid
        for fid in before.answers.keys() | after.answers.keys()
        if before.answers.get(fid) != after.answers.get(fid)
    }
    if isinstance(event, Revise):
        assert len(changed) <= 1
        return
    offered = before.pending.field_id if before.pending is not None else None
    assert changed <= {before.position, after.position, offered}, (event, changed)


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
        check_typed_text_is_never_dropped_silently(state, event, after, transition.effects)
        check_only_the_current_answer_changes(state, event, after)
        if isinstance(event, Answer) and event.source is not None:
            used.append(event.source)
        if any(isinstance(e, Deleted) for e in transition.effects):
            note_event("deleted")
            return  # the service erases the draft: this journey is over
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
