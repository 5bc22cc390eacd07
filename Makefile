# `make run` and `make test` each do all set-up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

DEMO := demo-ledger

.PHONY: run walkthrough test lint install browser clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

# Chromium for the browser tests (tests/browser) and LibreOffice for the printed
# reports (tests/api/sheets/test_printed.py), installed when missing.
browser:
	bash scripts/ensure-chromium.sh
	bash scripts/ensure-libreoffice.sh

# The Chiềng En demo ledger (January 2022 - December 2024): built once, then kept (delete
# demo-ledger/ to build it again); its audit bundle exported and verified
# offline; then served on http://127.0.0.1:8000 until Ctrl-C (make run
# PUBLIC_URL=https://... prints that address in the notices' QR codes).
run: $(STAMP)
	@if [ -e $(DEMO)/ansinh.db ]; then \
		echo "keeping the demo ledger in $(DEMO)/ (delete it to build it again)"; \
	else \
		rm -rf $(DEMO) && mkdir -p $(DEMO) && \
		$(BIN)/ansinh demo --db $(DEMO)/ansinh.db --keys $(DEMO)/keys; \
	fi
	rm -f $(DEMO)/bundle.tar
	$(BIN)/ansinh export $(DEMO)/bundle.tar --db $(DEMO)/ansinh.db \
		--notary-key $(DEMO)/keys/notary.key
	$(BIN)/ansinh verify $(DEMO)/bundle.tar --authority "$$($(BIN)/python -c \
		'import json; print(json.load(open("$(DEMO)/keys/authority.pub"))["id"])')"
	$(BIN)/ansinh serve --db $(DEMO)/ansinh.db --host 127.0.0.1 --port 8000 \
		--vault-key $(DEMO)/keys/vault.key --notary-key $(DEMO)/keys/notary.key \
		$$([ -e $(DEMO)/keys/intake.key ] && echo --intake-key $(DEMO)/keys/intake.key) \
		$(if $(PUBLIC_URL),--public-url $(PUBLIC_URL))

# A small ledger built step by step with the command line.
walkthrough: $(STAMP)
	bash scripts/walkthrough.sh

lint: $(STAMP)
	$(BIN)/ruff check ledger projections api tests
	$(BIN)/ruff format --check ledger projections api tests
	$(BIN)/mypy

# The suite on SQLite, then again on PostgreSQL (ANSINH_TEST_DB=postgres).
test: $(STAMP) lint browser
	$(BIN)/pytest -q -n 2
	ANSINH_TEST_DB=postgres $(BIN)/pytest -q -n 2

clean:
	rm -rf $(VENV) walkthrough $(DEMO)
