# Pesanan Lancar — every command a developer or CI needs.
# `make run` serves the wizard on SQLite; `make test` runs every test.

PYTHON_VERSION := $(shell cat .python-version)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-fast test-bench lint check install migrate loadflow messages clean node \
  lighthouse screenshots css serve bench bench-sampled soak backup restore soak-nginx \
  port-free demo-staff system-packages translations seller-timing

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

## Serve the wizard on http://127.0.0.1:$(PORT) (`make run PORT=8001`; SQLite, flow
## loaded, DEBUG on), with a staff account in both roles (demo / $(DEMO_PASSWORD)) and the
## background worker that sends support's notifications (printed to the console here).
PORT ?= 8000
DEMO_PASSWORD := coba-pesanan-lancar
run: port-free loadflow demo-staff
	@DEBUG=1 $(PY) manage.py db_worker --queue-name default & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  DEBUG=1 PORT=$(PORT) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Before any installing: a port in use is said at once, not after a minute of pip.
port-free:
	@python3 scripts/port_free.py "$(PORT)"

# The development database's ready-made staff member, in both roles (never in production).
demo-staff: migrate
	@STAFF_PASSWORD=$(DEMO_PASSWORD) $(PY) manage.py createstaff demo --role support --no-input
	@STAFF_PASSWORD=$(DEMO_PASSWORD) $(PY) manage.py createstaff demo --role editors --no-input

# Node packages (package.json; no lock file is kept): axe-core for the browser tests,
# and for `make node` also Lighthouse and PurgeCSS.
AXE := node_modules/axe-core/axe.min.js
NPM_INSTALL := npm install --no-package-lock --no-audit --no-fund --loglevel=error

# Only what the tests need, unless `make node` has installed the rest already (then
# keep it: --omit=dev would remove Lighthouse and PurgeCSS).
$(AXE): package.json
	$(NPM_INSTALL) $(if $(wildcard node_modules/lighthouse),,--omit=dev)
	touch $(AXE)

node: $(AXE)
	$(NPM_INSTALL)

# The second run of `make test`: PostgreSQL and Redis, as on a grown-up deployment.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
TEST_REDIS_URL ?= redis://127.0.0.1:6379/1
ANSWERS = $(PY) -c "import sys, psycopg, redis; psycopg.connect(sys.argv[1], connect_timeout=3).close(); redis.Redis.from_url(sys.argv[2], socket_timeout=3).ping()"

## Every test, the browser tests (tests/e2e) in Debian's Chromium among them. First it
## installs the Debian packages tests need (graphviz, chromium, nginx, gettext, tesseract;
## scripts/system_packages.sh) when it can, as root with apt-get; otherwise the tests that
## need a missing one skip, and one line at the end says which and how to install them.
## The suite runs twice: on SQLite, then on PostgreSQL with Redis when they answer
## (TEST_DATABASE_URL, TEST_REDIS_URL); with CI=true a missing server is a failure.
# The browser tests (marked `browser`) run in the first pass only: they check what the
# browser gets, which does not depend on the database, and they are the slow part.
# Both passes always run, so a failure on SQLite still shows how PostgreSQL fares; the
# target fails if either did.
test: install system-packages translations $(if $(shell command -v npm 2>/dev/null),$(AXE))
	@failed=0; \
	echo "== The suite on SQLite =="; \
	env -u DATABASE_URL -u REDIS_URL $(PY) -m pytest || failed=1; \
	if $(ANSWERS) "$(TEST_DATABASE_URL)" "$(TEST_REDIS_URL)" 2>/dev/null; then \
	  echo "== Again on PostgreSQL ($(TEST_DATABASE_URL)) with Redis ($(TEST_REDIS_URL)) =="; \
	  DATABASE_URL="$(TEST_DATABASE_URL)" REDIS_URL="$(TEST_REDIS_URL)" \
	    $(PY) -m pytest -m "not browser" || failed=1; \
	elif [ -n "$$CI" ]; then \
	  echo "PostgreSQL or Redis does not answer ($(TEST_DATABASE_URL), $(TEST_REDIS_URL))."; \
	  failed=1; \
	else \
	  echo "PostgreSQL or Redis does not answer: the second run (PostgreSQL + Redis) is skipped."; \
	fi; \
	exit $$failed

