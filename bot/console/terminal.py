"""The terminal front end: the same conversation as on Telegram, as numbered options and typed
commands, for trying the bot on a fresh machine without a Telegram token."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import signal
import sys
import termios
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

ReadLine = Callable[[str], Awaitable[str | None]]  # shows its prompt, then reads one line

# Typed words, from the one table (bot/screens/actions.py): each stands for its button, or for
# the command of that name.
WORDS = typed_words()
WORD_FOR_ACTION = {spec.action: spec.word for spec in ACTIONS if spec.word}
QUIT_WORDS = frozenset({"quit", "exit", "q"})
PROMPT = "> "  # one per turn, after all of the turn's screens: it marks where to type
WIDTH = 78  # the widest a line is wrapped to; a narrower terminal (a phone's) wraps narrower
NARROWEST = 20


def terminal_width() -> int:
    """The width to wrap to: the terminal's (COLUMNS, or its size), at most WIDTH, so that a
    narrow window does not wrap each of our lines a second time, mid-word."""
    columns = shutil.get_terminal_size((WIDTH, 24)).columns
    return max(NARROWEST, min(WIDTH, columns))


def log_to_file(path: Path) -> None:
    """The terminal is the conversation, so log lines (an email sent, say) go to a file instead,
    readable only by its owner; the handlers keep their format and their redaction of secrets."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    stream = open(descriptor, "a", encoding="utf-8")  # noqa: SIM115 - open as long as the process
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(stream)


# A terminal in canonical mode hands over at most this many bytes of one line (Linux's N_TTY
# buffer, less the newline) and drops the rest. GNU readline reads a key at a time, so with it
# a paste of any length arrives whole; without it, a line this long may have been cut.
TERMINAL_LINE_MAX = 4095
# Turns the terminal's bracketed paste off, as readline does when a read ends normally.
BRACKETED_PASTE_OFF = "\x1b[?2004l"


