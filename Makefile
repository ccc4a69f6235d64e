# Two commands: `make run` (validate and show what the kast holds) and `make test` (every test).
# Both create the virtual environment and install what they need on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test install clean

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

test: $(STAMP)
	$(BIN)/pytest

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
