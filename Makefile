# ftlab: the two entry points the README promises, and their steps.
#   make quick   provision, build, run the quick suite, print the scaling table
#   make test    provision, build, run the tests (what .ci/run calls)
#   make test-unit  the fast loop: only the untagged tests (no lab, no programs started)
#   make lab     build the container lab (rootfs + pair inside); make test-lab tests it end to end
#   make wheel   the Python-tool wheel (.build/wheel/ftlab-VERSION-py3-none-manylinux_*.whl)
# Every step skips what is already done, so a second run starts measuring at once.

SWIFT ?= swift
RELEASE := .build/release/ftlab
DEBUG := .build/debug/ftlab
STAMP := $(shell date -u +%Y%m%dT%H%M%SZ)
QUICK_CSV ?= results/local/quick-$(STAMP).csv

.PHONY: quick examples examples-debug test test-unit test-lab test-wheel wheel deps deps-lab deps-slurm lab build build-debug pythons pythons-debug clean-results

# A mirror folder of CPython source tarballs beside the checkout, when there is one: how labs
# without python.org get the verified 3.14 release (lab/pythons.toml). Elsewhere it is empty and
# `ftlab lab pythons` downloads from the origins.
FTLAB_SOURCE_DIR ?= $(abspath $(wildcard ../shared/sources))
export FTLAB_SOURCE_DIR

quick: pythons examples
	$(RELEASE) run --quick --threads 1,2 --allocator system -o $(QUICK_CSV)

# CPython's own ftscalingbench and lockbench scripts (Debian's python3.X-examples), which the
# quick suite runs; a second call finds them in the cache.
examples: build
	$(RELEASE) lab examples

# The tests also run the 3.14 edition (the default pair's own release).
examples-debug: build-debug
	$(DEBUG) lab examples
	$(DEBUG) lab examples --version 3.14

# Tests (and the ftlab processes they start) write their scratch folders under a TMPDIR of
# their own, removed when they pass and kept (its path printed) when they fail.
IN_SCRATCH = scratch=$$(mktemp -d "$${TMPDIR:-/tmp}/ftlab-test-run.XXXXXX") && \
	if TMPDIR=$$scratch
AFTER_SCRATCH = ; then rm -rf "$$scratch"; else status=$$?; echo "test scratch kept in $$scratch" >&2; exit $$status; fi

# FTLAB_UNIT_ONLY is cleared so that an exported one cannot turn this into the unit loop.
test: pythons-debug examples-debug deps-slurm
	$(IN_SCRATCH) FTLAB_UNIT_ONLY= $(SWIFT) test --disable-xctest $(AFTER_SCRATCH)

# The fast loop: FTLAB_UNIT_ONLY=1 skips every tagged suite and test (Tests/FTLabTests/Support/
# Tags.swift: integration, needsLab, needsPerf, needsBrowser, network, slurm), leaving the unit tests:
# pure logic on fixtures, nothing else started, no lab pair needed.
test-unit:
	$(IN_SCRATCH) FTLAB_UNIT_ONLY=1 $(SWIFT) test --disable-xctest $(AFTER_SCRATCH)

# The container lab's end-to-end test: builds the rootfs (or verifies the cached one), runs a
# quick suite inside, and builds the rootfs a second time to compare sha256.
test-lab: build build-debug deps-lab
	$(IN_SCRATCH) FTLAB_LAB_TESTS=1 FTLAB_UNIT_ONLY= $(SWIFT) test --disable-xctest --filter ContainerTests $(AFTER_SCRATCH)

deps:
	@lab/setup-host.sh bubblewrap

deps-lab:
	@lab/setup-host.sh bubblewrap mmdebstrap

# SlurmIntegrationTests start a one-node Slurm (lab/slurm-up.sh) from Debian's packages.
deps-slurm:
	@lab/setup-host.sh slurm-wlm munge

# The Swift runtime is linked in, so the same binary runs inside the container lab.
build: deps
	$(SWIFT) build -c release --static-swift-stdlib --product ftlab

lab: build deps-lab
	$(RELEASE) lab rootfs

build-debug: deps
	$(SWIFT) build

pythons: build
	$(RELEASE) lab pythons

# The tests run on the default pair (the newest verified release this machine can get) and,
# where the release matters, on the 3.13.5 pair as well.
pythons-debug: build-debug
	$(DEBUG) lab pythons
	$(DEBUG) lab pythons --version 3.13

# The wheel that pip, pipx and uv install as a tool (lab/wheel: hatchling and a build hook).
# Its script is the static release ftlab, stripped, with libnuma linked in from libnuma.a (a
# machine without libnuma1 still starts it; the plain `make build` loads libnuma.so.1, so the
# next `make build` relinks). hatchling lives in a venv of its own, installed once from PyPI.
WHEEL_DIR := .build/wheel
WHEEL_BACKEND := $(WHEEL_DIR)/backend
HATCHLING ?= hatchling==1.33.0
LIBNUMA_A ?= $(shell pkg-config --variable=libdir numa 2>/dev/null)/libnuma.a

wheel: deps
	@test -f "$(LIBNUMA_A)" || { echo "libnuma.a not found ($(LIBNUMA_A)): apt-get install libnuma-dev pkg-config" >&2; exit 2; }
	mkdir -p $(WHEEL_DIR)/static-libs && ln -sf "$(LIBNUMA_A)" $(WHEEL_DIR)/static-libs/libnuma.a
	$(SWIFT) build -c release --static-swift-stdlib --product ftlab -Xlinker -L$(CURDIR)/$(WHEEL_DIR)/static-libs
	strip -o $(WHEEL_DIR)/ftlab $(RELEASE)
	test -x $(WHEEL_BACKEND)/bin/python || python3 -m venv $(WHEEL_BACKEND)
	$(WHEEL_BACKEND)/bin/python -m pip show -q hatchling >/dev/null 2>&1 || $(WHEEL_BACKEND)/bin/python -m pip install -q "$(HATCHLING)"
	rm -f $(WHEEL_DIR)/ftlab-*.whl
	FTLAB_WHEEL_BINARY=$(CURDIR)/$(WHEEL_DIR)/ftlab $(WHEEL_BACKEND)/bin/python -m pip wheel -q --no-deps --no-build-isolation -w $(WHEEL_DIR) ./lab/wheel
	@ls -l $(WHEEL_DIR)/ftlab-*.whl

# WheelIntegrationTests: installs the wheel into a fresh venv with pip and runs it from elsewhere.
test-wheel: wheel build-debug
	$(IN_SCRATCH) FTLAB_WHEEL_TESTS=1 FTLAB_UNIT_ONLY= $(SWIFT) test --disable-xctest --filter WheelIntegrationTests $(AFTER_SCRATCH)
