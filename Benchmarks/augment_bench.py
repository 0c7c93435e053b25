"""Augmentation speed of MedAug against imgaug 0.4.0, albumentations 1.3.1,
OpenCV and scikit-image, side by side in one run, on the same seeded
224x224 RGB images (parity/augment_images.py).

Run by `make bench-aug` (parity venv; see the Makefile for the environment):
    python Benchmarks/augment_bench.py --binary .build/release/medaug-augbench \
        [--write BENCHMARKS.md]

What is timed: the augmentation alone, images already in memory (MedAug's
`medaug-augbench time` reads them first; Python gets arrays). Each number is
the best of `--trials` runs of at least `--min-seconds` each. The Python
libraries run single-threaded: cv2.setNumThreads(1) and, from the Makefile,
OPENBLAS_NUM_THREADS=OMP_NUM_THREADS=1. imgaug gets the whole image list in
one call per pass (its batch path); albumentations and OpenCV one call per
image, as they are used. MedAug runs single-threaded (--threads 1) and, for
the pipelines, on every core (images spread over threads).
"""
import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time

import cv2
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "parity"))
import augment_images  # noqa: E402
import report_section  # noqa: E402

import albumentations as A  # noqa: E402
import imgaug  # noqa: E402
import imgaug.augmenters as iaa  # noqa: E402
import skimage  # noqa: E402
import skimage.segmentation  # noqa: E402
import yaml  # noqa: E402

cv2.setNumThreads(1)
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


# ---------------------------------------------------------------- imgaug from a pipeline file

def imgaug_value(v):
    """A pipeline-file value as imgaug's argument: [a, b] a tuple (range),
    {choice: [...]} a list, {x:, y:} a dict."""
    if isinstance(v, list):
        return tuple(imgaug_value(x) for x in v)
    if isinstance(v, dict):
        if set(v) == {"choice"}:
            return [imgaug_value(x) for x in v["choice"]]
        return {k: imgaug_value(x) for k, x in v.items()}
    return v


def imgaug_entry(entry):
    (name, args), = entry.items()
    args = dict(args or {})
    if name == "Sequential":
        return iaa.Sequential([imgaug_entry(c) for c in args["children"]],
                              random_order=args.get("random_order", False))
    if name == "Sometimes":
        return iaa.Sometimes(args.get("p", 0.5), [imgaug_entry(c) for c in args.get("then", [])],
                             [imgaug_entry(c) for c in args.get("else", [])] or None)
    if name == "SomeOf":
        return iaa.SomeOf(imgaug_value(args.get("n")), [imgaug_entry(c) for c in args["children"]],
                          random_order=args.get("random_order", False))
    if name == "OneOf":
        return iaa.OneOf([imgaug_entry(c) for c in args["children"]])
    return imgaug_class(name)(**{k: imgaug_value(v) for k, v in args.items()})


# MedAug names whose imgaug class lives elsewhere: imgaug 0.4.0 has Equalize and
# Autocontrast only in its pillike module.
IMGAUG_ALIASES = {"Equalize": "pillike.Equalize", "Autocontrast": "pillike.Autocontrast"}


def imgaug_class(name):
    """imgaug's augmenter class for a pipeline name: a top-level name
    (iaa.X), a dotted one (pillike.X -> iaa.pillike.X) or an alias above."""
    obj = iaa
    for part in IMGAUG_ALIASES.get(name, name).split("."):
        obj = getattr(obj, part)
    return obj


def imgaug_pipeline(entries):
    return iaa.Sequential([imgaug_entry(e) for e in entries])


# ---------------------------------------------------------------- cases
# (name, setting, pipeline entries, albumentations transform or None,
#  OpenCV function of one image or None)

def affine_matrix(h, w, rotate, scale):
    # imgaug's rotation is clockwise on screen about the pixel-centre centre.
    return cv2.getRotationMatrix2D((w / 2 - 0.5, h / 2 - 0.5), -rotate, scale)


