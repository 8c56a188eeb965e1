# Two commands on a fresh clone: `make run` and `make test`. Everything else is set up on the way.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
# Every installed version is pinned in the lock; `make lock` refreshes it after pyproject.toml changes.
LOCK   := requirements/constraints.txt
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml $(LOCK) | cksum | cut -d' ' -f1)

# Links in the printed login and in reminder emails point at the local server unless SITE_URL says otherwise.
# `make run` and the other developer targets use the local settings; wsgi, asgi and celery default to production.
export DJANGO_SETTINGS_MODULE ?= config.settings.local
export SITE_URL ?= http://127.0.0.1:$(or $(PORT),8000)

.DEFAULT_GOAL := help
.PHONY: help setup run test test-fast check lint typecheck format lock migrate demo bench bench-sweep messages clean import-dail

help:
	@echo "make run        set up, load the demo data and start the dashboard, the Celery workers and beat"
	@echo "make test       set up and run the whole test suite"
	@echo "make test-fast  the suite without the browser, worker and slow tests, on every core"
	@echo "make check      ruff lint and format check, migrations check, import contract, type check"
	@echo "make lint       the same as make check"
	@echo "make format     format the code and apply ruff's safe fixes"
	@echo "make lock       pin every dependency again in $(LOCK) (after changing pyproject.toml)"
	@echo "make bench      every page, feed and export at full size under gunicorn (bench/pages.py, PostgreSQL)"
	@echo "make bench-sweep  the deadline sweep and reminder delivery (bench/sweep.py)"
	@echo "make messages   update and compile the Japanese translations"
	@echo "make import-dail DAIL=../shared/data/dail [LICENSING=../shared/data/licensing/copyright_licensing.csv]"
	@echo "                import DAIL's copyright cases (and licensing deals) into the record"

$(STAMP): pyproject.toml $(LOCK)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c $(LOCK) -e ".[dev]"
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

# Resolve pyproject.toml's ranges afresh in a throwaway virtual environment and pin what it installed.
lock:
	rm -rf var/lock-venv
	$(PYTHON) -m venv var/lock-venv
	var/lock-venv/bin/python -m pip install --quiet --upgrade pip
	var/lock-venv/bin/python -m pip install --quiet -e ".[dev,production]"
	@mkdir -p requirements
	@{ echo "# Pinned versions of every dependency (pyproject.toml with its extras), for make setup and the Dockerfile."; \
	   echo "# Regenerate with make lock after changing pyproject.toml; do not edit by hand."; \
	   var/lock-venv/bin/python -m pip freeze --exclude-editable | grep -v '^-e '; } > $(LOCK)
	rm -rf var/lock-venv
	@echo "Wrote $(LOCK); commit it."

# The compiled translations, rebuilt only when their .po changed (make test-fast runs this every time).
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))

setup: $(STAMP) $(MO_FILES)
	@mkdir -p var

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(STAMP)
	@$(PY) manage.py compilemessages --ignore=.venv -v0 2>/dev/null || true

migrate: setup
	$(PY) manage.py migrate --noinput -v1

demo: migrate
	$(PY) manage.py load_demo
	$(PY) manage.py ensure_demo_admin

# With a DAIL export at hand, `make run DAIL=../shared/data/dail` imports its copyright cases before starting.
run: demo $(if $(DAIL),import-dail)
	$(PY) manage.py collectstatic --noinput -v0
	@echo "Starting the dashboard on http://127.0.0.1:$${PORT:-8000}/ with Celery workers (deliveries, the sweep) and beat (Ctrl-C stops them all)."
	@PATH="$(CURDIR)/$(BIN):$$PATH" exec $(PY) -m scripts.run_stack -f Procfile -p $${PORT:-8000}

# The test runs keep Python's bytecode caches (__pycache__/, ignored by git) even where the environment says
# PYTHONDONTWRITEBYTECODE (this project's Docker image does): without them every pytest process compiles the
# project and rewrites every test module's assertions again as it starts, about 2 s of CPU per process.
TEST_ENV := DJANGO_SETTINGS_MODULE=config.settings.test PYTHONDONTWRITEBYTECODE=

test: setup
	@$(PY) -m scripts.ensure_chromium || true
	$(PY) manage.py makemigrations --check --dry-run -v1
	$(TEST_ENV) $(BIN)/pytest $(PYTEST_ARGS)

# One pytest worker per core (pytest-xdist); a module's (or class's) tests stay together on one worker.
test-fast: setup
	$(TEST_ENV) $(BIN)/pytest -m "not browser and not worker and not slow and not shared_data" \
		-q -n auto --dist loadscope $(PYTEST_ARGS)

check: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/mypy

lint: check

typecheck: setup
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/mypy

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# DAIL's tables as its "download" names them, in one folder; LICENSING is a licensing-deals CSV (optional).
DAIL_CASES = $(firstword $(wildcard $(DAIL)/Case_Table_*.xlsx $(DAIL)/Case_Table_*.csv))
DAIL_DOCKETS = $(firstword $(wildcard $(DAIL)/Docket_Table_*.xlsx $(DAIL)/Docket_Table_*.csv))
DAIL_SOURCES = $(firstword $(wildcard $(DAIL)/Secondary_Source_Coverage_Table_*.xlsx $(DAIL)/Secondary_Source_Coverage_Table_*.csv))
LICENSING ?= $(wildcard $(DAIL)/../licensing/copyright_licensing.csv)

import-dail: migrate
	@test -n "$(DAIL)" || (echo "Say where the export is: make import-dail DAIL=../shared/data/dail" && exit 2)
	@test -n "$(DAIL_CASES)" || (echo "No Case_Table_*.xlsx in $(DAIL)" && exit 2)
	$(PY) manage.py import_dail "$(DAIL_CASES)" $(if $(DAIL_DOCKETS),--dockets "$(DAIL_DOCKETS)") $(if $(DAIL_SOURCES),--sources "$(DAIL_SOURCES)") --only copyright --quiet-rows
	$(if $(LICENSING),$(PY) manage.py import_licences "$(LICENSING)")

# The page benchmark needs PostgreSQL (DATABASE_URL); it makes and reuses <database>_bench. BENCH_ARGS="--scale 0.1"
bench: setup
	$(PY) bench/pages.py $(BENCH_ARGS)

bench-sweep: setup
	$(PY) bench/sweep.py

messages: setup
	$(PY) manage.py makemessages -l ja --ignore=.venv --ignore=var
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf var .pytest_cache
