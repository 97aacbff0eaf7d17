"""The form as data: the shipped award form holds the seed's text word for word, a second form runs
through the engine unchanged, and malformed forms are refused when they are loaded."""

from __future__ import annotations

import copy
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from flows.effects import (
    Ask,
    Hints,
    Note,
    Outstanding,
    PartSaved,
    Problem,
    Progress,
    Reprompt,
    Review,
    Submitted,
)
from flows.engine import handle, nominee_name, visible_fields
from flows.events import (
    Answer,
    Back,
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
from flows.form import FieldKind, Form, load_form
from flows.state import NominationState, Part, Status
from tests.flows.drafts import new_nomination

FORMS_DIR = Path(__file__).resolve().parent.parent / "forms"
SEED_COPY = FORMS_DIR / "seed_form.txt"
SEED_ORIGINAL = Path("/work/shared/seeds/000_56da6b0aec9b90fb.txt")
TINY = FORMS_DIR / "tiny.toml"
CHAINED_FORM = FORMS_DIR / "chained.toml"


def normalised(text: str) -> str:
    """Runs of whitespace (including the seed's no-break spaces) as single spaces, ends trimmed."""
    return " ".join(text.split())


@dataclass(frozen=True)
class SeedQuestion:
    line: str
    bullets: tuple[str, ...]


@dataclass(frozen=True)
class Seed:
    organiser: str
    title: str
    introduction: tuple[str, ...]
    guidance: str
    questions: dict[str, SeedQuestion]


def parse_seed(text: str) -> Seed:
    """The original form: organiser, title, two introduction paragraphs, the guidance, then each
    question line ("Q1 ...") followed by its bullets ("  • ...")."""
    lines = [line for line in text.splitlines() if line.strip()]
    organiser, title, intro_1, intro_2, guidance, *rest = lines
    questions: dict[str, SeedQuestion] = {}
    number = None
    for line in rest:
        match = re.match(r"(Q\d+) ", line)
        if match:
            number = match.group(1)
            questions[number] = SeedQuestion(line, ())
        else:
            assert number is not None and line.lstrip().startswith("•"), line
            bullet = line.strip().removeprefix("•")
            old = questions[number]
            questions[number] = SeedQuestion(old.line, (*old.bullets, normalised(bullet)))
    return Seed(organiser, title, (intro_1, intro_2), guidance, questions)


@pytest.fixture(scope="module")
def seed() -> Seed:
    return parse_seed(SEED_COPY.read_text(encoding="utf-8"))


# --- the shipped form -----------------------------------------------------------------------------


def test_shipped_form_loads(form: Form) -> None:
    assert form.id == "leading_for_service_improvement"
    assert form.reference_prefix == "LSI"
    assert [f.number for f in form.fields if f.is_question] == ["Q1", "Q2", "Q3", "Q4"]
    assert all(f.kind is FieldKind.LONG_TEXT for f in form.fields if f.is_question)
    assert form.field(form.roles.nominator_email).kind is FieldKind.EMAIL


@pytest.mark.skipif(not SEED_ORIGINAL.exists(), reason="the shared seed folder is not here")
def test_seed_copy_is_the_original() -> None:
    assert SEED_COPY.read_bytes() == SEED_ORIGINAL.read_bytes()


def test_seed_parses_into_four_questions(seed: Seed) -> None:
    assert list(seed.questions) == ["Q1", "Q2", "Q3", "Q4"]
    assert [len(q.bullets) for q in seed.questions.values()] == [3, 6, 3, 3]


def test_title_organiser_introduction_and_guidance_are_the_seeds(form: Form, seed: Seed) -> None:
    assert form.organiser == normalised(seed.organiser)
    assert form.title == normalised(seed.title)
    assert form.introduction == tuple(normalised(p) for p in seed.introduction)
    assert form.guidance == normalised(seed.guidance)


@pytest.mark.parametrize("number", ["Q1", "Q2", "Q3", "Q4"])
def test_question_line_is_the_seeds(form: Form, seed: Seed, number: str) -> None:
    field = next(f for f in form.fields if f.number == number)
    assert f"{field.number} {field.prompt} {field.hints_intro}" == normalised(
        seed.questions[number].line
    )


@pytest.mark.parametrize("number", ["Q1", "Q2", "Q3", "Q4"])
def test_every_hint_is_the_seeds_in_order(form: Form, seed: Seed, number: str) -> None:
    field = next(f for f in form.fields if f.number == number)
    assert field.hints == seed.questions[number].bullets


def test_curly_quotes_survive(form: Form) -> None:
    q4 = next(f for f in form.fields if f.number == "Q4")
    assert "organisation’s culture" in q4.hints[0]
    assert "‘be themselves’" in q4.hints[1]
    assert "‘call out’" in q4.hints[2]


# --- a second form, through the engine without code changes ------------------------------------


def test_tiny_form_loads(tiny_form: Form) -> None:
    assert tiny_form.id == "thank_you_award"
    assert tiny_form.reference_prefix == "TY"
    assert [f.id for f in tiny_form.fields] == [
        "who",
        "colleague_name",
        "your_name",
        "your_email",
        "story",
    ]
    assert tiny_form.field("story").max_words == 10


def drive(form: Form, state: NominationState, *events: Event) -> NominationState:
    for event in events:
        transition = handle(form, state, event)
        assert not any(isinstance(e, Reprompt) for e in transition.effects), (event, transition)
        state = transition.state
    return state


def test_tiny_form_runs_to_submission(tiny_form: Form) -> None:
    state = new_nomination(tiny_form, "TY-00001")
    assert state.form_id == "thank_you_award"
    assert state.form_version == 3
    assert state.position == "who"

    step = handle(tiny_form, state, Answer("One colleague"))
    assert step.effects == (Ask("colleague_name", Progress(2, 5)),)
    step = handle(tiny_form, step.state, Answer(" Jo   Bloggs "))
    assert step.effects == (Ask("your_name", Progress(3, 5)),)
    step = handle(tiny_form, step.state, Skip())
    assert step.effects == (Ask("your_email", Progress(4, 5)),)
    step = handle(tiny_form, step.state, Answer("me@example.org"))
    assert step.effects == (Ask("story", Progress(5, 5, 1, 1)),)
    assert handle(tiny_form, step.state, ShowHints()).effects == (Hints("story"),)
    step = handle(tiny_form, step.state, Answer("She covered my night shift", "m1"))
    assert step.effects == (PartSaved("story", 5, 10),)
    step = handle(tiny_form, step.state, Done())
    assert step.effects == (Review(()),)
    step = handle(tiny_form, step.state, Submit())
    assert step.effects == (Submitted("TY-00001"),)
    assert step.state.status is Status.SUBMITTED
    assert step.state.answer("colleague_name") == "Jo Bloggs"
    assert nominee_name(tiny_form, step.state) == "Jo Bloggs"


def test_tiny_form_word_limit_of_ten(tiny_form: Form) -> None:
    state = drive(tiny_form, new_nomination(tiny_form, "TY-00002"), Answer("2"))
    assert state.position == "your_name"
    state = drive(tiny_form, state, Answer("Sam"), Answer("sam@example.org"))
    step = handle(
        tiny_form, state, Answer("one two three four five six seven eight nine ten eleven")
    )
    assert step.effects == (PartSaved("story", 11, 10),)
    assert step.effects[0].words_over == 1
    step = handle(tiny_form, step.state, Done())
    assert step.effects == (
        Note("story", Problem.OVER_LIMIT),
        Review((Outstanding("story", Problem.OVER_LIMIT, 1),)),
    )
    assert handle(tiny_form, step.state, Submit()).state.status is Status.DRAFT


def test_tiny_form_team_choice_hides_the_name(tiny_form: Form) -> None:
    state = drive(tiny_form, new_nomination(tiny_form, "TY-00003"), Answer("The whole ward"))
    assert [f.id for f in visible_fields(tiny_form, state)] == [
        "who",
        "your_name",
        "your_email",
        "story",
    ]
    assert nominee_name(tiny_form, state) is None


def test_tiny_form_loads_through_load_form_from_any_path(tmp_path: Path) -> None:
    copy_of_tiny = tmp_path / "elsewhere.toml"
    copy_of_tiny.write_text(TINY.read_text(encoding="utf-8"), encoding="utf-8")
    assert load_form(copy_of_tiny) == load_form(TINY)


# --- a chain of conditions: an answer left in a field no longer asked decides nothing ----------


def test_a_question_whose_condition_is_no_longer_asked_is_not_asked() -> None:
    form = load_form(CHAINED_FORM)
    state = drive(form, new_nomination(form, "TY-00004"), Answer("ward"), Answer("large"))
    assert state.position == "ward_name"
    state = drive(form, state, Answer("Ward 7"), Back(), Back(), Back())
    assert state.position == "who"
    step = handle(form, state, Answer("colleague"))
    assert step.effects == (Ask("colleague_name", Progress(2, 5)),)
    step = handle(form, step.state, Answer("Jo"))
    # Not "Which ward?": the ward's size is no longer asked, so its answer decides nothing.
    assert step.state.position == "your_name"
    assert [f.id for f in visible_fields(form, step.state)] == [
        "who",
        "colleague_name",
        "your_name",
        "your_email",
        "story",
    ]
    assert handle(form, step.state, Edit("ward_name")).effects == (
        Reprompt("your_name", Problem.UNKNOWN_FIELD),
    )
    # The hidden answers are kept, so switching back restores them.
    back_to_ward = drive(form, step.state, GoToReview(), Edit("who"), Answer("ward"))
    assert back_to_ward.answer("ward_name") == "Ward 7"
    assert "ward_name" in [f.id for f in visible_fields(form, back_to_ward)]


# --- malformed forms are refused ------------------------------------------------------------------


def tiny_data() -> dict[str, Any]:
    return tomllib.loads(TINY.read_text(encoding="utf-8"))


def field_of(data: dict[str, Any], field_id: str) -> dict[str, Any]:
    return next(f for s in data["sections"] for f in s["fields"] if f["id"] == field_id)


def duplicate_id(data: dict[str, Any]) -> None:
    field_of(data, "your_name")["id"] = "who"


def show_if_unknown(data: dict[str, Any]) -> None:
    field_of(data, "colleague_name")["show_if"] = {"whom": "colleague"}


def show_if_later(data: dict[str, Any]) -> None:
    field_of(data, "colleague_name")["show_if"] = {"your_email": "me@example.org"}


def show_if_later_choice(data: dict[str, Any]) -> None:
    data["sections"][0]["fields"].reverse()


def show_if_itself(data: dict[str, Any]) -> None:
    field_of(data, "who")["show_if"] = {"who": "ward"}


def show_if_impossible(data: dict[str, Any]) -> None:
    field_of(data, "colleague_name")["show_if"] = {"who": "team"}


def show_if_on_free_text(data: dict[str, Any]) -> None:
    field_of(data, "your_email")["show_if"] = {"your_name": "Sam"}


def one_option(data: dict[str, Any]) -> None:
    field_of(data, "who")["options"] = [{"value": "colleague", "label": "One colleague"}]


def options_on_text(data: dict[str, Any]) -> None:
    field_of(data, "your_name")["options"] = [
        {"value": "a", "label": "A"},
        {"value": "b", "label": "B"},
    ]


def hints_on_short_text(data: dict[str, Any]) -> None:
    field_of(data, "your_name")["hints"] = ["Your full name"]


def must_be_yes_on_text(data: dict[str, Any]) -> None:
    field_of(data, "your_name")["must_be_yes"] = True


def bad_pattern(data: dict[str, Any]) -> None:
    field_of(data, "your_name")["pattern"] = "([a-z"


def roles_unknown_nominee(data: dict[str, Any]) -> None:
    data["roles"]["nominee"] = ["colleague_name", "team_name"]


def roles_unknown_nominator(data: dict[str, Any]) -> None:
    data["roles"]["nominator_name"] = "nominator"


def nominator_email_not_email(data: dict[str, Any]) -> None:
    data["roles"]["nominator_email"] = "your_name"


def unknown_key(data: dict[str, Any]) -> None:
    field_of(data, "your_name")["requried"] = False


def unknown_kind(data: dict[str, Any]) -> None:
    field_of(data, "your_name")["kind"] = "number"


def bad_field_id(data: dict[str, Any]) -> None:
    field_of(data, "your_name")["id"] = "Your Name"


def bad_prefix(data: dict[str, Any]) -> None:
    data["reference_prefix"] = "ty"


def no_sections(data: dict[str, Any]) -> None:
    data["sections"] = []


def zero_word_limit(data: dict[str, Any]) -> None:
    field_of(data, "story")["max_words"] = 0


MALFORMED: list[tuple[Callable[[dict[str, Any]], None], str]] = [
    (duplicate_id, "duplicate field ids"),
    (show_if_unknown, "depends on unknown field 'whom'"),
    (show_if_later, "must come after 'your_email'"),
    (show_if_later_choice, "must come after 'who'"),
    (show_if_itself, "must come after 'who'"),
    (show_if_impossible, "'who' can never be 'team'"),
    (show_if_on_free_text, "'your_name' can never be 'Sam'"),
    (one_option, "needs at least two options"),
    (options_on_text, "only choice fields have options"),
    (hints_on_short_text, "only long_text fields have hints"),
    (must_be_yes_on_text, "must_be_yes is for yes_no fields"),
    (bad_pattern, "bad pattern for .your_name.: unterminated"),
    (roles_unknown_nominee, "roles name unknown fields: \\['team_name'\\]"),
    (roles_unknown_nominator, "roles name unknown fields: \\['nominator'\\]"),
    (nominator_email_not_email, "nominator_email must be an email field"),
    (unknown_key, "requried"),
    (unknown_kind, "kind"),
    (bad_field_id, "pattern"),
    (bad_prefix, "reference_prefix"),
    (no_sections, "sections"),
    (zero_word_limit, "max_words"),
]


@pytest.mark.parametrize(
    ("spoil", "message"), MALFORMED, ids=[spoil.__name__ for spoil, _ in MALFORMED]
)
def test_malformed_form_is_refused(spoil: Callable[[dict[str, Any]], None], message: str) -> None:
    data = copy.deepcopy(tiny_data())
    Form.model_validate(data)  # unspoilt, it loads
    spoil(data)
    with pytest.raises(ValidationError, match=message):
        Form.model_validate(data)


def test_malformed_form_file_is_refused_by_load_form(tmp_path: Path) -> None:
    text = TINY.read_text(encoding="utf-8").replace('id = "your_name"', 'id = "who"')
    path = tmp_path / "broken.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError, match="duplicate field ids"):
        load_form(path)


# --- a draft saved under an older version of the form -------------------------------------------


def test_a_draft_from_an_older_form_carries_on_where_it_can() -> None:
    form = load_form(TINY)
    old = NominationState(
        form_id=form.id,
        form_version=form.version - 1,
        reference="TY-00009",
        position="removed_question",
        answers={
            "who": (Part(text="colleague"),),
            "removed_question": (Part(text="old answer", source="m1"),),
        },
    )
    step = handle(form, old, Start())
    assert step.state.position == "colleague_name"
    assert step.effects == (Ask("colleague_name", Progress(2, 5)),)
    # An edit of the message that answered the removed question changes nothing and never fails.
    assert handle(form, step.state, Revise("m1", "new")).effects == ()
    assert step.state.answer("removed_question") == "old answer"
