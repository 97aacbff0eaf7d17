"""The fake Bot API, driven by the real python-telegram-bot: it must be as strict as Telegram."""

import asyncio
import datetime as dtm
import re
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.constants import MessageEntityType, ParseMode
from telegram.error import BadRequest, Conflict, InvalidToken, RetryAfter
from telegram.ext import AIORateLimiter, CallbackQueryHandler, CommandHandler, ContextTypes

from tests.kit.fake_telegram import FakeTelegram, parse_html, running_application

# Most tests here provoke Telegram's refusals on purpose; the ones that must see none say so.
pytestmark = pytest.mark.telegram_rejections_expected

USER_ID = 5001
# python-telegram-bot 22.8 warns inside RetryAfter() itself that `retry_after` will become a
# timedelta (unless PTB_TIMEDELTA=1); with warnings as errors, a 429 would surface as that
# warning instead of RetryAfter, and AIORateLimiter could not retry.
ignore_retry_after_deprecation = pytest.mark.filterwarnings(
    "ignore:.*retry_after:telegram.warnings.PTBDeprecationWarning"
)


def says(description: str) -> str:
    """A pytest.raises pattern for a Telegram error, which python-telegram-bot re-capitalises."""
    return "(?i)" + re.escape(description)


def keyboard(*labels: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=label.lower()) for label in labels]]
    )


@pytest.fixture
async def bot(fake_telegram: FakeTelegram) -> AsyncIterator[Bot]:
    async with Bot(fake_telegram.token, base_url=fake_telegram.base_url) as real_bot:
        yield real_bot


@pytest.fixture
def chat_id(fake_telegram: FakeTelegram) -> int:
    return fake_telegram.user(USER_ID, "Alex", username="alex_rn", chat_exists=True).chat_id


async def raw_call(tg: FakeTelegram, path: str, **kwargs: Any) -> tuple[int, dict[str, Any]]:
    async with aiohttp.ClientSession() as session, session.post(tg.base_url + path, **kwargs) as r:
        return r.status, await r.json()


# --------------------------------------------------------------------- the HTTP surface


async def test_get_me_and_what_the_library_sends(fake_telegram: FakeTelegram, bot: Bot) -> None:
    assert bot.username == "nomination_test_bot"
    assert bot.id == 123456
    fake_telegram.user(USER_ID, chat_exists=True)
    await bot.send_message(USER_ID, "hi", reply_markup=keyboard("Yes"))
    (request,) = fake_telegram.calls("sendMessage")
    # python-telegram-bot posts form fields; nested objects arrive as JSON strings.
    assert request.content_type == "application/x-www-form-urlencoded"
    assert request.raw_params["chat_id"] == str(USER_ID)
    assert isinstance(request.raw_params["reply_markup"], str)
    assert request.params["reply_markup"] == {
        "inline_keyboard": [[{"text": "Yes", "callback_data": "yes"}]]
    }


async def test_wrong_token_is_unauthorized(fake_telegram: FakeTelegram) -> None:
    wrong = Bot("123456:WRONG", base_url=fake_telegram.base_url)
    try:
        with pytest.raises(InvalidToken) as caught:
            await wrong.initialize()
    finally:
        await wrong.shutdown()
    assert str(caught.value.__cause__) == "Unauthorized"


async def test_method_names_ignore_case_json_bodies_work_and_unknown_methods_404(
    fake_telegram: FakeTelegram, chat_id: int
) -> None:
    token = fake_telegram.token
    status, body = await raw_call(fake_telegram, f"{token}/GETME")
    assert status == 200 and body["result"]["username"] == "nomination_test_bot"
    status, body = await raw_call(
        fake_telegram, f"{token}/sendmessage", json={"chat_id": chat_id, "text": "json body"}
    )
    assert status == 200 and body["result"]["text"] == "json body"
    status, body = await raw_call(fake_telegram, f"{token}/sendMessage", json={"chat_id": chat_id})
    assert (status, body["description"]) == (400, "Bad Request: message text is empty")
    status, body = await raw_call(fake_telegram, f"{token}/noSuchMethod")
    assert body == {"ok": False, "error_code": 404, "description": "Not Found"}
    status, body = await raw_call(fake_telegram, "123456:WRONG/getMe")
    assert body == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    assert [r.status for r in fake_telegram.rejected] == [400, 404, 401]


