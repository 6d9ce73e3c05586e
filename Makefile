# Peer Support Hub. Two commands on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell scripts/find-python)
VENV := .venv
BIN := $(VENV)/bin
PEERHUB := $(BIN)/peerhub
HOST ?= 127.0.0.1
PORT ?= 8000
# PostgreSQL for the second test run; CI=true makes it compulsory.
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test
# Settings for the local development server (never used in production).
DEV_ENV := DEBUG=true DATABASE_URL=$${DATABASE_URL:-sqlite:///var/peerhub.sqlite3}

.PHONY: run test install lint test-sqlite test-postgres test-browser clean bench

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "No Python 3.12+ found"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

build/static/peerhub/nhsuk.css: node_modules/.installed $(wildcard peerhub/core/scss/*.scss)
	npm run -s build:css

install: $(VENV)/.installed node_modules/.installed build/static/peerhub/nhsuk.css

var:
	mkdir -p var

run: install var
	$(DEV_ENV) $(PEERHUB) migrate --noinput
	$(DEV_ENV) $(PEERHUB) load_demo
	@echo ""
	@echo "Peer Support Hub is starting on http://$(HOST):$(PORT)/"
	@echo "Sign in as the demo curator: curator@example.org / peer-support-demo"
	@echo ""
	@echo "Background jobs: the django-tasks-db worker and the freshness scheduler run alongside (stopped with the server)."
	$(DEV_ENV) $(PEERHUB) db_worker & worker=$$!; \
	$(DEV_ENV) $(PEERHUB) run_scheduled_harvests --every 3600 & scheduler=$$!; \
	trap 'kill $$worker $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(DEV_ENV) $(PEERHUB) runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .

test: install lint test-sqlite test-postgres

test-sqlite: install
	$(BIN)/pytest -q

test-postgres: install
	@if $(BIN)/python scripts/wait-for-postgres.py "$(TEST_POSTGRES_URL)"; then \
		DATABASE_URL="$(TEST_POSTGRES_URL)" $(BIN)/pytest -q; \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL is not reachable at $(TEST_POSTGRES_URL) and CI=true: the PostgreSQL run is compulsory."; exit 1; \
	else \
		echo "SKIPPED: PostgreSQL test run (no server at $(TEST_POSTGRES_URL)). Start one with: pg_ctlcluster --skip-systemctl-redirect 15 main start"; \
	fi

clean:
	rm -rf $(VENV) node_modules var
