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
.PHONY: help setup run test lint format migrate demo bench bench-sweep messages clean

help:
	@echo "make run    set up, load the demo data and start the dashboard, a Celery worker and beat"
	@echo "make test   set up and run the whole test suite"
	@echo "make lint   ruff and the migrations check"
	@echo "make bench  measure every page, feed and export at full size under gunicorn (bench/pages.py)"
	@echo "make bench-sweep  measure the deadline sweep and reminder delivery (bench/sweep.py)"

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

run: demo
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

# The page benchmark needs PostgreSQL (DATABASE_URL); it makes and reuses <database>_bench. BENCH_ARGS=--scale 0.1
bench: setup
	$(PY) bench/pages.py $(BENCH_ARGS)

bench-sweep: setup
	$(PY) bench/sweep.py

messages: setup
	$(PY) manage.py makemessages -l ja --ignore=.venv --ignore=var
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf var .pytest_cache