def line_editor() -> bool:
    """Whether typed lines are read with GNU readline: at a terminal, where Python has it."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        return False
    try:
        import readline  # noqa: F401  (importing it is what makes input() use it)
    except ImportError:
        return False
    return True


class LineCut(str):
    """A line the terminal may have cut at its limit: what came after was dropped."""


async def stdin_line(prompt: str) -> str | None:
    """One line from standard input without blocking the event loop; None at end of input.

    At a terminal the line is read with readline, which shows the prompt once it has the
    terminal, so nothing typed early is echoed twice, and takes pastes of any length. The read
    runs on a daemon thread, so that Ctrl-C can end the conversation at once without waiting for
    the Enter that would unblock it (see Console.run)."""
    loop = asyncio.get_running_loop()
    got: asyncio.Future[str | None] = loop.create_future()
    editor = line_editor()

    def arrived(line: str | None) -> None:
        if not got.done():
            got.set_result(line)

    def read() -> None:
        if editor:
            try:
                line: str | None = input(prompt)
            except EOFError:
                line = None
        else:
            sys.stdout.write(prompt)
            sys.stdout.flush()
            raw = sys.stdin.readline()
            line = raw.rstrip("\r\n") if raw else None
        loop.call_soon_threadsafe(arrived, line)

    threading.Thread(target=read, name="stdin", daemon=True).start()
    line = await got
    if (
        line is not None
        and not editor
        and sys.stdin.isatty()
        and len(line.encode()) >= TERMINAL_LINE_MAX
    ):
        return LineCut(line)
    return line


class Terminal:
    """One person at a terminal: reads lines, hands each to `handle`, and draws screens, their
    buttons numbered or named by their typed words. What a line means is a subclass's: the
    nominator's Console here, the judge's in bot/console/judging.py."""

    def __init__(
        self, *, read_line: ReadLine = stdin_line, out: TextIO = sys.stdout, width: int = 0
    ) -> None:
        self.read_line = read_line
        self.out = out
        self.width = width or terminal_width()
        self.numbered: list[Press] = []
        self.choices = ""  # the last screen's "Type: …" line, as drawn
        self._interrupted: asyncio.Event | None = None  # set by Ctrl-C while running

    async def run(self) -> None:
        """The conversation, until `quit`, Ctrl-C or the end of input."""
        loop = asyncio.get_running_loop()
        self._interrupted = asyncio.Event()
        try:
            loop.add_signal_handler(signal.SIGINT, self._interrupted.set)
        except (NotImplementedError, RuntimeError):  # not the main thread, or not Unix
            self._interrupted = None
        # A read cut short by Ctrl-C leaves readline's settings on the terminal: put them back.
        settings = termios.tcgetattr(sys.stdin) if sys.stdin.isatty() else None
        try:
            await self._converse()
        finally:
            if self._interrupted is not None:
                loop.remove_signal_handler(signal.SIGINT)
            if settings is not None:
                termios.tcsetattr(sys.stdin, termios.TCSADRAIN, settings)
                if self._interrupted is not None and self._interrupted.is_set() and line_editor():
                    self.out.write(BRACKETED_PASTE_OFF)
                    self.out.flush()

    async def opening(self) -> Sequence[Screen]:
        """What is shown before the first line is read."""
        raise NotImplementedError

    async def handle(self, line: str) -> None:
        """A typed line."""
        raise NotImplementedError

    async def goodbye(self) -> str:
        """What is said at `quit`, Ctrl-C or the end of input."""
        raise NotImplementedError

    async def _converse(self) -> None:
        self.draw(await self.opening())
        while True:
            self.out.write("\n")
            self.out.flush()
            line = await self._line_or_interrupt()
            if isinstance(line, LineCut):
                # The terminal dropped whatever came after: say so rather than save half.
                self.say(texts.CONSOLE_LINE_CUT.format(limit=f"{TERMINAL_LINE_MAX:,}"))
                continue
            if line is None or line.strip().casefold() in QUIT_WORDS:
                self.say(await self.goodbye())
                return
            await self.handle(line)

    async def _line_or_interrupt(self) -> str | None:
        """The next typed line; None at the end of input, or for Ctrl-C, which is quit."""
        if self._interrupted is None:
            return await self.read_line(PROMPT)
        reading = asyncio.ensure_future(self.read_line(PROMPT))
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

    def _numbered_choice(self, word: str) -> Press | None:
        if word.isdigit() and 1 <= int(word) <= len(self.numbered):
            return self.numbered[int(word) - 1]
        return None

    def draw(self, screens: Sequence[Screen], *, fresh: bool = False) -> None:
        if fresh:
            self.numbered = []  # the numbers of earlier screens no longer apply
            self.choices = ""
        for screen in screens:
            self.show(screen)
        if not fresh and self.choices and not any(screen.buttons for screen in screens):
            # Help, examples or status changed nothing: what to type next still applies, and
            # has scrolled out of sight, so show it again.
            self.out.write("\n" + self.choices + "\n")
            self.out.flush()

    def show(self, screen: Screen) -> None:
        blocks = [self._paragraph(p) for p in screen.paragraphs]
        buttons = [b for row in screen.buttons for b in row]
        if any(b.action in NUMBERED for b in buttons):
            self.numbered = [press_of(b, screen) for b in buttons]
            self.choices = ""  # a yes/no or a choice: help's reply says how to go on
            blocks.append("\n".join(f"  {i}) {b.label}" for i, b in enumerate(buttons, 1)))
        elif buttons:
            self.numbered = []
            words = [WORD_FOR_ACTION[b.action] for b in buttons if b.action in WORD_FOR_ACTION]
            self.choices = "Type: " + ", ".join(dict.fromkeys(words))
            blocks.append(self.choices)
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


class Console(Terminal):
    """One nominator at a terminal: reads lines, hands them to the conversation, and prints the
    screens it returns."""

    def __init__(
        self,
        conversation: Conversation,
        nominator: str,
        *,
        read_line: ReadLine = stdin_line,
        out: TextIO = sys.stdout,
        width: int = 0,
    ) -> None:
        super().__init__(read_line=read_line, out=out, width=width)
        self.conversation = conversation
        self.service = conversation.service
        self.nominator = nominator

    async def opening(self) -> Sequence[Screen]:
        return await self.conversation.opening(self.nominator)

    async def goodbye(self) -> str:
        saved = await self.service.draft(self.nominator) is not None
        return texts.CONSOLE_BYE if saved else texts.CONSOLE_GOODBYE

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
            action = WORDS[word]
            shown = await self.conversation.command(self.nominator, action)
            # Help, status and the examples change nothing: what is on screen still applies.
            changes = BY_ACTION[action].kind is not Kind.READING and action is not Action.HINTS
            self.draw(shown, fresh=changes)
        else:
            self.draw(await self.conversation.typed(self.nominator, line), fresh=True)

    def _starts(self, word: str) -> bool:
        """Enter (or yes) at the welcome starts, as its Start button does."""
        welcome = any(p.action is Action.START for p in self.numbered)
        return welcome and word in ("", "yes", "y")
