"""Shared fixtures for the engine tests: the shipped form and the tiny test form."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.form import Form, load_form

FORMS_DIR = Path(__file__).resolve().parent.parent / "forms"
TINY_FORM = FORMS_DIR / "tiny.toml"
SEED_FORM = FORMS_DIR / "seed_form.txt"


@pytest.fixture(scope="session")
def form() -> Form:
    return load_form()


@pytest.fixture(scope="session")
def tiny_form() -> Form:
    return load_form(TINY_FORM)
