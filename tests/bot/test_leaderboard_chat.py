"""Organisers read the leaderboard and keep the shortlist from Telegram (issue 18); anyone else's
/leaderboard or /shortlist answers as an unknown command does. Through the real Application and
the strict fake Bot API, over a round three judges scored through the judging store."""

from __future__ import annotations

from bot.screens import texts
from tests.bot.test_organisers_chat import ORGANISER_ID, people, running_bot
from tests.kit.fake_telegram import FakeTelegram
from tests.kit.nominator import MakeSettings, shown
from tests.kit.organiserkit import Clock
from tests.organisers.test_judging_results import judged_round


async def test_an_organiser_reads_the_leaderboard_and_keeps_the_shortlist(
    tg: FakeTelegram, make_settings: MakeSettings
) -> None:
    organiser, stranger = people(tg)
    settings = make_settings(organiser_telegram_ids=[ORGANISER_ID])
    async with running_bot(settings) as services:
        refs = await judged_round(services.store, services.form, Clock())

        board = shown(await organiser.say("/leaderboard"))
        # The figures worked out by hand in tests/organisers/test_judging_results.py.
        assert f"1. {refs['N1']} Priya Shah" in board
        assert "normalised 4.33 · raw 3.50 (rank 2) · scored 2 of 2 · 1 recused" in board
        assert f"4. {refs['N3']} Mei Chen" in board
        assert board.index(refs["N4"]) < board.index(refs["N3"])  # normalised, not raw, order

        added = shown(await organiser.say(f"/shortlist {refs['N2'].lower()}"))
        assert added == texts.SHORTLIST_ADDED.format(reference=refs["N2"], count=1)
        assert shown(await organiser.say("/shortlist")) == texts.SHORTLIST_LIST.format(
            count=1, references=refs["N2"]
        )
        assert f"2. {refs['N2']} Tom Okafor ★" in shown(await organiser.say("/leaderboard"))
        removed = shown(await organiser.say(f"/shortlist {refs['N2']}"))
        assert removed == texts.SHORTLIST_REMOVED.format(reference=refs["N2"], count=0)
        unknown_ref = shown(await organiser.say("/shortlist LSI-ZZZZZZ"))
        assert unknown_ref == texts.SHORTLIST_UNKNOWN.format(reference="LSI-ZZZZZZ")

        unknown = shown(await stranger.say("/no_such_command"))
        assert shown(await stranger.say("/leaderboard")) == unknown
        assert shown(await stranger.say(f"/shortlist {refs['N1']}")) == unknown
        assert shown(await organiser.say("/shortlist")) == texts.SHORTLIST_EMPTY
