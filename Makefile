# ftlab: the two entry points the README promises, and their steps.
#   make quick   provision, build, run the quick suite, print the scaling table
#   make test    provision, build, run the tests (what .ci/run calls)
# Every step skips what is already done, so a second run starts measuring at once.

SWIFT ?= swift
RELEASE := .build/release/ftlab
DEBUG := .build/debug/ftlab
STAMP := $(shell date -u +%Y%m%dT%H%M%SZ)
QUICK_CSV ?= results/quick-$(STAMP).csv

.PHONY: quick test deps build build-debug pythons pythons-debug clean-results

quick: pythons
	$(RELEASE) run --quick --threads 1,2 --allocator system -o $(QUICK_CSV)

test: pythons-debug
	$(SWIFT) test --disable-xctest

deps:
	@lab/setup-host.sh

build: deps
	$(SWIFT) build -c release --product ftlab

build-debug: deps
	$(SWIFT) build

pythons: build
	$(RELEASE) lab pythons

pythons-debug: build-debug
	$(DEBUG) lab pythons
