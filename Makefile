# The commands people need; each is described in README.md.
VENV := .venv
PYTHON ?= python3
STAMP := $(VENV)/.installed

.PHONY: install run test test-unit lint bench clean test-tools

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

# Tools the tests use from Debian: docker-compose checks deploy/docker-compose.yml offline (no
# Docker engine needed); exiftool reads cleaned media as a second, independent reader; promtool
# checks the Prometheus configuration and the dashboard's queries.
TEST_TOOLS := docker-compose:docker-compose exiftool:libimage-exiftool-perl promtool:prometheus

test-tools:
	@missing=""; for tool in $(TEST_TOOLS); do \
	  command -v $${tool%%:*} >/dev/null || missing="$$missing $${tool#*:}"; done; \
	[ -z "$$missing" ] || { command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] \
	  && apt-get update -q && apt-get install -y -q --no-install-recommends $$missing; } \
	|| { echo "install:$$missing (Debian: apt-get install$$missing)"; exit 1; }

# Markers are given by tests/conftest.py (path and fixtures): unit, integration, e2e, browser.
# Browser tests run in a pytest invocation of their own, so `test` leaves them out.
test: lint test-tools
	PSYCOPG_WAIT_FUNC=wait_select $(VENV)/bin/pytest -m "not browser"

test-unit: $(STAMP)
	PSYCOPG_WAIT_FUNC=wait_select $(VENV)/bin/pytest -m unit -q

bench: $(STAMP)
	PSYCOPG_WAIT_FUNC=wait_select $(VENV)/bin/python -m bench.baseline

clean:
	rm -rf $(VENV)
