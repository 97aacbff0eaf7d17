# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the project's dependencies change.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,lint]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m bot

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check bot flows storage mail tests bench
	$(BIN)/ruff format --check bot flows storage mail tests bench
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python bench/storage_bench.py
	$(BIN)/python bench/flood_bench.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
