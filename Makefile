# Every target does its own set-up on a fresh machine (only Python 3.11, Node and npm present)
# and skips it when nothing changed.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# checkov's pins fight aws-cdk-lib's: it gets a virtual environment of its own, and the
# compliance tests find it through CHECKOV.
TOOLS := .venv-tools
CHECKOV_SPEC := checkov>=3.3.30,<4
export CHECKOV := $(CURDIR)/$(TOOLS)/bin/checkov

# Node 20 is past its end of life: keep jsii's banner out of every command's output.
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
# ... and the AWS SDK's inside the CDK CLI (it warns on Node 20 whenever the CLI calls AWS).
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED := true
# No network but the package registries: the CLI must not phone home.
export CDK_DISABLE_CLI_TELEMETRY := true
export CDK_DISABLE_VERSION_CHECK := true
export PATH := $(CURDIR)/$(BIN):$(PATH)

# Two tiers: `make quick` (lint, types and the tests not marked slow, on both cores) while
# working; `make test`, the full gate CI runs (.ci/run).
.PHONY: all synth test quick lint typecheck unit integ-snapshots integ-update integ bench clean test-min rehearse-all

all: test

$(VENV)/.installed: requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(TOOLS)/.installed: Makefile
	test -x $(TOOLS)/bin/python || $(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check "$(CHECKOV_SPEC)"
	touch $@

# The declared minimum versions, exactly (pyproject's lower bounds; tests/min_versions.py),
# in a virtual environment of their own; the library itself without its dependencies.
MIN := .venv-min
$(MIN)/.installed: pyproject.toml tests/min_versions.py
	test -x $(MIN)/bin/python || $(PYTHON) -m venv $(MIN)
	$(MIN)/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(MIN)/bin/python tests/min_versions.py > $(MIN)/requirements.txt
	$(MIN)/bin/python -m pip install --quiet --disable-pip-version-check -r $(MIN)/requirements.txt
	$(MIN)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

synth: $(VENV)/.installed node_modules/.installed
	# The shipped example: both flows on placeholder models (a deploy of them is refused).
	npx cdk synth --no-notices --quiet -c example_models=true
	@ls cdk.out/*.template.json

unit: $(VENV)/.installed node_modules/.installed $(TOOLS)/.installed
	$(BIN)/python -m pytest

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed
	$(BIN)/mypy

# The integration tests' snapshots (tests/integ/*.snapshot), offline: synthesized and
# compared, never deployed. pytest runs the same check (tests/test_integ_snapshots.py);
# this target is the quick way to run it alone.
integ-snapshots: $(VENV)/.installed node_modules/.installed
	$(BIN)/python tests/integ/harness.py check

# Rewrite the snapshots after an intended change (offline), then review and commit them.
integ-update: $(VENV)/.installed node_modules/.installed
	$(BIN)/python tests/integ/harness.py update

# Deploys every integration test to the caller's account and Region, runs its assertions
# and destroys it (see README, Integration tests). Never part of test.
integ: $(VENV)/.installed node_modules/.installed
	@$(BIN)/python tests/integ/harness.py deploy

test: lint typecheck unit test-min

# The whole suite, the deploy rehearsal included, on the minimum versions. Left out: the
# integ snapshot check, whose snapshots are the newest aws-cdk-lib's templates (README,
# Supported versions).
MIN_EXCLUDED := --ignore=tests/test_integ_snapshots.py
test-min: $(MIN)/.installed node_modules/.installed $(TOOLS)/.installed
	PATH="$(CURDIR)/$(MIN)/bin:$$PATH" $(MIN)/bin/python -m pytest -q -n 2 $(MIN_EXCLUDED)

# The fast tier needs neither checkov's venv nor the npm tools: no slow test runs here.
quick: lint typecheck
	$(BIN)/python -m pytest -q -m 'not slow' -n 2

# The composition generator's full sweep: the 3-wise covering design of every option the
# API accepts, each composition refused or synthesized under the four packs and rehearsed
# (README, Every composition the API accepts). About ten minutes on both cores;
# never part of test, which runs the pairwise designs.
rehearse-all: $(VENV)/.installed node_modules/.installed
	COMPOSITIONS=full $(BIN)/python -m pytest -q -n 2 tests/test_compositions.py

bench: $(VENV)/.installed node_modules/.installed
	$(BIN)/python bench/run.py

clean:
	rm -rf cdk.out $(VENV) $(TOOLS) $(MIN) node_modules .pytest_cache .mypy_cache .ruff_cache
