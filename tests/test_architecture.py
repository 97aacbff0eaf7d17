"""The package boundaries of ARCHITECTURE.md, checked on the source: the engine stays pure (no
Telegram, no database, no mail, no asyncio), only bot/telegram/ talks to Telegram, and files and
functions stay short enough to read."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Package -> top-level modules it must never import.
FORBIDDEN = {
    "flows": {
        "telegram",
        "aiosqlite",
        "asyncio",
        "aiosmtplib",
        "storage",
        "mail",
        "bot",
        "sqlite3",
        "smtplib",
    },
    "storage": {"telegram", "bot"},
    "mail": {"telegram", "bot"},
}
# What flows/ may import at all: the standard library and pydantic.
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


def python_files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


CHECKED = [
    (package, path)
    for package in FORBIDDEN
    if (ROOT / package / "__init__.py").exists()
    for path in python_files(package)
]


@pytest.mark.parametrize(
    ("package", "path"), CHECKED, ids=[str(p.relative_to(ROOT)) for _, p in CHECKED]
)
def test_package_keeps_to_its_imports(package: str, path: Path) -> None:
    wrong = imported_modules(path) & FORBIDDEN[package]
    assert not wrong, f"{path.relative_to(ROOT)} imports {sorted(wrong)}"


@pytest.mark.parametrize("path", python_files("flows"), ids=lambda p: str(p.relative_to(ROOT)))
def test_flows_imports_only_the_standard_library_and_pydantic(path: Path) -> None:
    outside = {
        name
        for name in imported_modules(path) - FLOWS_MAY_IMPORT
        if name not in sys.stdlib_module_names and name != "__future__"
    }
    assert not outside, f"{path.relative_to(ROOT)} imports {sorted(outside)}"


def test_the_engine_files_are_checked() -> None:
    checked = {p.relative_to(ROOT).as_posix() for _, p in CHECKED}
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


# --------------------------------------------------------------- the Telegram front end's package

TELEGRAM_PACKAGE = ROOT / "bot" / "telegram"
APPLICATION_PACKAGES = ("bot", "flows", "storage", "mail")


def application_files() -> list[Path]:
    return [path for package in APPLICATION_PACKAGES for path in python_files(package)]


def test_the_telegram_front_end_is_a_package_that_re_exports_its_parts() -> None:
    parts = {p.stem for p in TELEGRAM_PACKAGE.glob("*.py")}
    assert {"buttons", "handlers", "output", "runtime", "html", "__init__"} <= parts
    assert not (ROOT / "bot" / "telegram.py").exists()
    assert not (ROOT / "bot" / "telegram_html.py").exists()


@pytest.mark.parametrize("path", application_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_only_the_telegram_package_imports_telegram(path: Path) -> None:
    if path.is_relative_to(TELEGRAM_PACKAGE):
        return
    assert "telegram" not in imported_modules(path), (
        f"{path.relative_to(ROOT)} imports telegram: only bot/telegram/ may"
    )


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
