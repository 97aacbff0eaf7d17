"""Where a nomination is in its form: which fields it asks, how far along it is, and what still
stops it being sent. Pure functions of the form and the state."""

from __future__ import annotations

from collections.abc import Collection

from flows.effects import Outstanding, Problem, Progress
from flows.form import YES, Form, FormField
from flows.state import REVIEW, NominationState, Part
from flows.validation import word_count


def is_visible(form: Form, form_field: FormField, state: NominationState) -> bool:
    """Whether this nomination asks the field (see visible_fields)."""
    return any(f.id == form_field.id for f in visible_fields(form, state))


def visible_fields(form: Form, state: NominationState) -> tuple[FormField, ...]:
    """The fields this nomination asks, in order (e.g. team name only for a team).

    A field is asked when each field it depends on (show_if) is itself asked and has the named
    answer: an answer left behind in a field that is no longer asked decides nothing.
    """
    shown: dict[str, FormField] = {}
    for f in form.fields:
        if all(dep in shown and state.answer(dep) == value for dep, value in f.show_if.items()):
            shown[f.id] = f
    return tuple(shown.values())


def nominee_name(
    form: Form, state: NominationState, *, asked: Collection[str] | None = None
) -> str | None:
    """What to call the nominee: the first asked and answered of the form's nominee fields.
    `asked`: the ids of the fields this nomination asks, where the caller has them already."""
    if asked is None:
        asked = {f.id for f in visible_fields(form, state)}
    for field_id in form.roles.nominee:
        if field_id in asked:
            answer = state.answer(field_id)
            if answer:
                return answer
    return None


def nominator_email(form: Form, state: NominationState) -> str | None:
    """The nominator's email address as answered: None if not given, or if the form asks for
    none (a colleague's supporting statement)."""
    field_id = form.roles.nominator_email
    return state.answer(field_id) if field_id is not None else None


def asked_field(form: Form, state: NominationState) -> FormField | None:
    """The field this draft stands at; None at the review, and for a draft saved under an older
    form that stands at a field this form lacks (the engine finds its place when it carries on,
    so it reads as being at the review until then)."""
    if state.at_review or not form.has_field(state.position):
        return None
    return form.field(state.position)


def first_position(form: Form) -> str:
    """Where a new nomination starts."""
    return visible_fields(
        form,
        NominationState(form_id=form.id, form_version=form.version, reference="", position=REVIEW),
    )[0].id


def as_asked(form: Form, state: NominationState, field_id: str) -> FormField:
    """A field in the words for this nomination (a team's wording for a team)."""
    chosen = state.answer(form.varies_by) if form.varies_by is not None else None
    return form.as_asked(field_id, chosen)


def progress(form: Form, state: NominationState, form_field: FormField) -> Progress:
    """Where a field sits: "Step 6 of 14", and "Question 3 of 4" for the award questions."""
    fields = visible_fields(form, _assume_first_options(form, state))
    questions = [f for f in fields if f.is_question]
    step = next(i for i, f in enumerate(fields, 1) if f.id == form_field.id)
    if form_field.is_question:
        question = next(i for i, f in enumerate(questions, 1) if f.id == form_field.id)
        return Progress(step, len(fields), question, len(questions))
    return Progress(step, len(fields))


def _assume_first_options(form: Form, state: NominationState) -> NominationState:
    """For counting steps before a choice is made (individual or team?), assume its first option,
    so the count does not jump when the choice is made the expected way."""
    answers = dict(state.answers)
    for f in form.fields:
        for dep in f.show_if:
            target = form.field(dep)
            if dep not in answers and target.options:
                answers[dep] = (Part(text=target.options[0].value),)
    return state.model_copy(update={"answers": answers})


def outstanding(form: Form, state: NominationState) -> tuple[Outstanding, ...]:
    """What stops this nomination being submitted, in form order."""
    found: list[Outstanding] = []
    for f in visible_fields(form, state):
        answer = state.answer(f.id)
        if answer is None:
            if f.required:
                found.append(Outstanding(f.id, Problem.MISSING))
            continue
        if f.must_be_yes and answer != YES:
            found.append(Outstanding(f.id, Problem.CONSENT_REFUSED))
            continue
        # Counted once: a long answer can run to thousands of words, and the review asks often.
        words = word_count(answer) if f.max_words is not None or f.min_words is not None else 0
        if f.max_words is not None and words > f.max_words:
            found.append(Outstanding(f.id, Problem.OVER_LIMIT, words - f.max_words))
        elif f.min_words is not None and words < f.min_words:
            found.append(Outstanding(f.id, Problem.TOO_SHORT, f.min_words - words))
    return tuple(found)
