"""The awards programme the bot serves: AWARDS_FILE read and each award's form loaded, with the
defaults from ORGANISER_EMAILS and the round's dates; with no AWARDS_FILE, one award, the form
FORM_FILE names, exactly as before programmes. A file that cannot be served is a ProgrammeProblem:
one line naming the file, the award and the key."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from pathlib import Path

from pydantic import ValidationError

from bot.config import Settings
from flows.form import Form, load_form
from flows.judging.phase import JudgingDates
from flows.programme import Award, AwardEntry, Programme, ProgrammeError, ProgrammeFile
from flows.round import Round


class ProgrammeProblem(Exception):
    """AWARDS_FILE cannot be served; the text is one line for whoever runs the bot."""


def load_programme(settings: Settings, *, form: Form | None = None) -> Programme:
    """The programme AWARDS_FILE describes, or with none, the one award `form` (default: the
    form FORM_FILE names) under today's settings."""
    if settings.awards_file is None:
        only = form if form is not None else load_form(settings.form_file)
        return Programme.single(default_award(settings, only))
    return read_programme(settings.awards_file, settings)


def default_award(settings: Settings, form: Form) -> Award:
    """The award a bot without a programme file serves: its id is the form's reference prefix."""
    return Award(
        id=form.reference_prefix.lower(),
        form=form,
        description=form.title,
        organiser_emails=settings.organisers,
        round=settings.round,
        organiser_telegram_ids=tuple(settings.organiser_telegram_ids),
        nominee_approval=settings.nominee_approval,
        judging_dates=settings.judging_dates,
    )


def read_programme(path: Path, settings: Settings) -> Programme:
    """Read and check the programme file at `path`; every problem is a ProgrammeProblem."""
    where = f"AWARDS_FILE={path}"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ProgrammeProblem(f"{where}: cannot read it ({exc.strerror}); check the path") from exc
    except UnicodeDecodeError as exc:
        raise ProgrammeProblem(f"{where}: not UTF-8 text; save it as UTF-8") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ProgrammeProblem(f"{where}: not valid TOML: {exc}; fix that line") from exc
    try:
        shape = ProgrammeFile.model_validate(data)
    except ValidationError as exc:
        raise ProgrammeProblem(f"{where}: {_first_problem(exc, data)}; fix it in the file") from exc
    awards = tuple(_award(entry, path, settings, where) for entry in shape.award)
    try:
        return Programme(shape.title, awards)
    except ProgrammeError as exc:
        raise ProgrammeProblem(
            f"{where}: award {exc.award!r}: {exc.key}: {exc}; give each award its own form"
        ) from exc


def _award(entry: AwardEntry, path: Path, settings: Settings, where: str) -> Award:
    """One entry with its form loaded and its defaults filled in from the settings."""
    form_path = Path(entry.form)
    if not form_path.is_absolute():
        form_path = path.parent / form_path
    at = f"{where}: award {entry.id!r}: form"
    try:
        form = load_form(form_path)
    except OSError as exc:
        raise ProgrammeProblem(
            f"{at}: cannot read {form_path} ({exc.strerror}); check the path"
        ) from exc
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ProgrammeProblem(
            f"{at}: {form_path} is not valid TOML: {exc}; fix that line"
        ) from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "the form"
        raise ProgrammeProblem(f"{at}: {form_path}: {field}: {first['msg']}; fix it") from exc
    opens = entry.open_at if entry.open_at is not None else settings.nominations_open_at
    closes = entry.close_at if entry.close_at is not None else settings.nominations_close_at
    if opens is not None and closes is not None and closes <= opens:
        raise ProgrammeProblem(
            f"{where}: award {entry.id!r}: close_at: must be later than its open_at "
            "(or NOMINATIONS_OPEN_AT); fix it in the file"
        )
    emails = entry.organiser_emails
    return Award(
        id=entry.id,
        form=form,
        description=entry.description,
        organiser_emails=tuple(emails) if emails is not None else settings.organisers,
        round=Round(opens, closes),
        organiser_telegram_ids=entry.organiser_telegram_ids,
        nominee_approval=(
            entry.nominee_approval
            if entry.nominee_approval is not None
            else settings.nominee_approval
        ),
        judging_dates=_judging_dates(entry, settings, where),
    )


def _judging_dates(entry: AwardEntry, settings: Settings, where: str) -> JudgingDates:
    """The award's own judging dates, each defaulting to JUDGING_OPEN_AT / JUDGING_CLOSE_AT."""
    dates = settings.judging_dates
    opens = entry.judging_open_at if entry.judging_open_at is not None else dates.open_at
    closes = entry.judging_close_at if entry.judging_close_at is not None else dates.close_at
    if opens is not None and closes is not None and closes <= opens:
        raise ProgrammeProblem(
            f"{where}: award {entry.id!r}: judging_close_at: must be later than its "
            "judging_open_at (or JUDGING_OPEN_AT); fix it in the file"
        )
    return replace(dates, open_at=opens, close_at=closes)


def _first_problem(exc: ValidationError, data: dict[str, object]) -> str:
    """The first error as 'award 'lsi': close_at: why', naming the award by its id."""
    error = exc.errors()[0]
    loc = list(error["loc"])
    message = str(error["msg"]).removeprefix("Value error, ")
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    if len(loc) >= 2 and loc[0] == "award" and isinstance(loc[1], int):
        awards = data.get("award")
        entry = awards[loc[1]] if isinstance(awards, list) and loc[1] < len(awards) else None
        name = entry.get("id") if isinstance(entry, dict) else None
        award = f"award {name!r}" if isinstance(name, str) else f"award number {loc[1] + 1}"
        key = ".".join(str(part) for part in loc[2:]) or "the award"
        return f"{award}: {key}: {message}{more}"
    if not loc:  # the file as a whole: the message names the award and the key
        return f"{message}{more}"
    return f"{'.'.join(str(part) for part in loc)}: {message}{more}"
