# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench soak clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the project's dependencies change.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,lint]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m bot

# Two workers: the suite spends most of its time waiting, so two cores halve it; a worker that
# runs out of tests takes some of the other's, so neither waits on a long tail.
test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist worksteal

lint: $(STAMP)
	$(BIN)/ruff check bot flows storage mail tests bench
	$(BIN)/ruff format --check bot flows storage mail tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

# Every figure of docs/performance.md in one run: answer typing and whole journeys against the
# echo bot, start-up and RSS at 0 and 100,000 nominations, the store's own costs, and each
# export's time and peak memory at 2,000 and 20,000 nominations with the leaderboard's time.
bench: $(STAMP)
	$(BIN)/python bench/telegram_throughput.py
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/storage_bench.py
	$(BIN)/python bench/flood_bench.py
	$(BIN)/python bench/exports_bench.py

# The reliability suites at full size (50 nominators, more faults); `make test` runs them small.
soak: $(STAMP)
	SOAK=1 $(BIN)/python -m pytest tests/reliability -q

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .import_linter_cache .grimp_cache
