# Two commands on a fresh clone: `make run` and `make test`. Everything else is set up on the way.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

# Links in the printed login and in reminder emails point at the local server unless SITE_URL says otherwise.
# `make run` and the other developer targets use the local settings; wsgi, asgi and celery default to production.
export DJANGO_SETTINGS_MODULE ?= config.settings.local
export SITE_URL ?= http://127.0.0.1:$(or $(PORT),8000)

.DEFAULT_GOAL := help
.PHONY: help setup run test lint format migrate demo bench messages clean import-dail

help:
	@echo "make run    set up, load the demo data and start the dashboard, a Celery worker and beat"
	@echo "make test   set up and run the whole test suite"
	@echo "make lint   ruff and the migrations check"
	@echo "make bench  run the benchmarks under bench/"
	@echo "make import-dail DAIL=../shared/data/dail [LICENSING=../shared/data/licensing/copyright_licensing.csv]"
	@echo "           import DAIL's copyright cases (and licensing deals) into the record"

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

setup: $(STAMP)
	@mkdir -p var
	@$(PY) manage.py compilemessages --ignore=.venv -v0 2>/dev/null || true

migrate: setup
	$(PY) manage.py migrate --noinput -v1

demo: migrate
	$(PY) manage.py load_demo
	$(PY) manage.py ensure_demo_admin

# With a DAIL export at hand, `make run DAIL=../shared/data/dail` imports its copyright cases before starting.
run: demo $(if $(DAIL),import-dail)
	$(PY) manage.py collectstatic --noinput -v0
	@echo "Starting the dashboard on http://127.0.0.1:$${PORT:-8000}/ with a Celery worker and beat (Ctrl-C stops all three)."
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start -f Procfile

test: setup
	@$(PY) -m scripts.ensure_chromium || true
	$(PY) manage.py makemigrations --check --dry-run -v1
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

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

bench: setup
	$(PY) bench/sweep.py

messages: setup
	$(PY) manage.py makemessages -l ja --ignore=.venv --ignore=var
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf var .pytest_cache