def cases():
    m = affine_matrix(augment_images.SIZE, augment_images.SIZE, 30, 0.9)
    size = (augment_images.SIZE, augment_images.SIZE)
    c = [
        ("Fliplr", "p=1", [{"Fliplr": {"p": 1}}], A.HorizontalFlip(p=1), lambda x: cv2.flip(x, 1)),
        ("Flipud", "p=1", [{"Flipud": {"p": 1}}], A.VerticalFlip(p=1), lambda x: cv2.flip(x, 0)),
    ]
    for order, interp in ((0, cv2.INTER_NEAREST), (1, cv2.INTER_LINEAR), (3, cv2.INTER_CUBIC)):
        c.append(("Affine", f"rotate=30 scale=0.9 order={order} constant",
                  [{"Affine": {"rotate": 30, "scale": 0.9, "order": order, "mode": "constant"}}],
                  A.Affine(rotate=30, scale=0.9, interpolation=interp, mode=cv2.BORDER_CONSTANT, cval=0, p=1),
                  lambda x, i=interp: cv2.warpAffine(x, m, size, flags=i, borderMode=cv2.BORDER_CONSTANT)))
    c.append(("Affine", "aug1 ranges (scale, rotate, shear), order=1",
              [{"Affine": {"scale": [0.8, 1.2], "rotate": [-45, 45], "shear": [-16, 16], "order": 1,
                           "mode": "constant"}}], None, None))
    c.append(("CropAndPad", "percent=[-0.1, 0.1] keep_size",
              [{"CropAndPad": {"percent": [-0.1, 0.1], "pad_mode": "constant", "keep_size": True}}], None, None))
    for s, k in ((1.0, 5), (2.0, 7), (3.0, 9)):
        c.append(("GaussianBlur", f"sigma={s} (k={k})", [{"GaussianBlur": {"sigma": s}}],
                  A.GaussianBlur(blur_limit=(k, k), sigma_limit=(s, s), p=1),
                  lambda x, k=k, s=s: cv2.GaussianBlur(x, (k, k), sigmaX=s, sigmaY=s,
                                                       borderType=cv2.BORDER_REFLECT_101)))
    c.append(("AverageBlur", "k=5", [{"AverageBlur": {"k": 5}}], A.Blur(blur_limit=(5, 5), p=1),
              lambda x: cv2.blur(x, (5, 5))))
    for k in (3, 5, 7, 11):
        c.append(("MedianBlur", f"k={k}", [{"MedianBlur": {"k": k}}], A.MedianBlur(blur_limit=(k, k), p=1),
                  lambda x, k=k: cv2.medianBlur(x, k)))
    c.append(("BilateralBlur", "d=7 sigma_color=75 sigma_space=75",
              [{"BilateralBlur": {"d": 7, "sigma_color": 75, "sigma_space": 75}}], None,
              lambda x: cv2.bilateralFilter(x, 7, 75, 75)))
    c.append(("MotionBlur", "k=7 angle=45 direction=0.5",
              [{"MotionBlur": {"k": 7, "angle": 45, "direction": 0.5}}], None, None))
    c.append(("Sharpen", "alpha=0.5 lightness=1.2", [{"Sharpen": {"alpha": 0.5, "lightness": 1.2}}], None, None))
    c.append(("Emboss", "alpha=0.5 strength=1", [{"Emboss": {"alpha": 0.5, "strength": 1.0}}], None, None))
    c.append(("EdgeDetect", "alpha=0.7", [{"EdgeDetect": {"alpha": 0.7}}], None, None))
    c.append(("DirectedEdgeDetect", "alpha=0.7 direction=0.3",
              [{"DirectedEdgeDetect": {"alpha": 0.7, "direction": 0.3}}], None, None))
    c.append(("Dropout", "p=0.05", [{"Dropout": {"p": 0.05}}], None, None))
    c.append(("CoarseDropout", "p=0.1 size_percent=0.05",
              [{"CoarseDropout": {"p": 0.1, "size_percent": 0.05}}], None, None))
    c.append(("TotalDropout", "p=1", [{"TotalDropout": {"p": 1}}], None, None))
    c.append(("Multiply", "mul=1.2", [{"Multiply": {"mul": 1.2}}], None, None))
    c.append(("Add", "value=20", [{"Add": {"value": 20}}], None, None))
    c.append(("MultiplyAndAddToBrightness", "mul=1.2 add=10, colour space per image (default list)",
              [{"MultiplyAndAddToBrightness": {"mul": 1.2, "add": 10}}], None, None))
    c.append(("UniformColorQuantization", "n_colors=8", [{"UniformColorQuantization": {"n_colors": 8}}],
              None, None))
    c.append(("Superpixels", "p_replace=1 n_segments=100 (max_size 128)",
              [{"Superpixels": {"p_replace": 1, "n_segments": 100}}], None, None))
    c.append(("Superpixels", "p_replace=[0.1, 1] n_segments=[100, 200] (as in aug2)",
              [{"Superpixels": {"p_replace": [0.1, 1.0], "n_segments": [100, 200]}}], None, None))
    return c


