#!/usr/bin/env bash
# Installs what MedAug needs to build and run, and nothing twice.
#   - Debian packages: libpng, libjpeg-turbo, libdeflate, libtiff, GDCM, pkg-config (apt-get, only when missing)
#   - PyTorch's `torch` wheel at a pinned version into a venv outside the clone,
#     so every clone on this machine shares one 5 GB install.
# MEDAUG_HOME overrides the cache folder (default ~/.cache/medaug).
# The warm path is a few file tests: a second run costs well under a second.
set -euo pipefail

TORCH_VERSION="2.15.0"
MEDAUG_HOME="${MEDAUG_HOME:-$HOME/.cache/medaug}"
VENV="$MEDAUG_HOME/torch-$TORCH_VERSION"
STAMP="$VENV/.medaug-ready"

say() { printf '[setup] %s\n' "$*" >&2; }

# --test adds what only the test suite needs: headless Chromium renders the HTML report.
# --no-torch installs the Debian packages only (what MedAugAugment and
# MedAugImage need, e.g. for `make example`) and leaves the torch wheel alone.
want_test=0
want_torch=1
for arg in "$@"; do
  case "$arg" in
    --test) want_test=1 ;;
    --no-torch) want_torch=0 ;;
  esac
done

need_debs=()
command -v pkg-config >/dev/null 2>&1 || need_debs+=(pkg-config)
if command -v pkg-config >/dev/null 2>&1; then
  pkg-config --exists libpng16 2>/dev/null || need_debs+=(libpng-dev)
  pkg-config --exists libjpeg 2>/dev/null || need_debs+=(libjpeg62-turbo-dev)
  pkg-config --exists libdeflate 2>/dev/null || need_debs+=(libdeflate-dev)
  pkg-config --exists libtiff-4 2>/dev/null || need_debs+=(libtiff-dev)
else
  need_debs+=(libpng-dev libjpeg62-turbo-dev libdeflate-dev libtiff-dev)
fi
# GDCM (DICOM) ships no pkg-config file: its Debian header folder tells.
[ -f /usr/include/gdcm-3.0/gdcmImageReader.h ] || need_debs+=(libgdcm-dev)
if [ $want_test -eq 1 ] && ! command -v chromium >/dev/null 2>&1; then
  need_debs+=(chromium)
fi
if [ ${#need_debs[@]} -gt 0 ]; then
  say "installing Debian packages: ${need_debs[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_debs[@]}" python3-venv >/dev/null || \
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_debs[@]}" >/dev/null
fi

[ $want_torch -eq 1 ] || exit 0

if [ ! -f "$STAMP" ]; then
  say "installing torch==$TORCH_VERSION into $VENV (one time, about 5 GB)"
  mkdir -p "$MEDAUG_HOME"
  PY="${PYTHON:-python3}"
  # The stamp, written last, marks a complete install; anything without it is redone.
  rm -rf "$VENV"
  "$PY" -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check "torch==$TORCH_VERSION" "numpy<3"
  "$VENV/bin/python" - <<'PY'
import torch, os
print(f"[setup] torch {torch.__version__} at {os.path.dirname(torch.__file__)}")
PY
  touch "$STAMP"
fi

# One stable path for the build to look in, whatever Python version the venv has.
TORCH_DIR=$(ls -d "$VENV"/lib/python3*/site-packages/torch 2>/dev/null | head -1)
if [ -z "$TORCH_DIR" ]; then
  say "torch not found in $VENV; remove it and run 'make setup' again"; exit 1
fi
LINK="$MEDAUG_HOME/libtorch"
if [ "$(readlink "$LINK" 2>/dev/null)" != "$TORCH_DIR" ]; then
  ln -sfn "$TORCH_DIR" "$LINK"
fi