# --------------------------------------------------------------------- HTML parse mode


async def test_valid_html_is_accepted_and_stored_as_the_user_sees_it(
    fake_telegram: FakeTelegram, bot: Bot, chat_id: int
) -> None:
    html = (
        '<b>Award</b> &amp; <i>thanks</i> &lt;3 &#128079; <a href="https://nhs.uk/?a=1&amp;b=2">'
        'NHS</a> <tg-spoiler>s</tg-spoiler> <span class="tg-spoiler">p</span> '
        '<pre><code class="language-text">x</code></pre><blockquote expandable>q</blockquote>'
    )
    sent = await bot.send_message(chat_id, html, parse_mode=ParseMode.HTML)

    assert sent.text == "Award & thanks <3 👏 NHS s p xq"
    stored = fake_telegram.chat(chat_id).messages[sent.message_id]
    assert stored.text == sent.text and stored.html == html
    kinds = [(e["type"], e["offset"], e["length"]) for e in stored.current.entities]
    assert kinds == [
        ("bold", 0, 5),
        ("italic", 8, 6),
        ("text_link", 21, 3),  # 👏 counts as two UTF-16 units
        ("spoiler", 25, 1),
        ("spoiler", 27, 1),
        ("pre", 29, 1),
        ("expandable_blockquote", 30, 1),
    ]
    assert sent.entities[2].url == "https://nhs.uk/?a=1&b=2"
    assert sent.entities[5].language == "text"


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        ("Hello <foo>you</foo>", 'Unsupported start tag "foo" at byte offset 6'),
        ("line<br>break", 'Unsupported start tag "br" at byte offset 4'),
        ("Hello <b>world", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<i>a</b>", 'Unmatched end tag at byte offset 4, expected "</i>", found "</b>"'),
        ("2 < 3", 'Unsupported start tag "" at byte offset 2'),
        ("a</b>", "Unexpected end tag at byte offset 1"),
        ("<b", "Unclosed start tag at byte offset 0"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("caf&eacute;", 'Unsupported HTML entity "&eacute;" at byte offset 3'),
        ("R&D", 'Character "&" must be escaped as "&amp;" at byte offset 1'),
        ("3 > 2", 'Character ">" must be escaped as "&gt;" at byte offset 2'),
        ("é <b>", 'Can\'t find end tag corresponding to start tag "b"'),
    ],
)
async def test_bad_html_cannot_be_parsed(
    fake_telegram: FakeTelegram, bot: Bot, chat_id: int, html: str, reason: str
) -> None:
    with pytest.raises(BadRequest) as caught:
        await bot.send_message(chat_id, html, parse_mode=ParseMode.HTML)
    # python-telegram-bot drops the "Bad Request: " prefix and re-capitalises the rest.
    assert caught.value.message.lower() == f"can't parse entities: {reason}".lower()
    assert fake_telegram.rejected[-1].description == f"Bad Request: can't parse entities: {reason}"


def test_byte_offsets_count_utf8_bytes_and_telegram_mode_lets_bare_symbols_through() -> None:
    with pytest.raises(ValueError, match="byte offset 3"):
        parse_html("é <x>")  # "é" is two bytes
    assert parse_html("R&D > 3 &nbsp; &amp", strict=False).text == "R&D > 3 &nbsp; &"


