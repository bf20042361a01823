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
# The reference the engine's patch reading is tested against (tests/oracle/main.go): built from Debian's Go
# packages only, offline (GOPATH mode over /usr/share/gocode, no module download).
ORACLE := $(OUT)/build/oracle
ORACLE_PACKAGES := golang-go golang-github-evanphx-json-patch-dev golang-k8s-sigs-json-dev
export HOSTNET_ORACLE := $(ORACLE)
export PYTHONPATH := $(CURDIR)/package/bin:$(CURDIR)/tools
# Where tests find the built add-on and its package.
export HOSTNET_APP_DIR := $(BUILT)
export HOSTNET_TARBALL := $(TARBALL)

.PHONY: help venv build package run evaluate test lint unit bench bench-instructions fuzz clean oracle

help:
	@echo "make run       build the add-on and replay samples/audit.log (AUDIT=file, FORMAT=table|csv|json)"
	@echo "make test      lint, build, package, every test and AppInspect"
	@echo "make package   $(TARBALL)"
	@echo "make evaluate  the seed's wildcard against hostnetcheck on the labelled samples (native, GKE, AKS)"
	@echo "make bench     hostnetcheck against the SDK and csv floors (not part of make test)"
	@echo "make bench-instructions  the same, counted in instructions under valgrind (no machine noise)"
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

# One table for the native sample, then one per platform sample (tools/make_platform_samples.py).
PLATFORM_SAMPLES := gke aks
evaluate: $(TARBALL)
	$(PY) -m hostnet_tools.evaluate --app $(BUILT) --python $(SPLUNK_PYTHON)
	@for platform in $(PLATFORM_SAMPLES); do \
		printf '\n%s\n\n' "samples/$$platform/audit.json:"; \
		$(PY) -m hostnet_tools.evaluate --app $(BUILT) --python $(SPLUNK_PYTHON) \
			--sample samples/$$platform/audit.json --labels samples/$$platform/audit.labels.csv || exit 1; \
	done

# Installs the packages when they are missing and this is root with apt-get (CI); else says what is needed.
$(ORACLE): tests/oracle/main.go
	@missing=""; for p in $(ORACLE_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "installing$$missing for the oracle"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
		else \
			echo "the oracle needs the Debian packages$$missing: apt-get install them (as root) and run make again"; \
			exit 1; \
		fi; \
	fi
	mkdir -p $(OUT)/build
	GO111MODULE=off GOPATH=/usr/share/gocode GOFLAGS= GOCACHE=$(OUT)/build/go-cache go build -o $@ ./tests/oracle

oracle: $(ORACLE)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check package/bin tools tests
	$(VENV)/bin/mypy package/bin tools

unit: $(VENV)/.installed $(ORACLE)
	$(PY) -m pytest tests -m "not protocol and not package"

test: lint $(TARBALL) $(ORACLE)
	$(PY) -m pytest tests

bench: $(TARBALL)
	$(PY) -m hostnet_tools.bench --app $(BUILT) --python $(PY313) $(BENCH_ARGS)
	$(PY) -m hostnet_tools.bench_hostile --app $(BUILT) --python $(PY39) --python $(PY313)

bench-instructions: $(TARBALL)
	$(PY) -m hostnet_tools.bench_instructions --app $(BUILT) --python $(PY313) $(BENCH_ARGS)

# The corpus grows across runs (seeded once from the real events); crash-<sha1> files land in fuzz-artifacts/.
fuzz: $(VENV)/.installed
	mkdir -p fuzz-corpus fuzz-artifacts
	[ -n "$$(ls -A fuzz-corpus)" ] || $(PY) tests/fuzz/fuzz_assess.py --write-seeds fuzz-corpus
	$(PY) tests/fuzz/fuzz_assess.py fuzz-corpus -max_total_time=600 -artifact_prefix=fuzz-artifacts/

clean:
	rm -rf $(OUT)/output $(OUT)/dist $(OUT)/build
