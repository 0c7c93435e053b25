# MedAug: `make demo` and `make test` are all a new machine needs.
# Every target runs the idempotent setup first (Debian packages, the pinned
# torch wheel in a venv under $MEDAUG_HOME, default ~/.cache/medaug).
SHELL := /bin/bash
SWIFT ?= swift
JOBS ?= $(shell nproc)
DEMO_OUT ?= demo-out
# AVX2/FMA code generation when this processor has it (scripts/cpu-flags.sh);
# `make CPU_FLAGS=` builds binaries that run on any x86-64.
CPU_FLAGS ?= $(shell bash scripts/cpu-flags.sh)

.PHONY: all setup build debug test demo clean help parity-torch bench-torch parity-aug bench-aug parity-dicom bench-dicom example

all: build

help:
	@echo "make demo   - synthetic data, then the demo experiment (the main job)"
	@echo "make test   - the whole test suite"
	@echo "make build  - release binary at .build/release/medaug"
	@echo "make setup  - install what is missing (idempotent)"
	@echo "make parity-torch - MedAug's networks against PyTorch (same weights, same input)"
	@echo "make bench-torch  - training-step speed against Python PyTorch, same run"
	@echo "make parity-aug   - every augmenter and SLIC against imgaug 0.4.0 / scikit-image, policies and MixUp/CutMix against torchvision (writes PARITY.md)"
	@echo "make bench-aug    - augmenter, SLIC and pipeline speed against imgaug, albumentations, OpenCV (writes BENCHMARKS.md)"
	@echo "make bench-targets - image+mask and image+boxes speed against AlbumentationsX, one thread, and the mask overhead (writes BENCHMARKS.md)"
	@echo "make parity-dicom - DICOM decoding and windowing against pydicom 3 (writes PARITY.md)"
	@echo "make bench-dicom  - DICOM decode + window speed against pydicom + numpy, per transfer syntax (writes BENCHMARKS.md)"
	@echo "make example      - Examples/augment-only: the augmentation library adopted by another package (no libtorch needed)"

setup:
	@bash scripts/setup.sh

# medaug loads libtorch through libMedAugTorchRuntime.so, built beside it,
# and only for the commands that run networks.
build: setup
	$(SWIFT) build $(CPU_FLAGS) -c release -j $(JOBS) --product medaug
	$(SWIFT) build $(CPU_FLAGS) -c release -j $(JOBS) --product MedAugTorchRuntime

debug: setup
	$(SWIFT) build $(CPU_FLAGS) -j $(JOBS)

test:
	@bash scripts/setup.sh --test
	$(SWIFT) build $(CPU_FLAGS) --build-tests -j $(JOBS)
	@bash scripts/test-summary.sh

demo: build
	.build/release/medaug demo --out $(DEMO_OUT)
	@echo "== The DICOM path: a synthetic chest X-ray export (12-bit, six transfer syntaxes, three images per patient)"
	.build/release/medaug synth --kind chest-xray --format dicom --scale 0.1 --out $(DEMO_OUT)/chest-dicom
	.build/release/medaug info $(DEMO_OUT)/chest-dicom
	.build/release/medaug convert $(DEMO_OUT)/chest-dicom --out $(DEMO_OUT)/chest-dicom-png

clean:
	rm -rf .build

parity-torch: setup
	$(SWIFT) build $(CPU_FLAGS) -c release -j $(JOBS) --product medaug-parity
	$(SWIFT) build $(CPU_FLAGS) -c release -j $(JOBS) --product MedAugTorchRuntime
	$$(bash parity/setup-torch.sh) parity/torch_parity.py --binary .build/release/medaug-parity

bench-torch: setup
	$(SWIFT) build $(CPU_FLAGS) -c release -j $(JOBS) --product medaug-bench
	$(SWIFT) build $(CPU_FLAGS) -c release -j $(JOBS) --product MedAugTorchRuntime
	$$(bash parity/setup-torch.sh) Benchmarks/torch_bench.py --binary .build/release/medaug-bench

# The augmentation library alone (no libtorch) against imgaug 0.4.0 in the
# parity venv (parity/setup.sh). The Python side of the benchmark runs
# single-threaded; OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE, which some machines
# set for old OpenBLAS builds, are unset for that one command (they slow a
# current numpy down; see BENCHMARKS.md).
AUG_JOBS ?= 2
AUG_VENV = $$(bash parity/setup.sh)

parity-aug:
	@bash scripts/setup.sh --no-torch
	$(SWIFT) build $(CPU_FLAGS) -c release -j $(AUG_JOBS) --product medaug-augbench
	$(AUG_VENV)/bin/python parity/augment_parity.py --binary .build/release/medaug-augbench --write PARITY.md
	$(AUG_VENV)/bin/python parity/target_parity.py --binary .build/release/medaug-augbench --write PARITY.md
	$$(bash parity/setup-torch.sh) parity/mix_parity.py --binary .build/release/medaug-augbench --write PARITY.md
	$$(bash parity/setup-torch.sh) parity/policy_parity.py --binary .build/release/medaug-augbench --write PARITY.md

