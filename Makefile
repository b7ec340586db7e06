# Quick start: `make run` (set up, index corpus/, start the bot or the console chat)
# and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test setup index bot chat lint clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

index: $(STAMP)
	$(BIN)/vankien index

run: index
	$(BIN)/vankien run

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check index bot scripts tests
	$(BIN)/mypy index bot

clean:
	rm -rf var
