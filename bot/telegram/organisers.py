"""The organisers' commands in Telegram: /stats, /export, /nomination REF, /resend REF,
/leaderboard, /shortlist REF and /organiser, for the user ids in ORGANISER_TELEGRAM_IDS only.

Everyone else gets exactly what an unknown command gets: the commands are registered with a
filter on the organisers' user ids, so a stranger's /stats falls through to the nominators'
unknown-command reply, and a stranger's press of an organiser's button (forged callback data)
to the nominators' button handler, which treats it as any other unreadable button. A reference
that is a draft answers as an unknown one does, so guessing reveals nothing either.

What each command does is the organisers' service's (bot.services.organisers), the same one the
command line calls; this module reads the command and draws the answer.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta

from telegram import Bot, BotCommand, BotCommandScopeChat, Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.screens import texts
from bot.screens.actions import Action
from bot.screens.judging import award_choice, headed
from bot.screens.leaderboard import IN_A_CHAT, board_lines, shortlist_line
from bot.screens.parts import Button, Paragraph, Screen, Span, Style, text_screen
from bot.screens.stats import award_lines, stats_lines
from bot.services.leaderboard import LeaderboardService, NotJudged, Shortlisted, Unlisted
from bot.services.organisers import (
    ExportFormat,
    NoOrganisers,
    NotFound,
    NotSubmitted,
    OrganiserService,
    Queued,
    Scope,
    Submitted,
)
from bot.services.panels import Choice, Choose, Chosen, NotYours, choose
from bot.telegram.buttons import decode
from bot.telegram.chats import Handler, ptb
from bot.telegram.output import ChatOutput
from bot.telegram.runtime import AnyApplication
from flows.programme import Programme

logger = logging.getLogger(__name__)

RESEND_PREFIX = "org:resend:"  # the Resend button before it was a screen's: still in chats
EXPORT_FILENAME = "nominations.csv"
_FOR_AWARD = ("leaderboard",)  # the commands a choice of award may carry


@dataclass(frozen=True, slots=True)
class OrganiserChats:
    """Who may use the commands, and how long /resend waits to say the email has gone. An
    organiser in `scopes` sees only those awards' nominations (issue 19); the others, all."""

    organiser_ids: tuple[int, ...]
    resend_wait: timedelta = timedelta(minutes=1)
    scopes: Mapping[int, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, everything: Sequence[int], programme: Programme) -> OrganiserChats:
        """ORGANISER_TELEGRAM_IDS see every award; an award's own organiser_telegram_ids, that
        award's alone (with one award and no programme file, they are the same people)."""
        scopes: dict[int, set[str]] = {}
        for award in programme:
            for user_id in award.organiser_telegram_ids:
                if user_id not in everything:
                    scopes.setdefault(user_id, set()).add(award.id)
        ids = tuple(dict.fromkeys([*everything, *scopes]))
        return cls(ids, scopes={u: frozenset(a) for u, a in scopes.items()})

    def scope(self, user_id: int) -> Scope:
        return self.scopes.get(user_id)


