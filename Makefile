# Two commands on a fresh Debian machine: `make run` and `make test`. Each sets up what is missing
# (Debian libraries when root, the .venv, the package with its test, dev and demo extras at the pinned
# versions of constraints.txt, the compiled .ui files)
# and is quick when everything is already there.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
UI_FILES := $(wildcard ui/*.ui)
UI_DONE := ehdesk/gui/forms/.compiled

.PHONY: run test lint format ui bench fuzz system-deps-run system-deps-test clean

run: system-deps-run $(INSTALLED) $(UI_DONE)
	$(VENV)/bin/ehdesk

test: system-deps-test $(INSTALLED) $(UI_DONE) lint
	$(VENV)/bin/pytest

lint: $(INSTALLED) $(UI_DONE)
	$(VENV)/bin/ruff check ehdesk tests ui benchmarks
	$(VENV)/bin/ruff format --check ehdesk tests ui benchmarks
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

format: $(INSTALLED)
	$(VENV)/bin/ruff check --fix ehdesk tests ui benchmarks
	$(VENV)/bin/ruff format ehdesk tests ui benchmarks

system-deps-run:
	@scripts/system-deps.sh run

system-deps-test:
	@scripts/system-deps.sh test

# constraints.txt pins every version to the ones the bundle is built and tested with.
$(INSTALLED): pyproject.toml constraints.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[test,dev,demo]'
	touch $@

# Picard's way: Qt Designer files in ui/ become generated modules in ehdesk/gui/forms/ (never edited).
ui: $(UI_DONE)
$(UI_DONE): $(INSTALLED) $(UI_FILES) ui/compile.py
	$(PY) ui/compile.py
	touch $@

clean:
	rm -rf $(VENV) ehdesk/gui/forms/ui_*.py $(UI_DONE) .mypy_cache .ruff_cache .pytest_cache

# Every benchmarks/bench_*.py in one run, baselines alongside; rewrites docs/benchmarks.md.
bench: $(INSTALLED) $(UI_DONE)
	$(PY) benchmarks/run_all.py

# Every property test (hypothesis marks them) with the large profile; prints how many examples ran.
fuzz: system-deps-test $(INSTALLED) $(UI_DONE)
	set -o pipefail; HYPOTHESIS_PROFILE=fuzz $(VENV)/bin/pytest -m hypothesis \
		--hypothesis-show-statistics -q | tee /tmp/ehdesk-fuzz.log
	@awk '/ passing, .* failing/ { gsub(",", ""); n += $$2 + $$4 } \
		END { printf "fuzz: %d examples ran (HYPOTHESIS_PROFILE=fuzz)\n", n }' /tmp/ehdesk-fuzz.log
