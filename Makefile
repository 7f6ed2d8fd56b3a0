# The commands people need; each is described in README.md.
VENV := .venv
PYTHON ?= python3
STAMP := $(VENV)/.installed

.PHONY: install run test test-unit test-browser lint bench clean test-tools

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
# checks the Prometheus configuration and the dashboard's queries; the browser tests drive
# Debian's Chromium (Playwright cannot download its own here), chromedriver for Selenium.
TEST_TOOLS := docker-compose:docker-compose exiftool:libimage-exiftool-perl promtool:prometheus \
	chromium:chromium chromedriver:chromium-driver

test-tools:
	@missing=""; for tool in $(TEST_TOOLS); do \
	  command -v $${tool%%:*} >/dev/null || missing="$$missing $${tool#*:}"; done; \
	[ -z "$$missing" ] || { command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] \
	  && apt-get update -q && apt-get install -y -q --no-install-recommends $$missing; } \
	|| { echo "install:$$missing (Debian: apt-get install$$missing)"; exit 1; }

# Markers are given by tests/conftest.py (path and fixtures): unit, integration, e2e; browser
# by tests/browser/conftest.py. The browser tests run in a pytest invocation of their own, which
# must not be monkey-patched by eventlet: tests/browser/pytest.ini makes it one.
test: lint test-tools
	PSYCOPG_WAIT_FUNC=wait_select $(VENV)/bin/pytest -m "not browser"
	$(VENV)/bin/pytest tests/browser

test-browser: $(STAMP) test-tools
	$(VENV)/bin/pytest tests/browser

test-unit: $(STAMP)
	PSYCOPG_WAIT_FUNC=wait_select $(VENV)/bin/pytest -m unit -q

bench: $(STAMP)
	PSYCOPG_WAIT_FUNC=wait_select $(VENV)/bin/python -m bench.baseline

clean:
	rm -rf $(VENV)