async def test_text_length_counts_utf16_units_after_entity_parsing(bot: Bot, chat_id: int) -> None:
    assert (await bot.send_message(chat_id, "&lt;" * 4096, parse_mode=ParseMode.HTML)).text
    assert await bot.send_message(chat_id, "😀" * 2048)  # 4096 UTF-16 units
    for too_long in ("😀" * 2048 + "a", "x" * 4097):
        with pytest.raises(BadRequest, match=says("Message is too long")):
            await bot.send_message(chat_id, too_long)
    with pytest.raises(BadRequest, match=says("Message is too long")):
        await bot.send_message(chat_id, "&lt;" * 4097, parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match=says("Message must be non-empty")):
        await bot.send_message(chat_id, "<b> </b>\n", parse_mode=ParseMode.HTML)


# --------------------------------------------------------------------- keyboards and edits


async def test_callback_data_is_limited_to_64_bytes(bot: Bot, chat_id: int) -> None:
    fits = InlineKeyboardMarkup([[InlineKeyboardButton("OK", callback_data="é" * 32)]])
    assert await bot.send_message(chat_id, "64 bytes", reply_markup=fits)
    too_big = InlineKeyboardMarkup([[InlineKeyboardButton("No", callback_data="é" * 32 + "a")]])
    with pytest.raises(BadRequest, match=says("BUTTON_DATA_INVALID")):
        await bot.send_message(chat_id, "65 bytes", reply_markup=too_big)
    no_action = {"inline_keyboard": [[{"text": "Text only"}]]}
    with pytest.raises(BadRequest, match=says("Text buttons are unallowed in the inline keyboard")):
        await bot.send_message(chat_id, "no action", reply_markup=no_action)  # type: ignore[arg-type]


async def test_reply_keyboards_and_their_removal_are_accepted(bot: Bot, chat_id: int) -> None:
    reply_keyboard = ReplyKeyboardMarkup([[KeyboardButton("Share", request_contact=True)]])
    sent = await bot.send_message(chat_id, "Share?", reply_markup=reply_keyboard)
    assert sent.reply_markup is None  # only inline keyboards stay on a message
    assert await bot.send_message(chat_id, "Thanks", reply_markup=ReplyKeyboardRemove())
    with pytest.raises(BadRequest, match=says("Inline keyboard expected")):
        await bot.edit_message_reply_markup(chat_id, sent.message_id, reply_markup=reply_keyboard)  # type: ignore[arg-type]


async def test_an_identical_edit_is_not_modified(
    fake_telegram: FakeTelegram, bot: Bot, chat_id: int
) -> None:
    sent = await bot.send_message(
        chat_id, "<b>Q1</b>", parse_mode="HTML", reply_markup=keyboard("A")
    )
    not_modified = "message is not modified: specified new message content and reply markup"
    with pytest.raises(BadRequest, match=says(not_modified)):
        await bot.edit_message_text(
            "<b>Q1</b>", chat_id, sent.message_id, parse_mode="HTML", reply_markup=keyboard("A")
        )
    with pytest.raises(BadRequest, match=says(not_modified)):
        await bot.edit_message_reply_markup(chat_id, sent.message_id, reply_markup=keyboard("A"))

    # The same text without reply_markup removes the keyboard: that is a change.
    edited = await bot.edit_message_text("<b>Q1</b>", chat_id, sent.message_id, parse_mode="HTML")
    assert isinstance(edited, type(sent)) and edited.reply_markup is None and edited.edit_date
    stored = fake_telegram.chat(chat_id).messages[sent.message_id]
    assert [v.reply_markup is None for v in stored.versions] == [False, True]

    with pytest.raises(BadRequest, match=says("Message to edit not found")):
        await bot.edit_message_text("x", chat_id, 999)
    user_message = await fake_telegram.user(USER_ID).send("mine")
    with pytest.raises(BadRequest, match=says("Message can't be edited")):
        await bot.edit_message_text("x", chat_id, user_message["message_id"])


