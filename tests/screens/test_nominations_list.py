"""The list of a nominator's nominations and a sent one's View, read as screen data: each line
names the nominee, status and reference, and each button carries its own nomination."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.screens import texts
from bot.screens.actions import Action
from bot.screens.builder import ScreenBuilder
from bot.screens.nominations import NominationsList
from flows.form import load_form
from flows.state import REVIEW, NominationState, Part, Status
from storage.types import NominationRecord

FORM = load_form()
AT = datetime(2026, 3, 3, 14, 0, tzinfo=UTC)


def record(
    code: str, position: str, status: Status = Status.DRAFT, **answers: str
) -> NominationRecord:
    state = NominationState(
        form_id=FORM.id,
        form_version=FORM.version,
        reference=f"LSI-{code}",
        position=position,
        status=status,
        answers={k: (Part(text=v),) for k, v in answers.items()},
    )
    sent = AT if status is Status.SUBMITTED else None
    return NominationRecord(state, "tg:1", AT, AT, sent)


def test_each_nomination_has_its_line_and_its_own_buttons() -> None:
    listing = NominationsList(ScreenBuilder(FORM).wording)
    records = [
        record("NEW222", "nominee_type"),
        record("REV333", REVIEW, nominee_type="individual", nominee_name="Sam Patel"),
        record(
            "SNT444", REVIEW, Status.SUBMITTED, nominee_type="individual", nominee_name="Priya Shah"
        ),
    ]

    screen = listing.screen(records)

    text = screen.plain_text
    assert text.startswith(texts.MY_NOMINATIONS_TITLE)
    assert f"1. {texts.NOMINEE_NOT_NAMED}: draft, Step 1 of 14. Reference LSI-NEW222." in text
    assert "2. Sam Patel: draft, ready to review. Reference LSI-REV333." in text
    assert "3. Priya Shah: sent on 3 March 2026. Reference LSI-SNT444." in text
    buttons = [(b.label, b.action, b.ref) for row in screen.buttons for b in row]
    assert buttons == [
        ("Continue 1", Action.OPEN, "NEW222"),
        ("Review 2", Action.OPEN, "REV333"),
        ("View 3", Action.VIEW, "SNT444"),
        ("Amend 3", Action.AMEND, "SNT444"),
        ("Withdraw 3", Action.WITHDRAW, "SNT444"),
        (texts.ANOTHER_BUTTON, Action.ANOTHER, None),
    ]


def test_no_nominations_yet_offers_to_start_one() -> None:
    screen = NominationsList(ScreenBuilder(FORM).wording).screen([])

    assert texts.MY_NOMINATIONS_NONE in screen.plain_text
    assert [b.action for row in screen.buttons for b in row] == [Action.ANOTHER]


def test_a_sent_nomination_is_viewed_without_buttons_to_change_it() -> None:
    sent = record(
        "SNT444", REVIEW, Status.SUBMITTED, nominee_type="individual", nominee_name="Priya Shah"
    )

    screen = NominationsList(ScreenBuilder(FORM).wording).view(sent)

    assert screen.plain_text.startswith("Nomination LSI-SNT444, sent on 3 March 2026")
    assert "Priya Shah" in screen.plain_text
    assert [b.action for row in screen.buttons for b in row] == [Action.LIST]  # back to the list


def test_a_withdrawn_nomination_is_listed_with_its_date_and_no_buttons() -> None:
    gone = record("WDN555", REVIEW, Status.WITHDRAWN)

    screen = NominationsList(ScreenBuilder(FORM).wording).screen([gone])

    assert "1. Withdrawn on 3 March 2026. Reference LSI-WDN555." in screen.plain_text
    assert [b.action for row in screen.buttons for b in row] == [Action.ANOTHER]


def test_the_withdraw_question_carries_its_reference_on_yes_and_no() -> None:
    screen = NominationsList(ScreenBuilder(FORM).wording).withdraw_question(
        "LSI-SNT444", again=True
    )

    assert texts.CONFIRM_AGAIN in screen.plain_text and "LSI-SNT444" in screen.plain_text
    buttons = [(b.action, b.ref) for row in screen.buttons for b in row]
    assert buttons == [(Action.WITHDRAW_YES, "SNT444"), (Action.WITHDRAW_NO, "SNT444")]


def test_a_team_not_yet_named_is_listed_as_a_team() -> None:
    listing = NominationsList(ScreenBuilder(FORM).wording)
    text = listing.screen([record("TEA555", "team_name", nominee_type="team")]).plain_text
    assert "1. Team not named yet: draft, Step 2 of 14. Reference LSI-TEA555." in text
    assert texts.NOMINEE_NOT_NAMED not in text
