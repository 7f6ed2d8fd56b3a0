# The commands people need; each is described in README.md.
VENV := .venv
PYTHON ?= python3
STAMP := $(VENV)/.installed

.PHONY: install run test lint bench clean

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade 'pip' 'setuptools<82'
	$(VENV)/bin/pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/valmennus run-local

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: lint
	PSYCOPG_WAIT_FUNC=wait_select $(VENV)/bin/pytest

bench: $(STAMP)
	PSYCOPG_WAIT_FUNC=wait_select $(VENV)/bin/python -m bench.baseline

clean:
	rm -rf $(VENV)
