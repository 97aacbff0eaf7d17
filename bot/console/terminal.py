"""The terminal front end: the same conversation as on Telegram, as numbered options and typed
commands, for trying the bot on a fresh machine without a Telegram token."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
import textwrap
import threading
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TextIO

from bot.conversation import Conversation, Press, press_of
from bot.screens import texts
from bot.screens.actions import ACTIONS, BY_ACTION, NUMBERED, Action, Kind
from bot.screens.menus import in_terminal_words, typed_words
from bot.screens.parts import Paragraph, Screen, Style

ReadLine = Callable[[], Awaitable[str | None]]

# Typed words, from the one table (bot/screens/actions.py): each stands for its button, or for
# the command of that name.
WORDS = typed_words()
WORD_FOR_ACTION = {spec.action: spec.word for spec in ACTIONS if spec.word}
QUIT_WORDS = frozenset({"quit", "exit", "q"})


def log_to_file(path: Path) -> None:
    """The terminal is the conversation, so log lines (an email sent, say) go to a file instead,
    readable only by its owner; the handlers keep their format and their redaction of secrets."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    stream = open(descriptor, "a", encoding="utf-8")  # noqa: SIM115 - open as long as the process
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(stream)


# A terminal in canonical mode hands over at most this many bytes of one line (Linux's N_TTY
# buffer, less the newline) and drops the rest: a line this long may have been cut.
TERMINAL_LINE_MAX = 4095


async def stdin_line() -> str | None:
    """One line from standard input without blocking the event loop; None at end of input.

    The read runs on a daemon thread, so that Ctrl-C can end the conversation at once without
    waiting for the Enter that would unblock it (see Console.run)."""
    loop = asyncio.get_running_loop()
    got: asyncio.Future[str] = loop.create_future()

    def arrived(line: str) -> None:
        if not got.done():
            got.set_result(line)

    def read() -> None:
        loop.call_soon_threadsafe(arrived, sys.stdin.readline())

    threading.Thread(target=read, name="stdin", daemon=True).start()
    line = await got
    return line.rstrip("\r\n") if line else None


class Console:
    """One nominator at a terminal: reads lines, hands them to the conversation, and prints the
    screens it returns."""

    def __init__(
        self,
        conversation: Conversation,
        nominator: str,
        *,
        read_line: ReadLine = stdin_line,
        out: TextIO = sys.stdout,
        width: int = 78,
    ) -> None:
        self.conversation = conversation
        self.service = conversation.service
        self.nominator = nominator
        self.read_line = read_line
        self.out = out
        self.width = width
        self.numbered: list[Press] = []
        self._interrupted: asyncio.Event | None = None  # set by Ctrl-C while running

    async def run(self) -> None:
        """The conversation, until `quit`, Ctrl-C or the end of input."""
        loop = asyncio.get_running_loop()
        self._interrupted = asyncio.Event()
        try:
            loop.add_signal_handler(signal.SIGINT, self._interrupted.set)
        except (NotImplementedError, RuntimeError):  # not the main thread, or not Unix
            self._interrupted = None
        try:
            await self._converse()
        finally:
            if self._interrupted is not None:
                loop.remove_signal_handler(signal.SIGINT)

    async def _converse(self) -> None:
        self.draw(await self.conversation.opening(self.nominator))
        while True:
            # One prompt per turn, after all of the turn's screens: it marks where to type.
            self.out.write("\n> ")
            self.out.flush()
            line = await self._line_or_interrupt()
            if line is not None and len(line.encode()) >= TERMINAL_LINE_MAX:
                # The terminal dropped whatever came after: say so rather than save half.
                self.say(texts.CONSOLE_LINE_CUT.format(limit=f"{TERMINAL_LINE_MAX:,}"))
                continue
            if line is None or line.strip().casefold() in QUIT_WORDS:
                saved = await self.service.draft(self.nominator) is not None
                self.say(texts.CONSOLE_BYE if saved else texts.CONSOLE_GOODBYE)
                return
            await self.handle(line)

    async def _line_or_interrupt(self) -> str | None:
        """The next typed line; None at the end of input, or for Ctrl-C, which is quit."""
        if self._interrupted is None:
            return await self.read_line()
        reading = asyncio.ensure_future(self.read_line())
        stop = asyncio.ensure_future(self._interrupted.wait())
        try:
            waiting: set[asyncio.Future[object]] = {reading, stop}  # type: ignore[arg-type]
            await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stop.cancel()
        if reading.done():
            return reading.result()
        reading.cancel()
        self.out.write("\n")
        return None

    async def handle(self, line: str) -> None:
        """A typed line: a numbered choice, a word for an action, or an answer."""
        word = line.strip().casefold()
        if word.startswith("/") and word[1:] in WORDS:  # Telegram's form, /status, means status
            word = word[1:]
        chosen = self._numbered_choice(word)
        if chosen is not None:
            self.draw((await self.conversation.press(self.nominator, chosen)).screens, fresh=True)
        elif (word in WORDS and WORDS[word] is Action.START) or self._starts(word):
            # The Start button, typed: begin, or carry on with the draft.
            start = Press(Action.START)
            self.draw((await self.conversation.press(self.nominator, start)).screens, fresh=True)
        elif word in WORDS:
            shown = await self.conversation.command(self.nominator, WORDS[word])
            # Help and status change nothing: the numbers on screen still apply.
            self.draw(shown, fresh=BY_ACTION[WORDS[word]].kind is not Kind.READING)
        else:
            self.draw(await self.conversation.typed(self.nominator, line), fresh=True)

    def _starts(self, word: str) -> bool:
        """Enter (or yes) at the welcome starts, as its Start button does."""
        welcome = any(p.action is Action.START for p in self.numbered)
        return welcome and word in ("", "yes", "y")

    def _numbered_choice(self, word: str) -> Press | None:
        if word.isdigit() and 1 <= int(word) <= len(self.numbered):
            return self.numbered[int(word) - 1]
        return None

    def draw(self, screens: Sequence[Screen], *, fresh: bool = False) -> None:
        if fresh:
            self.numbered = []  # the numbers of earlier screens no longer apply
        for screen in screens:
            self.show(screen)

    def show(self, screen: Screen) -> None:
        blocks = [self._paragraph(p) for p in screen.paragraphs]
        buttons = [b for row in screen.buttons for b in row]
        if any(b.action in NUMBERED for b in buttons):
            self.numbered = [press_of(b, screen) for b in buttons]
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
            else:  # the bot's own words, said the terminal's way ("type keep")
                pieces.append(in_terminal_words(span.text))
        return "\n".join(
            textwrap.fill(line, self.width) if not line.startswith("  | ") else line
            for line in "".join(pieces).split("\n")
        )
