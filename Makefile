# noc-console — the two commands in the README are `make demo` and `make test`.
# Each creates ./.venv on first use and installs the pinned versions in constraints.txt.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check --quiet
PIN    := -c constraints.txt
# The suite runs on pytest-xdist workers, one more than the cores (at most three): its tests
# wait about a third of the time (Pilot frames, loopback servers), so a spare worker keeps the
# cores busy (on 2 cores: 168 s with two workers, 132-138 s with three). Idle workers take
# queued tests from busy ones. `make test PYTEST_ARGS=` runs it in one process, which syrupy
# needs to find (and with --snapshot-update delete) snapshots no test uses any more.
WORKERS ?= $(shell $(PYTHON) -c 'import os; print(min(3, (os.cpu_count() or 1) + 1))')
PYTEST_ARGS ?= -n $(WORKERS) --dist worksteal

.PHONY: demo test lint fmt screenshots browser-screenshots bench clean

demo: $(VENV)/.run-installed
	$(BIN)/noc-console demo

test: $(VENV)/.dev-installed
	$(MAKE) --no-print-directory lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check tui tests
	$(BIN)/ruff format --check tui tests
	$(BIN)/mypy
	$(BIN)/lint-imports

fmt: $(VENV)/.dev-installed
	$(BIN)/ruff format tui tests
	$(BIN)/ruff check --fix tui tests

screenshots: $(VENV)/.run-installed
	$(BIN)/noc-console screenshots --out screenshots

# `noc-console serve --demo` in headless chromium (Debian's; never a downloaded browser).
browser-screenshots: $(VENV)/.dev-installed
	$(BIN)/python -m tests.browser.shoot

bench: $(VENV)/.dev-installed
	$(BIN)/python tests/bench/startup.py

$(BIN)/python:
	@$(PYTHON) -c 'import sys; v = sys.version_info; sys.exit(0 if v >= (3, 11) else f"noc-console needs Python 3.11 or newer; {sys.executable} is {v.major}.{v.minor}. Try: make PYTHON=python3.12 ...")'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.run-installed: $(BIN)/python pyproject.toml constraints.txt
	$(PIP) install $(PIN) -e .
	@touch $@

$(VENV)/.dev-installed: $(BIN)/python pyproject.toml constraints.txt
	$(PIP) install $(PIN) -e '.[dev]'
	@touch $@ $(VENV)/.run-installed

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache .import_linter_cache
