"""Start-up checks: a setting that cannot work becomes one line naming the key or path and how to
fix it (the entry point exits 2), instead of a traceback, or a failure at the first Submit.

`python -m bot` runs them before it opens anything, and `nomination-bot check` reports them all.
"""

from __future__ import annotations

import logging
import sqlite3
import tempfile
import tomllib
from dataclasses import dataclass

from pydantic import ValidationError

from bot.config import Settings
from bot.programme import ProgrammeProblem, load_programme, read_programme
from flows.form import Form, load_form
from flows.programme import Programme
from storage.errors import SchemaTooNew, StorageError
from storage.nominations import NominationStore

logger = logging.getLogger(__name__)


class ConfigProblem(Exception):
    """A setting that cannot work; its text is one line for whoever runs the bot."""


def settings_problems(exc: ValidationError) -> list[str]:
    """One line per invalid key, named as it is set in the environment."""
    lines = []
    for error in exc.errors():
        message = str(error["msg"]).removeprefix("Value error, ")
        key = "_".join(str(part) for part in error["loc"]).upper()
        lines.append(f"{key}: {message}" if key else message)
    return lines


def checked_form(settings: Settings) -> Form:
    """The form FORM_FILE names (or the shipped one), or a ConfigProblem naming file and line."""
    where = f"FORM_FILE={settings.form_file}"
    try:
        return load_form(settings.form_file)
    except OSError as exc:
        raise ConfigProblem(f"{where}: cannot read it ({exc.strerror}); check the path") from exc
    except UnicodeDecodeError as exc:
        raise ConfigProblem(f"{where}: not UTF-8 text; save it as UTF-8") from exc
    except tomllib.TOMLDecodeError as exc:
        # tomllib's message ends "(at line L, column C)".
        raise ConfigProblem(f"{where}: not valid TOML: {exc}; fix that line") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "the form"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise ConfigProblem(f"{where}: {field}: {first['msg']}{more}; fix it in the file") from exc


def checked_programme(settings: Settings) -> Programme:
    """The programme served (AWARDS_FILE's, or FORM_FILE's one award), read once here and
    handed on to what the bot opens; or a ConfigProblem naming the file and the key."""
    if settings.awards_file is None:
        return load_programme(settings, form=checked_form(settings))
    try:
        return read_programme(settings.awards_file, settings)
    except ProgrammeProblem as exc:
        raise ConfigProblem(str(exc)) from exc


def forms_lines(settings: Settings, programme: Programme) -> list[str]:
    """A line for each form served: FORM_FILE's, or with AWARDS_FILE each award's."""
    if settings.awards_file is None:
        form = programme.first.form
        return [f"Form: {form.title} (version {form.version}, {len(form.fields)} fields)"]
    return [f"Programme: {programme.title} ({len(programme)} awards)"] + [
        f"Award {a.id}: {a.form.title} (version {a.form.version}, {len(a.form.fields)} fields)"
        for a in programme
    ]


def checked_forms(settings: Settings) -> list[str]:
    """A line for each form served, or a ConfigProblem."""
    return forms_lines(settings, checked_programme(settings))


async def check_database(settings: Settings) -> str:
    """Open the database (creating it, or its folder, if missing); a line saying how it is."""
    path = settings.database_path
    where = f"DATABASE_PATH={path}"
    existed = path.exists()
    try:
        store = await NominationStore.open(path)
    except SchemaTooNew as exc:
        raise ConfigProblem(f"DATABASE_PATH: {exc}") from exc
    except sqlite3.DatabaseError as exc:
        raise ConfigProblem(
            f"{where}: not a usable SQLite database ({exc}); restore it from a backup, or move "
            "it aside and the bot will start an empty one"
        ) from exc
    except OSError as exc:
        raise ConfigProblem(
            f"{where}: cannot write there ({exc.strerror}); make the folder writable by this "
            "user, or set DATABASE_PATH to a folder that is"
        ) from exc
    except StorageError as exc:
        raise ConfigProblem(f"{where}: {exc}") from exc
    await store.close()
    return f"Database: {path} ({'opened' if existed else 'created'}, schema up to date)"


def check_outbox_dir(settings: Settings) -> str | None:
    """Without SMTP, emails are files in MAIL_OUTBOX_DIR: it must take a new file."""
    if settings.smtp_host is not None:
        return None
    directory = settings.mail_outbox_dir
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=directory, prefix=".check-"):
            pass
    except OSError as exc:
        raise ConfigProblem(
            f"MAIL_OUTBOX_DIR={directory}: cannot write there ({exc.strerror}); make it writable "
            "by this user, set MAIL_OUTBOX_DIR elsewhere, or set SMTP_HOST"
        ) from exc
    return f"Email: no SMTP_HOST, so emails are written as files in {directory}"


@dataclass(frozen=True, slots=True)
class Checked:
    """What the start-up checks found: a line for each thing fine and each wrong, and the
    programme they read (None if it could not be read), so it is not read again."""

    fine: list[str]
    wrong: list[str]
    programme: Programme | None


async def problems(settings: Settings) -> tuple[list[str], list[str]]:
    """Every check that needs no network: (what is fine, what is wrong), one line each."""
    checked = await preflight(settings)
    return checked.fine, checked.wrong


async def preflight(settings: Settings) -> Checked:
    """Every check that needs no network, and the programme it read."""
    fine: list[str] = []
    wrong: list[str] = []
    programme: Programme | None = None
    try:
        programme = checked_programme(settings)
        fine.extend(forms_lines(settings, programme))
    except ConfigProblem as exc:
        _explain(exc, wrong)
    try:
        fine.append(await check_database(settings))
    except ConfigProblem as exc:
        _explain(exc, wrong)
    if settings.smtp_host is not None and not settings.organiser_emails:
        wrong.append(
            "ORGANISER_EMAILS is empty, so nominations would reach nobody: set it to the "
            "organisers' addresses (SMTP_HOST is set)"
        )
    try:
        outbox = check_outbox_dir(settings)
        if outbox is not None:
            fine.append(outbox)
    except ConfigProblem as exc:
        _explain(exc, wrong)
    return Checked(fine, wrong, programme)


def _explain(problem: ConfigProblem, lines: list[str]) -> None:
    lines.append(str(problem))
    # The cause's traceback only at DEBUG: it is for whoever debugs the bot, not who runs it.
    logger.debug("%s", problem, exc_info=problem.__cause__)
