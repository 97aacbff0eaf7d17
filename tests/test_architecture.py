"""The package boundaries of ARCHITECTURE.md, checked on the source: the engine stays pure (no
Telegram, no database, no mail, no asyncio), and only bot/ talks to Telegram."""

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
