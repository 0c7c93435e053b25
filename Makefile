# MedAug: `make demo` and `make test` are all a new machine needs.
# Every target runs the idempotent setup first (Debian packages, the pinned
# torch wheel in a venv under $MEDAUG_HOME, default ~/.cache/medaug).
SHELL := /bin/bash
SWIFT ?= swift
JOBS ?= $(shell nproc)
DEMO_OUT ?= demo-out

.PHONY: all setup build debug test demo clean help parity-torch bench-torch parity-aug bench-aug

all: build

help:
	@echo "make demo   - synthetic data, then the demo experiment (the main job)"
	@echo "make test   - the whole test suite"
	@echo "make build  - release binary at .build/release/medaug"
	@echo "make setup  - install what is missing (idempotent)"
	@echo "make parity-torch - MedAug's networks against PyTorch (same weights, same input)"
	@echo "make bench-torch  - training-step speed against Python PyTorch, same run"

setup:
	@bash scripts/setup.sh

build: setup
	$(SWIFT) build -c release -j $(JOBS) --product medaug

debug: setup
	$(SWIFT) build -j $(JOBS)

test:
	@bash scripts/setup.sh --test
	$(SWIFT) build --build-tests -j $(JOBS)
	@bash scripts/test-summary.sh

demo: build
	.build/release/medaug demo --out $(DEMO_OUT)

clean:
	rm -rf .build

parity-torch: setup
	$(SWIFT) build -c release -j $(JOBS) --product medaug-parity
	$$(bash parity/setup-torch.sh) parity/torch_parity.py --binary .build/release/medaug-parity

bench-torch: setup
	$(SWIFT) build -c release -j $(JOBS) --product medaug-bench
	$$(bash parity/setup-torch.sh) Benchmarks/torch_bench.py --binary .build/release/medaug-bench
