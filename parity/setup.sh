#!/usr/bin/env bash
# The parity and benchmark harness's own Python: imgaug 0.4.0 and the
# library versions SPEC-augmenters.md was verified with. Never used at run time.
set -euo pipefail
MEDAUG_HOME="${MEDAUG_HOME:-$HOME/.cache/medaug}"
VENV="$MEDAUG_HOME/parity-imgaug-0.4.0"
if [ -f "$VENV/.medaug-ready" ]; then echo "$VENV"; exit 0; fi
PY="${PYTHON:-python3}"
rm -rf "$VENV"
"$PY" -m venv "$VENV" >&2
"$VENV/bin/pip" install -q --disable-pip-version-check \
  "numpy==1.23.5" "scikit-image==0.20.0" "scipy<1.12" \
  "opencv-python-headless==4.7.0.72" "opencv-python==4.7.0.72" \
  "imgaug==0.4.0" "albumentations==1.3.1" "imageio<2.28" >&2
touch "$VENV/.medaug-ready"
echo "$VENV"
