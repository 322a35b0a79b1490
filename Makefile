# Two entry points for a newcomer: `make run` and `make test`. Both go through `make install`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test

.PHONY: install install-test run test lint bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(STAMP)

install-test: $(TSTAMP)

$(TSTAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(TSTAMP)

run: install
	$(BIN)/netzwerkstatt gui

lint: install-test
	$(BIN)/ruff check app widgets tests
	$(BIN)/lint-imports

test: lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

bench: install
	$(BIN)/netzwerkstatt bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
