"""Corrections behave as a person expects (issue 7): one test per defect, at the engine.

Each test drives the engine from a realistic state with the events a front end sends, and
checks both what the nominator is shown (effects) and what is kept (the state).
"""

from __future__ import annotations

import re

from flows.effects import (
    Ask,
    AskConfirm,
    Deleted,
    Kept,
    Outstanding,
    PartSaved,
    Problem,
    Reprompt,
    Review,
)
from flows.engine import as_asked, handle, progress, visible_fields, word_count
from flows.events import (
    AddTo,
    Answer,
    Back,
    Clear,
    Confirm,
    Decline,
    Delete,
    Done,
    Edit,
    Event,
    GoToReview,
    Skip,
    Start,
)
from flows.form import Form
from flows.state import REVIEW, Confirmation, NominationState, Part
from tests.flows.drafts import ENOUGH, INDIVIDUAL, new_nomination

REF = "LSI-FIX007"
LONG_Q = " ".join(["care"] * 412)


def state(position: str, answers: dict[str, str], **update: object) -> NominationState:
    base = NominationState(
        form_id="leading_for_service_improvement",
        form_version=2,
        reference=REF,
        position=position,
        answers={k: (Part(text=v, source=f"m-{k}"),) for k, v in answers.items()},
    )
    return base.model_copy(update=update)


def drive(form: Form, start: NominationState, *events: Event) -> NominationState:
    for event in events:
        start = handle(form, start, event).state
    return start


# 1. Change on a long answer replaces it; Add to it appends -----------------------------------


def test_change_then_a_shorter_answer_replaces_the_long_one(form: Form) -> None:
    reviewing = state(REVIEW, INDIVIDUAL | {"q2": LONG_Q + " more words here"})
    change = handle(form, reviewing, Edit("q2"))
    (asked,) = change.effects
    assert isinstance(asked, Ask) and asked.replacing
    shorter = handle(form, change.state, Answer(ENOUGH, "m1"))
    assert shorter.state.answer("q2") == ENOUGH
    assert shorter.effects == (PartSaved("q2", word_count(ENOUGH), 500),)
    # Later messages in the same turn add to the new answer.
    more = handle(form, shorter.state, Answer("And it lasted.", "m2"))
    assert more.state.answer("q2") == f"{ENOUGH}\n\nAnd it lasted."
    assert handle(form, more.state, Done()).effects == (Review(()),)


def test_add_to_it_appends_instead(form: Form) -> None:
    change = handle(form, state(REVIEW, INDIVIDUAL), Edit("q2"))
    adding = handle(form, change.state, AddTo())
    (asked,) = adding.effects
    assert isinstance(asked, Ask) and not asked.replacing and asked.current == ENOUGH
    more = handle(form, adding.state, Answer("And it lasted.", "m2"))
    assert more.state.answer("q2") == f"{ENOUGH}\n\nAnd it lasted."


def test_change_on_a_short_answer_still_replaces_it(form: Form) -> None:
    change = handle(form, state(REVIEW, INDIVIDUAL), Edit("nominee_role"))
    (asked,) = change.effects
    assert isinstance(asked, Ask) and not asked.replacing  # one-part answers always replace
    done = handle(form, change.state, Answer("Ward Sister"))
    assert done.state.answer("nominee_role") == "Ward Sister" and done.state.at_review


# 2. Go to on an unfinished review changes nothing else; typed text at the review is kept -----


def unfinished() -> NominationState:
    answers = {k: v for k, v in INDIVIDUAL.items() if k not in ("q1", "q2", "q3", "q4")}
    return state(REVIEW, answers)


def test_go_to_an_unanswered_question_carries_on_through_the_form(form: Form) -> None:
    """Issue 16: Go to an unanswered question from the review goes on to the next unanswered
    one, not back to the review after every answer (GOV.UK's "check answers" pattern)."""
    go = handle(form, unfinished(), Edit("q1"))
    assert go.state.position == "q1" and not go.state.returning_to_review
    seen: list[str] = []
    walking = go.state
    for question in ("q1", "q2", "q3", "q4"):
        assert walking.position == question
        typed = handle(form, walking, Answer(ENOUGH))
        walking = handle(form, typed.state, Done()).state
        seen.append(walking.position)
    assert seen == ["q2", "q3", "q4", REVIEW]
    assert not walking.filling_gaps and not walking.returning_to_review


