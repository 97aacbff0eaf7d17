"""AWARDS_FILE: the programme file's shape, its paths and defaults, and a broken file as one line
naming the file, the award and the key (issue 19)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.config import Settings
from bot.preflight import ConfigProblem, checked_forms
from bot.programme import ProgrammeProblem, load_programme, read_programme
from flows.form import load_form

REPO = Path(__file__).resolve().parents[2]
FORMS = REPO / "flows" / "forms"
EXAMPLE_PROGRAMME = FORMS / "example_programme.toml"
TINY = REPO / "tests" / "forms" / "tiny.toml"

OPENS = datetime(2027, 1, 4, 9, tzinfo=UTC)
CLOSES = datetime(2027, 1, 15, 17, tzinfo=UTC)


def settings(**overrides: object) -> Settings:
    options: dict[str, object] = {
        "organiser_emails": ["office@example.nhs.uk"],
        "organiser_telegram_ids": [42],
        "nominations_open_at": OPENS,
        "nominations_close_at": CLOSES,
        "smtp_host": None,
        "form_file": None,
        "awards_file": None,
    }
    options.update(overrides)
    return Settings(_env_file=None, **options)  # type: ignore[arg-type]


THREE_AWARDS = f"""
title = "HEE Leadership Awards 2027"

[[award]]
id = "lsi"
form = "{FORMS / "leading_for_service_improvement.toml"}"
description = "Leading a service improvement or innovation."
organiser_emails = ["lsi@example.nhs.uk"]
open_at = "2027-01-10T09:00:00+00:00"
close_at = "2027-02-28T17:00:00+00:00"
organiser_telegram_ids = [123456789]
nominee_approval = true

[[award]]
id = "learning"
form = "learning.toml"
description = "An example award."

