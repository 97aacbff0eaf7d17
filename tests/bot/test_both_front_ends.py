"""One conversation, two front ends: the same presses and typed lines, given to the Telegram front
end (the real Application against the fake Bot API) and to the terminal's, reach the same states
and draw the same screens, apart from the rendering.

Each front end draws through its own output; here both are recorded at that edge, as Screens,
before Telegram turns them into HTML and the terminal into numbered lines. The screens are
compared whole (paragraphs, styles, buttons and what they act on), with each nomination's own
reference put aside, since each front end's nominator has a reference of their own.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace

from bot.app import open_services, terminal_conversation
from bot.console.terminal import WORD_FOR_ACTION, Console
from bot.conversation import Conversation
from bot.screens.actions import ACTIONS, BY_ACTION, NUMBERED, Action, FrontEnd
from bot.screens.menus import how_to
from bot.screens.parts import About, Button, Screen, Span
from bot.telegram import NominationHandlers, TelegramOutput, build_application, serving
from flows.references import reference_code
from flows.state import NominationState
from tests.kit.fake_telegram import FakeTelegram
from tests.kit.nominator import MakeSettings, Nominator


@dataclass(frozen=True)
class Press:
    label: str


@dataclass(frozen=True)
class Type:
    text: str


@dataclass(frozen=True)
class Command:
    """A command: Telegram's /status, the terminal's `status`."""

    action: Action


# Corrections, an early look at the review, going back, examples, an answer too short, a Change
# from the review, and a yes/no typed.
STEPS: tuple[Press | Type | Command, ...] = (
    Command(Action.STATUS),  # with no draft yet
    Press("Start a nomination"),
    Press("An individual"),
    Type("Priya Shah"),
    Type("Senior Staff Nurse"),
    Press("Back"),
    Command(Action.STATUS),
    Type("Ward Sister"),
    Type("Leeds Teaching Hospitals NHS Trust"),
    Press("Review answers"),
    Press("Change: Job title or role"),
    Type("Senior Sister"),
    Press("Go to: Nominee knows"),
    Type("yes"),
    Type("Jo Bloggs"),
    Type("no"),
)


class RecordingOutput:
    """Telegram's real output, recording each screen it is asked to draw."""

    def __init__(self, real: TelegramOutput) -> None:
        self.real = real
        self.drawn: list[Screen] = []

    @property
    def username(self) -> str:
        return self.real.username

    async def show(self, chat_id: int, screen: Screen) -> None:
        self.drawn.append(screen)
        await self.real.show(chat_id, screen)

    async def send_link(self, chat_id: int, text: str, label: str, url: str) -> None:
        await self.real.send_link(chat_id, text, label, url)

    async def answer_button(self, query_id: str, text: str | None = None) -> None:
        await self.real.answer_button(query_id, text)

    async def send_document(self, chat_id: int, filename: str, data: bytes, caption: str) -> None:
        await self.real.send_document(chat_id, filename, data, caption)


class RecordingConsole(Console):
    """The terminal front end, recording each screen it draws."""

    drawn: list[Screen]

    def show(self, screen: Screen) -> None:
        self.drawn.append(screen)
        super().show(screen)

    def line_for(self, label: str) -> str:
        """What a person types for the button `label` on the newest screen with buttons: its
        number where the screen numbers them, else its word."""
        screen = next(s for s in reversed(self.drawn) if s.buttons)
        buttons = [b for row in screen.buttons for b in row]
        (button,) = [b for b in buttons if b.label == label]
        if any(b.action in NUMBERED for b in buttons):
            return str(buttons.index(button) + 1)
        word = WORD_FOR_ACTION[button.action]
        assert word is not None
        return word


def phrases() -> list[tuple[str, str]]:
    """How the front ends name each action ("send /start", "type start", "choose Keep"),
    capitalised too, and what the comparison puts in its place: that is rendering, which each
    front end does in its own words."""
    named = []
    for spec in ACTIONS:
        for front_end in FrontEnd:
            said = how_to(spec.action, front_end)
            for form in (said, said[:1].upper() + said[1:]):
                named.append((form, f"<{spec.action.name}>"))
    return sorted(set(named), key=lambda pair: -len(pair[0]))


def neutral(screen: Screen, state: NominationState | None) -> Screen:
    """The screen with its nomination's own reference, and its front end's names for the
    actions, put aside."""
    reference = state.reference if state is not None else "\0"
    code = reference_code(reference) if state is not None else "\0"

    def text(value: str) -> str:
        for said, action in phrases():
            value = value.replace(said, action)
        return value.replace(reference, "REF").replace(code, "CODE")

    paragraphs = tuple(tuple(Span(text(s.text), s.style) for s in p) for p in screen.paragraphs)
    buttons = tuple(
        tuple(Button(b.label, b.action, b.arg, b.ref and text(b.ref)) for b in row)
        for row in screen.buttons
    )
    about = screen.about and About(
        screen.about.subject, text(screen.about.key), screen.about.position
    )
    return replace(screen, paragraphs=paragraphs, buttons=buttons, about=about)


def comparable(state: NominationState | None) -> object:
    """A state as the conversation left it, but for its reference and the message ids its
    answers came from (the terminal has none)."""
    if state is None:
        return None
    answers = {field_id: state.answer(field_id) for field_id in state.answers}
    kept = state.model_dump(exclude={"reference": True, "answers": True, "pending": {"source"}})
    return kept, answers


async def test_the_same_steps_reach_the_same_states_and_screens(
    tg: FakeTelegram, make_settings: MakeSettings
) -> None:
    settings = make_settings()
    terminal_settings = make_settings()  # its own database: the terminal's nominator is local
    application = build_application(settings.token or "", settings.telegram_api_base_url)
    async with (
        open_services(settings) as services,
        open_services(terminal_settings) as local,
    ):
        output = RecordingOutput(TelegramOutput(application.bot))
        NominationHandlers(Conversation(services.service, services.screens), output).register(
            application
        )
        console = RecordingConsole(terminal_conversation(local), "local:tester", out=io.StringIO())
        console.drawn = []
        jo = Nominator(tg, tg.user(7001, "Jo"))
        async with serving(application, settings, poll_timeout=0.5):
            await jo.say("/start")
            console.draw(await console.conversation.opening("local:tester"))
            assert output.drawn == console.drawn  # the welcome
            for step in STEPS:
                drawn_before = (len(output.drawn), len(console.drawn))
                if isinstance(step, Press):
                    line = console.line_for(step.label)
                    await jo.tap(step.label)
                elif isinstance(step, Command):
                    spec = BY_ACTION[step.action]
                    line = spec.word or ""
                    await jo.say(f"/{spec.command}")
                else:
                    line = step.text
                    await jo.say(step.text)
                await console.handle(line)
                telegram_state = await jo.draft(services)
                terminal_state = await local.service.draft("local:tester")
                assert comparable(telegram_state) == comparable(terminal_state), step
                drawn = output.drawn[drawn_before[0] :]
                telegram = [neutral(s, telegram_state) for s in drawn]
                drawn = console.drawn[drawn_before[1] :]
                terminal = [neutral(s, terminal_state) for s in drawn]
                assert telegram == terminal, step
    assert terminal_state is not None
    assert terminal_state.answer("nominee_role") == "Senior Sister"
    assert terminal_state.answer("nominee_aware") == "yes"
