"""What the import-linter contracts in pyproject.toml (run by `make lint`) cannot say: flows/
imports nothing outside the standard library and pydantic and never reads a clock, the Telegram
front end is one package, files and functions stay short enough to read, and README's map names
every module. Who may import whom is the contracts' job, not this file's."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPLICATION_PACKAGES = ("bot", "flows", "storage", "mail")


def python_files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def application_files() -> list[Path]:
    return [path for package in APPLICATION_PACKAGES for path in python_files(package)]


# ---------------------------------------------------------------- flows/: the standard library only

# A contract can forbid named modules; only a list of what is allowed can refuse a new one.
FLOWS_MAY_IMPORT = {"flows", "pydantic", "pydantic_core"}


def imported_modules(path: Path) -> set[str]:
    """Top-level names of every absolute import in a file, including those made by
    importlib.import_module("...") or __import__("...") with a literal name."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and (node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id)
            in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.add(node.args[0].value.split(".")[0])
    return found


@pytest.mark.parametrize("path", python_files("flows"), ids=lambda p: str(p.relative_to(ROOT)))
def test_flows_imports_only_the_standard_library_and_pydantic(path: Path) -> None:
    outside = {
        name
        for name in imported_modules(path) - FLOWS_MAY_IMPORT
        if name not in sys.stdlib_module_names and name != "__future__"
    }
    assert not outside, f"{path.relative_to(ROOT)} imports {sorted(outside)}"


def test_the_engine_files_are_checked() -> None:
    checked = {p.relative_to(ROOT).as_posix() for p in python_files("flows")}
    assert {"flows/engine.py", "flows/form.py", "flows/state.py"} <= checked


def test_the_import_finder_sees_every_form_of_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import telegram.ext\n"
        "import os, asyncio as aio\n"
        "from aiosqlite import connect\n"
        "from . import sibling\n"
        "from .storage import thing\n"
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from bot.app import App\n"
        "def later():\n"
        "    import mail.compose\n"
        "    importlib.import_module('aiosmtplib')\n"
        "    __import__('storage.db')\n",
        encoding="utf-8",
    )
    assert imported_modules(sample) == {
        "telegram",
        "os",
        "asyncio",
        "aiosqlite",
        "typing",
        "bot",
        "mail",
        "aiosmtplib",
        "storage",
    }


# ------------------------------------------------------------------- flows/: no clock of its own

# Anything that needs the time is handed it (CONTRIBUTING): flows/ never asks for it.
CLOCK_MODULES = {"datetime", "time"}
CLOCK_READS = {
    "now",
    "utcnow",
    "today",
    "time",
    "time_ns",
    "monotonic",
    "monotonic_ns",
    "perf_counter",
    "perf_counter_ns",
}
THE_ONE_CLOCK = "utc_now"  # storage.clock's


def clock_reads(path: Path) -> list[str]:
    """Each place a file reads a clock: datetime.now(), date.today(), time.monotonic() and the
    like (however datetime or time was imported), and storage.clock.utc_now."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    clocks: set[str] = set()  # local names of the datetime and time modules and their classes
    found: set[tuple[int, str]] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            clocks.update((a.asname or a.name) for a in node.names if a.name in CLOCK_MODULES)
        elif isinstance(node, ast.ImportFrom) and node.module in CLOCK_MODULES:
            for alias in node.names:
                if alias.name in CLOCK_READS:
                    found.add((node.lineno, f"from {node.module} import {alias.name}"))
                clocks.add(alias.asname or alias.name)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in CLOCK_READS:
            root = node.value
            while isinstance(root, ast.Attribute):
                root = root.value
            if isinstance(root, ast.Name) and root.id in clocks:
                found.add((node.lineno, ast.unparse(node)))
        elif (isinstance(node, ast.Name) and node.id == THE_ONE_CLOCK) or (
            isinstance(node, ast.Attribute) and node.attr == THE_ONE_CLOCK
        ):
            found.add((node.lineno, ast.unparse(node)))
        elif isinstance(node, ast.ImportFrom) and any(a.name == THE_ONE_CLOCK for a in node.names):
            found.add((node.lineno, f"import of {THE_ONE_CLOCK}"))
    return [f"line {line}: {what}" for line, what in sorted(found)]


@pytest.mark.parametrize("path", python_files("flows"), ids=lambda p: str(p.relative_to(ROOT)))
def test_flows_never_reads_a_clock(path: Path) -> None:
    assert clock_reads(path) == [], f"{path.relative_to(ROOT)} reads a clock"


def test_the_clock_finder_sees_every_way_of_reading_one(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import datetime\n"
        "import time as t\n"
        "from datetime import date, datetime as dt\n"
        "from time import monotonic\n"
        "from storage.clock import utc_now\n"
        "a = datetime.datetime.now()\n"
        "b = dt.now(UTC)\n"
        "c = date.today()\n"
        "d = t.time()\n"
        "e = dt.utcnow\n"
        "f = clock.utc_now()\n"
        # Not clocks: a datetime handed in, and names that only look like them.
        "g = handed.now\n"
        "h = dt(2027, 1, 4).date()\n"
        "i = state.time\n",
        encoding="utf-8",
    )
    assert clock_reads(sample) == [
        "line 4: from time import monotonic",
        "line 5: import of utc_now",
        "line 6: datetime.datetime.now",
        "line 7: dt.now",
        "line 8: date.today",
        "line 9: t.time",
        "line 10: dt.utcnow",
        "line 11: clock.utc_now",
    ]


# --------------------------------------------------------------- the Telegram front end's package

TELEGRAM_PACKAGE = ROOT / "bot" / "telegram"


def test_the_telegram_front_end_is_a_package_that_re_exports_its_parts() -> None:
    parts = {p.stem for p in TELEGRAM_PACKAGE.glob("*.py")}
    assert {"buttons", "handlers", "output", "runtime", "html", "__init__"} <= parts
    assert not (ROOT / "bot" / "telegram.py").exists()
    assert not (ROOT / "bot" / "telegram_html.py").exists()


# ------------------------------------------------------------------------- sizes a reader can take

MAX_FILE_LINES = 450
MAX_FUNCTION_LINES = 60


def long_functions(path: Path, limit: int) -> list[str]:
    """Functions (and methods) of more than `limit` lines, decorators and docstring included."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            end = node.end_lineno or node.lineno
            if end - start + 1 > limit:
                found.append(f"{node.name} ({end - start + 1} lines, from line {start})")
    return found


