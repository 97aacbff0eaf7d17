"""ScreenBuilder over states the service made with the in-memory store: what a nominator is
shown, without Telegram or a terminal."""

from __future__ import annotations

from bot.screens import texts
from bot.screens.actions import Action
from bot.screens.builder import ScreenBuilder
from bot.screens.parts import Button
from bot.services.nominating import NominationService
from flows.events import Answer, Done, Submit


def actions(rows: tuple[tuple[Button, ...], ...]) -> list[Action]:
    return [b.action for row in rows for b in row]


async def test_welcome_without_a_draft_offers_to_start(screens: ScreenBuilder) -> None:
    screen = screens.welcome(None)

    (row,) = screen.buttons
    assert [b.label for b in row] == [texts.START_BUTTON]
    assert actions(screen.buttons) == [Action.START]


async def test_welcome_with_a_draft_offers_to_continue_from_where_it_stands(
    screens: ScreenBuilder, service: NominationService
) -> None:
    await service.continue_nomination("n1")
    draft = (await service.apply("n1", Answer("colleague"))).state
    assert draft is not None

    screen = screens.welcome(draft)

    labels = [b.label for row in screen.buttons for b in row]
    assert labels == [
        texts.CONTINUE_BUTTON.format(progress=screens.where(draft)),
        texts.LIST_BUTTON,
    ]


async def test_a_choice_question_shows_its_options_as_buttons(
    screens: ScreenBuilder, service: NominationService
) -> None:
    outcome = await service.continue_nomination("n1")
    assert outcome.state is not None

    (screen,) = screens.render(outcome.state, outcome.effects)

    assert "Are you thanking one colleague or the whole ward?" in screen.plain_text
    options = [(b.label, b.arg) for row in screen.buttons for b in row if b.action is Action.ANSWER]
    assert options == [("One colleague", "colleague"), ("The whole ward", "ward")]


async def test_the_review_shows_every_answer_and_a_submit_button(
    screens: ScreenBuilder, service: NominationService
) -> None:
    await service.continue_nomination("n1")
    for text in ("colleague", "Alex Jones", "Sam", "sam@nhs.example", "They stayed late"):
        await service.apply("n1", Answer(text))
    outcome = await service.apply("n1", Done())
    assert outcome.state is not None

    (screen,) = screens.render(outcome.state, outcome.effects)

    for answer in ("Alex Jones", "Sam", "sam@nhs.example", "They stayed late"):
        assert answer in screen.plain_text
    assert Action.SUBMIT in actions(screen.buttons)


async def test_the_submitted_screen_gives_the_reference(
    screens: ScreenBuilder, service: NominationService
) -> None:
    await service.continue_nomination("n1")
    for text in ("colleague", "Alex Jones", "Sam", "sam@nhs.example", "They stayed late"):
        await service.apply("n1", Answer(text))
    await service.apply("n1", Done())
    outcome = await service.apply("n1", Submit())
    assert outcome.state is not None

    (screen,) = screens.render(outcome.state, outcome.effects)

    assert outcome.state.reference in screen.plain_text


async def test_field_named_finds_a_question_by_its_number(
    screens: ScreenBuilder, service: NominationService
) -> None:
    draft = (await service.continue_nomination("n1")).state
    assert draft is not None

    assert screens.field_named(draft, "Q1") == "story"
    assert screens.field_named(draft, "nonsense") is None
