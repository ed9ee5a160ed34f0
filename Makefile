# The only commands anyone needs: make demo, make test, make lint, make bench.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/amo

export AMO_DEBUG ?= 1
export SITE_URL ?= http://$(HOST):$(PORT)
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: demo production test test-postgres test-dates test-browser lint format bench messages migrate clean help

help:
	@echo "make demo           run the platform with demo data on http://$(HOST):$(PORT)"
	@echo "make production     run it in production mode locally for a check (gunicorn, worker, static files)"
	@echo "make test           run the tests (SQLite; browser tests need Debian's chromium)"
	@echo "make test-postgres  run the tests on PostgreSQL ($(PG_URL))"
	@echo "make test-dates     run the tests with the clock on $(TEST_DATES) (no browser)"
	@echo "make lint           ruff, mypy, the apps' layers, translations complete"
	@echo "make bench          run the benchmarks against PostgreSQL (BENCH=season: only that one)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements/lock.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements/lock.txt
	@touch $@

messages: $(VENV)/.installed
	@$(BIN)/python manage.py compile_translations

migrate: $(VENV)/.installed
	@$(BIN)/python manage.py migrate --no-input -v0

demo: messages migrate
	@# The PDFs need system libraries and fonts: say which are missing before loading anything.
	@$(BIN)/python manage.py check --tag documents --fail-level WARNING || { \
	  echo "make demo: install the packages named above (hint), then run make demo again."; exit 1; }
	@$(BIN)/python manage.py load_demo
	@echo "Starting the web server on http://$(HOST):$(PORT)/ and the task worker (Ctrl-C stops both)."
	@trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/python manage.py db_worker --interval 1 --no-reload & worker=$$!; \
	  $(BIN)/python manage.py runserver $(HOST):$(PORT) --noreload

# Production mode on this machine, for a check (deploy/local-production.sh says what is relaxed).
production: messages
	@HOST=$(HOST) PORT=$(PORT) BIN=$(BIN) deploy/local-production.sh

test: messages
	$(BIN)/python -m pytest -n 2 -q $(PYTEST_ARGS)

test-postgres: messages
	DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest -n 2 -q $(PYTEST_ARGS)

# The suite with the clock moved (conftest.py, AMO_TEST_TODAY) to the days calendars get wrong: the
# last 29 February of the regime, and the last and first days of academic years 2025-2026 / 2026-2027.
# The browser and schemathesis tests are left to make test (they read no date the others do not).
TEST_DATES ?= 2024-02-29 2026-08-31 2026-09-01
test-dates: messages
	@status=0; for day in $(TEST_DATES); do \
	  echo "== the clock on $$day"; \
	  AMO_TEST_TODAY=$$day $(BIN)/python -m pytest -n 2 -q -m "not browser and not schemathesis" $(PYTEST_ARGS) || status=1; \
	done; exit $$status

lint: messages
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy amo config
	@# The layers of the apps (docs/architecture.md): no app imports one above it.
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run -v0
	@# Extract the messages again (restoring the catalogues afterwards); fail on any untranslated one.
	@tmp=$$(mktemp -d) && cp -r locale $$tmp/ && \
	  $(BIN)/python manage.py makemessages -l fr -l ar --no-location --no-obsolete -i ".venv/*" -i "benchmarks/*" -v0 && \
	  $(BIN)/python manage.py compile_translations --check; status=$$?; \
	  rm -rf locale && mv $$tmp/locale locale && rm -rf $$tmp; \
	  $(BIN)/python manage.py compile_translations >/dev/null; exit $$status

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Extract new messages into locale/fr and locale/ar (then translate them).
makemessages: $(VENV)/.installed
	$(BIN)/python manage.py makemessages -l fr -l ar --no-location --no-obsolete -i ".venv/*" -i "benchmarks/*"

bench: messages
	@command -v wrk >/dev/null || { echo "make bench needs wrk for its HTTP figures: sudo apt-get install wrk"; exit 1; }
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(BIN)/python benchmarks/run.py $(BENCH)

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* var
