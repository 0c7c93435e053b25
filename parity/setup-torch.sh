#!/usr/bin/env bash
# Adds what the PyTorch parity harness and benchmark need to the torch venv
# that scripts/setup.sh made: torchvision (reference ResNets, installed
# without its pinned torch), Pillow (torchvision imports it) and safetensors.
set -euo pipefail
bash "$(dirname "$0")/../scripts/setup.sh"
MEDAUG_HOME="${MEDAUG_HOME:-$HOME/.cache/medaug}"
VENV="$MEDAUG_HOME/torch-2.15.0"
STAMP="$VENV/.medaug-parity-ready"
if [ ! -f "$STAMP" ]; then
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check --no-deps torchvision==0.29.2 >&2
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check pillow safetensors==0.8.0 "opencv-python-headless<4.11" >&2
  touch "$STAMP"
fi
echo "$VENV/bin/python"
