"""Start-up checks: a setting that cannot work becomes one line naming the key or path and how to
fix it (the entry point exits 2), instead of a traceback, or a failure at the first Submit.

`python -m bot` runs them before it opens anything, and `nomination-bot check` reports them all.
"""

from __future__ import annotations

import logging
import sqlite3
import tempfile
import tomllib

from pydantic import ValidationError

from bot.config import Settings
from bot.programme import ProgrammeProblem, read_programme
from flows.form import Form, load_form
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


def checked_forms(settings: Settings) -> list[str]:
    """A line for each form served: FORM_FILE's, or with AWARDS_FILE each award's."""
    if settings.awards_file is None:
        form = checked_form(settings)
        return [f"Form: {form.title} (version {form.version}, {len(form.fields)} fields)"]
    try:
        programme = read_programme(settings.awards_file, settings)
    except ProgrammeProblem as exc:
        raise ConfigProblem(str(exc)) from exc
    return [f"Programme: {programme.title} ({len(programme)} awards)"] + [
        f"Award {a.id}: {a.form.title} (version {a.form.version}, {len(a.form.fields)} fields)"
        for a in programme
    ]


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


async def problems(settings: Settings) -> tuple[list[str], list[str]]:
    """Every check that needs no network: (what is fine, what is wrong), one line each."""
    fine: list[str] = []
    wrong: list[str] = []
    try:
        fine.extend(checked_forms(settings))
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
    return fine, wrong


def _explain(problem: ConfigProblem, lines: list[str]) -> None:
    lines.append(str(problem))
    # The cause's traceback only at DEBUG: it is for whoever debugs the bot, not who runs it.
    logger.debug("%s", problem, exc_info=problem.__cause__)
