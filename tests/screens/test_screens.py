"""What the nominator is shown for the corrections of issue 7: screens built from engine effects.

The screens are plain data (paragraphs of spans and rows of buttons), so these tests read them
directly; the end-to-end tests in tests/bot and tests/console show them through each front end.
"""

from __future__ import annotations

import pytest

from bot.screens import texts
from bot.screens.actions import Action
from bot.screens.builder import ScreenBuilder
from bot.screens.parts import Screen
from flows.effects import Outstanding, Problem
from flows.engine import handle
from flows.events import Answer, Clear, Delete, Done, Edit, Event, GoToReview, Start
from flows.form import Form, load_form
from flows.state import REVIEW, NominationState, Part
from tests.flows.drafts import ENOUGH, INDIVIDUAL

REF = "LSI-SCR007"


@pytest.fixture(scope="module")
def form() -> Form:
    return load_form()


@pytest.fixture(scope="module")
def screens(form: Form) -> ScreenBuilder:
    return ScreenBuilder(form)


def state(position: str, answers: dict[str, str]) -> NominationState:
    return NominationState(
        form_id="leading_for_service_improvement",
        form_version=2,
        reference=REF,
        position=position,
        answers={k: (Part(text=v),) for k, v in answers.items()},
    )


def shown(
    form: Form, screens: ScreenBuilder, start: NominationState, event: Event
) -> tuple[NominationState, list[Screen]]:
    transition = handle(form, start, event)
    return transition.state, screens.render(transition.state, transition.effects)


def labels(screen: Screen) -> list[str]:
    return [b.label for row in screen.buttons for b in row]


def actions(screen: Screen) -> list[Action]:
    return [b.action for row in screen.buttons for b in row]


def test_change_says_the_next_message_replaces_and_offers_add_to_it(
    form: Form, screens: ScreenBuilder
) -> None:
    _, (screen,) = shown(form, screens, state(REVIEW, INDIVIDUAL), Edit("q2"))
    assert texts.REPLACING in screen.plain_text
    assert ENOUGH in screen.plain_text
    assert texts.BUTTON_ADD_TO in labels(screen)
    assert Action.DONE not in actions(screen)  # nothing new typed yet: Done would mislead


def test_text_typed_at_the_review_is_offered_with_yes_and_no(
    form: Form, screens: ScreenBuilder
) -> None:
    unfinished = state(REVIEW, {k: v for k, v in INDIVIDUAL.items() if k != "q2"})
    after, (screen,) = shown(form, screens, unfinished, Answer("Waiting times halved."))
    assert "Save this as your answer to Q2?" in screen.plain_text
    assert "Waiting times halved." in screen.plain_text
    assert actions(screen) == [Action.CONFIRM, Action.DECLINE]
    # Still offered when the nominator comes back.
    _, (again,) = shown(form, screens, after, Start())
    assert again.plain_text == screen.plain_text


def test_start_again_asks_with_the_word_count(form: Form, screens: ScreenBuilder) -> None:
    long_q1 = " ".join(["care"] * 412)
    _, (screen,) = shown(form, screens, state("q1", INDIVIDUAL | {"q1": long_q1}), Clear())
    assert screen.plain_text.startswith("Clear your 412-word answer to Q1?")
    assert labels(screen) == ["Yes, clear it", "No, keep it"]


def test_delete_asks_and_a_typed_reply_that_is_not_yes_or_no_asks_again(
    form: Form, screens: ScreenBuilder
) -> None:
    asked, (screen,) = shown(form, screens, state("nominee_organisation", {}), Delete())
    assert REF in screen.plain_text
    assert labels(screen) == [texts.DELETE_YES, texts.DELETE_NO]
    _, (again,) = shown(form, screens, asked, Answer("Leeds"))
    assert again.plain_text.startswith(texts.CONFIRM_AGAIN)
    _, (kept, question) = shown(form, screens, asked, Answer("no"))
    assert kept.plain_text == texts.DELETE_KEPT
    assert form.field("nominee_organisation").prompt in question.plain_text
    _, (deleted,) = shown(form, screens, asked, Answer("yes"))
    assert deleted.plain_text == texts.DELETED


def test_team_wording_on_the_screen(form: Form, screens: ScreenBuilder) -> None:
    team = state("nominee_name", {"nominee_type": "team"})
    team = team.model_copy(update={"position": "nominee_role"})
    _, (screen,) = shown(form, screens, team, Start())
    assert "Who leads the team" in screen.plain_text
    individual = state("nominee_role", {"nominee_type": "individual"})
    _, (screen,) = shown(form, screens, individual, Start())
    assert "team" not in screen.plain_text


def test_the_review_labels_a_teams_answers_for_a_team(form: Form, screens: ScreenBuilder) -> None:
    team = {"nominee_type": "team", "team_name": "Ward 7", "nominee_role": "Sam Patel, Sister"}
    text = screens.review(state(REVIEW, team), []).plain_text
    assert "Team lead and role: Sam Patel, Sister" in text
    assert "Team knows: Not answered yet" in text  # required, so not left out: not yet


def test_the_whole_introduction_and_the_guidance_come_before_q1(
    form: Form, screens: ScreenBuilder
) -> None:
    welcome = screens.welcome(None)
    for paragraph in form.introduction:
        assert paragraph in welcome.plain_text
    _, (q1,) = shown(form, screens, state("q1", {}), Start())
    assert q1.plain_text.index(form.guidance) < q1.plain_text.index(form.field("q1").prompt)