@pytest.mark.parametrize("path", application_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_files_and_functions_stay_short(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_FILE_LINES, f"{path.relative_to(ROOT)} has {lines} lines"
    assert not long_functions(path, MAX_FUNCTION_LINES), (
        f"{path.relative_to(ROOT)}: {long_functions(path, MAX_FUNCTION_LINES)}"
    )


def test_the_size_check_measures_functions_whole(tmp_path: Path) -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(60))
    sample = tmp_path / "sample.py"
    sample.write_text(
        f"@decorated\nasync def long():\n{body}\n\ndef short():\n    return 1\n", encoding="utf-8"
    )
    assert long_functions(sample, 62) == []
    assert long_functions(sample, 61) == ["long (62 lines, from line 1)"]


def readme_layout() -> set[str]:
    """The files the architecture page's map names, as paths ("db.py, schema.py" names two)."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = text[text.index("## How it is built") :]
    block = section.split("```\n", 2)[1]
    named: set[str] = set()
    folders: list[str] = []
    for line in block.splitlines():
        depth = (len(line) - len(line.lstrip())) // 2
        words = line.split()
        del folders[depth:]
        if words[0].endswith("/"):
            folders.append(words[0].rstrip("/"))
            continue
        names = [words[0]]
        while names[-1].endswith(","):  # "db.py, schema.py  what they do"
            names.append(words[len(names)])
        for name in names:
            named.add("/".join([*folders, name.rstrip(",")]))
    return named


def test_readme_layout_names_every_module() -> None:
    # The map is the newcomer's (issue 11): every module is on it.
    named = readme_layout()
    modules = {
        str(path.relative_to(ROOT))
        for package in ("flows", "storage", "mail", "bot")
        for path in (ROOT / package).rglob("*.py")
        if path.name != "__init__.py"
    }
    assert sorted(modules - named) == []


# ------------------------------------------------------------- the organisers' service and its cli


def imported_names(path: Path) -> set[str]:
    """Full dotted names of every absolute import in a file (bot.screens.stats, not just bot)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
    return found


def reaches(path: Path, packages: tuple[str, ...]) -> set[str]:
    """The imports of `path` that are one of `packages` or inside one."""
    return {
        name
        for name in imported_names(path)
        if any(name == package or name.startswith(f"{package}.") for package in packages)
    }


def test_the_organisers_service_returns_data_and_knows_no_front_end() -> None:
    fronts = ("bot.screens", "bot.telegram", "bot.console", "bot.cli", "bot.app")
    assert reaches(ROOT / "bot" / "services" / "organisers.py", fronts) == set()


@pytest.mark.parametrize("path", python_files("bot/cli"), ids=lambda p: p.name)
def test_the_command_line_is_handed_its_service_not_the_composition_root(path: Path) -> None:
    # bot.app imports the front ends; the command line importing it back made a circle.
    assert reaches(path, ("bot.app", "bot.telegram")) == set()