async def test_a_callback_query_is_answered_once(
    fake_telegram: FakeTelegram, bot: Bot, chat_id: int
) -> None:
    user = fake_telegram.user(USER_ID)
    await bot.send_message(chat_id, "Pick", reply_markup=keyboard("Yes", "No"))
    assert user.buttons() == ["Yes", "No"]
    query = await user.press("No")
    assert user.unanswered_callback_queries() == [query]
    with pytest.raises(AssertionError, match="never answered"):
        fake_telegram.assert_all_callbacks_answered()

    with pytest.raises(BadRequest, match=says("MESSAGE_TOO_LONG")):
        await bot.answer_callback_query(query.id, text="x" * 201)
    assert await bot.answer_callback_query(query.id, text="Saved")
    too_old = "query is too old and response timeout expired or query ID is invalid"
    with pytest.raises(BadRequest, match=says(too_old)):
        await bot.answer_callback_query(query.id)
    with pytest.raises(BadRequest, match=says(too_old)):
        await bot.answer_callback_query("12345")
    fake_telegram.assert_all_callbacks_answered()
    with pytest.raises(AssertionError, match=r"no inline button 'Maybe'.*\['Yes', 'No'\]"):
        await user.press("Maybe")


async def test_unknown_chats_are_not_found(fake_telegram: FakeTelegram, bot: Bot) -> None:
    stranger = fake_telegram.user(777, "Sam")
    with pytest.raises(BadRequest, match=says("Chat not found")):
        await bot.send_message(stranger.chat_id, "hello?")
    with pytest.raises(BadRequest, match=says("Chat not found")):
        await bot.send_chat_action(-100999, "typing")
    await stranger.send("hi")  # now the chat exists
    assert await bot.send_message(stranger.chat_id, "hello!")
    assert (await bot.get_chat(stranger.chat_id)).first_name == "Sam"


async def test_bot_commands_are_validated(bot: Bot) -> None:
    assert await bot.set_my_commands([("start", "Start a nomination"), ("help", "How it works")])
    assert [c.command for c in await bot.get_my_commands()] == ["start", "help"]
    for bad in ([("Start", "Capital letter")], [("start", "")], [("x" * 33, "Too long")]):
        with pytest.raises(BadRequest):
            await bot.set_my_commands(bad)
    with pytest.raises(BadRequest, match=says("BOT_COMMANDS_TOO_MUCH")):
        await bot.set_my_commands([(f"c{i}", "d") for i in range(101)])


# --------------------------------------------------------------------- flood control


@ignore_retry_after_deprecation
async def test_flood_control_raises_retry_after(fake_telegram: FakeTelegram, bot: Bot) -> None:
    fake_telegram.user(USER_ID, chat_exists=True)
    fake_telegram.fail_next("sendMessage", retry_after=1)
    with pytest.raises(RetryAfter, match=r"Flood control exceeded\. Retry in 1 seconds"):
        await bot.send_message(USER_ID, "too fast")
    # Called again before the second is up: flood control again, as Telegram does.
    with pytest.raises(RetryAfter, match=r"Flood control exceeded\. Retry in 1 seconds"):
        await bot.send_message(USER_ID, "still too fast")
    assert fake_telegram.rejected == []  # the test asked for that 429
    calls = fake_telegram.calls("sendMessage")
    assert [(r.status, r.note) for r in calls] == [
        (429, None),
        (429, "called again before retry_after was up"),
    ]


@ignore_retry_after_deprecation
async def test_the_rate_limiter_retries_after_flood_control(fake_telegram: FakeTelegram) -> None:
    user = fake_telegram.user(USER_ID, chat_exists=True)
    fake_telegram.fail_next("SENDMESSAGE", retry_after=1)
    limited = fake_telegram.application_builder().rate_limiter(AIORateLimiter(max_retries=1))
    application = limited.build()
    async with application:
        sent = await application.bot.send_message(USER_ID, "sent on the second try")
    assert sent.text == "sent on the second try"
    assert [r.status for r in fake_telegram.calls("sendMessage")] == [429, 200]
    assert (await user.reply()).text == "sent on the second try"


# --------------------------------------------------------------------- updates


