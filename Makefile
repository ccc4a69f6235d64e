# Two commands: `make run` (validate, show what the kast holds, and serve the site) and `make test`
# (every test). Both create the virtual environment and install what they need on first use.
# `make serve` validates and serves on $(HOST):$(PORT); `kast serve` builds the search index from the graph
# it has loaded when the index is missing or stale.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run serve test install clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11 of nieuwer is nodig") if sys.version_info < (3, 11) else None'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/kast validate
	$(BIN)/kast stats
	$(BIN)/kast serve --host $(HOST) --port $(PORT)

serve: $(STAMP)
	$(BIN)/kast validate
	$(BIN)/kast serve --host $(HOST) --port $(PORT)

test: $(STAMP)
	bash scripts/install-browser.sh $(VENV)   # chromium for the browser tests, when missing
	bash scripts/install-node-tools.sh        # OIDC provider and API linter for the tests, when missing
	$(BIN)/pytest

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
