# The native stack and the checks. `make up` / `make down` run the platform as local processes;
# `make test` is what CI runs (.ci/run). Docker users run `docker compose up -d` instead.

VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: install up down status migrate test lint unit bench-ingest clean

install: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

up: install  ## start the stack in the background; returns once every /health answers 200
	$(PY) -m nativestack up

down:  ## stop everything `make up` started
	$(PY) -m nativestack down

status:
	$(PY) -m nativestack status

migrate: install
	$(PY) -m nativestack migrate

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: lint  ## lint, then every test with coverage, on a database of its own
	$(VENV)/bin/pytest

bench-ingest: install  ## load test against a running `make up` stack
	$(PY) bench/ingest

clean:
	rm -rf .stack .stack-test .pytest_cache .coverage coverage.xml reports
