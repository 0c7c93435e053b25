#!/usr/bin/env python3
"""DICOM decode plus window: MedAug (GDCM + its display pipeline) against
pydicom 3 + numpy (pylibjpeg plugins), per transfer syntax, in one run.

Both sides start from the file's bytes in memory and end with an 8-bit
display image: parse, decode frame 0, Modality LUT, VOI (the file's window
or VOI LUT; a min-max window when it has none), MONOCHROME1 inverted.
Each file is timed `--repeat` times on each side and the median kept; a
transfer syntax's figure is the sum of its files' medians.

Usage: python Benchmarks/dicom_bench.py --binary .build/release/medaug-dicomcheck [--extra DIR] [--write BENCHMARKS.md]
"""
import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import time
from collections import defaultdict

import numpy as np
import pydicom
from pydicom.pixels import apply_modality_lut, apply_voi_lut, pixel_array

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "parity"))
from report_section import machine, replace_section  # noqa: E402
from dicom_parity import test_files  # noqa: E402

MARK_BEGIN = "<!-- BEGIN dicom_bench.py output -->"
MARK_END = "<!-- END dicom_bench.py output -->"


def pydicom_display(data):
    ds = pydicom.dcmread(io.BytesIO(data))
    frames = int(ds.get("NumberOfFrames", 1) or 1)
    arr = pixel_array(ds, index=0 if frames > 1 else None)
    # The same work as MedAug's pipeline: the file's VOI when it has one, else a
    # min-max window (MedAug's percentile window costs one histogram, as this does one pass).
    if ds.PhotometricInterpretation not in ("MONOCHROME1", "MONOCHROME2"):
        return arr.astype(np.uint8) if arr.dtype != np.uint8 else arr
    arr = apply_modality_lut(arr, ds)
    if "VOILUTSequence" in ds or "WindowCenter" in ds:
        arr = apply_voi_lut(arr, ds, index=0).astype(np.float64)
    lo, hi = float(arr.min()), float(arr.max())
    y = (arr - lo) / (hi - lo if hi > lo else 1)
    if ds.PhotometricInterpretation == "MONOCHROME1":
        y = 1 - y
    return np.rint(y * 255).astype(np.uint8)


def time_pydicom(path, repeat):
    data = open(path, "rb").read()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        pydicom_display(data)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--extra", action="append", default=[])
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--write")
    args = ap.parse_args()
    files = test_files(args.extra)
    usable = []
    for f in files:
        try:
            ds = pydicom.dcmread(f)
            if "PixelData" not in ds or int(ds.BitsAllocated) not in (8, 16):
                continue
            pydicom_display(open(f, "rb").read())
            usable.append((f, ds.file_meta.TransferSyntaxUID.name))
        except Exception:  # noqa: BLE001 - pydicom cannot read it: not comparable
            continue
    out = subprocess.run([args.binary, "bench", str(args.repeat)] + [f for f, _ in usable],
                         check=True, capture_output=True, text=True).stdout
    ours = {}
    for line in out.splitlines():
        if not line.startswith("{"):
            continue
        r = json.loads(line)
        if "seconds" in r:
            ours[r["path"]] = r["seconds"]
    by_ts = defaultdict(lambda: [0, 0.0, 0.0, 0])
    for f, ts in usable:
        if f not in ours:
            continue
        row = by_ts[ts]
        row[0] += 1
        row[1] += ours[f]
        row[2] += time_pydicom(f, args.repeat)
        row[3] += os.path.getsize(f)
    cpu, cores = machine()
    lines = [MARK_BEGIN, "## DICOM: decode + window, MedAug (GDCM) against pydicom 3 + numpy",
             "", f"`make bench-dicom` ({cpu}, {cores} cores; one thread each side; pydicom {pydicom.__version__}, "
             f"numpy {np.__version__}; median of {args.repeat} per file, summed per transfer syntax). "
             "Files: pydicom's test files that both read, and `medaug synth --kind chest-xray --format dicom --scale 0.1`.",
             "", "| transfer syntax | files | MB | MedAug ms | pydicom ms | speed-up |", "|---|---:|---:|---:|---:|---:|"]
    for ts, (n, a, b, size) in sorted(by_ts.items()):
        ratio = f"{b / a:.1f}x" if a > 0 else "-"
        lines.append(f"| {ts} | {n} | {size / 1e6:.2f} | {a * 1e3:.2f} | {b * 1e3:.2f} | {ratio} |")
    lines += ["", MARK_END]
    text = "\n".join(lines)
    print(text)
    if args.write:
        replace_section(args.write, "\n".join(lines[1:-1]), MARK_BEGIN, MARK_END)


if __name__ == "__main__":
    main()
