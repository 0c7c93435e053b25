#!/usr/bin/env bash
# The Python of Benchmarks/albumentationsx_bench.py and file_bench.py:
# AlbumentationsX (the maintained successor of albumentations, today's
# fastest CPU augmenter) with what it needs, in a venv of its own beside the
# parity venv (parity/setup.sh keeps imgaug 0.4.0 and numpy 1.23). Idempotent;
# prints the venv's path on stdout. Never used at run time.
#
# Pins (checked against PyPI on 2026-12-06):
#   albumentationsx 2.5.1 (newest 2.x; it pins albucore 0.2.21 itself)
#   opencv-python-headless 5.1.0.95 (albumentationsx[headless] asks >= 5.0.0.93)
#   numpy 2.4.6, scipy 1.17.1, scikit-image 0.26.0 (its bundled photographs),
#   pyyaml 6.0.4, threadpoolctl 3.8.0
#   torch 2.13.0, CPU build: AlbumentationsX imports torch (it is not in its
#   package metadata; the package asks for >= 2.13.0). From PyTorch's CPU index
#   when that is reachable, otherwise from PyPI (where pip's find-links, if
#   any, may hold the +cpu wheel; PyPI's own Linux wheel pulls CUDA libraries).
set -euo pipefail
AX_VERSION="2.5.1"
TORCH_VERSION="2.13.0"
MEDAUG_HOME="${MEDAUG_HOME:-$HOME/.cache/medaug}"
VENV="$MEDAUG_HOME/bench-albumentationsx-$AX_VERSION"
if [ -f "$VENV/.medaug-ready" ]; then echo "$VENV"; exit 0; fi
PY="${PYTHON:-python3}"
rm -rf "$VENV"
mkdir -p "$MEDAUG_HOME"
"$PY" -m venv "$VENV" >&2
PIP=("$VENV/bin/pip" install -q --disable-pip-version-check)
CPU_INDEX="https://download.pytorch.org/whl/cpu"
if "$VENV/bin/python" -c "import urllib.request, sys; urllib.request.urlopen('$CPU_INDEX/torch/', timeout=15)" 2>/dev/null; then
  echo "[setup-albumentationsx] torch==$TORCH_VERSION from $CPU_INDEX" >&2
  "${PIP[@]}" "torch==$TORCH_VERSION" --index-url "$CPU_INDEX" >&2
else
  echo "[setup-albumentationsx] $CPU_INDEX unreachable: torch==$TORCH_VERSION from the default index" >&2
  "${PIP[@]}" "torch==$TORCH_VERSION" >&2
fi
"${PIP[@]}" \
  "albumentationsx==$AX_VERSION" "opencv-python-headless==5.1.0.95" \
  "numpy==2.4.6" "scipy==1.17.1" "scikit-image==0.26.0" \
  "pyyaml==6.0.4" "threadpoolctl==3.8.0" >&2
# The import is the check (torch, cv2 and albumentations load together).
ALBUMENTATIONS_NO_TELEMETRY=1 ALBUMENTATIONS_OFFLINE=1 NO_ALBUMENTATIONS_UPDATE=1 "$VENV/bin/python" -c "
import albumentations, cv2, numpy, skimage, torch, sys
print(f'[setup-albumentationsx] albumentationsx {albumentations.__version__}, OpenCV {cv2.__version__}, '
      f'numpy {numpy.__version__}, scikit-image {skimage.__version__}, torch {torch.__version__}', file=sys.stderr)
" >&2
touch "$VENV/.medaug-ready"
echo "$VENV"