# ---------------------------------------------------------------- timing

def best_rate(fn, items, trials, min_seconds):
    """Best images/s over `trials` runs of at least min_seconds; fn(items) does one pass."""
    fn(items)  # warm-up
    best = 0.0
    for _ in range(trials):
        n, t0 = 0, time.perf_counter()
        while True:
            fn(items)
            n += 1
            dt = time.perf_counter() - t0
            if dt >= min_seconds:
                break
        best = max(best, n * len(items) / dt)
    return best


def ours_rate(binary, *args, trials, min_seconds):
    best = 0.0
    for _ in range(trials):
        p = subprocess.run([binary, *args, "--repeat", "1", "--min-seconds", str(min_seconds)],
                           capture_output=True, text=True)
        if p.returncode != 0:
            raise RuntimeError(f"{binary} {' '.join(args)}: {p.stderr}")
        best = max(best, json.loads(p.stdout)["images_per_s"])
    return best


machine = report_section.machine
blas_info = report_section.blas_info


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=".build/release/medaug-augbench")
    ap.add_argument("--images", type=int, default=16)
    ap.add_argument("--trials", type=int, default=3)
    ap.add_argument("--min-seconds", type=float, default=0.5)
    ap.add_argument("--write", help="replace the generated section of this markdown file (BENCHMARKS.md)")
    ap.add_argument("--build-flags", default="",
                    help="the swift build flags the binary was built with (recorded in the report)")
    ap.add_argument("--only", help="comma-separated augmenter names (quick checks)")
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="medaug-augbench-")
    rgb, _ = augment_images.make_images(count=args.images)
    in_dir = os.path.join(work, "in")
    augment_images.write_dir(in_dir, rgb)
    batch = np.stack([img for _, img in rgb])
    images = [img for _, img in rgb]
    cores = os.cpu_count()
    ts, mins = args.trials, args.min_seconds
    load0 = os.getloadavg()
    started = time.time()

    def ours(entries, threads=1):
        path = os.path.join(work, f"p{abs(hash(json.dumps(entries)))}.json")
        with open(path, "w") as f:
            json.dump(entries, f)
        return ours_rate(args.binary, "time", path, in_dir, "--threads", str(threads), trials=ts, min_seconds=mins)

    def imgaug_rate(aug):
        imgaug.seed(1)
        return best_rate(lambda b: aug(images=b), batch, ts, mins)

    aug_rows = []
    only = set(args.only.split(",")) if args.only else None
    for name, setting, entries, alb, cvf in cases():
        if only and name not in only:
            continue
        row = {"augmenter": name, "setting": setting,
               "ours": ours(entries),
               "imgaug": imgaug_rate(imgaug_pipeline(entries))}
        if alb is not None:
            row["albumentations"] = best_rate(lambda xs: [alb(image=x)["image"] for x in xs], images, ts, mins)
        if cvf is not None:
            row["opencv"] = best_rate(lambda xs: [cvf(x) for x in xs], images, ts, mins)
        aug_rows.append(row)
        print(json.dumps(row), flush=True)

    slic_rows = []
    for n in (100, 200):
        o = ours_rate(args.binary, "slic", in_dir, "--n-segments", str(n), "--compactness", "10",
                      "--threads", "1", "--time", trials=ts, min_seconds=mins)
        r = best_rate(lambda xs: [skimage.segmentation.slic(x, n_segments=n, compactness=10, start_label=0)
                                  for x in xs], images, ts, mins)
        slic_rows.append({"n_segments": n, "ours": o, "skimage": r})
        print(json.dumps(slic_rows[-1]), flush=True)
    # The size Superpixels segments at (max_size 128).
    small = [cv2.resize(x, (128, 128), interpolation=cv2.INTER_LINEAR) for x in images]
    small_dir = os.path.join(work, "small")
    augment_images.write_dir(small_dir, [(f"s{i}.png", x) for i, x in enumerate(small)])
    o = ours_rate(args.binary, "slic", small_dir, "--n-segments", "100", "--compactness", "10",
                  "--threads", "1", "--time", trials=ts, min_seconds=mins)
    r = best_rate(lambda xs: [skimage.segmentation.slic(x, n_segments=100, compactness=10, start_label=0)
                              for x in xs], small, ts, mins)
    slic_rows.append({"n_segments": 100, "size": 128, "ours": o, "skimage": r})
    print(json.dumps(slic_rows[-1]), flush=True)

    pipe_rows = []
    for p in ("aug1", "aug2", "aug3"):
        path = os.path.join(ROOT, "pipelines", f"{p}.yaml")
        with open(path) as f:
            entries = yaml.safe_load(f)
        single = ours_rate(args.binary, "time", path, in_dir, "--threads", "1", trials=ts, min_seconds=2 * mins)
        multi = ours_rate(args.binary, "time", path, in_dir, "--threads", str(cores), trials=ts, min_seconds=2 * mins)
        ref = imgaug_rate(imgaug_pipeline(entries))
        pipe_rows.append({"pipeline": p, "ours": single, "ours_all_cores": multi, "imgaug": ref})
        print(json.dumps(pipe_rows[-1]), flush=True)

    text, misses = report(aug_rows, slic_rows, pipe_rows, args, load0, time.time() - started)
    print()
    print(text)
    if args.write:
        replace_section(args.write, text)
        print(f"wrote {args.write}")
    if misses:
        print("targets missed: " + "; ".join(misses))