bench-aug:
	@bash scripts/setup.sh --no-torch
	$(SWIFT) build $(CPU_FLAGS) -c release -j $(AUG_JOBS) --product medaug-augbench
	env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 \
	  $(AUG_VENV)/bin/python Benchmarks/augment_bench.py --binary .build/release/medaug-augbench --build-flags '$(CPU_FLAGS)' --write BENCHMARKS.md
	env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $$(bash Benchmarks/setup-albumentationsx.sh)/bin/python Benchmarks/albumentationsx_bench.py \
	  --binary .build/release/medaug-augbench --parity-python $(AUG_VENV)/bin/python --build-flags '$(CPU_FLAGS)' --write BENCHMARKS.md
	$(SWIFT) build $(CPU_FLAGS) -c release -j $(AUG_JOBS) --product medaug
	env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $$(bash Benchmarks/setup-albumentationsx.sh)/bin/python Benchmarks/file_bench.py \
	  --medaug .build/release/medaug --augbench .build/release/medaug-augbench --parity-python $(AUG_VENV)/bin/python --build-flags '$(CPU_FLAGS)' --write BENCHMARKS.md

# Targets that follow the image (Benchmarks/targets_bench.py): image, image+mask
# and image+boxes through MedAug (medaug-augbench time-targets) and
# AlbumentationsX (A.Compose), one thread, side by side.
.PHONY: bench-targets
bench-targets:
	@bash scripts/setup.sh --no-torch
	$(SWIFT) build $(CPU_FLAGS) -c release -j $(AUG_JOBS) --product medaug-augbench
	env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $$(bash Benchmarks/setup-albumentationsx.sh)/bin/python Benchmarks/targets_bench.py \
	  --binary .build/release/medaug-augbench --build-flags '$(CPU_FLAGS)' --write BENCHMARKS.md

# Examples/augment-only, a package of its own that depends on this one by
# path and uses only MedAugAugment and MedAugImage: it needs libpng, libjpeg
# and pkg-config but no torch wheel (`make example MEDAUG_HOME=$(mktemp -d)`
# works). It augments a synthetic image with the example's pipeline.yaml and
# writes input.png and output.png under EXAMPLE_OUT.
EXAMPLE_DIR = Examples/augment-only
EXAMPLE_OUT ?= $(EXAMPLE_DIR)/out

example:
	@bash scripts/setup.sh --no-torch
	cd $(EXAMPLE_DIR) && $(SWIFT) build -c release -j $(JOBS)
	mkdir -p $(EXAMPLE_OUT)
	$(EXAMPLE_DIR)/.build/release/augment-only --demo $(EXAMPLE_OUT)/input.png
	$(EXAMPLE_DIR)/.build/release/augment-only $(EXAMPLE_DIR)/pipeline.yaml $(EXAMPLE_OUT)/input.png $(EXAMPLE_OUT)/output.png --seed 7
	@! cmp -s $(EXAMPLE_OUT)/input.png $(EXAMPLE_OUT)/output.png || { echo "example: output.png equals input.png" >&2; exit 1; }

# DICOM against pydicom 3 (parity/setup-dicom.sh: its own venv), on pydicom's
# test files and a synthetic DICOM chest set written for the purpose.
DICOM_VENV = $$(bash parity/setup-dicom.sh)
DICOM_SYNTH = .build/dicom-synth

parity-dicom: setup
	$(SWIFT) build $(CPU_FLAGS) -c release -j $(JOBS) --product medaug-dicomcheck
	$(SWIFT) build $(CPU_FLAGS) -c release -j $(JOBS) --product medaug
	.build/release/medaug synth --kind chest-xray --format dicom --scale 0.1 --out $(DICOM_SYNTH)
	$(DICOM_VENV)/bin/python parity/dicom_parity.py --binary .build/release/medaug-dicomcheck --extra $(DICOM_SYNTH) --write PARITY.md

bench-dicom: setup
	$(SWIFT) build $(CPU_FLAGS) -c release -j $(JOBS) --product medaug-dicomcheck
	$(SWIFT) build $(CPU_FLAGS) -c release -j $(JOBS) --product medaug
	.build/release/medaug synth --kind chest-xray --format dicom --scale 0.1 --out $(DICOM_SYNTH)
	$(DICOM_VENV)/bin/python Benchmarks/dicom_bench.py --binary .build/release/medaug-dicomcheck --extra $(DICOM_SYNTH) --write BENCHMARKS.md
