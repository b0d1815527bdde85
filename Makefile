# K-City Network Proposal Portal. `make run` serves it; `make test` checks it; `make bench` measures it.
# Each target sets up what it needs: the virtualenv (pinned requirements), the var/ folders, the database.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test bench venv migrate seed lint messages clean

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

# Web, Celery worker and beat side by side. Ctrl-C (or any one of them stopping) stops all three.
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
	@trap 'trap - INT TERM; echo; echo "Stopping web, worker and beat..."; kill -TERM $$pids 2>/dev/null; wait; exit 0' INT TERM; \
	$(VENV)/bin/celery -A kcity worker --loglevel=INFO --concurrency=2 & pids="$$!"; \
	$(VENV)/bin/celery -A kcity beat --loglevel=INFO & pids="$$pids $$!"; \
	$(PY) manage.py runserver $(HOST):$(PORT) --noreload & pids="$$pids $$!"; \
	wait -n; status=$$?; \
	trap - INT TERM; echo "One of web, worker or beat stopped (exit $$status): stopping the others."; \
	kill -TERM $$pids 2>/dev/null; wait; exit $$status

lint: venv
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check

test: lint
	@mkdir -p var
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# Seeds N proposals into a throwaway database and times the main pages (see bench/run.py).
bench: venv
	$(PY) -m bench.run $(BENCH_ARGS)

messages: venv
	$(PY) manage.py makemessages -l ko --ignore=.venv --ignore=var
	$(PY) manage.py makemessages -d djangojs -l ko --ignore=.venv --ignore=var --ignore=static/vendor
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf var/broker var/mail
