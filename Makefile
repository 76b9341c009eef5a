# Two commands on a fresh machine: `make run` (the app with demo data) and `make test` (the suite).
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
UV_VERSION := 0.13.9
PO_FILES := $(wildcard locale/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)
HOST ?= 127.0.0.1
PORT ?= 8000

# The first interpreter that is Python 3.12 or newer (Django 6.1 needs it).
BOOT_PYTHON = $(shell for p in python3.13 python3.12 python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; \
	then command -v $$p; break; fi; done)

export UV_PROJECT_ENVIRONMENT := $(abspath $(VENV))
export UV_NO_PROGRESS := 1

.PHONY: help run serve test test-postgres check-deploy load messages makemessages chromium clean

help:
	@echo "make run    - set everything up and serve the demo on http://$(HOST):$(PORT), with its worker"
	@echo "make test   - set everything up and run the whole test suite"
	@echo "make serve  - production: migrate, collect static files, gunicorn + the worker (README, Deployment)"
	@echo "make load   - the load test against gunicorn + PostgreSQL (README, Load test)"

$(UV):
	@if [ -z "$(BOOT_PYTHON)" ]; then \
		echo "Casework needs Python 3.12 or newer (python3.12 / python3.13 on PATH, or pyenv)." >&2; exit 1; fi
	$(BOOT_PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.app-installed: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --inexact --no-dev
	@touch $@

$(VENV)/.test-installed: $(VENV)/.app-installed
	$(UV) sync --frozen --inexact --group test
	@touch $@

# Catalogs are compiled from the committed .po files, never committed as binaries.
%.mo: %.po
	@command -v msgfmt >/dev/null || { echo "Installing gettext (msgfmt)"; apt-get update -qq && apt-get install -y -qq gettext >/dev/null; }
	msgfmt --check -o $@ $<

messages: $(MO_FILES)

makemessages: $(VENV)/.app-installed
	DEBUG=true $(PY) manage.py makemessages --locale lv --ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*' --ignore 'benchmarks/*' --no-obsolete --no-location --no-wrap

chromium:
	@command -v chromium >/dev/null || { echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

run: $(VENV)/.app-installed messages
	DEBUG=true $(PY) manage.py migrate --no-input
	DEBUG=true $(PY) manage.py load_demo --if-empty
	@echo "Serving Casework on http://$(HOST):$(PORT)/ with its worker beside it (Ctrl+C stops both)"
	@export CASEWORK_BASE_URL=$${CASEWORK_BASE_URL:-http://$(HOST):$(PORT)}; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=true $(PY) manage.py worker & worker=$$!; \
	DEBUG=true $(PY) manage.py runserver $(HOST):$(PORT)

# Production on one machine: the environment (README, "Deployment") must name a PostgreSQL database
# (DATABASE_URL), SECRET_KEY and ALLOWED_HOSTS; tasks go to the database queue for the worker.
serve: $(VENV)/.app-installed messages
	@[ -n "$$DATABASE_URL" ] || { echo "make serve needs DATABASE_URL=postgres://... (and SECRET_KEY, ALLOWED_HOSTS; README, Deployment)" >&2; exit 1; }
	@export TASKS_BACKEND=$${TASKS_BACKEND:-database} DEBUG=false; \
	$(PY) manage.py migrate --no-input && \
	$(PY) manage.py collectstatic --no-input --verbosity 0 && \
	echo "Serving Casework with gunicorn on $${BIND:-127.0.0.1:8000} and the worker beside it (Ctrl+C stops both)" && \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py worker & worker=$$!; \
	$(VENV)/bin/gunicorn --config deploy/gunicorn.conf.py casework.wsgi

test: $(VENV)/.test-installed messages chromium
	DEBUG=true DJANGO_ALLOW_ASYNC_UNSAFE=true $(VENV)/bin/pytest $(PYTEST_ARGS)

# CI's second pass: the same suite against the PostgreSQL server on this machine.
test-postgres: $(VENV)/.test-installed messages chromium
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/casework} \
		DEBUG=true DJANGO_ALLOW_ASYNC_UNSAFE=true $(VENV)/bin/pytest $(PYTEST_ARGS)

# The production settings must pass Django's deployment checklist without a single warning.
check-deploy: $(VENV)/.app-installed
	env -u DJANGO_ALLOW_ASYNC_UNSAFE DEBUG=false SECRET_KEY=$$(openssl rand -hex 32) ALLOWED_HOSTS=casework.example.com \
		SMTP_HOST=smtp.example.com CASEWORK_VAR_DIR=$$(mktemp -d) \
		$(PY) manage.py check --deploy --fail-level WARNING

# 100,000 cases, 50 staff and a survey tool against gunicorn + PostgreSQL (README, "Load test").
load: $(VENV)/.test-installed messages
	$(PY) benchmarks/load.py $(LOAD_ARGS)

clean:
	rm -rf $(VENV) var $(MO_FILES)