def test_go_to_passes_over_questions_already_answered(form: Form) -> None:
    answers = {k: v for k, v in INDIVIDUAL.items() if k not in ("q1", "q3")}
    go = handle(form, state(REVIEW, answers), Edit("q1"))
    typed = handle(form, go.state, Answer(ENOUGH))
    done = handle(form, typed.state, Done())
    assert done.state.position == "q3"  # Q2 is answered: on to the next gap
    typed = handle(form, done.state, Answer(ENOUGH))
    done = handle(form, typed.state, Done())
    assert done.state.at_review and done.effects == (Review(()),)


def test_go_to_an_answer_too_short_to_send_carries_on_to_the_next_gap(form: Form) -> None:
    """Issue 16: the review's Go to names the first thing that stops submission, a too-short
    answer included; once it is long enough, the form goes on to the next gap, not back."""
    answers = {k: v for k, v in INDIVIDUAL.items() if k not in ("q2", "q3")} | {"q2": "Too short."}
    go = handle(form, state(REVIEW, answers), Edit("q2"))
    assert go.state.filling_gaps and not go.state.returning_to_review
    typed = handle(form, go.state, Answer(ENOUGH))
    done = handle(form, typed.state, Done())
    assert done.state.position == "q3"
    typed = handle(form, done.state, Answer(ENOUGH))
    assert handle(form, typed.state, Done()).state.at_review


def test_change_from_an_unfinished_review_still_returns_to_it(form: Form) -> None:
    change = handle(form, unfinished(), Edit("nominee_role"))
    assert change.state.returning_to_review and not change.state.filling_gaps
    done = handle(form, change.state, Answer("Ward Sister"))
    assert done.state.at_review
    assert done.effects[-1] == Review(
        tuple(Outstanding(q, Problem.MISSING) for q in ("q1", "q2", "q3", "q4"))
    )


def test_after_a_go_to_back_and_typing_work_as_before(form: Form) -> None:
    go = handle(form, unfinished(), Edit("q2"))
    back = handle(form, go.state, Back())
    assert back.state.position == "q1" and not back.state.returning_to_review
    # A typed Q1 answer is saved, not refused as "this is the review".
    typed = handle(form, back.state, Answer(ENOUGH))
    assert typed.state.answer("q1") == ENOUGH
    # And the form carries on in order: Q2 next, not the review.
    assert handle(form, typed.state, Done()).state.position == "q2"


def test_the_optional_phone_is_still_offered_after_a_go_to(form: Form) -> None:
    details = ("nominee_type", "nominee_name", "nominee_role", "nominee_organisation")
    answers = {k: v for k, v in INDIVIDUAL.items() if k in (*details, "nominee_aware")}
    go = handle(form, state(REVIEW, answers), Edit("nominator_email"))
    # Answered: on to the next unanswered field, the optional phone, not past it.
    answered = handle(form, go.state, Answer("sam@nhs.net"))
    assert answered.state.position == "nominator_phone"
    # Or Back from the jump, then on through the form in order: the phone is asked.
    back = handle(form, go.state, Back())
    assert back.state.position == "nominator_name"
    walk = drive(form, back.state, Answer("Sam Jones"), Answer("sam@nhs.net"))
    assert walk.position == "nominator_phone"


def test_text_typed_at_the_review_is_offered_for_the_first_outstanding_question(
    form: Form,
) -> None:
    typed = handle(form, unfinished(), Answer(ENOUGH, "m5"))
    assert typed.effects == (AskConfirm(Confirmation.SAVE_TYPED, "q1"),)
    assert typed.state.pending is not None and typed.state.pending.text == ENOUGH
    assert typed.state.answers == unfinished().answers
    # Kept until the nominator chooses: coming back asks again.
    again = handle(form, typed.state, Start())
    assert again.effects == typed.effects and again.state == typed.state
    saved = handle(form, typed.state, Confirm())
    assert saved.state.answers["q1"] == (Part(text=ENOUGH, source="m5"),)
    assert saved.state.position == "q1" and saved.state.pending is None
    assert handle(form, saved.state, Done()).state.at_review


