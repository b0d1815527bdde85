# K-City Network Proposal Portal. `make run` serves it; `make test` checks it. Both set up what they need.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test bench venv migrate seed web worker beat lint messages clean

$(PY):
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
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

# Web, Celery worker and beat side by side; Ctrl-C stops all three.
run: seed
	@echo "Portal: http://127.0.0.1:8000   Health: http://127.0.0.1:8000/healthz   E-mail: var/mail/"
	@trap 'kill 0' INT TERM EXIT; \
	$(VENV)/bin/celery -A kcity worker --loglevel=INFO --concurrency=2 & \
	$(VENV)/bin/celery -A kcity beat --loglevel=INFO & \
	$(PY) manage.py runserver 127.0.0.1:8000 --noreload & \
	wait

lint: venv
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check

test: lint
	@mkdir -p var
	$(VENV)/bin/pytest $(PYTEST_ARGS)

bench: migrate
	$(PY) -m bench.run

messages: venv
	$(PY) manage.py makemessages -l ko --ignore=.venv --ignore=var
	$(PY) manage.py makemessages -d djangojs -l ko --ignore=.venv --ignore=var --ignore=static/vendor
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf var/broker var/mail
