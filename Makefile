# The native stack and the checks. `make up` / `make down` run the platform as local processes;
# `make test` is what CI runs (.ci/run). Docker users run `docker compose up -d` instead.

VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: install prerequisites-up prerequisites-test up down restart status migrate test lint bench-ingest pipeline \
        clean ui ui-test compose-test api-client api-client-check bench-dashboard

install: $(STAMP)

# Programs outside the virtualenv (nginx, Prometheus, Chromium, ...): installed when root with apt, else named
# with the command that installs them, before anything starts. `.ci/run` gets them through `make test`.
prerequisites-up:
	scripts/install-prerequisites up

prerequisites-test:
	scripts/install-prerequisites test

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# The web UI (web-ui/): `npm ci` when node_modules is missing or older than the lock, a build when a source changed.
UI         := web-ui
UI_DEPS    := $(UI)/node_modules/.installed-stamp
UI_SOURCES := $(shell find $(UI)/src $(UI)/public -type f 2>/dev/null) \
              $(addprefix $(UI)/,index.html vite.config.ts tsconfig.json package.json)

ui: $(UI)/dist/index.html  ## build the SPA that nginx serves

$(UI_DEPS): $(UI)/package-lock.json
	cd $(UI) && npm ci --no-audit --no-fund
	touch $@

$(UI)/dist/index.html: $(UI_DEPS) $(UI_SOURCES)
	cd $(UI) && npm run build

ui-test: $(UI_DEPS)  ## the SPA's unit tests (vitest)
	cd $(UI) && npm test

# The UI's API contract from the services' OpenAPI documents (openapi-typescript) and servicekit/enums.py.
# Run it after changing a schema and commit the result: `make test` fails while it is out of date.
api-client: install $(UI_DEPS)
	$(PY) scripts/api-client/generate.py

api-client-check: install $(UI_DEPS)
	$(PY) scripts/api-client/generate.py --check

up: prerequisites-up install ui  ## start the stack in the background; returns once every /health answers 200
	$(PY) -m nativestack up

down:  ## stop everything `make up` started
	$(PY) -m nativestack down

restart: prerequisites-up install ui  ## stop the running stack and start it again with the same settings
	$(PY) -m nativestack restart

status:
	$(PY) -m nativestack status

migrate: install
	$(PY) -m nativestack migrate

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: prerequisites-test lint api-client-check ui-test ui  ## lint, the UI's unit tests and build, then every test with coverage, on a database of its own
	$(VENV)/bin/pytest

# docker-compose.yml for real with podman (no Docker engine needed): builds every image, starts the stack, waits
# for health, runs the smoke flow, checks non-root and sizes, tears down (scripts/compose-test/run.py).
compose-test: install
	scripts/install-prerequisites compose
	$(PY) scripts/compose-test/run.py

bench-ingest: install  ## ingestion against its ceiling; starts (and stops) everything it measures itself
	scripts/install-prerequisites bench
	$(PY) bench/ingest $(BENCH_ARGS)

bench-dashboard: install ui  ## the dashboard at 1M alerts / 100k incidents: list and search p50/p99, first load, alert->row
	scripts/install-prerequisites bench
	$(PY) bench/dashboard $(BENCH_ARGS)

pipeline:  ## the five-stage CI/CD pipeline (see docs/delivery.md)
	./run-pipeline.sh

clean:
	rm -rf .stack .stacks .stack-test .pytest_cache .coverage coverage.xml reports $(UI)/dist
