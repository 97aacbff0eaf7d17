"""Nominations made before the programme (issue 19) belong to the award they were made for: a
database file as today's schema writes it, with a draft and a sent nomination of the shipped form,
served afterwards as the second award of a programme. No migration is needed, since each
nomination already stores its form's id: the draft carries on under its own form, the list names
its award, and the organisers' export files both under it."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.app import open_organisers
from bot.services.organisers import ExportFormat
from flows.form import load_form
from flows.state import REVIEW
from storage.db import utc_text
from storage.schema import MIGRATIONS
from tests.kit.fake_telegram import FakeTelegram
from tests.kit.nominator import MakeSettings, Nominator, messages, running_bot
from tests.storage.schema_history import written_at_version

REPO = Path(__file__).resolve().parents[2]
FORMS = REPO / "flows" / "forms"
LSI_TITLE = "Leading for Service Improvement and Innovation"
# An hour ago: no reminder due yet, and far from the idle drafts' purge.
T0 = datetime.now(UTC) - timedelta(hours=1)
JO = 3001


def written_before_programmes(path: Path) -> None:
    """Today's schema, as a bot serving the shipped form alone left it: Jo's sent nomination
    and their draft, at its third step."""
    written_at_version(path, len(MIGRATIONS))
    form = load_form()
    rows = [
        ("LSI-SENT01", "submitted", REVIEW, utc_text(T0)),
        ("LSI-DRAFT1", "draft", "nominee_role", None),
    ]
    with closing(sqlite3.connect(path)) as conn:
        for reference, status, position, submitted_at in rows:
            conn.execute(
                "INSERT INTO nominations (reference, nominator, form_id, form_version, status,"
                " position, created_at, updated_at, submitted_at, pending)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
                (reference, f"tg:{JO}", form.id, form.version, status, position,
                 utc_text(T0), utc_text(T0), submitted_at),
            )  # fmt: skip
        ids = dict(conn.execute("SELECT reference, id FROM nominations"))
        conn.executemany(
            "INSERT INTO answer_parts (nomination_id, field_id, seq, source, text)"
            " VALUES (?, ?, ?, ?, ?)",
            [
                (ids["LSI-SENT01"], "nominee_type", 0, None, "individual"),
                (ids["LSI-SENT01"], "nominee_name", 0, None, "Priya Shah"),
                (ids["LSI-DRAFT1"], "nominee_type", 0, None, "individual"),
                (ids["LSI-DRAFT1"], "nominee_name", 0, None, "Sam Patel"),
            ],
        )
        conn.execute(
            "INSERT INTO nominators (nominator, current_reference) VALUES (?, ?)",
            (f"tg:{JO}", "LSI-DRAFT1"),
        )
        conn.commit()


def programme_file(tmp_path: Path) -> Path:
    """The example award first, so that the shipped one is not simply the default."""
    path = tmp_path / "awards.toml"
    path.write_text(
        f"""
title = "Awards"

[[award]]
id = "learning"
form = "{FORMS / "example_learning_culture.toml"}"
description = "Helping the people around them learn."

[[award]]
id = "lsi"
form = "{FORMS / "leading_for_service_improvement.toml"}"
description = "Leading a service improvement or innovation."
""",
        encoding="utf-8",
    )
    return path


async def test_nominations_from_before_the_programme_belong_to_their_award(
    tg: FakeTelegram, make_settings: MakeSettings, tmp_path: Path
) -> None:
    settings = make_settings(awards_file=programme_file(tmp_path))
    written_before_programmes(settings.database_path)
    jo = Nominator(tg, tg.user(JO, "Jo"))
    async with running_bot(settings) as services:
        (welcome,) = messages(await jo.say("/start"))
        assert welcome.text.startswith(LSI_TITLE)  # the draft's own award, not the first
        assert "LSI-DRAFT1 for Sam Patel" in welcome.text
        (role,) = messages(await jo.tap(welcome.buttons[0]))
        assert "What is their job title or role?" in role.text
        await jo.say("Ward Sister")
        draft = await jo.draft(services)
        assert draft is not None and draft.answer("nominee_role") == "Ward Sister"
        assert services.service.award_of(draft).id == "lsi"

        (listing,) = messages(await jo.say("/mynominations"))
        assert listing.text.count(f"Award: {LSI_TITLE}") == 2

    async with open_organisers(settings) as organisers:
        alone = await organisers.export(ExportFormat.CSV, award="lsi")
        assert alone.count == 1 and "LSI-SENT01" in alone.text
        assert (await organisers.export(ExportFormat.CSV, award="learning")).count == 0
