# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run test lint format demo bench serve

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo

# The server, and beside it the worker that sends queued e-mail (stopped with it).
run: demo
	@PORT=$(PORT) $(BIN)/python manage.py db_worker --no-reload --interval 2 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	PORT=$(PORT) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Production: DEBUG off (DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS required), checks,
# collectstatic, migrations checked, then gunicorn (WORKERS, PORT) and the scheduler.
serve: $(VENV)/.installed
	DJANGO_DEBUG=0 $(BIN)/python manage.py serve

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Latency and SQL queries of the public pages and API (see bench/README.md).
bench: $(VENV)/.installed-test
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Load and fault check: gunicorn (4 workers) on a throwaway PostgreSQL under a mixed load
# for LOADTEST_SECONDS (default 60), then checks the stored translation versions
# (see bench/LOADTEST.md). LOADTEST_ARGS="--seconds 15 --concurrency 8" etc.
.PHONY: loadtest
loadtest: $(VENV)/.installed
	$(BIN)/python bench/loadtest.py $(LOADTEST_ARGS)
