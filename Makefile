# One tooling source: CI (.ci/run) calls these same targets.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# Two workers on the two-core machines; `make test PYTEST_ARGS=` runs serially.
PYTEST_ARGS ?= -n 2

.PHONY: run install worker beat test lint format messages messages-check check migrate seed lock clean security backup restore

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed

## run: install everything, migrate, load demo data and serve on http://$(HOST):$(PORT)
run: install
	@if command -v msgfmt >/dev/null; then $(PY) manage.py compilemessages -l zh_Hans -v 0; fi
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver $(HOST):$(PORT)

## worker: a Celery worker (needs REDIS_URL; without it tasks run in-process and no worker is needed)
worker: install
	$(VENV)/bin/celery -A config worker --loglevel=INFO --concurrency=2

## beat: the Celery scheduler, run once beside the workers (CELERY_BEAT_SCHEDULE: the company's annual report each January)
beat: install
	$(VENV)/bin/celery -A config beat --loglevel=INFO --schedule=$(VENV)/celerybeat-schedule

## test: the whole suite (CI runs it with DATABASE_URL, REDIS_URL and REQUIRE_SERVICES=1)
test: install
	@if command -v msgfmt >/dev/null; then $(PY) manage.py compilemessages -l zh_Hans -v 0; fi
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## messages: extract and compile the zh_Hans catalogue
messages: install
	$(PY) manage.py makemessages -l zh_Hans --no-obsolete --no-wrap --ignore=node_modules --ignore=.venv --ignore=staticfiles --ignore=test-artifacts
	$(PY) manage.py compilemessages -l zh_Hans

## messages-check: the catalogue, re-extracted from the code, has no untranslated or fuzzy entry
messages-check: install
	@tmp=$$(mktemp -d) && git ls-files -z | xargs -0 -I{} cp --parents {} $$tmp && ln -s $(CURDIR)/node_modules $$tmp/node_modules && \
	  (cd $$tmp && $(CURDIR)/$(PY) manage.py makemessages -l zh_Hans --no-obsolete --ignore=node_modules -v 0) && \
	  stats=$$(msgfmt --statistics -o /dev/null $$tmp/locale/zh_Hans/LC_MESSAGES/django.po 2>&1) && rm -rf $$tmp && \
	  echo "zh_Hans: $$stats" && case "$$stats" in *untranslated*|*fuzzy*) exit 1;; esac

check: install
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

migrate: install
	$(PY) manage.py migrate --noinput

seed: install
	$(PY) manage.py seed_demo

## lock: re-resolve the pinned requirements from requirements*.in
lock:
	rm -rf /tmp/portal-lock && python3 -m venv /tmp/portal-lock
	/tmp/portal-lock/bin/pip install -q -r requirements.in
	(echo "# Pinned runtime dependencies, resolved from requirements.in (make lock)."; /tmp/portal-lock/bin/pip freeze) > requirements.txt
	/tmp/portal-lock/bin/pip install -q -r requirements-dev.in
	(echo "# Pinned development and test dependencies, resolved from requirements-dev.in (make lock)."; echo "-r requirements.txt"; \
	  /tmp/portal-lock/bin/pip freeze | grep -vxFf requirements.txt) > requirements-dev.txt

## security: bandit on the code (high severity fails; medium listed for information) and pip-audit on
## the pinned requirements (a known vulnerability, or advisory data that cannot be read, fails)
security: install
	@echo "bandit, medium and above (for information):"
	$(VENV)/bin/bandit -c pyproject.toml -r . -ll -q --exit-zero
	@echo "bandit, high severity (fails the build):"
	$(VENV)/bin/bandit -c pyproject.toml -r . -lll -q && echo "bandit: no high-severity finding"
	VENV=$(VENV) scripts/pip_audit.sh

## backup: the database (pg_dump -Fc) and the uploaded files into $(BACKUP_DIR)/portal-<time>/
BACKUP_DIR ?= backups
backup: install
	PYTHON=$(PY) scripts/backup.sh $(BACKUP_DIR)

## restore: FROM=<a backup folder> into an empty database and an empty media folder
restore: install
	@test -n "$(FROM)" || { echo "usage: make restore FROM=backups/portal-<time>"; exit 2; }
	PYTHON=$(PY) scripts/restore.sh $(FROM)

## bench: the benchmark (issues #7, #8) on the PostgreSQL server of DATABASE_URL and Redis db 10:
## tier databases portal_bench_s/_p (and _n when it exists; BENCH_TIERS=S,P,N loads it, ~20 min)
## loaded with seed_scale when missing, gunicorn with DEBUG=False, one `name: value` line per
## figure, the targets, and `bench: PASS|FAIL`. BENCH_ARGS=--strict exits 1 on a missed target.
BENCH_TIERS ?=
BENCH_ARGS ?=
bench: install
	@case "$$DATABASE_URL" in postgres*) ;; *) echo "make bench needs DATABASE_URL=postgres://user@host:port/name"; exit 2;; esac
	$(PY) -m bench $(if $(BENCH_TIERS),--tiers $(BENCH_TIERS)) $(BENCH_ARGS)

## load: only the bounded load of issue #8 (32 clients for 60 s on tier P's list, studio, dashboard, showcase)
load: install
	@case "$$DATABASE_URL" in postgres*) ;; *) echo "make load needs DATABASE_URL=postgres://user@host:port/name"; exit 2;; esac
	$(PY) -m bench --tiers P --parts load $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules staticfiles test-artifacts db.sqlite3
