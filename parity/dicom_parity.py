#!/usr/bin/env python3
"""MedAug's DICOM decoding and display pipeline against pydicom 3.

For every test file both read (pydicom's own test files, plus any folders
given with --extra, such as `medaug synth --format dicom` output), compares
frame 0:
  - stored values: identical (pydicom.pixels.pixel_array(raw=True));
  - modality values (grayscale): equal to 1e-6 relative (apply_modality_lut);
  - the 8-bit display image: within 1 of pydicom's apply_voi_lut (window or
    VOI LUT, MONOCHROME1 inverted) scaled to 0..255, or of pixel_array's RGB
    for colour. Files without a VOI in them are not compared there (MedAug
    then uses its own percentile window, which pydicom does not have).

Usage: python parity/dicom_parity.py --binary .build/release/medaug-dicomcheck [--extra DIR] [--write PARITY.md]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import pydicom
from pydicom.pixels import apply_modality_lut, apply_voi_lut, apply_color_lut, pixel_array

sys.path.insert(0, os.path.dirname(__file__))
from report_section import machine, replace_section  # noqa: E402

MARK_BEGIN = "<!-- dicom-parity:begin -->"
MARK_END = "<!-- dicom-parity:end -->"


def test_files(extra):
    base = os.path.join(os.path.dirname(pydicom.__file__), "data", "test_files")
    files = sorted(os.path.join(base, f) for f in os.listdir(base) if f.endswith(".dcm"))
    for folder in extra:
        for root, _, names in os.walk(folder):
            files += sorted(os.path.join(root, n) for n in names if n.endswith(".dcm"))
    return files


# Files pydicom decodes that MedAug refuses on purpose, with the reason.
EXPECTED_REFUSALS = {
    "SC_rgb_rle_32bit.dcm": "32-bit samples", "SC_rgb_rle_32bit_2frame.dcm": "32-bit samples",
    "rtdose.dcm": "32-bit dose", "rtdose_expb.dcm": "32-bit dose", "rtdose_rle.dcm": "32-bit dose",
    "rtdose_1frame.dcm": "Frame Increment Pointer without Number of Frames (GDCM would abort)",
    "rtdose_expb_1frame.dcm": "as rtdose_1frame", "rtdose_rle_1frame.dcm": "as rtdose_1frame",
    "liver_1frame.dcm": "1-bit segmentation", "liver_expb_1frame.dcm": "1-bit segmentation",
    "SC_rgb_jpeg.dcm": "mixed VR encodings GDCM cannot parse",
}

LOSSY_JPEG = ("1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51")


def reference(path, decoded_rgb=False):
    """(stored, modality or None, display8 or None, note) from pydicom, or raises.

    decoded_rgb: MedAug's JPEG decoder (libjpeg-turbo) turned YCbCr into RGB
    itself, so its stored values are compared with pydicom's RGB."""
    ds = pydicom.dcmread(path)
    if "PixelData" not in ds:
        raise ValueError("no pixel data")
    index = 0 if int(ds.get("NumberOfFrames", 1) or 1) > 1 else None
    raw = pixel_array(ds, index=index, raw=not decoded_rgb)
    pi = ds.PhotometricInterpretation
    if pi in ("MONOCHROME1", "MONOCHROME2"):
        modality = apply_modality_lut(raw, ds).astype(np.float64)
        if "VOILUTSequence" in ds:
            item = ds.VOILUTSequence[0]
            bits = int(item.LUTDescriptor[2])
            voi = apply_voi_lut(modality, ds, index=0, prefer_lut=True).astype(np.float64)
            y = voi / (2 ** bits - 1)
        elif "WindowCenter" in ds and "WindowWidth" in ds:
            voi = apply_voi_lut(modality, ds, index=0, prefer_lut=False).astype(np.float64)
            if "ModalityLUTSequence" in ds:
                y_min, y_max = 0, 2 ** int(ds.ModalityLUTSequence[0].LUTDescriptor[2]) - 1
            elif ds.PixelRepresentation == 0:
                y_min, y_max = 0, 2 ** ds.BitsStored - 1
            else:
                y_min, y_max = -(2 ** (ds.BitsStored - 1)), 2 ** (ds.BitsStored - 1) - 1
            if "RescaleSlope" in ds and "RescaleIntercept" in ds:
                y_min = y_min * float(ds.RescaleSlope) + float(ds.RescaleIntercept)
                y_max = y_max * float(ds.RescaleSlope) + float(ds.RescaleIntercept)
            y = (voi - y_min) / (y_max - y_min)
        else:
            return raw, modality, None, "no VOI in the file"
        if pi == "MONOCHROME1":
            y = 1 - y
        return raw, modality, np.clip(np.rint(y * 255), 0, 255).astype(np.uint8), ""
    rgb = pixel_array(ds, index=0 if int(ds.get("NumberOfFrames", 1) or 1) > 1 else None)
    if pi == "PALETTE COLOR":
        rgb = apply_color_lut(rgb, ds)
        bits = int(ds.RedPaletteColorLookupTableDescriptor[2])
        if bits > 8:
            rgb = np.rint(rgb.astype(np.float64) * 255 / 65535)
    elif ds.BitsStored > 8:
        rgb = np.rint(rgb.astype(np.float64) * 255 / (2 ** ds.BitsStored - 1))
    return raw, None, rgb.astype(np.uint8), ""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--extra", action="append", default=[])
    ap.add_argument("--write")
    args = ap.parse_args()
    files = test_files(args.extra)
    rows, failures = [], 0
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([args.binary, "dump", tmp] + files, check=True)
        for i, path in enumerate(files):
            name = os.path.relpath(path, os.path.dirname(os.path.dirname(path)))
            ours = json.load(open(os.path.join(tmp, f"{i}.json")))
            try:
                stored, modality, display, note = reference(path, ours.get("decoded_photometric") == "RGB")
                ref_error = None
            except Exception as e:  # noqa: BLE001 - any pydicom failure means "pydicom cannot read it"
                ref_error = f"{type(e).__name__}: {e}".splitlines()[0][:90]
            if not ours["ok"] and not ref_error and os.path.basename(path) not in EXPECTED_REFUSALS:
                # pydicom reads it and MedAug does not: a regression unless listed below.
                failures += 1
                rows.append((name, "-", "-", "-", f"DIFFER: MedAug refused it: {ours.get('error', '')[-120:]}"))
                continue
            if not ours["ok"] or ref_error:
                reason = ours.get("error", "").split(": ", 1)[-1][:90] if not ours["ok"] else ""
                rows.append((name, "-", "-", "-",
                             f"not compared: {'MedAug: ' + reason if reason else ''}"
                             f"{'; ' if reason and ref_error else ''}{'pydicom: ' + ref_error if ref_error else ''}"))
                continue
            uid = pydicom.dcmread(path, stop_before_pixels=True).file_meta.TransferSyntaxUID
            ts = uid.name
            lossy = uid in LOSSY_JPEG
            ours_stored = np.fromfile(os.path.join(tmp, f"{i}.stored.i32"), dtype="<i4")
            ref_stored = stored.astype(np.int64).reshape(-1)
            pi = ours["decoded_photometric"]
            diff = np.abs(ref_stored - ours_stored).max() if ref_stored.size == ours_stored.size else None
            if diff == 0:
                s_ok = "identical"
            elif lossy and diff is not None and diff <= 3:
                # Lossy JPEG: libjpeg-turbo and pydicom's libjpeg round their inverse DCTs,
                # chroma upsampling and YCbCr conversion differently.
                s_ok = f"within {diff} (lossy JPEG: decoders differ)"
            else:
                s_ok = f"DIFFER (max {diff if diff is not None else 'size'})"
            m_ok = "-"
            mod_path = os.path.join(tmp, f"{i}.modality.f64")
            if modality is not None and os.path.exists(mod_path):
                ours_mod = np.fromfile(mod_path, dtype="<f8")
                ref_mod = modality.reshape(-1)
                # Lossy streams: one stored unit of decoder difference, times the rescale slope.
                slope = abs(float(pydicom.dcmread(path, stop_before_pixels=True).get("RescaleSlope", 1) or 1))
                atol = slope * 1.000001 if lossy else 1e-9
                m_ok = "equal" if np.allclose(ours_mod, ref_mod, rtol=1e-6, atol=atol) else "DIFFER"
                if lossy and m_ok == "equal" and not np.allclose(ours_mod, ref_mod, rtol=1e-6, atol=1e-9):
                    m_ok = "within 1 stored unit"
            d_ok = "-"
            if display is not None:
                ours_disp = np.fromfile(os.path.join(tmp, f"{i}.display.u8"), dtype=np.uint8).astype(int)
                ref_disp = display.reshape(-1).astype(int)
                if ours_disp.size != ref_disp.size:
                    d_ok = "DIFFER (size)"
                else:
                    d = np.abs(ours_disp - ref_disp).max()
                    limit = 3 if lossy else 1
                    d_ok = f"max diff {d}" if d <= limit else f"DIFFER (max {d})"
            ok = not any(x.startswith("DIFFER") for x in (s_ok, m_ok, d_ok))
            failures += 0 if ok else 1
            rows.append((name, ts, s_ok, m_ok, d_ok + (f" ({note})" if note else "")))
    compared = sum(1 for r in rows if r[1] != "-")
    cpu, cores = machine()
    lines = [MARK_BEGIN, "", "## DICOM (GDCM) against pydicom 3",
             "", f"`make parity-dicom` — pydicom {pydicom.__version__} with pylibjpeg; {cpu}, {cores} cores.",
             f"{compared} files compared, {failures} differ; {len(rows) - compared} not read by one side (reason given).",
             "",
             "Stored values are identical for every lossless file. Lossy JPEG (baseline, extended) is decoded by",
             "libjpeg-turbo in MedAug and by Thomas Richter's libjpeg in pylibjpeg: their inverse DCTs, chroma upsampling",
             "and YCbCr conversion round differently, by up to 3 levels; such rows say so. The 8-bit display is compared",
             "within 1 (3 for lossy JPEG). The synthetic files' VOI LUT has 16-bit entries because pydicom 3.0.1 indexes",
             "8-bit tables of more than 256 entries modulo 256 (its index array is uint8); MedAug follows PS3.3 C.11.2.",
             "", "| file | transfer syntax | stored values | modality values | 8-bit display |", "|---|---|---|---|---|"]
    lines += [f"| {r[0]} | {r[1]} | {r[2]} | {r[3]} | {r[4]} |" for r in rows]
    lines += ["", MARK_END]
    text = "\n".join(lines)
    print(text)
    if args.write:
        replace_section(args.write, "\n".join(lines[1:-1]), MARK_BEGIN, MARK_END)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
