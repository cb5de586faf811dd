# One entry per habit. `make run` serves the product, `make test` runs every check.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV        := .venv
PY          := $(VENV)/bin/python
PIP         := $(VENV)/bin/pip
CONSTRAINTS := constraints/constraints.txt
# The add-on's test support (layers, test content, Chromium): tests/support, never in the wheel.
TEST_SUPPORT := tests/support
export VIRTUAL_ENV := $(CURDIR)/$(VENV)
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

HOST ?= 127.0.0.1
PORT ?= 8080
INSTANCE ?= var/instance

.PHONY: help venv build run run-cluster test lint test-rust test-python test-plone61 test-pythons buildout fuzz fuzz-smoke bench screenshots wheel clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}' \
		| sed -e 's/\$$(HOST)/$(HOST)/g' -e 's/\$$(PORT)/$(PORT)/g'

# The first install takes minutes: say what is going on, and count the packages as pip finds them.
PIP_PROGRESS := awk '/^Collecting /{n++; if (n % 25 == 0) {printf "    %d packages found…\n", n; fflush()}} \
	/^Installing collected packages/{print "    installing them…"; fflush()} \
	/Building editable for plone-onlyoffice-docs .*started/{print "    compiling the add-on'"'"'s Rust core (minutes the first time)…"; fflush()} \
	/^Successfully installed/{print "    done."; fflush()}'

$(VENV)/.installed: pyproject.toml docs-double/pyproject.toml $(CONSTRAINTS)
	@echo "==> Creating $(VENV) with Plone 6.2.2, the add-on, the Docs test double and the test tools."
	@echo "    The first time this takes several minutes (about 300 packages); later runs skip it."
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade "pip>=26.3"
	$(PIP) install --quiet -c $(CONSTRAINTS) maturin
	set -o pipefail; $(PIP) install --progress-bar off -c $(CONSTRAINTS) Plone -e ".[test]" \
		-e "./docs-double[pytest,plone-testing]" | $(PIP_PROGRESS)
	touch $@

venv: $(VENV)/.installed  ## create .venv with Plone, the add-on, the Docs test double and the test tools

build: venv  ## compile the Rust extension into the package (release mode)
	@echo "==> Compiling the Rust core (release mode; the first time a few minutes, then seconds)."
	$(VENV)/bin/maturin develop --release --quiet --skip-install

run: build  ## serve Plone with the add-on on http://$(HOST):$(PORT)/Plone, and the Docs test double unless ONLYOFFICE_DOCS_URL or the site's settings name another Docs
	HOST=$(HOST) PORT=$(PORT) INSTANCE=$(INSTANCE) \
		$(PY) scripts/instance.py

run-cluster: build  ## a ZEO server and two instances on ports $(PORT) and $(PORT)+1 (var/cluster)
	HOST=$(HOST) PORT=$(PORT) $(PY) scripts/cluster.py

lint: venv  ## cargo fmt, clippy, ruff, mypy's stubtest
	cargo fmt --all --check
	cargo clippy --all-targets -- -D warnings
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/python -m mypy.stubtest onlyoffice_plone._core

test-rust:  ## Rust unit and property tests
	cargo test --quiet

fuzz-smoke: venv  ## a short coverage-guided fuzz run of each target
	scripts/fuzz --smoke

fuzz: venv  ## fuzz each target for FUZZ_SECONDS (default 300)
	scripts/fuzz

test-python: build  ## the Python suite: real Plone, the Docs test double, Chromium
	$(VENV)/bin/pytest

test: build lint test-rust fuzz-smoke test-python  ## every check

# Plone 6.1 in a second environment: the Plone-layer and HTTP suites.
VENV61        := .venv-plone61
CONSTRAINTS61 := constraints/constraints-6.1.txt
PLONE61_TESTS := tests/plone tests/editor tests/conversion tests/creation

