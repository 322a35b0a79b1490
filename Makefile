# Two entry points for a newcomer: `make run` and `make test`. Both go through `make install`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test

.PHONY: install install-test run test lint fuzz bench soak clean icons translations install-desktop uninstall-desktop

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

# Long property-based runs (about 10,600 random graphs and 1,200 project files; minutes).
# `make test` runs a bounded slice of the same tests (tests/core/fuzz_budget.py).
fuzz: install-test
	NETZWERKSTATT_FUZZ=1 OMP_NUM_THREADS=1 QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q \
		-p no:cacheprovider --hypothesis-show-statistics \
		tests/core/test_graph_fuzz.py tests/core/test_project_fuzz.py

bench: install
	$(BIN)/netzwerkstatt bench

# Not in CI: trains for NETZWERKSTATT_SOAK_MINUTES (default 30) with every view open and prints
# RSS, GPU memory and GUI latency growth as JSON (NETZWERKSTATT_SOAK_OUT=file.json keeps samples).
soak: install
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m widgets.soak

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

# Desktop launcher and icon for the current user (freedesktop: menus, docks, taskbars). The
# launcher starts this checkout's $(BIN)/netzwerkstatt; running it again just refreshes the files.
DATA_HOME  ?= $(or $(XDG_DATA_HOME),$(HOME)/.local/share)
APPS_DIR   := $(DATA_HOME)/applications
ICONS_DIR  := $(DATA_HOME)/icons/hicolor
ICON_SIZES := 16 22 24 32 48 64 128 256
LAUNCHER   := $(abspath $(BIN))/netzwerkstatt

icons: install
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m widgets.app_main

# German UI (docs/INTERFACES.md, "Translations"): collect the tr() texts of app/ and widgets/
# into the .ts (new ones come in unfinished: translate them in pyside6-linguist), then compile it.
TS := resources/translations/netzwerkstatt_de.ts
translations: install
	$(BIN)/pyside6-lupdate $$(find app widgets -name '*.py' | sort) -no-obsolete -locations none \
		-source-language en -target-language de -ts $(TS)
	$(BIN)/pyside6-lrelease $(TS) -qm $(TS:.ts=.qm)

install-desktop:
	@test -x $(LAUNCHER) || echo "note: $(LAUNCHER) does not exist yet; run 'make install' first"
	@mkdir -p $(APPS_DIR) $(ICONS_DIR)/scalable/apps
	sed -e 's|^Exec=netzwerkstatt |Exec="$(LAUNCHER)" |' -e 's|^TryExec=.*|TryExec=$(LAUNCHER)|' \
	    resources/netzwerkstatt.desktop > $(APPS_DIR)/netzwerkstatt.desktop
	install -m 644 resources/icons/netzwerkstatt.svg $(ICONS_DIR)/scalable/apps/netzwerkstatt.svg
	@for n in $(ICON_SIZES); do \
	    install -D -m 644 resources/icons/png/netzwerkstatt-$$n.png \
	        $(ICONS_DIR)/$${n}x$${n}/apps/netzwerkstatt.png || exit 1; done
	@if command -v update-desktop-database >/dev/null; then update-desktop-database $(APPS_DIR); fi
	@if command -v gtk-update-icon-cache >/dev/null && test -f $(ICONS_DIR)/index.theme; then \
	    gtk-update-icon-cache -q $(ICONS_DIR); fi
	@echo "installed $(APPS_DIR)/netzwerkstatt.desktop (starts $(LAUNCHER))"

uninstall-desktop:
	rm -f $(APPS_DIR)/netzwerkstatt.desktop $(ICONS_DIR)/scalable/apps/netzwerkstatt.svg
	@for n in $(ICON_SIZES); do rm -f $(ICONS_DIR)/$${n}x$${n}/apps/netzwerkstatt.png; done
	@echo "removed the Netzwerkstatt launcher and icons from $(DATA_HOME)"
