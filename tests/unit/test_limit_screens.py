"""The code step's screens: what is wrong and what to do next, with its three buttons."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.screens import texts
from bot.screens.actions import Action, event_for
from bot.screens.builder import ScreenBuilder
from flows.effects import AskCode, CodeProblem, EmailChecked, Submitted
from flows.events import ChangeEmail, ResendCode, SkipCode
from flows.form import Form
from flows.state import NominationState

ADDRESS = "sam@nhs.example"


def draft(form: Form) -> NominationState:
    return NominationState(
        form_id=form.id,
        form_version=form.version,
        reference="TY-ABC123",
        position="story",
        answers={},
    )


def test_the_code_screen_says_where_it_went_and_offers_resend_change_and_skip(
    screens: ScreenBuilder, tiny_form: Form
) -> None:
    screen = screens.screen(draft(tiny_form), AskCode(ADDRESS, sent=True))
    assert screen.plain_text.startswith(texts.CODE_SENT_TITLE)
    assert f"We've sent a 6-digit code to {ADDRESS}." in screen.plain_text
    actions = [button.action for row in screen.buttons for button in row]
    assert actions == [Action.RESEND_CODE, Action.CHANGE_EMAIL, Action.SKIP_CODE]
    assert [type(event_for(a)) for a in actions] == [ResendCode, ChangeEmail, SkipCode]


def test_each_problem_says_what_is_wrong_and_how_to_put_it_right(
    screens: ScreenBuilder, tiny_form: Form
) -> None:
    def shown(effect: AskCode) -> str:
        return screens.screen(draft(tiny_form), effect).plain_text

    assert "1 try left" in shown(AskCode(ADDRESS, problem=CodeProblem.WRONG, attempts_left=1))
    assert "like 123456" in shown(AskCode(ADDRESS, problem=CodeProblem.NOT_A_CODE))
    assert "Send a new code" in shown(AskCode(ADDRESS, problem=CodeProblem.EXPIRED))
    until = datetime(2026, 3, 2, 10, 5, tzinfo=UTC)
    limited = shown(AskCode(ADDRESS, problem=CodeProblem.TOO_MANY_CODES, until=until))
    assert "from 10:05am on Monday 2 March 2026" in limited


def test_skipping_and_a_submission_without_a_copy_say_so(
    screens: ScreenBuilder, tiny_form: Form
) -> None:
    state = draft(tiny_form)
    assert screens.screen(state, EmailChecked(confirmed=False)).plain_text == texts.EMAIL_SKIPPED
    sent = screens.screen(state, Submitted("TY-ABC123", copy_sent=False)).plain_text
    assert "not sent you a copy" in sent and "on its way" not in sent
