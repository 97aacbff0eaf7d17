"""Issue 7, phase 2, through the real Telegram front end and the strict fake Bot API: the help,
the command menu and the registered commands agree with the one table; /delete asks through the
engine, so a typed "yes" answers it; Change replaces and /add adds; a review of answers at the
size cap sends their openings, and one answer in full on request (issue 12)."""

from __future__ import annotations

from telegram.ext import CommandHandler

from bot.app import open_telegram_bot
from bot.config import Settings
from bot.console.terminal import WORDS
from bot.screens import texts
from bot.screens.actions import ACTIONS, Kind
from bot.telegram import serving
from flows.form import load_form
from flows.state import Confirmation
from tests.kit.fake_telegram import FakeTelegram
from tests.kit.nominator import (
    DETAILS,
    NOMINEE,
    RELATIONSHIP,
    Nominator,
    last,
    messages,
    running_bot,
    shown,
)

FORM = load_form()
LONG = (
    "She rebuilt the discharge pathway with the whole ward, and patients, families and staff all "
    "say that they can see and feel the difference every single day."
)
SHORTER = (
    "She led the ward to a new discharge pathway that patients and staff say works better for "
    "everyone, and it has lasted for over a year now."
)


async def test_help_menu_handlers_and_terminal_words_agree_with_the_table(
    tg: FakeTelegram, settings: Settings
) -> None:
    async with (
        open_telegram_bot(settings) as telegram,
        serving(telegram.application, settings, poll_timeout=0.5),
    ):
        registered = {
            command
            for group in telegram.application.handlers.values()
            for handler in group
            if isinstance(handler, CommandHandler)
            for command in handler.commands
        }
        (menu,) = tg.commands.values()  # what setMyCommands registered
        table = {
            spec.command
            for spec in ACTIONS
            if spec.command is not None and spec.kind is not Kind.JUDGING
        }
        help_listed = {
            line.split(" ")[0][1:] for line in texts.TELEGRAM_HELP.splitlines() if line[:1] == "/"
        }
        # The organisers' commands are their own list, shown only in their chats.
        organisers = {command for command, _ in texts.ORGANISER_COMMANDS}
        assert organisers <= registered
        # So are the judges' (issue 18): refused to anyone else as an unknown command is.
        judges = {command for command, _ in texts.JUDGE_COMMANDS}
        assert judges <= registered
        nominators = registered - organisers - judges
        assert nominators == table == {c["command"] for c in menu} == help_listed
        assert "continue" not in registered  # one name per idea: /start
        # The terminal understands every word the table gives an engine event, and its help
        # lists each of them.
        words = {spec.word for spec in ACTIONS if spec.word is not None}
        console_help = {line.split(" – ")[0] for line in texts.CONSOLE_HELP.splitlines()[1:]}
        labels = {s.label.casefold() for s in ACTIONS if s.word is not None and s.label}
        assert set(WORDS) <= words | {w for s in ACTIONS for w in s.also_typed} | labels
        judge_help = {line.split(" – ")[0] for line in texts.JUDGE_CONSOLE_HELP.splitlines()[1:]}
        for spec in ACTIONS:
            if spec.word is not None and spec.help is not None:
                judging = spec.kind is Kind.JUDGING  # `nomination-bot judge`'s own help
                assert spec.word in (judge_help if judging else console_help)


async def test_a_typed_yes_at_delete_deletes_and_is_not_saved_as_an_answer(
    tg: FakeTelegram, settings: Settings
) -> None:
    async with running_bot(settings) as services:
        dee = Nominator(tg, tg.user(7101, "Dee"))
        await dee.start_individual()
        await dee.say_all(*DETAILS[:2])  # now asked for the organisation
        before = await dee.draft(services)
        assert before is not None and before.position == "nominee_organisation"

        (ask,) = await dee.say("/delete")
        # The draft names its nominee, so the question says which nomination goes.
        assert ask.text.startswith(f"Delete your nomination for {NOMINEE} ({before.reference})?")
        assert ask.buttons == [texts.DELETE_YES, texts.DELETE_NO]
        (again,) = await dee.say("Leeds")  # neither yes nor no: asked again, nothing saved
        assert again.text.startswith(texts.CONFIRM_AGAIN)
        kept, question = await dee.say("no")
        assert kept.text == texts.KEPT[Confirmation.DELETE]
        assert "organisation" in question.text
        after_no = await dee.draft(services)
        assert after_no is not None and after_no.answers == before.answers

        await dee.say("/delete")
        (deleted,) = await dee.say("yes")
        assert deleted.text == texts.DELETED
        assert await dee.draft(services) is None
        assert await services.store.get(before.reference) is None


