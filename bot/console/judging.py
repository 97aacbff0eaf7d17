"""The judge's terminal (issue 18): `nomination-bot judge` runs judging's conversation
(bot/conversation/judging.py) at this terminal, as `console` runs the nominator's, so that a
trial on a fresh machine can judge what it nominated.

The person at the terminal is the server's own user, trusted as the organisers' command line
is: the first time, the terminal invites them and opens the invitation itself, and they give
their name, role and organisation as a judge in Telegram does. They are known to the panel by a
negative number, which no Telegram user has, so nothing meant for a judge's chat reaches them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TextIO

from bot.console.terminal import ReadLine, Terminal, stdin_line
from bot.conversation import Press, Turn
from bot.conversation.judging import JudgingConversation
from bot.screens import texts
from bot.screens.actions import Action
from bot.screens.menus import typed_words
from bot.screens.parts import Screen, text_screen
from bot.services.judging import LINK_PREFIX

JUDGE_WORDS = typed_words(judging=True)  # judge, myscores, skip, next nomination…
HELP_WORDS = frozenset(w for w, a in typed_words().items() if a is Action.HELP)


def terminal_judge_id(uid: int | None = None) -> int:
    """The panel's number for the terminal's user: negative, so never a Telegram user's."""
    return -((os.getuid() if uid is None else uid) + 1)


async def judge_here(
    judging: JudgingConversation,
    judge_id: int,
    *,
    read_line: ReadLine = stdin_line,
    out: TextIO = sys.stdout,
) -> int:
    """`nomination-bot judge`: the judge's conversation until quit; its exit status. While
    judging is not open, one line says so and how to open it."""
    if not await judging.panel.is_open():
        out.write(texts.JUDGE_CONSOLE_NOT_OPEN + "\n")
        out.flush()
        return 1
    await JudgeConsole(judging, judge_id, read_line=read_line, out=out).run()
    return 0


class JudgeConsole(Terminal):
    """One judge at a terminal: their registration, then each nomination to score."""

    def __init__(
        self,
        judging: JudgingConversation,
        judge_id: int,
        *,
        read_line: ReadLine = stdin_line,
        out: TextIO = sys.stdout,
        width: int = 0,
    ) -> None:
        super().__init__(read_line=read_line, out=out, width=width)
        self.judging = judging
        self.judge_id = judge_id

    async def opening(self) -> Sequence[Screen]:
        """A new judge is invited and joins; one on the panel already sees their next nomination
        (or the detail they have still to give)."""
        panel = self.judging.panel
        judge = await panel.judge(self.judge_id)
        if judge is None:
            invitation = await panel.invite()
            link = f"{LINK_PREFIX}{invitation.token}"
            return (await self.judging.open_link(self.judge_id, link)).screens
        turn = await self.judging.next(self.judge_id)
        screens = turn.screens if turn is not None else ()
        if not judge.registered:
            # Each run starts on a clear screen, where a bare "What is your job title?" would
            # not say what it is for: the welcome again, as Telegram's chat still shows it.
            title = self.judging.screens.form.title
            return (text_screen(texts.JUDGE_WELCOME.format(award=title)), *screens)
        return screens

    async def goodbye(self) -> str:
        return texts.JUDGE_CONSOLE_BYE

    async def handle(self, line: str) -> None:
        """A typed line: a numbered choice, a judge's word, or a detail, reason or comment."""
        word = line.strip().casefold()
        if (
            word.startswith("/") and word[1:] in JUDGE_WORDS.keys() | HELP_WORDS
        ):  # /judge means judge
            word = word[1:]
        if word in HELP_WORDS:
            self.say(texts.JUDGE_CONSOLE_HELP)
            return
        chosen = self._numbered_choice(word)
        if chosen is None and word in JUDGE_WORDS:
            chosen = self._button(JUDGE_WORDS[word])
        if chosen is not None:
            turn = await self.judging.press(self.judge_id, chosen)
        elif word in JUDGE_WORDS and JUDGE_WORDS[word] is Action.JUDGE_MY_SCORES:
            turn = await self.judging.my_scores(self.judge_id)
        elif word in JUDGE_WORDS and JUDGE_WORDS[word] is Action.JUDGE_NEXT:
            turn = await self.judging.next(self.judge_id)
        else:
            turn = await self.judging.typed(self.judge_id, line)
        self._draw_turn(turn)

    def _button(self, action: Action) -> Press | None:
        """The button on screen that a typed word stands for ("skip": the comment's Skip)."""
        return next((press for press in self.numbered if press.action is action), None)

    def _draw_turn(self, turn: Turn | None) -> None:
        if turn is None:  # text where none is asked for: what is on screen still applies
            self.say(texts.JUDGE_CONSOLE_CHOOSE if self.numbered else texts.JUDGE_CONSOLE_WHAT)
            return
        self.draw(turn.screens, fresh=True)
