# The two commands in the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
HOST ?= 127.0.0.1
PORT ?= 8000
# Spread the suite over the machine's cores; `make test PYTEST_ARGS=` runs it in one process.
PYTEST_ARGS ?= -n auto

.PHONY: setup setup-dev run dev test lint typecheck lock clean

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Bytecode is compiled at install time (uv does not by default): without it every
# `levelup` command recompiles its imports, doubling what a learner waits for.
# `editable_mode=compat` puts the tree on sys.path with a plain .pth line instead of
# an import hook that runs at every interpreter start.
$(VENV)/.installed-base: $(BIN)/uv requirements/base.lock pyproject.toml
	$(BIN)/uv pip install --quiet --python $(BIN)/python --compile-bytecode --require-hashes -r requirements/base.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps --config-settings editable_mode=compat -e .
	$(BIN)/python -m compileall -q levelup
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed-base requirements/dev.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --compile-bytecode --require-hashes -r requirements/dev.lock
	touch $@

## setup: install levelup into .venv (idempotent)
setup: $(VENV)/.installed-base

setup-dev: $(VENV)/.installed-dev

## run: set up, migrate, load the built-in roadmap, serve on http://$(HOST):$(PORT)
run: setup
	$(BIN)/levelup serve --host $(HOST) --port $(PORT)

## dev: development mode, an explicit opt-in: Django's debug pages and auto-reload
## (runserver) on http://$(HOST):$(PORT). Never for a server others can reach.
dev: setup-dev
	$(BIN)/levelup migrate
	LEVELUP_DEBUG=1 $(BIN)/python -m django runserver --settings=levelup.settings $(HOST):$(PORT)

## test: lint, type-check, Django checks, then the whole pytest suite
test: setup-dev
	$(BIN)/ruff check levelup tests bench
	$(BIN)/ruff format --check levelup tests bench
	$(BIN)/mypy levelup
	$(BIN)/python -m django check --settings=levelup.settings
	$(BIN)/python -m django makemigrations --check --dry-run --settings=levelup.settings
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## lock: re-resolve requirements/*.lock from pyproject.toml
lock: $(BIN)/uv
	$(BIN)/uv pip compile pyproject.toml --generate-hashes --python-version 3.11 -q -o requirements/base.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -q -o requirements/dev.lock

clean:
	rm -rf $(VENV)
