# Trí Thức — the commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-pg test-browser screenshots ci bench lint setup migrate lock clean messages

# ---- set-up -------------------------------------------------------------------------------
$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(VENV)/.installed node_modules/.installed
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0 2>/dev/null || true

migrate: setup
	$(PY) manage.py migrate --no-input -v 0

# ---- the two commands ---------------------------------------------------------------------
run: migrate
	$(PY) manage.py seed_demo --if-empty --people 5000 --print-accounts
	@echo "Trí Thức: http://$(HOST):$(PORT)/  (Ctrl+C để dừng)"
	@trap 'kill 0' EXIT INT TERM; \
	$(PY) manage.py db_worker --no-reload --queue-name '*' & \
	$(PY) manage.py run_scheduler & \
	$(PY) manage.py runserver --noreload $(HOST):$(PORT)

test: setup
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/pytest -m "not browser" -n 2 -q

# The suite on a throwaway PostgreSQL cluster (needs Debian's postgresql package).
test-pg: setup
	scripts/postgres-test.sh $(VENV)/bin/pytest -m "not browser" -n 2 -q

test-browser: setup
	$(VENV)/bin/pytest -m browser -q -p no:xdist

# Refresh docs/img/screenshot-home.png (the README's picture).
screenshots: setup
	TRITHUC_UPDATE_SCREENSHOTS=1 $(VENV)/bin/pytest -m browser -q -p no:xdist tests/browser/test_layout.py

# What CI runs: make test, the suite on PostgreSQL, the browser tests.
ci:
	bash .ci/run

bench: migrate
	$(PY) -m bench

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

messages: setup
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=node_modules --ignore=tests --ignore=bench
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules

lock:
	$(PIP) install -r requirements.in
	$(PIP) freeze --exclude-editable > requirements.txt

clean:
	rm -rf $(VENV) node_modules db.sqlite3* staticfiles test-results
