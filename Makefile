# Two entry points (see README): `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: demo test install install-test lint lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"

install: $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e ".[test]"

demo: install
	$(BIN)/onrecord demo

test: install-test
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/mypy

lock:
	rm -rf /tmp/onrecord-lock && $(PYTHON) -m venv /tmp/onrecord-lock
	/tmp/onrecord-lock/bin/pip install --quiet ".[test]"
	/tmp/onrecord-lock/bin/pip freeze --exclude onrecord > constraints.txt

clean:
	rm -rf $(VENV) build *.egg-info
