"""The Telegram handlers: each turns an update into an engine event (through the service) and
the outcome into screens, and nothing more. Everything they send goes through a ChatOutput.

A nominator's state lives only in SQLite (through the service), so a restart carries on exactly
where they were.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from datetime import UTC, datetime
from typing import Any

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.conversation.sent import SENT_BUTTONS, SentActions
from bot.screens import texts
from bot.screens.actions import ACTIONS
from bot.screens.builder import Action, ScreenBuilder, event_for, text_screen
from bot.screens.nominations import NominationsList
from bot.services.nominating import NominationService, Outcome
from bot.telegram.buttons import ANY_POSITION, ActedMessages, CallbackData, is_current
from bot.telegram.output import ChatOutput
from bot.telegram.runtime import AnyApplication, PerUserUpdateProcessor
from flows.events import Answer, Edit, Event, GoToReview, Revise
from flows.form import Form
from flows.state import NominationState

Handler = Callable[[Update], Awaitable[None]]
BeforeReply = Callable[[int, Outcome], Awaitable[None]]


def nominator_key(user_id: int) -> str:
    return f"tg:{user_id}"


def private_chat(update: Update) -> tuple[int, str] | None:
    """(chat id, nominator key) when the update comes from its sender's own private chat with
    the bot; None anywhere else. Every handler that shows nomination data starts here, a second
    line of defence behind the filters, so a draft is only ever shown to its own nominator."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None or chat.type != ChatType.PRIVATE or chat.id != user.id:
        return None
    return chat.id, nominator_key(user.id)


# Table actions whose commands other handler objects answer (bot/telegram/evidence.py,
# reminders.py, mydata.py and support.py).
ANSWERED_ELSEWHERE = frozenset(
    {
        Action.FILES,
        Action.REMOVE_FILE,
        Action.STOP_REMINDERS,
        Action.PRIVACY,
        Action.MY_DATA,
        Action.SUPPORT,
    }
)


