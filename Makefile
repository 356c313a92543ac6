# CrampCourse: `make run` to try it, `make test` to check it.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000

.PHONY: run test lint format install install-dev install-bench bench migrate collectstatic serve-prod clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip==24.3.1"

# Stamp files re-run pip only when the requirement files change.
$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

$(VENV)/.bench: requirements.txt requirements-dev.txt requirements-bench.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-bench.txt
	touch $@ $(VENV)/.dev $(VENV)/.runtime

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev
install-bench: $(VENV)/.bench

migrate: install
	$(BIN)/python manage.py migrate --no-input

run: migrate
	$(BIN)/python manage.py load_course
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: install-dev lint
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest

# Synthetic data at 1x and 10x, gunicorn with production settings, Locust over HTTP;
# writes bench/results.md. DATABASE_URL=postgres://... measures PostgreSQL instead of SQLite.
bench: install-bench
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
