"""The nominee's approval as screens (issue 19): the review warns of the surprise only where the
award asks and the nominee does not know; a team's words name its lead; the nominee sees the
award answers and who supports them, and the nominator a note only when it was shared."""

from __future__ import annotations

from bot.screens import approval, texts
from bot.screens.actions import Action
from bot.screens.builder import ScreenBuilder
from bot.screens.parts import Subject
from flows.approval import Decided, nominee_view
from flows.effects import Submitted
from flows.form import load_form
from flows.state import REVIEW, NominationState, Part, Status
from tests.flows.drafts import ENOUGH, INDIVIDUAL

FORM = load_form()
TEAM = {
    **INDIVIDUAL,
    "nominee_type": "team",
    "team_name": "Ward 7 Discharge Team",
    "nominee_role": "Sam Patel, Ward Manager",
}


def at_review(answers: dict[str, str]) -> NominationState:
    return NominationState(
        form_id=FORM.id,
        form_version=FORM.version,
        reference="LSI-APP007",
        position=REVIEW,
        answers={k: (Part(text=v),) for k, v in answers.items()},
    )


def test_the_review_warns_only_when_the_award_asks_and_the_nominee_does_not_know() -> None:
    asks, plain = ScreenBuilder(FORM, nominee_approval=True), ScreenBuilder(FORM)
    surprise = at_review({**INDIVIDUAL, "nominee_aware": "no"})
    assert texts.APPROVAL_SURPRISE in asks.review(surprise, []).plain_text
    assert texts.APPROVAL_SURPRISE not in plain.review(surprise, []).plain_text
    knows = at_review(INDIVIDUAL)
    assert texts.APPROVAL_SURPRISE not in asks.review(knows, []).plain_text
    team = at_review({**TEAM, "nominee_aware": "no"})
    assert texts.APPROVAL_SURPRISE_TEAM in asks.review(team, []).plain_text


def test_a_teams_link_and_answer_name_its_lead() -> None:
    url = "https://t.me/bot?start=nominee-x"
    assert approval.link("Ward 7", True, url).plain_text.startswith(
        texts.APPROVAL_LINK_TEAM.format(nominee="Ward 7")
    )
    told = approval.told(Decided(True, "LSI-APP007", "Ward 7", True, None)).plain_text
    assert told == texts.APPROVAL_APPROVED_TEAM.format(reference="LSI-APP007")
    view = nominee_view(FORM, at_review(TEAM), ["Kim Lee"])
    opened = approval.opened("LSI-APP007", view)
    text = opened.plain_text
    assert (
        texts.APPROVAL_INTRO_TEAM.format(nominee="Ward 7 Discharge Team", award=FORM.title) in text
    )
    assert text.count(ENOUGH) == 4 and "Supporting statements from: Kim Lee." in text
    assert INDIVIDUAL["nominator_email"] not in text and texts.APPROVAL_QUESTION_TEAM in text
    assert [b.action for row in opened.buttons for b in row] == [
        Action.APPROVE,
        Action.NOMINEE_DECLINE,
    ]
    assert opened.about is not None and opened.about.subject is Subject.APPROVAL


def test_the_nominator_reads_a_note_only_when_shared() -> None:
    shared = approval.told(Decided(False, "LSI-APP007", "Priya Shah", False, "Not this year"))
    assert "Not this year" in shared.plain_text
    kept = approval.told(Decided(False, "LSI-APP007", "Priya Shah", False, None))
    assert kept.plain_text == texts.APPROVAL_DECLINED.format(
        nominee="Priya Shah", reference="LSI-APP007"
    )


def test_the_terminal_says_plainly_that_it_gives_no_approval_link() -> None:
    # The terminal cannot give a Telegram link: the review and the sent screen say so, and that
    # nobody is asked, where Telegram's words would promise that the nominee will know.
    asks = ScreenBuilder(FORM, nominee_approval=True)
    terminal = asks.for_terminal()
    surprise = at_review({**INDIVIDUAL, "nominee_aware": "no"})
    review = terminal.review(surprise, []).plain_text
    assert texts.APPROVAL_SURPRISE_TERMINAL in review
    assert texts.APPROVAL_SURPRISE not in review
    sent = surprise.model_copy(update={"status": Status.SUBMITTED})
    (shown,) = terminal.render(sent, [Submitted(reference=sent.reference)])
    assert approval.no_link("Priya Shah", team=False) in shown.plain_text
    assert "not judged until it is approved" in shown.plain_text
    (in_telegram,) = asks.render(sent, [Submitted(reference=sent.reference)])
    assert "The terminal" not in in_telegram.plain_text  # Telegram gives the link after it
    (not_asked,) = ScreenBuilder(FORM).for_terminal().render(sent, [Submitted(sent.reference)])
    assert "approve" not in not_asked.plain_text