async def test_get_updates_long_polls_and_confirms_by_offset(
    fake_telegram: FakeTelegram, bot: Bot
) -> None:
    user = fake_telegram.user(USER_ID, "Alex", username="alex_rn")
    sent = await user.send("/start@nomination_test_bot ward7")
    (update,) = await bot.get_updates(timeout=5)  # pending: answered at once
    assert update.message is not None and update.message.message_id == sent["message_id"]
    assert update.message.from_user is not None and not update.message.from_user.is_bot
    assert update.message.from_user.language_code == "en"
    assert update.message.chat.type == "private" and update.message.chat.id == USER_ID
    (command,) = update.message.entities
    assert (command.type, command.offset, command.length) == (MessageEntityType.BOT_COMMAND, 0, 26)

    # Nothing pending: the call is held open (not answered at once), then its timeout ends it.
    held = asyncio.create_task(
        bot.get_updates(offset=update.update_id + 1, timeout=dtm.timedelta(seconds=0.3))
    )
    assert await fake_telegram.wait_for(lambda: fake_telegram.waiting_polls == 1, 2)
    assert not held.done()
    assert await held == ()
    assert fake_telegram.waiting_polls == 0

    poll = asyncio.create_task(bot.get_updates(offset=update.update_id + 1, timeout=5))
    assert await fake_telegram.wait_for(lambda: fake_telegram.waiting_polls == 1, 2)
    await bot.send_message(USER_ID, "Choose", reply_markup=keyboard("Yes"))
    await user.press("Yes")
    (pressed,) = await asyncio.wait_for(poll, 2)  # woken by the new update
    assert pressed.update_id == update.update_id + 1
    query = pressed.callback_query
    assert query is not None and query.data == "yes" and query.chat_instance
    assert isinstance(query.message, Message) and query.message.text == "Choose"
    assert query.message.reply_markup == keyboard("Yes")
    await bot.answer_callback_query(query.id)
    assert fake_telegram.rejected == []


async def test_a_second_poller_conflicts_and_allowed_updates_filter(
    fake_telegram: FakeTelegram, bot: Bot
) -> None:
    user = fake_telegram.user(USER_ID)
    first = asyncio.create_task(bot.get_updates(timeout=5))
    assert await fake_telegram.wait_for(lambda: fake_telegram.waiting_polls == 1, 2)
    async with Bot(fake_telegram.token, base_url=fake_telegram.base_url) as second_instance:
        second = asyncio.create_task(
            second_instance.get_updates(timeout=dtm.timedelta(seconds=0.2))
        )
        with pytest.raises(Conflict, match="terminated by other getUpdates request"):
            await first
        assert await second == ()

    assert await bot.get_updates(allowed_updates=["callback_query"]) == ()
    await user.send("not wanted")
    assert await bot.get_updates() == ()  # the setting persists
    assert [u["message"]["text"] for u in fake_telegram.dropped_updates] == ["not wanted"]
    await bot.get_updates(allowed_updates=[])  # back to the default set
    await user.send("wanted")
    assert await bot.delete_webhook(drop_pending_updates=True)
    assert await bot.get_updates() == ()


async def test_deleting_messages_and_chat_actions(
    fake_telegram: FakeTelegram, bot: Bot, chat_id: int
) -> None:
    user = fake_telegram.user(USER_ID)
    sent = await bot.send_message(chat_id, "<b>not HTML without parse_mode</b>")
    assert user.last_message().text == "<b>not HTML without parse_mode</b>"
    assert await bot.delete_message(chat_id, sent.message_id)
    assert fake_telegram.chat(chat_id).messages[sent.message_id].deleted
    with pytest.raises(BadRequest, match=says("Message to delete not found")):
        await bot.delete_message(chat_id, sent.message_id)
    with pytest.raises(AssertionError, match="has sent nothing"):
        user.last_message()
    assert await bot.send_chat_action(chat_id, "typing")
    with pytest.raises(BadRequest, match=says("wrong parameter action in request")):
        await bot.send_chat_action(chat_id, "dancing")