def test_typed_text_is_offered_only_to_a_question_it_could_answer(form: Form) -> None:
    # Only consent is outstanding: a paragraph typed at the review is no answer to a yes/no
    # question, so it is not offered there; the nominator is told it was not saved.
    no_consent = state(REVIEW, {k: v for k, v in INDIVIDUAL.items() if k != "consent"})
    typed = handle(form, no_consent, Answer(ENOUGH, "m6"))
    assert typed.effects == (Reprompt(None, Problem.USE_REVIEW_BUTTONS),)
    assert typed.state == no_consent
    # With consent and Q2 outstanding, the offer skips consent and goes to Q2.
    both = state(REVIEW, {k: v for k, v in INDIVIDUAL.items() if k not in ("consent", "q2")})
    offered = handle(form, both, Answer(ENOUGH, "m7"))
    assert offered.effects == (AskConfirm(Confirmation.SAVE_TYPED, "q2"),)


def test_no_to_the_offer_drops_the_text_and_says_so(form: Form) -> None:
    typed = handle(form, unfinished(), Answer(ENOUGH))
    declined = handle(form, typed.state, Decline())
    assert declined.effects[0] == Kept(Confirmation.SAVE_TYPED)
    assert isinstance(declined.effects[1], Review)
    assert declined.state.answers == unfinished().answers and declined.state.pending is None
    # Moving on without choosing also says the text was not saved.
    typed = handle(form, unfinished(), Answer(ENOUGH))
    moved = handle(form, typed.state, Edit("q3"))
    assert moved.effects[0] == Kept(Confirmation.SAVE_TYPED)
    assert moved.state.pending is None and moved.state.position == "q3"


# 3. Start again asks first ---------------------------------------------------------------------


def test_start_again_asks_before_clearing(form: Form) -> None:
    at_q1 = state("q1", INDIVIDUAL | {"q1": LONG_Q})
    ask = handle(form, at_q1, Clear())
    assert ask.effects == (AskConfirm(Confirmation.CLEAR, "q1", 412),)
    assert ask.state.answers == at_q1.answers
    kept = handle(form, ask.state, Decline())
    assert kept.effects[0] == Kept(Confirmation.CLEAR)
    assert kept.state.answer("q1") == LONG_Q
    cleared = handle(form, ask.state, Answer("yes"))
    assert cleared.state.answer("q1") is None
    (asked,) = cleared.effects
    assert isinstance(asked, Ask) and asked.field_id == "q1" and asked.current is None


# 4. Delete is confirmed in the engine; typed yes/no answers whatever is pending ---------------


def test_typed_yes_at_delete_confirms_it_and_is_not_saved_as_an_answer(form: Form) -> None:
    at_org = state("nominee_organisation", {"nominee_type": "individual", "nominee_name": "P"})
    asked = handle(form, at_org, Delete())
    assert asked.effects == (AskConfirm(Confirmation.DELETE),)
    yes = handle(form, asked.state, Answer("yes"))
    assert yes.effects == (Deleted(),)
    assert "nominee_organisation" not in yes.state.answers


def test_no_keep_it_shows_the_current_question_again(form: Form) -> None:
    at_org = state("nominee_organisation", {"nominee_type": "individual", "nominee_name": "P"})
    asked = handle(form, at_org, Delete())
    for no in (Decline(), Answer("No")):
        kept = handle(form, asked.state, no)
        assert kept.effects[0] == Kept(Confirmation.DELETE)
        (question,) = kept.effects[1:]
        assert isinstance(question, Ask) and question.field_id == "nominee_organisation"
        assert kept.state.pending is None and kept.state.answers == at_org.answers


def test_anything_else_typed_while_a_confirmation_waits_asks_it_again(form: Form) -> None:
    at_org = state("nominee_organisation", {"nominee_type": "individual", "nominee_name": "P"})
    asked = handle(form, at_org, Delete())
    other = handle(form, asked.state, Answer("Leeds Teaching Hospitals"))
    assert other.effects == (AskConfirm(Confirmation.DELETE, again=True),)
    assert other.state == asked.state


# 5. Per-kind wording and one step count per journey -----------------------------------------


def test_a_team_is_asked_about_the_team(form: Form) -> None:
    team = state("nominee_role", {"nominee_type": "team", "team_name": "Ward 7"})
    for f in visible_fields(form, team):
        worded = as_asked(form, team, f.id)
        if f.is_question:
            continue
        words = f"{worded.prompt} {worded.help or ''}"
        assert not re.search(r"\bnominee\b", words), words
    assert "team" in as_asked(form, team, "nominee_aware").prompt


