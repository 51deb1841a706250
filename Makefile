# Pesanan Lancar — every command a developer or CI needs.
# `make run` serves the wizard on SQLite; `make test` runs every test.

PYTHON_VERSION := $(shell cat .python-version)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint check install migrate loadflow messages clean node lighthouse screenshots css

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

# Node packages (package.json; no lock file is kept): axe-core for the browser tests,
# and for `make node` also Lighthouse and PurgeCSS.
AXE := node_modules/axe-core/axe.min.js
NPM_INSTALL := npm install --no-package-lock --no-audit --no-fund --loglevel=error

$(AXE): package.json
	$(NPM_INSTALL) --omit=dev
	touch $(AXE)

node: $(AXE)
	$(NPM_INSTALL)

## Every test, the browser tests (tests/e2e) in Debian's Chromium among them; without
## Chromium (apt-get install chromium) a developer's run skips those and says why.
test: install $(if $(shell command -v npm 2>/dev/null),$(AXE))
	$(PY) -m pytest

## Lighthouse (mobile) scores of the landing page, a question and a solution, served
## as in production (scripts/lighthouse.py).
lighthouse: install node
	$(PY) scripts/lighthouse.py

## PNGs of every page type, phone and desktop, both languages, into screenshots/.
screenshots: install
	$(PY) scripts/screenshots.py

## Rebuild static/css/bootstrap-subset.css after using a Bootstrap class for the first time.
css: install node
	node scripts/css_subset.mjs

## Linters and Django's own checks.
lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

## Recompile translations after editing locale/*/LC_MESSAGES/django.po.
messages: install
	$(PY) manage.py makemessages --locale id --no-obsolete --no-location \
	  --ignore 'staticfiles/*' --ignore 'node_modules/*'
	$(PY) manage.py compilemessages

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 db.sqlite3-* node_modules screenshots
