"""One vocabulary for actions: labels, typed words, commands, help and events from one table."""

from __future__ import annotations

from bot.screens import texts
from bot.screens.actions import ACTIONS, Action, Kind, event_for, label
from bot.screens.menus import commands, typed_words
from flows.events import AddTo, Answer, Confirm, Decline, Delete, Done, Edit


def test_every_action_has_exactly_one_row() -> None:
    assert sorted(spec.action for spec in ACTIONS) == sorted(Action)


def test_help_and_command_menu_come_from_the_table() -> None:
    menu = dict(texts.TELEGRAM_COMMANDS)
    assert menu == dict(commands())
    for command, description in menu.items():
        spec = next(s for s in ACTIONS if s.command == command)
        assert spec.help is not None and description.casefold() == spec.help.casefold()
        assert f"/{command} – {spec.help}" in texts.TELEGRAM_HELP.splitlines()
    # Every command listed in the help is in the menu, and the other way round.
    listed = [
        line.split(" ")[0][1:] for line in texts.TELEGRAM_HELP.splitlines() if line[:1] == "/"
    ]
    assert listed == list(menu)
    for description in menu.values():
        assert 3 <= len(description) <= 256  # Telegram's limits for a command's description


def test_console_help_lists_the_typed_words() -> None:
    words = typed_words()
    for line in texts.CONSOLE_HELP.splitlines()[1:]:
        assert line.split(" – ")[0] in words


def test_a_button_named_in_a_message_can_be_typed_at_the_terminal() -> None:
    # Messages say "choose Show examples" or "choose Start again": the terminal takes the label.
    words = typed_words()
    assert words["show examples"] is Action.HINTS
    assert words["start again"] is Action.CLEAR
    assert words["skip for now"] is Action.SKIP_CODE
    judging = typed_words(judging=True)  # `nomination-bot judge`'s words (issue 18)
    for spec in ACTIONS:
        if spec.word is not None and spec.label is not None:
            own = judging if spec.kind is Kind.JUDGING else words
            assert own[spec.label.casefold()] is spec.action
    assert "yes" not in words and "no" not in words  # typed answers, read by the engine


def test_buttons_take_their_labels_from_the_table() -> None:
    assert label(Action.DONE) == texts.BUTTON_DONE
    assert label(Action.CLEAR) == texts.BUTTON_CLEAR
    assert label(Action.ADD_TO) == texts.BUTTON_ADD_TO
    assert label(Action.SUBMIT) == texts.SUBMIT_BUTTON


def test_events_for_the_new_actions() -> None:
    assert event_for(Action.ADD_TO) == AddTo()
    assert event_for(Action.CONFIRM) == Confirm()
    assert event_for(Action.DECLINE) == Decline()
    assert event_for(Action.DELETE) == Delete()
    assert event_for(Action.EDIT, "q2") == Edit("q2")
    assert event_for(Action.ANSWER, "team") == Answer("team")
    assert event_for(Action.KEEP) == Done()
    # Answered by the front ends themselves.
    assert event_for(Action.HELP) is None
    assert event_for(Action.STATUS) is None