def ratio(a, b):
    return f"{a / b:.2f}x" if a and b else "-"


def rate(v):
    if v is None:
        return "-"
    return f"{v:,.0f}" if v >= 100 else f"{v:.1f}"


def report(aug_rows, slic_rows, pipe_rows, args, load0, elapsed):
    model, cores = machine()
    out = []
    w = out.append
    w("## Augmentation: MedAug against imgaug, albumentations, OpenCV, scikit-image\n")
    flags = args.build_flags.strip()
    w(f"Command: `make bench-aug` (= `swift build {flags + ' ' if flags else ''}-c release --product medaug-augbench -j 2`, then "
      "`env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 "
      "$(bash parity/setup.sh)/bin/python Benchmarks/augment_bench.py --binary .build/release/medaug-augbench "
      f"--build-flags '{flags}' --write BENCHMARKS.md`).\n")
    w("MedAug build: " + ("`" + flags + "`: AVX2/FMA code generation, which `scripts/cpu-flags.sh` picks because this "
                          "processor has it (OpenCV picks AVX2 at run time here too). `make CPU_FLAGS=` gives a "
                          "baseline x86-64 (SSE2) build; its figures are in the notes below.\n"
                          if flags else "baseline x86-64 (SSE2 only; `make CPU_FLAGS=`).\n"))
    w(f"Machine: {model}, nproc {cores}, {platform.system()} {platform.machine()}; "
      f"run {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, {elapsed:.0f} s; "
      f"load average before the run {load0[0]:.2f} (the 2 cores are shared with other work, so single numbers "
      f"can move by 10-40% between runs; see the notes). Python {platform.python_version()}, imgaug {imgaug.__version__}, "
      f"albumentations {A.__version__}, OpenCV {cv2.__version__} (cv2.setNumThreads(1)), "
      f"scikit-image {skimage.__version__}, numpy {np.__version__}; BLAS: {blas_info()}; "
      f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}, "
      f"OPENBLAS_L2_SIZE={os.environ.get('OPENBLAS_L2_SIZE', '(unset)')}.\n")
    w(f"Images: {args.images} seeded RGB 224x224 images (`parity/augment_images.py`), in memory; "
      f"images/s = best of {args.trials} runs of >= {args.min_seconds} s (pipelines >= {2 * args.min_seconds} s). "
      "Ratios are MedAug's speed over the other's (> 1: MedAug faster). MedAug single-threaded unless said. "
      "imgaug gets the whole list per call (its batch path); albumentations and OpenCV one call per image. "
      "Random augmenters (the dropouts, MultiplyAndAddToBrightness's colour space, the pipelines) draw "
      "different values in each library, so those rows compare typical, not identical, work.\n")
    misses = []
    w("### Each augmenter (single-threaded)\n")
    w("| augmenter | setting | MedAug img/s | imgaug img/s | albumentations img/s | OpenCV img/s | vs imgaug | vs albumentations | vs OpenCV |")
    w("|---|---|---|---|---|---|---|---|---|")
    for r in aug_rows:
        alb, cvr = r.get("albumentations"), r.get("opencv")
        w(f"| {r['augmenter']} | {r['setting']} | {rate(r['ours'])} | {rate(r['imgaug'])} | {rate(alb)} | "
          f"{rate(cvr)} | {ratio(r['ours'], r['imgaug'])} | {ratio(r['ours'], alb) if alb else '-'} | "
          f"{ratio(r['ours'], cvr) if cvr else '-'} |")
        if r["augmenter"] in ("Fliplr", "Flipud", "Affine", "GaussianBlur", "MedianBlur") and alb and r["ours"] < alb:
            misses.append(f"{r['augmenter']} {r['setting']}: {r['ours'] / alb:.2f}x albumentations")
    w("")
    w("### SLIC alone (single-threaded, compactness 10)\n")
    w("| image | n_segments | MedAug img/s | skimage.segmentation.slic img/s | speed-up |")
    w("|---|---|---|---|---|")
    for r in slic_rows:
        sz = r.get("size", augment_images.SIZE)
        w(f"| RGB {sz}x{sz} | {r['n_segments']} | {rate(r['ours'])} | {rate(r['skimage'])} | "
          f"{ratio(r['ours'], r['skimage'])} |")
        if r["ours"] < 10 * r["skimage"]:
            misses.append(f"SLIC {sz}px n={r['n_segments']}: {r['ours'] / r['skimage']:.1f}x skimage (target 10x)")
    w("")
    w(f"### Whole pipelines (pipelines/aug1-3.yaml)\n")
    w(f"| pipeline | MedAug 1 thread img/s | MedAug {cores} threads img/s | imgaug img/s | speed-up 1 thread | speed-up {cores} threads |")
    w("|---|---|---|---|---|---|")
    for r in pipe_rows:
        w(f"| {r['pipeline']} | {rate(r['ours'])} | {rate(r['ours_all_cores'])} | {rate(r['imgaug'])} | "
          f"{ratio(r['ours'], r['imgaug'])} | {ratio(r['ours_all_cores'], r['imgaug'])} |")
        if r["pipeline"] == "aug3" and r["ours_all_cores"] < 10 * r["imgaug"]:
            misses.append(f"aug3 on all cores: {r['ours_all_cores'] / r['imgaug']:.1f}x imgaug (target 10x)")
    w("")
    w("### Targets\n")
    w("| target | result |")
    w("|---|---|")
    a3 = next(r for r in pipe_rows if r["pipeline"] == "aug3")
    # The issue asks single-threaded figures of SLIC and the single augmenters, but of aug3 only the
    # ratio: MedAug as it runs (all cores, one image per thread), imgaug as it runs (one core per call).
    w(f"| aug3 >= 10x imgaug (MedAug on all {cores} cores, imgaug's call on one) | "
      f"{'met' if a3['ours_all_cores'] >= 10 * a3['imgaug'] else 'MISSED'}: "
      f"{a3['ours_all_cores'] / a3['imgaug']:.1f}x on {cores} threads ({a3['ours'] / a3['imgaug']:.1f}x on one) |")
    worst_slic = min(r["ours"] / r["skimage"] for r in slic_rows)
    w(f"| SLIC >= 10x skimage, single-threaded | {'met' if worst_slic >= 10 else 'MISSED'}: "
      f"{', '.join(ratio(r['ours'], r['skimage']) for r in slic_rows)} |")
    for name in ("Fliplr", "Flipud", "Affine", "GaussianBlur", "MedianBlur"):
        sel = [r for r in aug_rows if r["augmenter"] == name and r.get("albumentations")]
        if not sel:
            continue
        ok = all(r["ours"] >= r["albumentations"] for r in sel)
        w(f"| {name} >= albumentations (single-threaded) | {'met' if ok else 'MISSED'}: "
          f"{', '.join(ratio(r['ours'], r['albumentations']) + ' (' + r['setting'] + ')' for r in sel)} |")
    w("")
    return "\n".join(out), misses


BEGIN = "<!-- BEGIN augment_bench.py output -->"
END = "<!-- END augment_bench.py output -->"


def replace_section(path, text):
    report_section.replace_section(path, text, BEGIN, END, title="# MedAug benchmarks\n")


if __name__ == "__main__":
    main()