class OrganiserCommands:
    """The organisers' commands; each checks the user id again, whatever routed it here."""

    def __init__(
        self,
        service: OrganiserService,
        output: ChatOutput,
        chats: OrganiserChats,
        *,
        refuse_button: Handler,
    ) -> None:
        self._service = service
        self._output = output
        self._chats = chats
        self._refuse_button = refuse_button
        self._bot: Bot | None = None

    def commands(self) -> dict[str, Callable[[int, str], Awaitable[None]]]:
        return {
            "stats": self.stats,
            "export": self.export,
            "nomination": self.nomination,
            "resend": self.resend,
            "leaderboard": self.leaderboard,
            "shortlist": self.shortlist,
            "organiser": self.help,
        }

    def register(self, application: AnyApplication) -> None:
        """Before the nominators' handlers, so that an organiser's command is not "unknown"."""
        organisers = filters.User(user_id=self._chats.organiser_ids, allow_empty=False)
        only = filters.ChatType.PRIVATE & ~filters.UpdateType.EDITED & organisers
        self._bot = application.bot
        for name, command in self.commands().items():
            application.add_handler(CommandHandler(name, ptb(self._guarded(command)), only))
        pattern = (
            f"^{RESEND_PREFIX}|^-:-:{Action.RESEND.value}:"
            f"|^[^:]*:[^:]*:{Action.RESULTS_AWARD.value}:"
        )
        application.add_handler(CallbackQueryHandler(ptb(self.button), pattern=pattern))

    def is_organiser(self, user_id: int) -> bool:
        return user_id in self._chats.organiser_ids

    async def register_commands(self, application: AnyApplication) -> None:
        """The organisers' menu, in their own chats only (a second setMyCommands scope)."""
        for organiser in self._chats.organiser_ids:
            await self._set_menu(application.bot, organiser)

    async def _set_menu(self, bot: Bot, chat_id: int) -> None:
        commands = [BotCommand(n, d) for n, d in (*texts.TELEGRAM_COMMANDS, *_menu())]
        try:
            await bot.set_my_commands(commands, scope=BotCommandScopeChat(chat_id=chat_id))
        except BadRequest as exc:
            # Telegram knows an organiser's chat only once they have started the bot; their
            # /organiser sets the menu then.
            logger.warning("no organisers' menu for %s yet: %s", chat_id, exc.message)

    def _guarded(self, command: Callable[[int, str], Awaitable[None]]) -> Handler:
        async def handler(update: Update) -> None:
            chat, user, message = update.effective_chat, update.effective_user, update.message
            if chat is None or user is None or message is None:
                return
            if not self.is_organiser(user.id):  # the filter should have stopped it
                return
            await command(chat.id, " ".join((message.text or "").split()[1:]))

        handler.__doc__ = command.__doc__
        return handler

    # The commands ---------------------------------------------------------------------------

    async def help(self, chat_id: int, _argument: str) -> None:
        """/organiser: these commands (and the menu of them, if Telegram did not know this
        chat when the bot started)."""
        if self._bot is not None:
            await self._set_menu(self._bot, chat_id)
        lines = [f"/{name}: {about}" for name, about in texts.ORGANISER_COMMANDS]
        await self._say(chat_id, texts.ORGANISER_HELP, "\n".join(lines))

    async def stats(self, chat_id: int, _argument: str) -> None:
        """/stats: drafts, submissions per day and organisation, emails waiting or failed."""
        scope = self._chats.scope(chat_id)  # a private chat's id is its user's
        lines = stats_lines(await self._service.stats(scope))
        if len(self._service.programme) > 1:
            lines += award_lines(await self._service.award_stats(scope))
        await self._say(chat_id, "\n".join(lines))

    async def export(self, chat_id: int, _argument: str) -> None:
        """/export: every submitted nomination as a CSV file (UTF-8 with BOM)."""
        export = await self._service.export(ExportFormat.CSV, scope=self._chats.scope(chat_id))
        caption = texts.EXPORT_CAPTION.format(count=export.count)
        await self._output.send_document(chat_id, EXPORT_FILENAME, export.data, caption)

    async def leaderboard(self, chat_id: int, argument: str) -> None:
        """/leaderboard [award]: the nominations ranked by the judges' scores, raw and
        normalised; an organiser who sees several judged awards names or chooses one."""
        match self._results(chat_id, argument.split()):
            case Chosen(award, results):
                board = board_lines(await results.board(), results.judging, IN_A_CHAT)
                await self._output.show(chat_id, self._headed(award, text_screen("\n".join(board))))
            case Choose(awards):
                await self._output.show(chat_id, self._choice(awards, "leaderboard"))
            case NotYours() as refusal:
                await self._say(chat_id, _refusal(refusal))

    async def shortlist(self, chat_id: int, argument: str) -> None:
        """/shortlist REF: put a nomination on the shortlist, or take it off; alone (or with
        an award), the list: each award keeps its own."""
        boards = self._service.results_in(self._chats.scope(chat_id))
        words = argument.split()
        if len(words) == 1 and (found := _board_of(boards, words[0])) is not None:
            await self._toggle(chat_id, found, words[0])
            return
        match self._results(chat_id, words):
            case Chosen(award, results, ()):
                line = shortlist_line(await results.shortlist())
                await self._output.show(chat_id, self._headed(award, text_screen(line)))
            case Chosen(_, results, (reference, *_)):
                await self._toggle(chat_id, results, reference)
            case Choose(awards):
                lines = [
                    texts.SHORTLIST_OF.format(
                        award=self._title(award),
                        shortlist=shortlist_line(await boards[award].shortlist()),
                    )
                    for award in awards
                ]
                await self._say(chat_id, *lines)
            case NotYours() as refusal:
                await self._say(chat_id, _refusal(refusal))

    async def _toggle(self, chat_id: int, results: LeaderboardService, reference: str) -> None:
        match await results.toggle_shortlist(reference):
            case Shortlisted(reference, count):
                said = texts.SHORTLIST_ADDED.format(reference=reference, count=count)
            case Unlisted(reference, count):
                said = texts.SHORTLIST_REMOVED.format(reference=reference, count=count)
            case NotJudged(reference):
                said = texts.SHORTLIST_UNKNOWN.format(reference=reference)
        await self._say(chat_id, said)

    def _results(self, chat_id: int, words: Sequence[str]) -> Choice[LeaderboardService]:
        boards = self._service.results_in(self._chats.scope(chat_id))
        return choose(boards, words, {a.id for a in self._service.programme})

    def _title(self, award: str) -> str:
        found = self._service.programme.award(award)
        return found.title if found is not None else award

    def _headed(self, award: str, screen: Screen) -> Screen:
        """Headed by its award's name where the programme judges several."""
        return headed(self._title(award), screen) if len(self._service.boards) > 1 else screen

    def _choice(self, awards: Sequence[str], command: str) -> Screen:
        titled = [(a, self._title(a)) for a in awards]
        return award_choice(texts.PANELS_CHOOSE_BOARD, titled, Action.RESULTS_AWARD, command)

    async def nomination(self, chat_id: int, argument: str) -> None:
        """/nomination REF: one submitted nomination as the email lays it out."""
        if not await self._has_reference(chat_id, argument):
            return
        found = await self._service.lookup(argument, self._chats.scope(chat_id))
        # A draft, or another award's nomination, answers as an unknown reference does.
        if not isinstance(found, Submitted):
            await self._say(chat_id, texts.NO_SUCH_NOMINATION.format(reference=found.reference))
            return
        screen = email_screen(self._service.email_text(found))
        button = Button(texts.RESEND_BUTTON, Action.RESEND, found.reference)
        await self._output.show(chat_id, replace(screen, buttons=((button,),)))

    async def resend(self, chat_id: int, argument: str) -> None:
        """/resend REF: queue the organisers' email again, and say when it has gone."""
        if not await self._has_reference(chat_id, argument):
            return
        match await self._service.resend(argument, self._chats.scope(chat_id)):
            case Queued(reference, message_id):
                await self._say(chat_id, texts.RESEND_QUEUED.format(reference=reference))
                folder = self._service.emails_saved_in
                if await self._service.sent(message_id, within=self._chats.resend_wait):
                    done = texts.RESEND_SENT if folder is None else texts.RESEND_SAVED
                    await self._say(chat_id, done.format(reference=reference, folder=folder))
                else:
                    await self._say(chat_id, texts.RESEND_NOT_YET.format(reference=reference))
            case NoOrganisers():
                await self._say(chat_id, texts.RESEND_NOBODY)
            case NotFound(reference) | NotSubmitted(reference):  # alike: guessing tells nothing
                await self._say(chat_id, texts.NO_SUCH_NOMINATION.format(reference=reference))

    async def button(self, update: Update) -> None:
        """The Resend button under /nomination; anyone else's press is any unreadable button."""
        query, user = update.callback_query, update.effective_user
        if query is None or user is None:
            return
        if not self.is_organiser(user.id):
            await self._refuse_button(update)
            return
        await self._output.answer_button(query.id)
        chat_id = query.message.chat.id if query.message is not None else user.id
        data = query.data or ""
        press = decode(data)
        if press is not None and press.action is Action.RESULTS_AWARD:
            # A choice of award: the command it carries, for the award (its ref).
            command = self.commands().get(press.arg)
            if press.arg in _FOR_AWARD and command is not None:
                await command(chat_id, press.ref or "")
            return
        reference = data.removeprefix(RESEND_PREFIX).removeprefix(f"-:-:{Action.RESEND.value}:")
        await self.resend(chat_id, reference)

    # Helpers --------------------------------------------------------------------------------

    async def _has_reference(self, chat_id: int, argument: str) -> bool:
        """Whether a reference was typed after the command; if not, says how to give one."""
        if argument.strip():
            return True
        await self._say(chat_id, texts.NEEDS_REFERENCE)
        return False

    async def _say(self, chat_id: int, *paragraphs: str) -> None:
        await self._output.show(chat_id, text_screen(*paragraphs))


