# The two commands of the quick start are `make run` and `make test`; the rest are helpers.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
DEMO_PASSWORD ?= eventsite-demo
export FLASK_APP := wsgi

.PHONY: run test test-tools install install-test translations messages migrate-check clean serve audit bench screenshots

# Install the app (and, for tests, its test tools) into .venv; redone when pyproject.toml changes.
# First, what a fresh machine lacks is said plainly (README, "Before the two commands").
$(BIN)/python:
	@PYTHON='$(PYTHON)' scripts/check_machine.sh run
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# Compiled catalogues (.mo) are build products, not committed.
translations: | $(BIN)/python
	$(BIN)/pybabel compile --statistics -d eventsite/translations

# Re-extract interface strings and merge them into the catalogues (for developers).
messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o eventsite/translations/messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i eventsite/translations/messages.pot -d eventsite/translations --no-fuzzy-matching --ignore-obsolete --width 100

run: install translations
	$(BIN)/flask db upgrade
	$(BIN)/flask demo load --password '$(DEMO_PASSWORD)'
	@echo "eventsite: http://127.0.0.1:$(PORT)  (mail worker running beside it; Ctrl-C stops both)"
	@$(BIN)/flask mail worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/flask run --host 127.0.0.1 --port $(PORT)

# The JavaScript calendar parsers the interoperability tests read our files with (npm registry).
tests/interop/node_modules/.installed: tests/interop/package.json tests/interop/package-lock.json
	@if command -v npm >/dev/null; then \
	  npm ci --prefix tests/interop --no-audit --no-fund --loglevel=error && touch $@; fi

# axe-core, which the browser tests inject into pages to check accessibility.
tests/browser/node_modules/.installed: tests/browser/package.json tests/browser/package-lock.json
	@if command -v npm >/dev/null; then \
	  npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error && touch $@; fi

# The tools the tests use beyond Python (npm, Chromium, CJK fonts): missing ones are named with the
# tests that will skip without them.
test-tools:
	@PYTHON='$(PYTHON)' scripts/check_machine.sh test

# One pytest process per core (at most 4; CI has 2), each with its own PostgreSQL database
# (tests/conftest.py); the slowest tests are the browser and server ones, so the processes steal
# work from each other. `make test TEST_PROCESSES=0` runs in this one process.
TEST_PROCESSES ?= auto
test: test-tools install-test translations tests/interop/node_modules/.installed tests/browser/node_modules/.installed
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n $(TEST_PROCESSES) --maxprocesses 4 --dist worksteal $(PYTEST_ARGS)

# The pictures in docs/screenshots/ (main pages, English and Chinese, 1280 and 375 px), taken in
# Chromium from the demo alliance by tests/browser/test_screenshots.py.
screenshots: test-tools install-test translations tests/browser/node_modules/.installed
	EVENTSITE_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest -q -p no:cacheprovider tests/browser/test_screenshots.py

# Benchmarks against the physical limit (docs/performance.md): needs wrk (Debian package) and
# PostgreSQL; BENCH_DATABASE_URL names a database the bench may empty (default: eventsite_bench on
# 127.0.0.1, created when missing). Writes docs/performance.md and bench/results/latest.json.
$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $@ $(VENV)/.installed $(VENV)/.installed-test

bench: $(VENV)/.installed-bench translations
	@command -v wrk >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get install -y --no-install-recommends wrk; \
	  else echo "bench: wrk is missing; install it with: sudo apt-get install wrk"; exit 1; fi; }
	$(BIN)/python -m bench $(BENCH_ARGS)

# Known vulnerabilities in our dependencies; says so plainly when the databases are unreachable.
audit: install-test
	$(BIN)/python scripts/audit_dependencies.py

# The migrations match the models (CI runs this through the test suite too).
migrate-check: install
	EVENTSITE_INSTANCE=$$(mktemp -d) DATABASE_URL=sqlite:///$$(mktemp -d)/check.sqlite sh -c '$(BIN)/flask db upgrade && $(BIN)/flask db check'

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache tests/interop/node_modules tests/browser/node_modules
