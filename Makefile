# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Local development: debug pages, SQLite, mail on the console. Mail links
# point at the address the server listens on unless SITE_URL says otherwise.
SITE_ENV := SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)}
DEV_ENV := DEBUG=$${DEBUG:-true} TASKS_BACKEND=$${TASKS_BACKEND:-django_tasks.backends.immediate.ImmediateBackend} $(SITE_ENV)

.PHONY: run serve stack stack-stop test test-fault test-stack lint format install clean

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

install: $(BIN)/.installed

run: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput --verbosity 0
	$(DEV_ENV) $(BIN)/python manage.py load_demo
	$(DEV_ENV) $(BIN)/python manage.py ensure_admin --url http://$(HOST):$(PORT)/admin/
	$(DEV_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# Production settings: gunicorn, the task worker and the scheduler (Procfile,
# run by honcho; Ctrl-C stops all three). The worker and the scheduler start
# again by themselves when the database goes away (keep_running).
# Plain HTTP on loopback, so no TLS redirect; set SECRET_KEY for real use.
serve: install
	SECRET_KEY=$${SECRET_KEY:-local-serve-$$(hostname)-not-for-the-internet} \
	  SECURE_SSL_REDIRECT=$${SECURE_SSL_REDIRECT:-false} SECURE_COOKIES=$${SECURE_COOKIES:-false} \
	  SERVE_MEDIA=$${SERVE_MEDIA:-true} DEBUG=false $(SITE_ENV) BIND=$(HOST):$(PORT) \
	  PATH="$(CURDIR)/$(BIN):$$PATH" sh -c '\
	  python manage.py migrate --noinput && \
	  python manage.py collectstatic --noinput --verbosity 0 && \
	  exec honcho start -f Procfile'

# The production topology, natively (deploy/stack.py): nginx on
# https://127.0.0.1:8443 (HTTP 8080 redirects) in front of 2 gunicorns, the
# task worker and the scheduler, on the machine's PostgreSQL and Redis.
# Runs in the background; `make stack-stop` stops exactly what it started.
stack: install
	$(BIN)/python deploy/stack.py start

stack-stop:
	$(BIN)/python deploy/stack.py stop

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Real PostgreSQL, Redis and `make serve` processes stopped and restarted.
test-fault: install
	$(BIN)/python -m pytest -m fault tests/fault $(PYTEST_ARGS)

# nginx, the app servers and the workers started as make stack does, on a
# PostgreSQL and Redis of their own; an app server and Redis stopped.
test-stack: install
	$(BIN)/python -m pytest -m stack tests/stack $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles
