# The commands people need; each is described in README.md.
VENV := .venv
PYTHON ?= python3
STAMP := $(VENV)/.installed

.PHONY: install run test lint bench clean compose-checker

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

# docker-compose checks deploy/docker-compose.yml offline; no Docker engine is needed.
compose-checker:
	@command -v docker-compose >/dev/null || { \
	  command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] \
	  && apt-get update -q && apt-get install -y -q --no-install-recommends docker-compose; } \
	|| { echo "install docker-compose (Debian: apt-get install docker-compose)"; exit 1; }

test: lint compose-checker
	PSYCOPG_WAIT_FUNC=wait_select $(VENV)/bin/pytest

bench: $(STAMP)
	PSYCOPG_WAIT_FUNC=wait_select $(VENV)/bin/python -m bench.baseline

clean:
	rm -rf $(VENV)