async def test_change_replaces_and_add_adds_by_command(
    tg: FakeTelegram, settings: Settings
) -> None:
    async with running_bot(settings) as services:
        cai = Nominator(tg, tg.user(7102, "Cai"))
        await cai.start_individual()
        await cai.say_all(*DETAILS)
        await cai.say("/skip")
        await cai.say(RELATIONSHIP)
        await cai.say(LONG)
        await cai.say("/done")  # on to Q2
        await cai.say("/review")
        (change,) = await cai.say("/edit Q1")
        assert texts.REPLACING in change.text and LONG in change.text
        assert texts.BUTTON_ADD_TO in change.buttons
        (saved,) = await cai.say(SHORTER)  # the first message replaces
        assert saved.text.startswith("Saved: 27 of 500 words")
        draft = await cai.draft(services)
        assert draft is not None and draft.answer("q1") == SHORTER

        await cai.say("/review")
        await cai.say("/edit Q1")
        (adding,) = await cai.say("/add")  # the typed equivalent of "Add to it"
        assert texts.REPLACING not in adding.text and SHORTER in adding.text
        replies = await cai.say("And it lasted.")
        assert last(replies).text.startswith("Saved: 30 of 500 words")
        draft = await cai.draft(services)
        assert draft is not None and draft.answer("q1") == f"{SHORTER}\n\nAnd it lasted."


def at_the_size_cap(letter: str) -> list[str]:
    """Message parts that make one answer of exactly the form's size cap, each one message."""
    cap = FORM.field("q1").char_limit
    word = f"{letter}care "
    parts = [(word * (3900 // len(word))).strip() for _ in range(7)]
    used = sum(len(p) for p in parts) + 2 * len(parts)  # parts are joined by a blank line
    last_part = (word * ((cap - used) // len(word) + 1))[: cap - used].strip()
    return [*parts, last_part]


async def test_a_review_at_the_size_cap_sends_openings_and_shows_one_answer_on_request(
    tg: FakeTelegram, settings: Settings
) -> None:
    async with running_bot(settings) as services:
        rae = Nominator(tg, tg.user(7103, "Rae"))
        await rae.start_individual()
        await rae.say_all(*DETAILS)
        await rae.say("/skip")
        await rae.say(RELATIONSHIP)
        for letter in "abcd":  # Q1 to Q4
            await rae.say_all(*at_the_size_cap(letter))
            await rae.say("/done")
        draft = await rae.draft(services)
        assert draft is not None
        answers = [draft.answer(q) or "" for q in ("q1", "q2", "q3", "q4")]
        assert [len(a) for a in answers] == [FORM.field("q1").char_limit] * 4

        replies = messages(await rae.say("/review"))
        assert len(replies) <= 2  # not the 29 messages of four whole answers
        review = last(replies)
        assert "Show Q3 in full" in review.buttons
        assert texts.REVIEW_SHORTENED.format(label="Q3") in shown(replies)

        at_review = await rae.draft(services)
        full = messages(await rae.tap("Show Q3 in full"))
        assert 1 < len(full) <= 9  # one answer, split safely (the fake refuses over 4,096)
        assert "".join(answers[2].split()) in "".join(shown(full).split())
        assert answers[1][:20] not in shown(full)  # that answer only
        assert last(full).buttons == [texts.BUTTON_REVIEW]
        assert await rae.draft(services) == at_review  # reading changes nothing
