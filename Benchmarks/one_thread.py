"""Importing this module pins numeric libraries to one thread and keeps
AlbumentationsX off the network; it must come before numpy, OpenCV or torch
are imported, which read these variables once when they load."""

import os

for _k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "VECLIB_MAXIMUM_THREADS",
           "NUMEXPR_NUM_THREADS"):
    os.environ[_k] = "1"
# No network calls from AlbumentationsX (telemetry, version checks).
os.environ.setdefault("ALBUMENTATIONS_NO_TELEMETRY", "1")
os.environ.setdefault("ALBUMENTATIONS_OFFLINE", "1")
os.environ.setdefault("NO_ALBUMENTATIONS_UPDATE", "1")