$(VENV61)/.installed: pyproject.toml docs-double/pyproject.toml $(CONSTRAINTS61)
	test -x $(VENV61)/bin/python || python3 -m venv $(VENV61)
	$(VENV61)/bin/pip install --quiet --upgrade "pip>=26.3"
	$(VENV61)/bin/pip install --quiet -c $(CONSTRAINTS61) Plone "./docs-double[pytest,plone-testing]" \
		"$$(ls dist/plone_onlyoffice_docs-*.whl | tail -1)[test]"
	touch $@

test-plone61: build  ## the Plone-layer and HTTP suites on Plone 6.1 (.venv-plone61)
	rm -rf dist/plone_onlyoffice_docs-*.whl $(VENV61)/.installed
	$(VENV)/bin/maturin build --release --quiet --out dist
	$(MAKE) $(VENV61)/.installed
	VIRTUAL_ENV=$(CURDIR)/$(VENV61) PATH=$(CURDIR)/$(VENV61)/bin:$$PATH \
		$(VENV61)/bin/python -c "import Products.CMFPlone, importlib.metadata as m; print('Plone', m.version('Products.CMFPlone'))"
	VIRTUAL_ENV=$(CURDIR)/$(VENV61) PATH=$(CURDIR)/$(VENV61)/bin:$$PATH \
		$(VENV61)/bin/pytest -q -p no:cacheprovider $(PLONE61_TESTS)

# The oldest and newest CPython that Plone 6.2 supports, where this machine has them (pyenv):
# the newest 3.10, and the newest 3.12 to 3.14 but 3.13.0, whose pickle regression (fixed in
# 3.13.1) breaks Plone's versioning and so the add-on (pyproject excludes it). Each gets its
# own environment with the add-on's abi3 wheel, and runs the core and Plone-layer suites.
PYENV_ROOT ?= $(HOME)/.pyenv
PYTHONS ?= $(lastword $(sort $(wildcard $(PYENV_ROOT)/versions/3.10.*/bin/python3.10))) \
           $(lastword $(filter-out %/3.13.0/bin/python3.13,$(sort \
               $(wildcard $(PYENV_ROOT)/versions/3.1[234].*/bin/python3.1[234]))))
PYTHON_TESTS := tests/core tests/plone

test-pythons: build  ## tests/core, tests/plone on the oldest and newest CPython here (PYTHONS)
	@test -n "$(strip $(PYTHONS))" || { echo "no Python in PYTHONS"; exit 1; }
	rm -rf dist/plone_onlyoffice_docs-*.whl
	$(VENV)/bin/maturin build --release --quiet --out dist
	set -e; for python in $(PYTHONS); do \
		version=$$($$python -c 'import sys; print("%d.%d" % sys.version_info[:2])'); \
		env=.venv-py$$version; \
		test -x $$env/bin/python || $$python -m venv $$env; \
		$$env/bin/pip install --quiet --upgrade "pip>=26.3"; \
		$$env/bin/pip install --quiet --force-reinstall --no-deps dist/plone_onlyoffice_docs-*.whl; \
		$$env/bin/pip install --quiet -c $(CONSTRAINTS) Plone "./docs-double[pytest,plone-testing]" \
			"$$(ls dist/plone_onlyoffice_docs-*.whl)[test]"; \
		echo "== CPython $$version"; \
		VIRTUAL_ENV=$(CURDIR)/$$env PATH=$(CURDIR)/$$env/bin:$$PATH \
			$$env/bin/pytest -q -p no:cacheprovider $(PYTHON_TESTS); \
	done

buildout: wheel  ## build buildout/buildout.cfg's instance in var/buildout, check it serves the add-on
	scripts/buildout-check

bench: build  ## print the benchmark tables
	PYTHONPATH=$(TEST_SUPPORT) $(PY) bench/run.py

screenshots: build  ## retake the README's screenshots (docs/screenshots/)
	PYTHONPATH=$(TEST_SUPPORT) $(PY) scripts/screenshots.py

wheel: venv  ## build the add-on's and the Docs test double's wheels into dist/
	$(VENV)/bin/maturin build --release --out dist
	$(PIP) wheel --quiet --no-deps --wheel-dir dist ./docs-double

clean:  ## remove build output (keeps .venv and var/)
	rm -rf target dist test-artifacts onlyoffice_plone/*.so docs-double/build
