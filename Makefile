# K-City Network Proposal Portal. `make run` serves it; `make test` checks it; `make bench` measures it.
# Each target sets up what it needs: the virtualenv (pinned requirements), the var/ folders, the database.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-embedded bench venv migrate seed lint messages clean production-shape

$(PY):
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found; set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

venv: $(STAMP)

migrate: venv
	@mkdir -p var/mail var/broker/queue var/broker/processed var/private
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

# Links in e-mails point at the port actually served (unless SITE_URL is set).
run: export SITE_URL ?= http://$(HOST):$(PORT)

# Web, Celery worker and beat side by side (kcity/supervise.py): a worker or beat that dies is restarted, so one
# crash does not take the portal down. Ctrl-C stops all three.
run: seed
	@echo
	@echo "Portal:      http://$(HOST):$(PORT)/"
	@echo "Sign in:     http://$(HOST):$(PORT)/accounts/login/   (demo accounts above)"
	@echo "Back office: http://$(HOST):$(PORT)/admin/"
	@echo "API docs:    http://$(HOST):$(PORT)/api/docs/"
	@echo "Health:      http://$(HOST):$(PORT)/healthz"
	@echo "E-mails:     var/mail/ (one file per message)"
	@echo "Press Ctrl-C to stop web, worker and beat."
	@echo
	@exec $(PY) -m kcity.supervise --web $(HOST):$(PORT)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check

test: lint
	@mkdir -p var
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# The whole suite again on the embedded default, SQLite, which `make run` serves, but for the tests that need
# PostgreSQL, Redis or a browser: CI runs `make test` on PostgreSQL, and statements SQLite cannot run (a LIMIT
# inside a UNION, a number past 64 bits in SQL compiled once) answered 500 only there. About 3 minutes.
test-embedded: venv
	@mkdir -p var
	env -u DATABASE_URL -u REDIS_URL -u KCITY_NO_SKIP $(VENV)/bin/pytest -q -n 2 -m "not postgres and not redis and not e2e" tests

# What CI adds to `make test`: a production install from requirements.txt alone, run as production runs it
# (gunicorn with DEBUG off, worker, beat on PostgreSQL and Redis). Needs DATABASE_URL's server and REDIS_URL.
production-shape:
	.ci/production-shape

# Builds the 10,000-proposal dataset (and a 200-proposal one) in throwaway databases on DATABASE_URL's server
# (SQLite files when unset), serves each with gunicorn, DEBUG off, and loads every page beside a bare view; prints
# the table and writes bench/results/latest.json (see bench/run.py). E.g. BENCH_ARGS="--proposals 1000 --rounds 1".
bench: venv
	$(PY) -m bench.run $(BENCH_ARGS)

# Every language of settings.LANGUAGES but the source language (English) gets both catalogues: adding a language
# is its line in settings and its translations, nothing here.
TRANSLATED_LANGUAGES = $(shell $(PY) locale/check_complete.py --print-languages 2>/dev/null)

messages: venv
	@test -n "$(TRANSLATED_LANGUAGES)" || { echo "could not read settings.LANGUAGES"; exit 1; }
	$(PY) manage.py makemessages $(addprefix -l ,$(TRANSLATED_LANGUAGES)) --ignore=.venv --ignore=var
	$(PY) manage.py makemessages -d djangojs $(addprefix -l ,$(TRANSLATED_LANGUAGES)) --ignore=.venv --ignore=var --ignore=static/vendor
	$(PY) locale/check_complete.py --languages $(TRANSLATED_LANGUAGES)
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf var/broker var/mail