def test_each_award_question_has_its_plain_english_line(form: Form, screens: ScreenBuilder) -> None:
    for number in ("q1", "q2", "q3", "q4"):
        f = form.field(number)
        assert f.in_short is not None and f.in_short.startswith("In short: ")
        _, (screen,) = shown(form, screens, state(number, {}), Start())
        assert f.in_short in screen.plain_text


REPROMPTS = [
    ("nominator_email", Answer("sam at nhs dot net"), texts.PROBLEMS[Problem.BAD_EMAIL]),
    ("nominee_aware", Answer("maybe"), texts.PROBLEMS[Problem.NOT_YES_NO].format(typed="maybe")),
    ("nominee_name", Answer("   "), texts.PROBLEMS[Problem.EMPTY]),
    ("q1", Done(), texts.EMPTY_LONG.format(label="Q1")),
]


@pytest.mark.parametrize(("field_id", "event", "reason"), REPROMPTS, ids=[r[0] for r in REPROMPTS])
def test_an_error_says_why_then_asks_the_question_again_with_its_buttons(
    form: Form, screens: ScreenBuilder, field_id: str, event: Event, reason: str
) -> None:
    at = state(field_id, {k: v for k, v in INDIVIDUAL.items() if k in ("nominee_type",)})
    _, (screen,) = shown(form, screens, at, event)
    assert screen.plain_text.startswith(reason)
    assert form.field(field_id).prompt in screen.plain_text
    assert texts.BUTTON_REVIEW in labels(screen)
    if form.field(field_id).kind == "yes_no":
        assert labels(screen)[:2] == [texts.BUTTON_YES, texts.BUTTON_NO]


def test_the_phone_error_says_what_to_type(form: Form, screens: ScreenBuilder) -> None:
    _, (screen,) = shown(form, screens, state("nominator_phone", INDIVIDUAL), Answer("call me"))
    assert screen.plain_text.startswith("Enter a UK phone number, like 07700 900123")
    assert texts.BUTTON_SKIP in labels(screen)


def test_an_empty_message_after_a_saved_part_is_worded_for_it(
    form: Form, screens: ScreenBuilder
) -> None:
    _, (screen,) = shown(form, screens, state("q1", INDIVIDUAL), Answer(" "))
    assert screen.plain_text.startswith(texts.PROBLEMS[Problem.EMPTY_PART])
    assert "first" not in screen.plain_text.split("\n\n")[0]


def test_a_short_award_answer_points_to_the_examples(form: Form, screens: ScreenBuilder) -> None:
    _, (screen,) = shown(form, screens, state("q4", INDIVIDUAL | {"q4": "Yes"}), Done())
    first = screen.plain_text.split("\n\n")[0]
    assert "1 word" in first and "25" in first and texts.BUTTON_HINTS in first
    assert texts.BUTTON_HINTS in labels(screen)


def test_welcome_back_names_the_nominee_and_flags_answers_needing_attention(
    form: Form, screens: ScreenBuilder
) -> None:
    over = " ".join(["care"] * 510)
    draft = state("q3", INDIVIDUAL | {"q1": over, "q2": "Yes", "consent": "no"})
    text = screens.welcome(draft).plain_text
    assert f"Your nomination {REF} for Priya Shah is saved at Question 3 of 4." in text
    assert texts.WELCOME_ATTENTION in text
    assert "Q1: 10 words over the limit" in text
    assert "Q2: 24 more words needed" in text
    assert "Consent to share: we need your agreement" in text
    listed = text[text.index(texts.WELCOME_ATTENTION) :].split("\n\n")[1].splitlines()
    assert [line[:4] for line in listed] == ["• Q1", "• Q2", "• Co"]  # a line each, no gaps


def test_welcome_back_without_problems_has_no_attention_list(
    form: Form, screens: ScreenBuilder
) -> None:
    text = screens.welcome(state("q3", INDIVIDUAL)).plain_text
    assert texts.WELCOME_ATTENTION not in text


def test_the_review_lists_a_short_answer_as_needing_more_words(
    form: Form, screens: ScreenBuilder
) -> None:
    outstanding = Outstanding("q1", Problem.TOO_SHORT, 3)
    text = screens.review(state(REVIEW, INDIVIDUAL), [outstanding]).plain_text
    assert "• Q1: 3 more words needed" in text


def test_a_team_review_is_worded_for_a_team(form: Form, screens: ScreenBuilder) -> None:
    team = {k: v for k, v in INDIVIDUAL.items() if k != "nominee_name"}
    team |= {"nominee_type": "team", "team_name": "Ward 7 Discharge Team"}
    _, screens_shown = shown(form, screens, state(REVIEW, team), GoToReview())
    text = "\n".join(s.plain_text for s in screens_shown)
    assert "ABOUT THE TEAM" in text
    assert "Team lead and role: Senior Staff Nurse" in text
    assert "Team knows: Yes" in text
    assert "Relationship to team: Line manager" in text
    for individual in ("ABOUT THE NOMINEE", "Nominee knows", "Relationship to nominee"):
        assert individual not in text


def test_the_review_offers_to_answer_what_is_unanswered_and_to_change_the_rest(
    form: Form, screens: ScreenBuilder
) -> None:
    """Issue 16: "Change: Q3" for a question never answered reads as if it had been; and the
    question the Go to button names gets no second button."""
    answers = {k: v for k, v in INDIVIDUAL.items() if k not in ("q3", "q4")}
    _, screens_shown = shown(form, screens, state(REVIEW, answers), GoToReview())
    buttons = labels(screens_shown[-1])
    assert buttons[0] == texts.FIX_BUTTON.format(label="Q3")
    assert "Change: Q2" in buttons and "Answer: Q4" in buttons
    assert not {"Change: Q3", "Answer: Q3", "Change: Q4"} & set(buttons)