[[award]]
id = "thanks"
form = "sub/tiny.toml"
description = "Saying thank you."
close_at = "2027-03-01T12:00:00Z"
"""


def write_programme(tmp_path: Path, text: str = THREE_AWARDS) -> Path:
    (tmp_path / "learning.toml").write_text(
        (FORMS / "example_learning_culture.toml").read_text(), encoding="utf-8"
    )
    (tmp_path / "sub").mkdir(exist_ok=True)
    (tmp_path / "sub" / "tiny.toml").write_text(TINY.read_text(), encoding="utf-8")
    path = tmp_path / "awards.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_issues_shape_is_read_with_each_key(tmp_path: Path) -> None:
    programme = read_programme(write_programme(tmp_path), settings())
    assert programme.title == "HEE Leadership Awards 2027"
    assert [a.id for a in programme] == ["lsi", "learning", "thanks"]
    lsi = programme.first
    assert lsi.form.reference_prefix == "LSI"
    assert lsi.description == "Leading a service improvement or innovation."
    assert lsi.organiser_emails == ("lsi@example.nhs.uk",)
    assert lsi.round.opens_at == datetime(2027, 1, 10, 9, tzinfo=UTC)
    assert lsi.round.closes_at == datetime(2027, 2, 28, 17, tzinfo=UTC)
    assert lsi.organiser_telegram_ids == (123456789,)
    assert lsi.nominee_approval is True


def test_paths_are_relative_to_the_file_and_defaults_come_from_the_settings(
    tmp_path: Path,
) -> None:
    programme = read_programme(write_programme(tmp_path), settings())
    learning, thanks = programme.award("learning"), programme.award("thanks")
    assert learning is not None and thanks is not None
    assert learning.form.id == "example_learning_culture"
    assert thanks.form.id == "thank_you_award"  # sub/tiny.toml, beside the programme file
    assert learning.organiser_emails == ("office@example.nhs.uk",)  # ORGANISER_EMAILS
    assert (learning.round.opens_at, learning.round.closes_at) == (OPENS, CLOSES)
    assert (thanks.round.opens_at, thanks.round.closes_at) == (
        OPENS,
        datetime(2027, 3, 1, 12, tzinfo=UTC),
    )
    assert learning.organiser_telegram_ids == ()
    assert learning.nominee_approval is False
    assert programme.award_for("thank_you_award") is thanks
    assert programme.form_for("example_learning_culture") is learning.form
    assert programme.award_for("no_such_form") is None


def test_without_awards_file_one_award_is_todays_settings() -> None:
    programme = load_programme(settings(form_file=TINY))
    (award,) = programme.awards
    assert award.form == load_form(TINY)
    assert programme.title == award.form.title
    assert award.id == "ty"
    assert award.organiser_emails == ("office@example.nhs.uk",)
    assert (award.round.opens_at, award.round.closes_at) == (OPENS, CLOSES)
    assert award.organiser_telegram_ids == (42,)


def test_the_example_programme_loads() -> None:
    programme = read_programme(EXAMPLE_PROGRAMME, settings())
    assert [a.form.reference_prefix for a in programme] == ["LSI", "EXLC"]
    assert "not a real" in (FORMS / "example_learning_culture.toml").read_text()
    example = programme.awards[1].form
    assert example.title.startswith("Example award")


BROKEN = {
    "no title": (THREE_AWARDS.replace('title = "HEE Leadership Awards 2027"', ""), ("title",)),
    "bad date": (
        THREE_AWARDS.replace("2027-01-10T09:00:00+00:00", "next Monday"),
        ("award 'lsi'", "open_at"),
    ),
    "no zone": (
        THREE_AWARDS.replace("2027-03-01T12:00:00Z", "2027-03-01T12:00:00"),
        ("award 'thanks'", "close_at"),
    ),
    "closes first": (
        THREE_AWARDS.replace("2027-02-28T17", "2027-01-01T17"),
        ("award 'lsi'", "close_at", "later than its open_at"),
    ),
    "closes before the round opens": (
        THREE_AWARDS.replace("2027-03-01T12:00:00Z", "2027-01-01T12:00:00Z"),
        ("award 'thanks'", "close_at", "later than its open_at"),
    ),
    "unknown key": (
        THREE_AWARDS.replace("nominee_approval = true", "nominee_aproval = true"),
        ("award 'lsi'", "nominee_aproval"),
    ),
    "bad email": (
        THREE_AWARDS.replace("lsi@example.nhs.uk", "not-an-address"),
        ("award 'lsi'", "organiser_emails"),
    ),
    "missing form": (
        THREE_AWARDS.replace("learning.toml", "nowhere.toml"),
        ("award 'learning'", "form", "nowhere.toml", "cannot read"),
    ),
    "same form twice": (
        THREE_AWARDS.replace("sub/tiny.toml", "learning.toml"),
        ("award 'thanks'", "form", "award 'learning'", "example_learning_culture"),
    ),
    "same id twice": (
        THREE_AWARDS.replace('id = "thanks"', 'id = "lsi"'),
        ("award 'lsi'", "id", "two awards"),
    ),
    "not toml": ('title = "unclosed\n', ("not valid TOML", "line 1")),
    "judging closes first": (
        THREE_AWARDS.replace(
            'description = "Saying thank you."',
            'description = "Saying thank you."\njudging_open_at = "2027-04-01T09:00:00Z"\n'
            'judging_close_at = "2027-03-20T09:00:00Z"',
        ),
        ("award 'thanks'", "judging_close_at", "later than its judging_open_at"),
    ),
}


def test_an_awards_judging_dates_default_to_the_settings(tmp_path: Path) -> None:
    text = THREE_AWARDS.replace(
        'description = "Saying thank you."',
        'description = "Saying thank you."\njudging_close_at = "2027-04-01T09:00:00Z"',
    )
    opens = datetime(2027, 3, 10, 9, tzinfo=UTC)
    programme = read_programme(write_programme(tmp_path, text), settings(judging_open_at=opens))
    thanks, learning = programme.award("thanks"), programme.award("learning")
    assert thanks is not None and learning is not None
    assert thanks.judging_dates.open_at == opens  # JUDGING_OPEN_AT
    assert thanks.judging_dates.close_at == datetime(2027, 4, 1, 9, tzinfo=UTC)
    assert learning.judging_dates == settings(judging_open_at=opens).judging_dates


@pytest.mark.parametrize("case", BROKEN)
def test_a_broken_programme_is_one_line_naming_file_award_and_key(
    tmp_path: Path, case: str
) -> None:
    text, expected = BROKEN[case]
    path = write_programme(tmp_path, text)
    with pytest.raises(ProgrammeProblem) as caught:
        read_programme(path, settings())
    line = str(caught.value)
    assert "\n" not in line
    assert line.startswith(f"AWARDS_FILE={path}: ")
    for words in expected:
        assert words in line, (words, line)
    # `nomination-bot check` and start-up say the same line (bot/preflight.py).
    with pytest.raises(ConfigProblem) as checked:
        checked_forms(settings(awards_file=path))
    assert str(checked.value) == line


def test_check_lists_each_award(tmp_path: Path) -> None:
    lines = checked_forms(settings(awards_file=write_programme(tmp_path)))
    assert lines[0] == "Programme: HEE Leadership Awards 2027 (3 awards)"
    assert [line.split(":")[0] for line in lines[1:]] == [
        "Award lsi",
        "Award learning",
        "Award thanks",
    ]
