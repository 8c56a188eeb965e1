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
.PHONY: help setup run test lint format migrate demo bench messages clean

help:
	@echo "make run    set up, load the demo data and start the dashboard, the Celery workers and beat"
	@echo "make test   set up and run the whole test suite"
	@echo "make lint   ruff and the migrations check"
	@echo "make bench  run the benchmarks under bench/"

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
	@echo "Starting the dashboard on http://127.0.0.1:$${PORT:-8000}/ with Celery workers (deliveries, the sweep) and beat (Ctrl-C stops them all)."
	@PATH="$(CURDIR)/$(BIN):$$PATH" exec $(PY) -m scripts.run_stack -f Procfile -p $${PORT:-8000}

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

bench: setup
	$(PY) bench/sweep.py

messages: setup
	$(PY) manage.py makemessages -l ja --ignore=.venv --ignore=var
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf var .pytest_cache