## The inner loop: every test but the browser's, on SQLite, on all cores (pytest-xdist).
## `make test-fast ARGS="tests/flows -x"` narrows it.
test-fast: install translations
	env -u DATABASE_URL -u REDIS_URL $(PY) -m pytest -q -m "not browser" -n auto $(ARGS)

## The benchmark's own tests (bench/tests): not part of the product's suite.
test-bench: install
	$(PY) -m pytest -q bench/tests

system-packages:
	@scripts/system_packages.sh

# The tests read the compiled catalogue: compile it from the .po when gettext is here.
translations: install
	@if command -v msgfmt >/dev/null; then $(PY) manage.py compilemessages --verbosity 0; fi

## Serve it as in production on http://localhost:8000: gunicorn (gunicorn.conf.py),
## WhiteNoise with compressed, hashed static files, DJANGO_ENV=production minus the
## HTTPS redirect (no proxy in front here). DATABASE_URL / REDIS_URL are honoured.
SERVE_ENV = DJANGO_ENV=production SECURE_SSL_REDIRECT=0 \
  ALLOWED_HOSTS=$${ALLOWED_HOSTS:-localhost,127.0.0.1} \
  SECRET_KEY=$${SECRET_KEY:-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')}
serve: loadflow
	$(SERVE_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	$(SERVE_ENV) $(VENV)/bin/gunicorn -c gunicorn.conf.py

## Throughput, p50/p99 and server CPU per request of a question, an answer (plain and
## htmx), a solution, a bare Django view and a django-formtools peer's step, under
## gunicorn on SQLite and on PostgreSQL + Redis, and the ratios to the bare view and the
## peer, and a full step's (the answer and the next question shown) against the peer's
## POST plus redirected GET (bench/). About 7 minutes: BENCH_ROUNDS (5) x 14 lines x
## BENCH_SECONDS (3) + warm-up. `$(PY) -m bench.throughput bench-results/throughput.json`
## prints a saved run's table again.
## `$(PY) -m bench.connections [sqlite|postgresql]` times connection handling in one process.
bench: install
	$(PY) -m bench.throughput

## What a seller feels: Debian's Chromium at 400 kbit/s and 400 ms round trip (DevTools
## emulation) times the tap on Next until the next question shows, with and without
## JavaScript, and counts each step's round trips (bench/seller_timing.py). About 2 minutes.
seller-timing: install
	$(PY) -m bench.seller_timing

## Where each of those requests' CPU goes under gunicorn, by part (py-spy samples of the
## workers, their user and system CPU, PostgreSQL's CPU): bench/sampled.py. About 5 minutes.
bench-sampled: install
	$(PY) -m bench.sampled

## Sellers keep answering while a gunicorn worker is killed; then again through nginx in
## front of two app servers while one is stopped and started (bench/nginx_soak.py,
## deploy/nginx). With SOAK_RESTART_POSTGRES=1 both also restart PostgreSQL — never by
## default, as other work may share the server. Reports the errors clients saw and fails
## if an accepted answer was lost.
soak: install
	$(PY) -m bench.soak
	$(PY) -m bench.nginx_soak

## Only the two-server soak through nginx.
soak-nginx: install
	$(PY) -m bench.nginx_soak

## Back up the database (DATABASE_URL, or SQLite) to BACKUP, by default
## backups/<database>-<UTC time>.backup: SQLite's online backup, or pg_dump's custom format.
BACKUP ?= backups/pesanan-$(shell date -u +%Y%m%dT%H%M%SZ).backup
backup: install
	$(PY) manage.py backup "$(BACKUP)"

## Replace the database's contents with BACKUP (`make restore BACKUP=backups/….backup`).
restore: install
	@test -f "$(BACKUP)" || { echo "Set BACKUP to a file made by make backup."; exit 1; }
	$(PY) manage.py restore "$(BACKUP)"

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
	$(VENV)/bin/lint-imports
	find templates -name '*.html' -print0 | xargs -0 $(VENV)/bin/djade --check
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

## Recompile translations after editing locale/*/LC_MESSAGES/django.po.
messages: install
	$(PY) manage.py makemessages --locale id --no-obsolete --no-location \
	  --ignore 'staticfiles/*' --ignore 'node_modules/*' --ignore 'bench/*'
	$(PY) manage.py compilemessages

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 db.sqlite3-* node_modules screenshots bench-results
