# `make run` and `make test` each do all set-up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	bash scripts/walkthrough.sh

lint: $(STAMP)
	$(BIN)/ruff check ledger projections api tests
	$(BIN)/mypy

# The suite on SQLite, then again on PostgreSQL (ANSINH_TEST_DB=postgres).
test: $(STAMP) lint
	$(BIN)/pytest -q -n 2
	ANSINH_TEST_DB=postgres $(BIN)/pytest -q -n 2

clean:
	rm -rf $(VENV) walkthrough
