"""The Telegram handlers against a recording output: real python-telegram-bot Update objects,
the real service over the in-memory store, and no HTTP. What Telegram itself accepts is the
end-to-end tests' job (tests/bot, through the fake Bot API)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest
from telegram import CallbackQuery, Chat, Message, Update, User
from telegram.constants import ChatType

from bot.conversation import Conversation
from bot.screens import texts
from bot.screens.builder import ScreenBuilder
from bot.services.nominating import NominationService
from bot.telegram import NominationHandlers, nominator_key
from bot.telegram.buttons import keyboard
from flows.form import Form
from tests.unit.fakes import FakeDraftStore, FakeOutput, Sent

ALEX = User(1001, "Alex", is_bot=False)
BOT = User(42, "Nomination Bot", is_bot=True, username="nomination_test_bot")
PRIVATE = Chat(ALEX.id, ChatType.PRIVATE)
WARD = Chat(-100123, ChatType.SUPERGROUP, title="Ward 7")
KEY = nominator_key(ALEX.id)


class Chatter:
    """Builds the updates Telegram would deliver for Alex, numbering messages as it goes."""

    def __init__(self, form: Form) -> None:
        self.form = form
        self._ids = itertools.count(1)

    def message(self, text: str, chat: Chat = PRIVATE) -> Update:
        sent = Message(next(self._ids), datetime.now(UTC), chat, from_user=ALEX, text=text)
        return Update(next(self._ids), message=sent)

    def press(self, shown: Sent, label: str, message_id: int = 500) -> Update:
        """Alex taps the button `label` of a screen the output recorded."""
        assert shown.screen is not None
        markup = keyboard(shown.screen)
        assert markup is not None, "the screen has no buttons"
        (data,) = [
            b.callback_data for row in markup.inline_keyboard for b in row if b.text == label
        ]
        assert isinstance(data, str)
        return self.data(data, message_id)

    def data(self, data: str, message_id: int = 500) -> Update:
        carrier = Message(message_id, datetime.now(UTC), PRIVATE, from_user=BOT, text="…")
        query = CallbackQuery(str(next(self._ids)), ALEX, "chat", message=carrier, data=data)
        return Update(next(self._ids), callback_query=query)


async def begin(handlers: NominationHandlers, alex: Chatter, output: FakeOutput) -> Sent:
    """/start, then the Start button (the one way to begin): returns the first question."""
    await handlers.commands()["start"](alex.message("/start"))
    (welcome,) = output.take()
    await handlers.button(alex.press(welcome, texts.START_BUTTON, message_id=499))
    answer, question = output.take()
    assert answer.kind == "answer"
    return question


@pytest.fixture
def output() -> FakeOutput:
    return FakeOutput()


@pytest.fixture
def handlers(
    service: NominationService, screens: ScreenBuilder, output: FakeOutput, tiny_form: Form
) -> NominationHandlers:
    return NominationHandlers(Conversation(service, screens), output)


@pytest.fixture
def alex(tiny_form: Form) -> Chatter:
    return Chatter(tiny_form)


async def test_start_without_a_draft_shows_the_welcome_and_saves_nothing(
    handlers: NominationHandlers, alex: Chatter, output: FakeOutput, store: FakeDraftStore
) -> None:
    await handlers.commands()["start"](alex.message("/start"))

    (welcome,) = output.take()
    assert welcome.kind == "screen" and welcome.chat_id == ALEX.id
    assert welcome.screen is not None
    assert [b.label for row in welcome.screen.buttons for b in row] == [texts.START_BUTTON]
    assert store.records == {}


async def test_the_start_button_is_answered_then_asks_the_first_question(
    handlers: NominationHandlers, alex: Chatter, output: FakeOutput, store: FakeDraftStore
) -> None:
    await handlers.commands()["start"](alex.message("/start"))
    (welcome,) = output.take()

    await handlers.button(alex.press(welcome, texts.START_BUTTON))

    answer, question = output.take()
    assert (answer.kind, answer.text) == ("answer", "")
    assert "Are you thanking one colleague or the whole ward?" in question.text
    assert await store.active_draft(KEY) is not None


async def test_a_second_tap_on_the_same_message_does_nothing_but_say_so(
    handlers: NominationHandlers, alex: Chatter, output: FakeOutput
) -> None:
    await handlers.commands()["start"](alex.message("/start"))
    (welcome,) = output.take()
    await handlers.button(alex.press(welcome, texts.START_BUTTON, message_id=7))
    output.take()

    await handlers.button(alex.press(welcome, texts.START_BUTTON, message_id=7))

    assert output.take() == [Sent("answer", None, texts.ALREADY_DONE)]


async def test_a_button_from_an_earlier_question_is_stale(
    handlers: NominationHandlers, alex: Chatter, output: FakeOutput, store: FakeDraftStore
) -> None:
    question = await begin(handlers, alex, output)
    await handlers.text(alex.message("colleague"))  # typed instead of tapped: now further on
    output.take()
    draft = await store.active_draft(KEY)

    await handlers.button(alex.press(question, "The whole ward", message_id=8))

    answer, stale, current = output.take()
    assert answer.kind == "answer"
    assert stale.text == texts.STALE_BUTTON
    assert "colleague's name" in current.text
    assert await store.active_draft(KEY) == draft  # the old button changed nothing


async def test_forged_button_data_without_a_draft_shows_the_welcome(
    handlers: NominationHandlers, alex: Chatter, output: FakeOutput, store: FakeDraftStore
) -> None:
    await handlers.button(alex.data("not:our:button:data"))

    answer, welcome = output.take()
    assert answer.kind == "answer"
    assert welcome.screen is not None and welcome.screen.about is None
    assert texts.START_BUTTON in [b.label for row in welcome.screen.buttons for b in row]
    assert store.records == {}


async def test_a_deleted_nominations_button_says_it_was_not_sent(
    handlers: NominationHandlers, alex: Chatter, output: FakeOutput, service: NominationService
) -> None:
    question = await begin(handlers, alex, output)
    await service.delete(KEY)

    await handlers.button(alex.press(question, "One colleague"))

    answer, gone = output.take()
    assert answer.kind == "answer"
    assert gone.text == texts.STALE_GONE


async def test_edit_goes_to_the_question_named(
    handlers: NominationHandlers, alex: Chatter, output: FakeOutput
) -> None:
    await begin(handlers, alex, output)

    await handlers.commands()["edit"](alex.message("/edit  Q1"))

    (question,) = output.take()
    assert "Why do they deserve a thank you?" in question.text


async def test_a_group_gets_a_link_to_a_private_chat_only_when_addressed(
    handlers: NominationHandlers, alex: Chatter, output: FakeOutput, store: FakeDraftStore
) -> None:
    await handlers.refuse_group(alex.message("/start@other_bot", chat=WARD))
    await handlers.refuse_group(alex.message("lunch at one?", chat=WARD))
    assert output.take() == []

    await handlers.refuse_group(alex.message("/start@nomination_test_bot", chat=WARD))

    (link,) = output.take()
    assert link.kind == "link" and link.chat_id == WARD.id
    assert "https://t.me/nomination_test_bot?start=nominate" in link.text
    assert store.records == {}


async def test_what_is_not_text_is_refused_without_saving(
    handlers: NominationHandlers, alex: Chatter, output: FakeOutput, store: FakeDraftStore
) -> None:
    await begin(handlers, alex, output)
    draft = await store.active_draft(KEY)

    await handlers.not_text(alex.message("(a photo)"))

    (refusal,) = output.take()
    assert refusal.text == texts.NOT_TEXT
    assert await store.active_draft(KEY) == draft
