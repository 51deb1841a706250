# Pesanan Lancar — every command a developer or CI needs.
# `make run` serves the wizard on SQLite; `make test` runs every test.

PYTHON_VERSION := $(shell cat .python-version)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint check install migrate loadflow messages clean

$(PY):
	@python$(PYTHON_VERSION) --version >/dev/null 2>&1 || { \
	  echo "Python $(PYTHON_VERSION) is needed (see .python-version)."; exit 1; }
	python$(PYTHON_VERSION) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --verbosity 0

loadflow: migrate
	$(PY) manage.py loadflow

## Serve the wizard on http://127.0.0.1:8000 (SQLite, flow loaded, DEBUG on).
run: loadflow
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

## Every test.
test: install
	$(PY) -m pytest

## Linters and Django's own checks.
lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

## Recompile translations after editing locale/*/LC_MESSAGES/django.po.
messages: install
	$(PY) manage.py makemessages --locale id --no-obsolete --no-location
	$(PY) manage.py compilemessages

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 db.sqlite3-*
