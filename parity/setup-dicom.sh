#!/usr/bin/env bash
# The DICOM parity and benchmark Python: pydicom 3 with the pylibjpeg plugins
# (libjpeg for JPEG and JPEG-LS, OpenJPEG for JPEG 2000, RLE), and numpy.
# Never used at run time. Prints the venv folder.
set -euo pipefail
MEDAUG_HOME="${MEDAUG_HOME:-$HOME/.cache/medaug}"
VENV="$MEDAUG_HOME/parity-dicom-pydicom-3"
if [ -f "$VENV/.medaug-ready" ]; then echo "$VENV"; exit 0; fi
PY="${PYTHON:-python3}"
rm -rf "$VENV"
"$PY" -m venv "$VENV" >&2
"$VENV/bin/pip" install -q --disable-pip-version-check \
  "pydicom==3.0.1" "pylibjpeg==2.1.0" "pylibjpeg-libjpeg==2.5.0" "pylibjpeg-openjpeg==2.6.0" \
  "pylibjpeg-rle==2.2.0" "numpy==2.4.6" >&2
touch "$VENV/.medaug-ready"
echo "$VENV"