class NominationHandlers:
    """The nomination conversation in a Telegram private chat."""

    def __init__(
        self,
        service: NominationService,
        screens: ScreenBuilder,
        output: ChatOutput,
        form: Form,
        *,
        before_reply: BeforeReply | None = None,
    ) -> None:
        self.service = service
        self.screens = screens
        self.output = output
        self.form = form
        self.acted = ActedMessages()
        self.listing = NominationsList(screens)
        self.sent = SentActions(service, self.listing)
        # E.g. the supporting files, listed just above the review (bot.telegram.evidence).
        self.before_reply = before_reply

    def commands(self) -> dict[str, Handler]:
        """Every command, by name, from the one table of actions (bot/actions.py): the help and
        the command menu list the same ones."""
        own: dict[Action, Handler] = {
            Action.START: self.start,
            Action.HELP: self.help,
            Action.STATUS: self.status,
            Action.EDIT: self.edit,
            Action.LIST: self.my_nominations,
            Action.ANOTHER: self.another,
        }
        return {
            spec.command: own.get(spec.action) or self._event_command(spec.action)
            for spec in ACTIONS
            if spec.command is not None and spec.action not in ANSWERED_ELSEWHERE
        }

    def register(self, application: AnyApplication) -> None:
        processor = application.update_processor
        if isinstance(processor, PerUserUpdateProcessor):
            processor.on_flood = self.flooded
        private = filters.ChatType.PRIVATE
        groups = filters.ChatType.GROUPS | filters.ChatType.CHANNEL
        not_edited = ~filters.UpdateType.EDITED
        application.add_handler(MessageHandler(groups & not_edited, ptb(self.refuse_group)))
        for name, callback in self.commands().items():
            application.add_handler(
                CommandHandler(name, ptb(callback), filters=private & not_edited)
            )
        edited_text = private & filters.UpdateType.EDITED_MESSAGE & filters.TEXT
        application.add_handler(MessageHandler(edited_text, ptb(self.edited)))
        command = private & filters.COMMAND & not_edited
        application.add_handler(MessageHandler(command, ptb(self.unknown)))
        application.add_handler(MessageHandler(private & filters.TEXT & not_edited, ptb(self.text)))
        not_text = private & ~filters.TEXT & not_edited
        application.add_handler(MessageHandler(not_text, ptb(self.not_text)))
        application.add_handler(CallbackQueryHandler(ptb(self.button)))

    # Commands and messages -------------------------------------------------------------------

    async def start(self, update: Update) -> None:
        """/start: greet, and offer to start or to continue the draft."""
        if (here := private_chat(update)) is None:
            return
        chat_id, key = here
        draft = await self.service.draft(key)
        notice = self.service.round_notice()
        if draft is not None or self.service.is_open():
            await self.output.show(chat_id, draft, self.screens.welcome(draft))
        if notice is not None:  # outside the round, the notice alone: nothing is asked
            await self.output.show(chat_id, None, text_screen(notice))

    async def my_nominations(self, update: Update) -> None:
        """/mynominations: every nomination of the nominator's, newest first, with buttons."""
        if (here := private_chat(update)) is None:
            return
        chat_id, key = here
        await self._show_list(chat_id, key)

    async def another(self, update: Update) -> None:
        """/new: start another nomination beside any drafts."""
        if (here := private_chat(update)) is None:
            return
        chat_id, key = here
        await self.reply(chat_id, await self.service.start_another(key))

    async def _show_list(self, chat_id: int, key: str) -> None:
        records = await self.service.nominations(key)
        await self.output.show(chat_id, None, self.listing.screen(records))

    async def help(self, update: Update) -> None:
        """/help: what the bot does and every command."""
        if update.effective_chat is not None:
            await self.output.show(update.effective_chat.id, None, text_screen(texts.TELEGRAM_HELP))

    async def status(self, update: Update) -> None:
        """/status: how far the nominator has got."""
        if (here := private_chat(update)) is None:
            return
        chat_id, key = here
        draft = await self.service.draft(key)
        screen = self.screens.status(draft) if draft else text_screen(texts.NO_DRAFT)
        await self.output.show(chat_id, draft, screen)

    async def edit(self, update: Update) -> None:
        """/edit Q2 (or a step number): the typed equivalent of a Change button; with no match,
        the review, where every answer can be chosen."""
        message = update.message
        if (here := private_chat(update)) is None or message is None:
            return
        chat_id, key = here
        draft = await self.service.draft(key)
        wanted = " ".join((message.text or "").split()[1:])  # what follows /edit
        field_id = self.screens.field_named(draft, wanted) if draft else None
        event: Event = GoToReview() if field_id is None else Edit(field_id)
        await self.reply(chat_id, await self.service.apply(key, event))

    def _event_command(self, action: Action) -> Handler:
        """A command that stands for a button: the same event, through the engine."""

        async def command(update: Update) -> None:
            if (here := private_chat(update)) is None:
                return
            chat_id, key = here
            message = update.message
            arg = " ".join((message.text or "").split()[1:]) if message is not None else ""
            event = event_for(action, arg)
            if event is None:
                raise ValueError(f"{action!r} has a command but no event")
            pressed_at = message.date if message is not None else None
            outcome = await self.service.apply(key, event, pressed_at=pressed_at)
            if outcome.state is None and not outcome.effects:
                await self.output.show(chat_id, None, text_screen(texts.NO_DRAFT))
                return
            await self.reply(chat_id, outcome)

        command.__doc__ = f"/{action.name.lower()}: the typed equivalent of its button."
        return command

    async def text(self, update: Update) -> None:
        """A typed answer; a long answer may arrive over several messages."""
        message = update.message
        if (here := private_chat(update)) is None or message is None or message.text is None:
            return
        chat_id, key = here
        event = Answer(message.text, source=str(message.message_id))
        outcome = await self.service.apply(key, event, pressed_at=message.date)
        await self.reply(chat_id, outcome)

    async def edited(self, update: Update) -> None:
        """An edited message: the saved answer that came from it follows the edit."""
        message = update.edited_message
        if (here := private_chat(update)) is None or message is None or message.text is None:
            return
        if message.text.startswith("/"):
            return
        chat_id, key = here
        event = Revise(source=str(message.message_id), text=message.text)
        outcome = await self.service.apply(key, event)
        if outcome.state is None:
            return
        if outcome.effects:
            await self.reply(chat_id, outcome)
        else:
            # E.g. a mistyped email that was refused, then corrected by editing it: say so, or
            # the nominator would wait for an answer that never comes.
            await self.output.show(chat_id, outcome.state, text_screen(texts.EDIT_NOT_AN_ANSWER))

    async def not_text(self, update: Update) -> None:
        """Stickers, voice notes, locations…: ask for typed text; nothing saved changes. (Files
        and photos go to bot.telegram.evidence when it is registered.)"""
        if update.effective_chat is not None:
            await self.output.show(update.effective_chat.id, None, text_screen(texts.NOT_TEXT))

    async def unknown(self, update: Update) -> None:
        """An unknown command: say so and show the commands."""
        if update.effective_chat is not None:
            screen = text_screen(texts.UNKNOWN_COMMAND, texts.TELEGRAM_HELP)
            await self.output.show(update.effective_chat.id, None, screen)

    async def flooded(self, update: Update, kept: int) -> None:
        """Updates past the first `kept` of a burst were not saved: say so in a private chat
        (in a group, nothing was collected, so there is nothing to say)."""
        chat = update.effective_chat
        if chat is not None and chat.type == ChatType.PRIVATE:
            await self.output.show(chat.id, None, text_screen(texts.FLOODED.format(kept=kept)))

    async def refuse_group(self, update: Update) -> None:
        """Groups and channels: collect nothing; point commands to a private chat, once each."""
        chat, message = update.effective_chat, update.effective_message
        if chat is None or message is None or chat.type == ChatType.PRIVATE:
            return
        username = self.output.username
        if not addressed_to(message.text or "", username):
            return
        link = f"https://t.me/{username}?start=nominate"
        text = texts.GROUP_REFUSED.format(link=link)
        await self.output.send_link(chat.id, text, "Open a private chat", link)

    # Buttons ---------------------------------------------------------------------------------

    async def button(self, update: Update) -> None:
        """A button press: always answered at once, then acted on unless it is stale."""
        # A button press carries no time of its own: when its handling began is the nearest
        # bound for the closing time (it waits only behind this nominator's own earlier updates).
        received = datetime.now(UTC)
        query = update.callback_query
        if query is None:
            return
        if (here := private_chat(update)) is None:
            # A button on a message outside the nominator's private chat (a group, say): show
            # nothing of any nomination there.
            await self.output.answer_button(query.id, texts.PRIVATE_CHAT_ONLY)
            return
        chat_id, key = here
        if self.acted.acted_on(query.message):
            # A second tap on a message whose button already acted (a double tap, say).
            await self.output.answer_button(query.id, texts.ALREADY_DONE)
            return
        await self.output.answer_button(query.id)
        data = CallbackData.decode(query.data or "")
        if data is None:
            await self.reply(chat_id, Outcome(await self.service.draft(key)))
            return
        if data.action in _NOMINATION_BUTTONS:
            await self._nomination_button(chat_id, key, data, query.message)
            return
        if data.action is Action.FULL_ANSWER:
            await self._full_answer(chat_id, key, data)
            return
        event = event_for(data.action, data.arg)
        if event is None:
            # Only START is a button a front end answers itself; anything else is forged.
            await self.reply(chat_id, Outcome(await self.service.draft(key)))
            return
        # The nomination the button was shown for, whichever draft is current now.
        outcome = await self.service.apply(
            key,
            event,
            only_if=lambda d: is_current(self.form, data, d),
            code=data.ref,
            pressed_at=received,
        )
        if outcome.state is None and not outcome.effects:
            await self._gone(chat_id, data)
        elif outcome.refused and outcome.state is not None:
            await self._stale(chat_id, key, outcome.state)
        else:
            if data.action is not Action.HINTS:
                # The examples sit beside the question: its Done button must stay usable.
                self.acted.remember(query.message)
            await self.reply(chat_id, outcome)

    async def _nomination_button(
        self, chat_id: int, key: str, data: CallbackData, message: object
    ) -> None:
        """Buttons that choose a nomination: Start/Continue, the list's Continue, Review and
        View, Your nominations and Start another. Each acts on the nomination it names."""
        code = None if data.ref == ANY_POSITION else data.ref
        if data.action is Action.LIST:
            await self._show_list(chat_id, key)
            return
        if data.action in (Action.START, Action.ANOTHER):
            # A double tap must not start two drafts; the list's other buttons stay usable.
            self.acted.remember(message)
        if data.action in SENT_BUTTONS and code is not None:
            shown = await self.sent.press(key, data.action, code)
            if isinstance(shown, Outcome):
                await self.reply(chat_id, shown)  # Amend: the review
            else:
                await self.output.show(chat_id, None, shown)
        elif data.action is Action.ANOTHER:
            await self.reply(chat_id, await self.service.start_another(key))
        elif data.action is Action.VIEW and code is not None:
            record = await self.service.own(key, code)
            if record is None or not record.state.is_submitted:
                await self._gone(chat_id, data)
            else:
                await self.output.show(chat_id, None, self.listing.view(record))
        elif data.action is Action.OPEN and code is not None:
            outcome = await self.service.continue_draft(key, code)
            await (
                self._gone(chat_id, data) if outcome.state is None else self.reply(chat_id, outcome)
            )
        else:
            # Start or Continue from a welcome: that draft if it is still one, else as /continue.
            outcome = (
                Outcome(None) if code is None else await self.service.continue_draft(key, code)
            )
            if outcome.state is None:
                outcome = await self.service.continue_nomination(key)
            await self.reply(chat_id, outcome)

    async def _full_answer(self, chat_id: int, key: str, data: CallbackData) -> None:
        """One long answer in full, from the review's "Show Q1 in full": nothing changes."""
        own = await self.service.own(key, data.ref)
        draft = None if own is None or own.state.is_submitted else own.state
        if draft is None:
            await self._gone(chat_id, data)
        elif not is_current(self.form, data, draft) or not self.form.has_field(data.arg):
            await self._stale(chat_id, key, draft)
        else:
            await self.output.show(chat_id, draft, self.screens.full_answer(draft, data.arg))

    async def _gone(self, chat_id: int, data: CallbackData) -> None:
        """A button of a nomination that was sent or deleted: say which, so nobody thinks a
        deleted one went."""
        sent = await self.service.was_submitted(data.ref)
        gone = texts.STALE_SUBMITTED if sent else texts.STALE_GONE
        await self.output.show(chat_id, None, text_screen(gone))

    async def _stale(self, chat_id: int, key: str, draft: NominationState) -> None:
        await self.output.show(chat_id, draft, text_screen(texts.STALE_BUTTON))
        await self.reply(chat_id, await self.service.continue_nomination(key))

    # Rendering -------------------------------------------------------------------------------

    async def reply(self, chat_id: int, outcome: Outcome) -> None:
        """Send the screens for an outcome (already committed by the service); with no draft,
        what happened to it (deleted), the round's notice, or else the welcome."""
        if outcome.state is not None and self.before_reply is not None:
            await self.before_reply(chat_id, outcome)
        if outcome.state is not None or outcome.effects or outcome.notice is None:
            for screen in self.screens.render(outcome.state, outcome.effects):
                await self.output.show(chat_id, outcome.state, screen)
        if outcome.notice is not None:
            await self.output.show(chat_id, outcome.state, text_screen(outcome.notice))


_NOMINATION_BUTTONS = frozenset(
    {
        Action.START,
        Action.LIST,
        Action.OPEN,
        Action.VIEW,
        Action.ANOTHER,
        *SENT_BUTTONS,
    }
)


def ptb(
    handler: Handler,
) -> Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]:
    """A handler as python-telegram-bot calls it: the handlers need only the update."""

    async def callback(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await handler(update)

    callback.__doc__ = handler.__doc__
    return callback


def addressed_to(text: str, username: str) -> bool:
    """Whether a group message is for this bot: a command not meant for another bot by name
    (/start, /start@this_bot, but not /start@other_bot), or a mention of this bot."""
    if text.startswith("/"):
        command = text.split(maxsplit=1)[0]
        _, at, bot = command.partition("@")
        return not at or bot.casefold() == username.casefold()
    return f"@{username}".casefold() in text.casefold()