def test_an_individual_is_not_told_about_teams(form: Form) -> None:
    one = state("nominee_role", {"nominee_type": "individual", "nominee_name": "Priya"})
    for f in visible_fields(form, one)[1:]:
        worded = as_asked(form, one, f.id)
        assert "team" not in f"{worded.prompt} {worded.help or ''}".casefold(), f.id


def test_the_step_count_is_the_same_on_every_screen_of_either_journey(form: Form) -> None:
    for kind in ("individual", "team"):
        current = new_nomination(form, REF)
        counts = set()
        for f in visible_fields(form, state("q1", {"nominee_type": kind})):
            counts.add(progress(form, current, f).steps)
            current = current.model_copy(
                update={"answers": current.answers | {"nominee_type": (Part(text=kind),)}}
            )
            counts.add(progress(form, current, f).steps)
        assert counts == {14}, kind


# 7. Consent comes last --------------------------------------------------------------------------


def test_consent_is_the_last_step_before_the_review(form: Form) -> None:
    for kind in ("individual", "team"):
        fields = visible_fields(form, state(REVIEW, {"nominee_type": kind}))
        assert fields[-1].id == "consent"
        assert [f.id for f in fields if f.is_question] == ["q1", "q2", "q3", "q4"]
    done_q4 = handle(form, state("q4", INDIVIDUAL), Done())
    assert done_q4.state.position == "consent"


# 8. Errors: phone numbers, empty messages --------------------------------------------------


def test_uk_phone_numbers_with_spaces_plus_44_and_extensions_are_accepted(form: Form) -> None:
    at_phone = state("nominator_phone", INDIVIDUAL)
    for number in ("0113 243 3144 ext 5521", "07700 900123", "+44 7700 900123", "01132433144"):
        moved = handle(form, at_phone, Answer(number))
        assert moved.state.answer("nominator_phone") == number, number


def test_a_bleep_or_an_extension_may_follow_the_number(form: Form) -> None:
    at_phone = state("nominator_phone", INDIVIDUAL)
    for number in (
        "07700 900123 / bleep 4421",
        "07700 900123 bleep 4421",
        "0113 243 3144, ext 1234",
        "0113 243 3144 ext 1234",
        "0113 243 3144 x1234",
        "0113 243 3144 Bleep: 4421",
        "0113 243 3144 ext 12 / bp 44",
    ):
        moved = handle(form, at_phone, Answer(number))
        assert moved.state.answer("nominator_phone") == number, number
    for refused in ("07700 900123 / bleep", "07700 900123 / 4421", "bleep 4421", "07700 900123 //"):
        moved = handle(form, at_phone, Answer(refused))
        assert moved.effects == (Reprompt("nominator_phone", Problem.BAD_PATTERN),), refused


def test_the_phone_rule_accepts_its_own_examples(form: Form) -> None:
    phone = form.field("nominator_phone")
    assert phone.pattern is not None and phone.pattern_error is not None
    examples = re.findall(r"0[0-9 ]+[0-9](?: ext [0-9]+)?", phone.pattern_error)
    assert len(examples) == 2
    for example in examples:
        assert re.fullmatch(phone.pattern, example), example


def test_an_empty_message_after_a_saved_part_is_not_called_a_missing_answer(form: Form) -> None:
    at_q1 = state("q1", INDIVIDUAL)
    assert handle(form, at_q1, Answer("   ")).effects == (Reprompt("q1", Problem.EMPTY_PART),)
    empty = state("q1", {k: v for k, v in INDIVIDUAL.items() if k != "q1"})
    assert handle(form, empty, Answer("   ")).effects == (Reprompt("q1", Problem.EMPTY),)


# 9. A minimum for the award questions --------------------------------------------------------


def test_a_one_word_award_answer_is_not_enough(form: Form) -> None:
    at_q4 = state("q4", {k: v for k, v in INDIVIDUAL.items() if k != "q4"})
    yes = handle(form, at_q4, Answer("Yes"))
    assert handle(form, yes.state, Done()).effects == (Reprompt("q4", Problem.TOO_SHORT, 25),)
    review = handle(form, yes.state, GoToReview())
    assert review.effects == (Review((Outstanding("q4", Problem.TOO_SHORT, 24),)),)
    for number in ("q1", "q2", "q3", "q4"):
        assert form.field(number).min_words == 25


def test_skip_still_refuses_a_required_question(form: Form) -> None:
    at_q1 = state("q1", {})
    assert handle(form, at_q1, Skip()).effects == (Reprompt("q1", Problem.CANNOT_SKIP),)
