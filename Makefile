# ot_app: two commands. `make run` serves the app, `make test` runs the whole suite.
# Both work on a fresh Debian machine: they create .venv and install what they need.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PORT ?= 5000
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
# Stamps: pip runs again only when a requirements file changed.
RUN_STAMP := $(VENV)/.stamp-requirements
DEV_STAMP := $(VENV)/.stamp-requirements-dev
ARTIFACTS := tests/artifacts

.PHONY: help run test test-sqlite test-postgres lint format system-deps

help:
	@echo "make run    serve the app on http://127.0.0.1:$(PORT) (PORT=... overrides)"
	@echo "make test   ruff, then the whole suite on SQLite, then again on a throwaway PostgreSQL"
	@echo "make lint   ruff check + ruff format --check"

$(BIN)/python:
	@if ! $(PYTHON) -c 'import ensurepip, venv' 2>/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing python3-venv (apt-get)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null; \
	  else \
	    echo "python3-venv is missing: sudo apt-get install python3-venv" >&2; exit 1; \
	  fi; \
	fi
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	@touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	@touch $@ $(RUN_STAMP)

run: $(RUN_STAMP)
	$(FLASK) db upgrade
	$(FLASK) seed
	$(FLASK) demo --if-empty
	$(FLASK) curvas
	$(FLASK) users ensure-admin
	@echo "ot_app: http://127.0.0.1:$(PORT)"
	exec $(BIN)/gunicorn --workers 2 --bind 127.0.0.1:$(PORT) --access-logfile - wsgi:app

# Debian's Chromium for the browser tests, PostgreSQL's server for the second pass and a Java
# runtime for the .mpp tests.
# Installed only as root; under CI=true a missing one is a failure, not a skip.
system-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing chromium (apt-get)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  elif [ "$${CI:-}" = true ]; then \
	    echo "CI: /usr/bin/chromium is missing and we are not root to install it" >&2; exit 1; \
	  else \
	    echo "warning: no /usr/bin/chromium: the browser tests will be skipped"; \
	  fi; \
	fi
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing postgresql (apt-get)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	  elif [ "$${CI:-}" = true ]; then \
	    echo "CI: PostgreSQL server binaries are missing and we are not root to install them" >&2; exit 1; \
	  else \
	    echo "warning: no PostgreSQL server: the PostgreSQL pass will be skipped"; \
	  fi; \
	fi
	@# A Java runtime for MPXJ (.mpp programs, issue 19); `make run` never installs it: without it
	@# an .mpp upload says what to install and MSPDI (.xml) keeps working.
	@if [ -z "$${JAVA_HOME:-}" ] && ! command -v java >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing default-jre-headless (apt-get)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; \
	  elif [ "$${CI:-}" = true ]; then \
	    echo "CI: no Java runtime (default-jre-headless) and we are not root to install it" >&2; exit 1; \
	  else \
	    echo "warning: no Java runtime: the .mpp (MPXJ) tests will be skipped"; \
	  fi; \
	fi
	@# Redis backs the login throttle's shared-storage test (several workers, one count).
	@if ! command -v redis-server >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  echo "Installing redis-server (apt-get)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; \
	fi

# The two passes run side by side (one per core: each pytest is one process, and the suite took
# 32 min one after the other); the PostgreSQL pass's output is kept and printed after the SQLite's.
# `&& … ||` keeps a failed pass from ending the recipe (it runs under -e) before the other is done.
test: $(DEV_STAMP) system-deps
	$(BIN)/ruff check .
	@mkdir -p $(ARTIFACTS)
	@$(MAKE) --no-print-directory test-postgres >$(ARTIFACTS)/postgres.log 2>&1 & pg=$$!; \
	trap 'kill $$pg 2>/dev/null' INT TERM; \
	$(MAKE) --no-print-directory test-sqlite && sqlite=0 || sqlite=$$?; \
	wait $$pg && postgres=0 || postgres=$$?; \
	echo "=== PostgreSQL pass (its output, kept in $(ARTIFACTS)/postgres.log) ==="; \
	cat $(ARTIFACTS)/postgres.log; \
	echo "=== SQLite pass: exit $$sqlite; PostgreSQL pass: exit $$postgres ==="; \
	[ $$sqlite -eq 0 ] && [ $$postgres -eq 0 ]

test-sqlite: $(DEV_STAMP)
	@mkdir -p $(ARTIFACTS)
	$(BIN)/pytest -q --junitxml=$(ARTIFACTS)/junit-sqlite.xml

test-postgres: $(DEV_STAMP)
	@mkdir -p $(ARTIFACTS)
	scripts/test-postgres.sh $(BIN)/pytest -q -m "not browser" --junitxml=$(ARTIFACTS)/junit-postgres.xml

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(DEV_STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Performance (bench/, issue 7): 100,000 generated OTs in the git-ignored bench/data/ (generated
# again only when the migrations changed), gunicorn with 2 workers, wrk at 16 connections, the
# ceiling app in the same run; tables in bench/results/. BENCH_ARGS passes options to bench/run.py,
# e.g. make bench BENCH_ARGS="--only list,search --duration 5", or BENCH_ARGS="--sizes 10000,100000".
BENCH_DB ?= sqlite:///bench/data/ot_100k.db
BENCH_OTS ?= 100000
BENCH_ARGS ?=

.PHONY: bench
bench: $(DEV_STAMP)
	@if ! command -v wrk >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing wrk (apt-get)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	  else \
	    echo "wrk is missing: sudo apt-get install wrk" >&2; exit 1; \
	  fi; \
	fi
	$(BIN)/python bench/generate.py --db $(BENCH_DB) --ots $(BENCH_OTS) --if-stale
	$(BIN)/python bench/run.py --db $(BENCH_DB) $(BENCH_ARGS)
	@# Annexes (issue 15): 10,000-line Anexo C dry run and confirm, 4,757 × 31 sábana, the OT list to xlsx.
	$(BIN)/python bench/annexes.py --db $(BENCH_DB) --out bench/results
