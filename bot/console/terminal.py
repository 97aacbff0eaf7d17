"""The terminal front end: the same conversation as on Telegram, as numbered options and typed
commands, for trying the bot on a fresh machine without a Telegram token."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import textwrap
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TextIO

from bot.conversation.sent import SENT_BUTTONS, SentActions
from bot.screens import texts
from bot.screens.actions import ACTIONS, typed_words
from bot.screens.builder import Action, Button, Paragraph, Screen, ScreenBuilder, Style, event_for
from bot.screens.nominations import NominationsList
from bot.services.nominating import NominationService, Outcome
from flows.events import Answer, Event

ReadLine = Callable[[], Awaitable[str | None]]

# Typed words for the buttons, from the one table (bot/actions.py). Actions the terminal answers
# itself (start, status, help, quit) have no event and are handled before these.
WORDS: dict[str, Event] = {
    word: event
    for word, action in typed_words().items()
    if (event := event_for(action)) is not None
}
WORD_FOR_ACTION = {spec.action: spec.word for spec in ACTIONS if spec.word}
# Screens with any of these buttons are choices: their buttons are numbered.
CHOICE_ACTIONS = frozenset(
    {
        Action.ANSWER,
        Action.EDIT,
        Action.SUBMIT,
        Action.START,
        Action.CONFIRM,
        Action.FULL_ANSWER,
        Action.OPEN,
        Action.VIEW,
        Action.ANOTHER,
        Action.LIST,
        Action.AMEND,
        Action.WITHDRAW,
        Action.WITHDRAW_YES,
    }
)
QUIT_WORDS = frozenset({"quit", "exit", "q"})


def log_to_file(path: Path) -> None:
    """The terminal is the conversation, so log lines (an email sent, say) go to a file instead,
    readable only by its owner; the handlers keep their format and their redaction of secrets."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    stream = open(descriptor, "a", encoding="utf-8")  # noqa: SIM115 - open as long as the process
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(stream)


async def stdin_line() -> str | None:
    """One line from standard input without blocking the event loop; None at end of input."""
    line = await asyncio.to_thread(sys.stdin.readline)
    return line.rstrip("\r\n") if line else None


