# The two commands a new user runs:
#   make site   sets up everything, ingests content/raw/, builds output/ and the offline bundle
#   make test   sets up the test tools and runs every test
# Everything is installed into .venv/ (Python, pinned in requirements.lock) and node_modules/ (npm, pinned
# in package-lock.json) from the project's own files.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP_VERSION := 26.3
PYTEST_ARGS ?=

.PHONY: site test build ingest serve bundle setup bench-extraction bench-tagging bench-search bench-scale \
        check-bad-input lock clean

site: setup
	$(BIN)/briefings ingest content/raw
	$(BIN)/briefings build

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip==$(PIP_VERSION)
	$(BIN)/python -m pip install --quiet --requirement requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --editable .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

ingest: setup
	$(BIN)/briefings ingest

build: setup
	$(BIN)/briefings build

serve: setup
	$(BIN)/briefings serve

bundle: setup
	$(BIN)/briefings bundle

bench-extraction: setup
	$(BIN)/python scripts/bench/extraction.py

bench-tagging: setup
	$(BIN)/python scripts/bench/tagging.py

bench-search: setup
	$(BIN)/python scripts/bench/search.py

bench-scale: setup
	$(BIN)/python scripts/bench/scale.py

check-bad-input: setup
	$(BIN)/python scripts/bench/bad_input.py

# Re-pin every Python dependency after changing pyproject.toml (review the diff like code).
lock: $(VENV)/.installed
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e ' > requirements.lock

clean:
	rm -rf output content/briefings .pytest_cache