def _refusal(refusal: NotYours) -> str:
    """No judged award of theirs, or the one named is not theirs."""
    if refusal.award is None:
        return texts.NO_JUDGING
    return texts.PANELS_NOT_YOURS.format(award=refusal.award, awards=", ".join(refusal.yours))


def _board_of(
    boards: Mapping[str, LeaderboardService], reference: str
) -> LeaderboardService | None:
    """The results of the award whose nominations' references look like this one (LSI-...)."""
    prefix = reference.strip().upper().rpartition("-")[0]
    return next((b for b in boards.values() if b.form.reference_prefix == prefix), None)


def email_screen(text: str) -> Screen:
    """The email's plain text for a phone: its underlined headings in bold instead, since a
    line of ===== wraps on a narrow screen. Answers stay as typed (escaped when sent)."""
    paragraphs: list[Paragraph] = []
    for block in text.split("\n\n"):
        lines = block.strip("\n").split("\n")
        if not block.strip():
            continue
        if len(lines) >= 2 and lines[1] and set(lines[1]) <= {"=", "-"}:
            paragraphs.append((Span(lines[0], Style.BOLD),))
            lines = lines[2:]
        if lines:
            paragraphs.append((Span("\n".join(lines)),))
    return Screen(tuple(paragraphs))


def _menu() -> Sequence[tuple[str, str]]:
    """The organisers' commands as the menu shows them (descriptions without the REF hint)."""
    return [(name, about.split(":")[0]) for name, about in texts.ORGANISER_COMMANDS]