class Console:
    """One nominator at a terminal."""

    def __init__(
        self,
        service: NominationService,
        screens: ScreenBuilder,
        nominator: str,
        *,
        read_line: ReadLine = stdin_line,
        out: TextIO = sys.stdout,
        width: int = 78,
    ) -> None:
        self.service = service
        self.screens = screens.for_terminal()
        self.nominator = nominator
        self.read_line = read_line
        self.out = out
        self.width = width
        self.numbered: list[Button] = []
        self.listing = NominationsList(self.screens, telegram=False)
        self.sent = SentActions(service, self.listing)

    async def run(self) -> None:
        """The conversation, until `quit` or the end of input."""
        draft = await self.service.draft(self.nominator)
        if draft is not None or self.service.is_open():
            self.show(self.screens.welcome(draft))
        notice = self.service.round_notice()
        if notice is not None:  # outside the round, the notice alone: nothing is asked
            self.say(notice)
        while True:
            # One prompt per turn, after all of the turn's screens: it marks where to type.
            self.out.write("\n> ")
            self.out.flush()
            line = await self.read_line()
            if line is None or line.strip().casefold() in QUIT_WORDS:
                saved = await self.service.draft(self.nominator) is not None
                self.say(texts.CONSOLE_BYE if saved else texts.CONSOLE_GOODBYE)
                return
            await self.handle(line)

    async def handle(self, line: str) -> None:
        word = line.strip().casefold()
        if word == "help":
            self.say(texts.CONSOLE_HELP)
            return
        if word in ("list", "new"):
            await self.press(Button("", Action.LIST if word == "list" else Action.ANOTHER))
            return
        draft = await self.service.draft(self.nominator)
        if word == "status":
            self.show(self.screens.status(draft) if draft else self._no_draft())
            return
        button = self._numbered_choice(word)
        if button is not None:
            await self.press(button)
        elif draft is None:
            if word in ("", "start", "1", "yes", "y"):
                self.render(await self.service.continue_nomination(self.nominator))
            else:
                self.show(self._no_draft())
        elif word in WORDS:
            self.render(await self.service.apply(self.nominator, WORDS[word]))
        elif word == "start" or (not word and self._welcome_showing()):
            self.render(await self.service.continue_nomination(self.nominator))
        else:
            self.render(await self.service.apply(self.nominator, Answer(line)))

    async def press(self, button: Button) -> None:
        match button.action:
            case Action.START:
                self.render(await self.service.continue_nomination(self.nominator))
            case Action.LIST:
                self.show(self.listing.screen(await self.service.nominations(self.nominator)))
            case Action.ANOTHER:
                self.render(await self.service.start_another(self.nominator))
            case Action.OPEN if button.ref is not None:
                self.render(await self.service.continue_draft(self.nominator, button.ref))
            case Action.VIEW if button.ref is not None:
                record = await self.service.own(self.nominator, button.ref)
                self.show(self.listing.view(record) if record else self._no_draft())
            case action if action in SENT_BUTTONS and button.ref is not None:
                shown = await self.sent.press(self.nominator, action, button.ref)
                if isinstance(shown, Outcome):
                    self.render(shown)  # Amend: the review
                else:
                    self.show(shown)
            case Action.FULL_ANSWER:
                draft = await self.service.draft(self.nominator)
                if draft is not None:
                    self.numbered = []
                    self.show(self.screens.full_answer(draft, button.arg))
            case _:
                event = event_for(button.action, button.arg)
                if event is not None:
                    self.render(await self.service.apply(self.nominator, event))

    def _numbered_choice(self, word: str) -> Button | None:
        if word.isdigit() and 1 <= int(word) <= len(self.numbered):
            return self.numbered[int(word) - 1]
        return None

    def _welcome_showing(self) -> bool:
        return any(b.action is Action.START for b in self.numbered)

    def _no_draft(self) -> Screen:
        return self.screens.welcome(None)

    def render(self, outcome: Outcome) -> None:
        self.numbered = []  # the numbers of earlier screens no longer apply
        if outcome.state is not None or outcome.effects or outcome.notice is None:
            for screen in self.screens.render(outcome.state, outcome.effects):
                self.show(screen)
        if outcome.notice is not None:
            self.say(outcome.notice)

    def show(self, screen: Screen) -> None:
        blocks = [self._paragraph(p) for p in screen.paragraphs]
        buttons = [b for row in screen.buttons for b in row]
        if any(b.action in CHOICE_ACTIONS for b in buttons):
            self.numbered = buttons
            blocks.append("\n".join(f"  {i}) {b.label}" for i, b in enumerate(buttons, 1)))
        elif buttons:
            self.numbered = []
            words = [WORD_FOR_ACTION[b.action] for b in buttons if b.action in WORD_FOR_ACTION]
            blocks.append("Type: " + ", ".join(dict.fromkeys(words)))
        self.out.write("\n" + "\n\n".join(blocks) + "\n")
        self.out.flush()

    def say(self, text: str) -> None:
        self.out.write("\n" + text + "\n")
        self.out.flush()

    def _paragraph(self, paragraph: Paragraph) -> str:
        pieces: list[str] = []
        for span in paragraph:
            if span.style is Style.QUOTE:
                lines = span.text.splitlines() or [""]
                wrapped = (textwrap.wrap(line, self.width - 4) or [""] for line in lines)
                pieces.append("\n".join("  | " + part for parts in wrapped for part in parts))
            else:
                pieces.append(span.text)
        return "\n".join(
            textwrap.fill(line, self.width) if not line.startswith("  | ") else line
            for line in "".join(pieces).split("\n")
        )
