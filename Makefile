# Build, test and try the add-on. `make run` then `make test` on a fresh clone; everything below installs
# what it needs into .venv (pinned in requirements-dev.txt).
SHELL := /bin/bash
.DEFAULT_GOAL := help

APP := TA-kubernetes-hostnet
VERSION := $(shell sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' globalConfig.json | head -n 1)
BOOT_PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# ucc-gen upgrades pip in the build interpreter; pip 26.3 breaks its `pip show` parsing.
PIP_VERSION := 24.3.1
# The interpreters Splunk runs add-on Python with: 3.9 (Splunk 9.3-10.1) and 3.13 (10.2+).
PY39 ?= $(lastword $(sort $(wildcard $(HOME)/.pyenv/versions/3.9.*/bin/python3.9)))
PY313 ?= $(lastword $(sort $(wildcard $(HOME)/.pyenv/versions/3.13.*/bin/python3.13)))
SPLUNK_PYTHON ?= $(PY313)
# OUT lets several builds (parallel work, CI rehearsals) live side by side: make package OUT=/tmp/b
OUT ?= $(CURDIR)
BUILT := $(OUT)/output/$(APP)
TARBALL := $(OUT)/dist/$(APP)-$(VERSION).tar.gz
AUDIT ?= samples/audit.log
FORMAT ?= table
# e.g. BENCH_ARGS="--events 10000 --repeats 5 --memory-events ''" (python -m hostnet_tools.bench --help)
BENCH_ARGS ?=
SOURCES := globalConfig.json $(shell find package -type f -not -path '*/__pycache__/*' -not -name '*.pyc')
export PY39 PY313 SPLUNK_PYTHON
export PYTHONPATH := $(CURDIR)/package/bin:$(CURDIR)/tools
# Where tests find the built add-on and its package.
export HOSTNET_APP_DIR := $(BUILT)
export HOSTNET_TARBALL := $(TARBALL)

.PHONY: help venv build package run evaluate test lint unit bench fuzz clean

help:
	@echo "make run       build the add-on and replay samples/audit.log (AUDIT=file, FORMAT=table|csv|json)"
	@echo "make test      lint, build, package, every test and AppInspect"
	@echo "make package   $(TARBALL)"
	@echo "make evaluate  the seed's wildcard against hostnetcheck on the labelled sample"
	@echo "make bench     hostnetcheck against the SDK and csv floors (not part of make test)"
	@echo "make fuzz      the coverage-guided fuzzer for longer than make test runs it"

$(VENV)/.installed: requirements-dev.txt
	test -x $(PY) || $(BOOT_PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check pip==$(PIP_VERSION)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

# ucc-gen rewrites the globalConfig it is given, so it gets a copy.
$(BUILT)/default/app.conf: $(VENV)/.installed $(SOURCES) tools/strip_vendored.py
	rm -rf $(BUILT) $(OUT)/build/globalConfig.json
	mkdir -p $(OUT)/build $(OUT)/output
	cp globalConfig.json $(OUT)/build/globalConfig.json
	$(VENV)/bin/ucc-gen build --source package --config $(OUT)/build/globalConfig.json -o $(OUT)/output \
		--ta-version $(VERSION) --pip-version $(PIP_VERSION) --python-binary-name $(CURDIR)/$(PY)
	$(PY) tools/strip_vendored.py $(BUILT)
	touch $@

build: $(BUILT)/default/app.conf

$(TARBALL): $(BUILT)/default/app.conf
	rm -f $(TARBALL)
	mkdir -p $(OUT)/dist
	$(VENV)/bin/ucc-gen package --path $(BUILT) -o $(OUT)/dist

package: $(TARBALL)

run: $(TARBALL)
	$(PY) -m hostnet_tools.replay --app $(BUILT) --python $(SPLUNK_PYTHON) --format $(FORMAT) "$(AUDIT)"

evaluate: $(TARBALL)
	$(PY) -m hostnet_tools.evaluate --app $(BUILT) --python $(SPLUNK_PYTHON)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check package/bin tools tests
	$(VENV)/bin/mypy package/bin tools

unit: $(VENV)/.installed
	$(PY) -m pytest tests -m "not protocol and not package"

test: lint $(TARBALL)
	$(PY) -m pytest tests

bench: $(TARBALL)
	$(PY) -m hostnet_tools.bench --app $(BUILT) --python $(PY313) $(BENCH_ARGS)
	$(PY) -m hostnet_tools.bench_hostile --app $(BUILT) --python $(PY39) --python $(PY313)

# The corpus grows across runs (seeded once from the real events); crash-<sha1> files land in fuzz-artifacts/.
fuzz: $(VENV)/.installed
	mkdir -p fuzz-corpus fuzz-artifacts
	[ -n "$$(ls -A fuzz-corpus)" ] || cp tests/fixtures/k8s-audit/*.json fuzz-corpus/
	$(PY) tests/fuzz/fuzz_assess.py fuzz-corpus -max_total_time=600 -artifact_prefix=fuzz-artifacts/

clean:
	rm -rf $(OUT)/output $(OUT)/dist $(OUT)/build
