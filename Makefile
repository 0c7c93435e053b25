# MedAug: `make demo` and `make test` are all a new machine needs.
# Every target runs the idempotent setup first (Debian packages, the pinned
# torch wheel in a venv under $MEDAUG_HOME, default ~/.cache/medaug).
SHELL := /bin/bash
SWIFT ?= swift
JOBS ?= $(shell nproc)
DEMO_OUT ?= demo-out

.PHONY: all setup build debug test demo clean help

all: build

help:
	@echo "make demo   - synthetic data, then the demo experiment (the main job)"
	@echo "make test   - the whole test suite"
	@echo "make build  - release binary at .build/release/medaug"
	@echo "make setup  - install what is missing (idempotent)"

setup:
	@bash scripts/setup.sh

build: setup
	$(SWIFT) build -c release -j $(JOBS) --product medaug

debug: setup
	$(SWIFT) build -j $(JOBS)

test: setup
	$(SWIFT) build --build-tests -j $(JOBS)
	$(SWIFT) test --skip-build --parallel --num-workers $(JOBS)

demo: build
	.build/release/medaug demo --out $(DEMO_OUT)

clean:
	rm -rf .build
