"""A colleague's supporting statement on the engine (flows/statement.py and its form): the
steps in order, SUPPORT_MAX_WORDS winning over the file, limits refused or blocking Send as a
nomination's are, a change from the review coming back to it, and text typed at the review
asking before it is saved. Every other rule is the engine's own, tested in tests/flows."""

from __future__ import annotations

from flows import engine
from flows.effects import Ask, PartSaved, Problem, Reprompt, Review, Submitted
from flows.events import Answer, Done, Edit, Event, Submit
from flows.form import Form
from flows.state import NominationState
from flows.statement import STATEMENT_FIELDS, answers_of, load_statement_form, new_statement

FULL = {"name": "Kim Lee", "role": "Matron", "relationship": "Her manager", "statement": "Yes."}


def run(form: Form, state: NominationState, *events: Event) -> engine.Transition:
    transition = engine.Transition(state, ())
    for event in events:
        transition = engine.handle(form, transition.state, event)
    return transition


def written(form: Form) -> NominationState:
    return run(form, new_statement(form, "LSI-7K3Q9M"), *map(Answer, FULL.values()), Done()).state


def test_the_setting_sets_the_word_limit() -> None:
    assert load_statement_form(10).field("statement").max_words == 10
    assert load_statement_form(300).field("statement").max_words == 300
    assert tuple(f.id for f in load_statement_form(300).fields) == STATEMENT_FIELDS


def test_the_steps_go_in_order_then_to_the_review_and_it_sends() -> None:
    form = load_statement_form(300)
    state = new_statement(form, "LSI-7K3Q9M")
    for field_id, text in FULL.items():
        assert state.position == field_id
        state = engine.handle(form, state, Answer(text)).state
    done = engine.handle(form, state, Done())
    assert done.state.at_review and done.effects == (Review(()),)
    assert answers_of(form, done.state) == FULL
    sent = engine.handle(form, done.state, Submit())
    assert sent.effects == (Submitted("LSI-7K3Q9M"),) and sent.state.is_submitted


def test_limits_refuse_or_block_sending_as_for_a_nomination() -> None:
    form = load_statement_form(10)
    start = new_statement(form, "LSI-7K3Q9M")
    too_long = engine.handle(form, start, Answer("x" * 201))
    assert too_long.effects == (Reprompt("name", Problem.TOO_LONG, 200),)
    assert too_long.state == start
    assert engine.handle(form, start, Answer(" \n ")).effects[0] == Reprompt("name", Problem.EMPTY)
    at_statement = run(form, start, *map(Answer, list(FULL.values())[:3])).state
    over = engine.handle(form, at_statement, Answer("word " * 11))
    assert over.effects == (PartSaved("statement", 11, 10),)  # kept, with its count
    blocked = run(form, over.state, Done(), Submit())
    assert isinstance(blocked.effects[0], Review) and blocked.effects[0].outstanding
    assert not blocked.state.is_submitted


def test_a_change_from_the_review_comes_back_to_it() -> None:
    form = load_statement_form(300)
    review = written(form)
    asked = engine.handle(form, review, Edit("role"))
    assert isinstance(asked.effects[0], Ask) and asked.state.position == "role"
    changed = engine.handle(form, asked.state, Answer("Senior Matron"))
    assert changed.state.at_review and changed.state.answer("role") == "Senior Matron"
    typed = engine.handle(form, review, Answer("hello"))
    assert typed.state.answers == review.answers  # asked about first, nothing saved yet