async def test_the_client_sends_realistic_updates(fake_telegram: FakeTelegram, bot: Bot) -> None:
    user = fake_telegram.user(USER_ID, "Alex", last_name="Smith", username="alex_rn")
    group = fake_telegram.group(-1001234567890, "Ward 7")
    first = await user.send("Hello 👋 /help")
    await user.edit(first["message_id"], "Hello again")
    await user.send_photo(caption="Team photo")
    await user.send_sticker()
    await user.send_voice()
    await user.send_document()
    await user.send_location()
    await user.send_contact()
    await group.send(user, "/start")

    updates = await bot.get_updates()
    assert [u.update_id for u in updates] == list(
        range(updates[0].update_id, updates[0].update_id + 9)
    )
    hello, edited, photo, sticker, voice, document, location, contact, in_group = (
        u.effective_message for u in updates
    )
    assert hello is not None and hello.entities[0].offset == 9  # 👋 is two UTF-16 units
    assert updates[1].edited_message is not None and edited is not None
    assert edited.text == "Hello again" and edited.edit_date is not None and not edited.entities
    assert photo is not None and len(photo.photo) == 3 and photo.caption == "Team photo"
    assert sticker is not None and sticker.sticker is not None and sticker.sticker.file_unique_id
    assert voice is not None and voice.voice is not None and voice.voice.mime_type == "audio/ogg"
    assert document is not None and document.document is not None
    assert location is not None and location.location is not None
    assert contact is not None and contact.contact is not None
    assert contact.contact.user_id == USER_ID
    assert in_group is not None and in_group.chat.type == "supergroup"
    assert in_group.text == "/start" and in_group.entities[0].type == MessageEntityType.BOT_COMMAND

    await bot.send_message(group.chat_id, "Group menu", reply_markup=keyboard("Join"))
    await group.press(user, "Join")
    (pressed,) = await bot.get_updates(offset=updates[-1].update_id + 1)
    assert pressed.callback_query is not None and pressed.callback_query.from_user.id == USER_ID
    assert (await group.reply()).text == "Group menu"
    assert user.unread() == []  # nothing was sent to the private chat


async def test_an_application_answers_start_and_shuts_down_cleanly(
    fake_telegram: FakeTelegram,
) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Echo the /start payload with a button."""
        message = update.effective_message
        if message is None:
            return
        payload = " ".join(context.args or []) or "nothing"
        await message.reply_html(f"<b>Started</b> with {payload}", reply_markup=keyboard("Go"))

    async def go(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Answer the button and edit its message."""
        query = update.callback_query
        if query is None:
            return
        await query.answer()
        await query.edit_message_text("Going")

    application = fake_telegram.application_builder().build()
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CallbackQueryHandler(go))
    user = fake_telegram.user(USER_ID, "Alex")

    async with running_application(application):
        await user.send("/start ward7")
        (reply,) = await user.replies()
        assert (reply.kind, reply.text, reply.html) == (
            "message",
            "Started with ward7",
            "<b>Started</b> with ward7",
        )
        assert reply.buttons == ["Go"]
        await user.press("Go")
        (edit,) = await user.replies()
        assert (edit.kind, edit.message_id, edit.text, edit.buttons) == (
            "edit",
            reply.message_id,
            "Going",
            [],
        )
        await fake_telegram.wait_idle()
        assert user.last_message().text == "Going"

    fake_telegram.assert_all_callbacks_answered()
    fake_telegram.assert_no_rejections()
    assert not application.running
    assert fake_telegram.calls("getUpdates")[-1].params["timeout"] == 0  # the confirming poll


async def test_replies_times_out_with_the_reason(fake_telegram: FakeTelegram, bot: Bot) -> None:
    user = fake_telegram.user(USER_ID, chat_exists=True)
    with pytest.raises(BadRequest):
        await bot.send_message(USER_ID, "<oops>", parse_mode="HTML")
    with pytest.raises(AssertionError, match=r"(?s)got 0.*Unsupported start tag \"oops\""):
        await user.replies(timeout=0.1)
    await user.send("nobody polls")
    with pytest.raises(AssertionError, match="is the Application polling"):
        await fake_telegram.wait_idle(timeout=0.2)
