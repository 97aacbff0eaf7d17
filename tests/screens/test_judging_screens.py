"""Judging's screens (bot/screens/judging.py): a nomination as a judge reads it, with its
statements and files' names, named and blind; the progress line on every step; the score
buttons from the form's scale; the check with Change per criterion."""

from __future__ import annotations

from bot.screens import texts
from bot.screens.actions import Action
from bot.screens.judging import JudgingScreens, ScoredLine, panel_screen
from flows.form import load_form
from flows.judging.criteria import judging_of
from flows.judging.scoring import AskScore, CheckScores
from flows.judging.view import NominationView
from flows.reading import read
from tests.flows.drafts import new_nomination
from tests.kit.organiserkit import answers

FORM = load_form()
JUDGING = judging_of(FORM)
assert JUDGING is not None
STATEMENT = {
    "name": "Kim Lee",
    "role": "Matron",
    "relationship": "her matron",
    "statement": "Waits fell by half.",
}


def view() -> NominationView:
    state = new_nomination(FORM, "LSI-7K3Q9M").model_copy(
        update={
            "answers": answers(
                nominee_type="individual",
                nominee_name="Priya Shah",
                nominee_role="Ward Manager",
                nominee_organisation="Leeds Trust",
                nominator_name="Jo Bloggs",
                nominator_email="jo@nhs.example",
                q1="She led the change.",
            )
        }
    )
    reading = read(FORM, state, for_panel=True)
    return NominationView(reading, 7, (STATEMENT,), ("audit.pdf", "chart.png"))


def test_named_the_nomination_has_its_nominee_statements_and_file_names() -> None:
    screen = JudgingScreens(FORM, JUDGING, blind=False).nomination(view(), 3, 12)
    text = screen.plain_text
    assert text.startswith("Nomination 3 of 12")
    for shown in ("Priya Shah", "Leeds Trust", "Jo Bloggs", "She led the change.", "Waits fell"):
        assert shown in text
    assert "From Kim Lee, Matron (her matron)" in text
    assert texts.JUDGE_FILES.format(names="audit.pdf, chart.png") in text
    assert "jo@nhs.example" not in text


def test_blind_no_names_nor_organisation() -> None:
    text = JudgingScreens(FORM, JUDGING, blind=True).nomination(view(), 3, 12).plain_text
    assert "Nomination 7" in text and texts.JUDGE_BLIND_NOTE in text
    for hidden in ("Priya Shah", "Leeds Trust", "Jo Bloggs", "Kim Lee"):
        assert hidden not in text
    assert "She led the change." in text and "From a colleague (Matron, her matron)" in text


def test_a_score_step_shows_its_progress_and_the_scales_buttons() -> None:
    screens = JudgingScreens(FORM, JUDGING, blind=False)
    screen = screens.step("LSI-7K3Q9M", AskScore("q2", 1, 4, 3), 3, 12)
    assert screen.plain_text.startswith("Nomination 3 of 12 · Criterion 2 of 4")
    assert "Q2 How do they know it worked?" in screen.plain_text
    assert texts.JUDGE_SCORE_BEFORE.format(value=3, label="Good evidence") in screen.plain_text
    buttons = [b for row in screen.buttons for b in row]
    assert [b.label for b in buttons] == [
        "1 Little evidence",
        "2 Some evidence",
        "3 Good evidence",
        "4 Strong evidence",
        "5 Outstanding evidence",
    ]
    assert {(b.action, b.ref) for b in buttons} == {(Action.JUDGE_SCORE, "LSI-7K3Q9M")}
    assert [b.arg for b in buttons][::4] == ["q2=1", "q2=5"]


def test_the_check_has_change_per_criterion_and_submit() -> None:
    screens = JudgingScreens(FORM, JUDGING, blind=False)
    screen = screens.step(
        "LSI-7K3Q9M", CheckScores({"q1": 4, "q2": 3, "q3": 5, "q4": 2}, None), 1, 2
    )
    labels = [b.label for row in screen.buttons for b in row]
    assert labels == [
        "Change Q1",
        "Change Q2",
        "Change Q3",
        "Change Q4",
        "Change comment",
        "Submit scores",
    ]
    assert texts.JUDGE_NO_COMMENT in screen.plain_text


def test_the_panel_with_nobody_offers_an_invitation() -> None:
    screen = panel_screen([])
    assert screen.plain_text == texts.JUDGES_NONE
    assert [b.action for row in screen.buttons for b in row] == [Action.JUDGE_INVITE]


def test_myscores_opens_each_scored_nomination_a_page_at_a_time() -> None:
    screens = JudgingScreens(FORM, JUDGING, blind=False)  # type: ignore[arg-type]
    lines = [
        ScoredLine(f"LSI-{n:06d} Nominee {n}", f"LSI-{n:06d}", {"q1": 4}, changed=n == 2)
        for n in range(1, 13)
    ]
    first = screens.my_scores(lines)
    opens = [b for row in first.buttons for b in row if b.action is Action.JUDGE_OPEN]
    assert [b.ref for b in opens] == [f"LSI-{n:06d}" for n in range(1, 11)]
    assert opens[0].label == texts.JUDGE_MY_SCORES_OPEN.format(title="LSI-000001 Nominee 1")
    assert "LSI-000002 Nominee 2: Q1 4, Q2 -, Q3 -, Q4 -" + texts.JUDGE_MY_SCORES_CHANGED in (
        first.plain_text
    )
    (following,) = [b for row in first.buttons for b in row if b.action is Action.JUDGE_SCORES_PAGE]
    second = screens.my_scores(lines, int(following.arg))
    assert "LSI-000012 Nominee 12" in second.plain_text
    assert "LSI-000001 Nominee 1:" not in second.plain_text


def test_myscores_pages_carry_the_award_whose_list_they_page() -> None:
    # Telegram reads a ref of "-" as none, and a judge's button names what it acts on: with
    # an award's panel per award, Previous and Next name the award.
    screens = JudgingScreens(FORM, JUDGING, blind=False, award="lsi")  # type: ignore[arg-type]
    lines = [ScoredLine(f"LSI-{n:06d}", f"LSI-{n:06d}", {"q1": 4}, False) for n in range(1, 13)]
    pages = [b for row in screens.my_scores(lines).buttons for b in row]
    (following,) = [b for b in pages if b.action is Action.JUDGE_SCORES_PAGE]
    assert following.ref == "lsi"
