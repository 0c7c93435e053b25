"""Today's fastest CPU augmenter as the yardstick: MedAug's augmenters against
AlbumentationsX (Benchmarks/setup-albumentationsx.sh), with albumentations
1.3.1 and imgaug 0.4.0 (the parity venv, parity/setup.sh) on the same images
and parameters, following AlbumentationsX's own benchmark protocol
(github.com/albumentations-team/benchmark, "micro" image benchmarks):

- decoded uint8 RGB images already in memory; one call per image, and the
  result forced into contiguous memory before the clock stops (flips and
  crops return strided views: np.ascontiguousarray, as a next step would);
- one thread: cv2.setNumThreads(0), cv2.ocl.setUseOpenCL(False),
  OMP/OPENBLAS/MKL/VECLIB/NUMEXPR_NUM_THREADS=1, torch.set_num_threads(1);
  MedAug `medaug-augbench time ... --threads 1`;
- ImageNet-validation-size photographs (about 500x375): made offline from
  scikit-image's bundled photographs (Benchmarks/bench_images.py), at 500x375
  and at 224x224;
- p=1 (always applied) and fixed parameters where both libraries allow.

Run by `make bench-aug`, in the AlbumentationsX venv:
    python Benchmarks/albumentationsx_bench.py --binary .build/release/medaug-augbench \
        --parity-python "$(bash parity/setup.sh)/bin/python" [--write BENCHMARKS.md]

The albumentations 1.3.1 and imgaug 0.4.0 columns come from this same file
run as a worker in the parity venv's Python (`--worker`), started once and fed
one case at a time, so the four libraries are timed side by side on the same
PNG files. Each number is the best of --trials runs of at least
--min-seconds.
"""
import argparse
import datetime
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time

# One thread, as AlbumentationsX's benchmark does (its "micro-single" policy),
# before numpy, OpenCV or torch are loaded.
for _k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "VECLIB_MAXIMUM_THREADS",
           "NUMEXPR_NUM_THREADS"):
    os.environ[_k] = "1"
# No network calls from AlbumentationsX (telemetry, version checks).
os.environ.setdefault("ALBUMENTATIONS_NO_TELEMETRY", "1")
os.environ.setdefault("ALBUMENTATIONS_OFFLINE", "1")
os.environ.setdefault("NO_ALBUMENTATIONS_UPDATE", "1")

import cv2  # noqa: E402
import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, ".."))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "parity"))
import bench_images  # noqa: E402
import report_section  # noqa: E402

cv2.setNumThreads(0)
cv2.ocl.setUseOpenCL(False)

BEGIN = "<!-- BEGIN albumentationsx_bench.py output -->"
END = "<!-- END albumentationsx_bench.py output -->"

# ---------------------------------------------------------------- cases
# imgaug (and MedAug) rotate clockwise for positive angles, albumentations
# counter-clockwise: the albumentations rows use the negated angle, so that
# both sides compute the same image (checked: identical to +-1 on >= 99.8% of
# samples, as are the flips, Pad, Crop, the blurs, Sharpen, Emboss, Multiply,
# Add and the HSV brightness row).
# Each case: MedAug pipeline entries (imgaug's names; imgaug 0.4.0 runs the same
# entries), and constructors of the AlbumentationsX 2.x ("ax") and
# albumentations 1.3.1 ("a1") transforms, each a function of (A, height, width)
# so that this table loads in both venvs. "probe": MedAug may not have the
# augmenter; the row runs only if medaug-augbench accepts the pipeline.

LIN, NEAREST, CUBIC, CONST = 1, 0, 2, 0  # cv2.INTER_LINEAR, INTER_NEAREST, INTER_CUBIC, BORDER_CONSTANT


def coarse_holes(h, w, p=0.1, size_percent=0.05, min_size=3):
    """imgaug's CoarseDropout(p, size_percent) as holes of one size: its mask
    is max(3, int(side * size_percent)) cells a side, each dropped with
    probability p and enlarged to the image; the same expected number of
    holes of the cell's size."""
    mh, mw = max(min_size, int(h * size_percent)), max(min_size, int(w * size_percent))
    return max(1, round(p * mh * mw)), math.ceil(h / mh), math.ceil(w / mw)


def _case(name, setting, entries, ax, a1, ax_text, probe=False, note=""):
    return {"name": name, "setting": setting, "entries": entries, "ax": ax, "a1": a1,
            "ax_text": ax_text, "probe": probe, "note": note}


def cases():
    c = []
    add = c.append
    add(_case("Fliplr", "p=1", lambda h, w: [{"Fliplr": {"p": 1}}],
              lambda A, h, w: A.HorizontalFlip(p=1), lambda A, h, w: A.HorizontalFlip(p=1),
              "HorizontalFlip(p=1)"))
    add(_case("Flipud", "p=1", lambda h, w: [{"Flipud": {"p": 1}}],
              lambda A, h, w: A.VerticalFlip(p=1), lambda A, h, w: A.VerticalFlip(p=1),
              "VerticalFlip(p=1)"))
    for order, interp, iname in ((1, LIN, "linear"), (3, CUBIC, "cubic")):
        add(_case("Affine", f"rotate=30 scale=0.9 order={order} constant",
                  lambda h, w, o=order: [{"Affine": {"rotate": 30, "scale": 0.9, "order": o, "mode": "constant"}}],
                  lambda A, h, w, i=interp: A.Affine(rotate=(-30, -30), scale=(0.9, 0.9), interpolation=i,
                                                     border_mode=CONST, fill=0, p=1),
                  lambda A, h, w, i=interp: A.Affine(rotate=-30, scale=0.9, interpolation=i, mode=CONST, cval=0, p=1),
                  f"Affine(rotate=-30, scale=0.9, {iname}, constant)"))
    # AlbumentationsX's own Affine spec (angle 25, shift 20 px, scale 2, shear 10, bilinear, constant).
    add(_case("Affine", "rotate=25 translate_px=20 scale=2 shear=10 order=1 (AlbumentationsX's spec)",
              lambda h, w: [{"Affine": {"rotate": 25, "translate_px": {"x": 20, "y": 20}, "scale": 2.0,
                                        "shear": {"x": 10, "y": 0}, "order": 1, "mode": "constant"}}],
              lambda A, h, w: A.Affine(rotate=(25, 25), translate_px=(20, 20), scale=(2.0, 2.0),
                                       shear={"x": (10, 10), "y": (0, 0)}, interpolation=LIN,
                                       border_mode=CONST, fill=0, p=1),
              lambda A, h, w: A.Affine(rotate=25, translate_px=20, scale=2.0, shear={"x": 10, "y": 0},
                                       interpolation=LIN, mode=CONST, cval=0, p=1),
              "Affine(rotate=25, translate_px=20, scale=2, shear x=10, linear, constant): one warp as well, "
              "though the libraries compose the matrix differently"))
    add(_case("Affine", "rotate=45 order=0 constant (= Rotate)",
              lambda h, w: [{"Affine": {"rotate": 45, "order": 0, "mode": "constant"}}],
              lambda A, h, w: A.Rotate(angle_range=(-45, -45), interpolation=NEAREST, border_mode=CONST, fill=0, p=1),
              lambda A, h, w: A.Rotate(limit=(-45, -45), interpolation=NEAREST, border_mode=CONST, value=0, p=1),
              "Rotate(-45, nearest, constant)"))
    add(_case("CropAndPad", "percent=[-0.1, 0.1] keep_size",
              lambda h, w: [{"CropAndPad": {"percent": [-0.1, 0.1], "pad_mode": "constant", "keep_size": True}}],
              lambda A, h, w: A.CropAndPad(percent=(-0.1, 0.1), keep_size=True, sample_independently=True,
                                           border_mode=CONST, fill=0, interpolation=LIN, p=1),
              lambda A, h, w: A.CropAndPad(percent=(-0.1, 0.1), keep_size=True, sample_independently=True,
                                           pad_mode=CONST, pad_cval=0, interpolation=LIN, p=1),
              "CropAndPad(percent=(-0.1, 0.1), keep_size)"))
    add(_case("CropAndPad", "px=10 keep_size=false (= Pad 10)",
              lambda h, w: [{"CropAndPad": {"px": 10, "pad_mode": "constant", "keep_size": False}}],
              lambda A, h, w: A.Pad(padding=10, border_mode=CONST, fill=0, p=1),
              lambda A, h, w: A.PadIfNeeded(min_height=h + 20, min_width=w + 20, border_mode=CONST, value=0, p=1),
              "Pad(10, constant) (1.3.1: PadIfNeeded)"))
    add(_case("CropAndPad", "px=-20 keep_size=false (= Crop 20)",
              lambda h, w: [{"CropAndPad": {"px": -20, "keep_size": False}}],
              lambda A, h, w: A.Crop(x_min=20, y_min=20, x_max=w - 20, y_max=h - 20, p=1),
              lambda A, h, w: A.Crop(x_min=20, y_min=20, x_max=w - 20, y_max=h - 20, p=1),
              "Crop(20 px a side)"))
    for s, k in ((1.0, 5), (2.0, 7)):
        add(_case("GaussianBlur", f"sigma={s} (k={k})", lambda h, w, s=s: [{"GaussianBlur": {"sigma": s}}],
                  lambda A, h, w, s=s, k=k: A.GaussianBlur(blur_range=(k, k), sigma_range=(s, s), p=1),
                  lambda A, h, w, s=s, k=k: A.GaussianBlur(blur_limit=(k, k), sigma_limit=(s, s), p=1),
                  f"GaussianBlur(k={k}, sigma={s})"))
    add(_case("AverageBlur", "k=5", lambda h, w: [{"AverageBlur": {"k": 5}}],
              lambda A, h, w: A.Blur(blur_range=(5, 5), p=1), lambda A, h, w: A.Blur(blur_limit=(5, 5), p=1),
              "Blur(5)"))
    for k in (3, 5, 7):
        add(_case("MedianBlur", f"k={k}", lambda h, w, k=k: [{"MedianBlur": {"k": k}}],
                  lambda A, h, w, k=k: A.MedianBlur(blur_range=(k, k), p=1),
                  lambda A, h, w, k=k: A.MedianBlur(blur_limit=(k, k), p=1), f"MedianBlur({k})"))
    add(_case("MotionBlur", "k=7 angle=45 direction=0.5",
              lambda h, w: [{"MotionBlur": {"k": 7, "angle": 45, "direction": 0.5}}],
              lambda A, h, w: A.MotionBlur(blur_range=(7, 7), angle_range=(45, 45), direction_range=(0.5, 0.5),
                                           allow_shifted=False, p=1),
              lambda A, h, w: A.MotionBlur(blur_limit=(7, 7), allow_shifted=False, p=1),
              "MotionBlur(7, angle 45, direction 0.5) (1.3.1: random angle)"))
    add(_case("Sharpen", "alpha=0.5 lightness=1.2", lambda h, w: [{"Sharpen": {"alpha": 0.5, "lightness": 1.2}}],
              lambda A, h, w: A.Sharpen(alpha_range=(0.5, 0.5), lightness_range=(1.2, 1.2), method="kernel", p=1),
              lambda A, h, w: A.Sharpen(alpha=(0.5, 0.5), lightness=(1.2, 1.2), p=1),
              "Sharpen(alpha=0.5, lightness=1.2, kernel)"))
    add(_case("Emboss", "alpha=0.5 strength=1", lambda h, w: [{"Emboss": {"alpha": 0.5, "strength": 1.0}}],
              lambda A, h, w: A.Emboss(alpha_range=(0.5, 0.5), strength_range=(1.0, 1.0), p=1),
              lambda A, h, w: A.Emboss(alpha=(0.5, 0.5), strength=(1.0, 1.0), p=1),
              "Emboss(alpha=0.5, strength=1)"))
    add(_case("Dropout", "p=0.05", lambda h, w: [{"Dropout": {"p": 0.05}}],
              lambda A, h, w: A.PixelDropout(dropout_prob=0.05, per_channel=False, drop_value=0, p=1),
              lambda A, h, w: A.PixelDropout(dropout_prob=0.05, per_channel=False, drop_value=0, p=1),
              "PixelDropout(0.05)"))

    def coarse_ax(A, h, w):
        n, hh, ww = coarse_holes(h, w)
        return A.CoarseDropout(num_holes_range=(n, n), hole_height_range=(hh, hh), hole_width_range=(ww, ww),
                               fill=0, p=1)

    def coarse_a1(A, h, w):
        n, hh, ww = coarse_holes(h, w)
        return A.CoarseDropout(max_holes=n, min_holes=n, max_height=hh, min_height=hh, max_width=ww,
                               min_width=ww, fill_value=0, p=1)

    add(_case("CoarseDropout", "p=0.1 size_percent=0.05", lambda h, w: [{"CoarseDropout": {"p": 0.1,
                                                                                           "size_percent": 0.05}}],
              coarse_ax, coarse_a1, "CoarseDropout(holes of imgaug's cell size, as many as imgaug drops on average: "
              "224x224: 12 of 21x21 px; 500x375: 45 of 21x20 px)"))
    add(_case("Multiply", "mul=1.2", lambda h, w: [{"Multiply": {"mul": 1.2}}],
              lambda A, h, w: A.RandomBrightnessContrast(brightness_range=(0.2, 0.2), contrast_range=(0, 0), p=1),
              lambda A, h, w: A.RandomBrightnessContrast(brightness_limit=(0, 0), contrast_limit=(0.2, 0.2),
                                                         brightness_by_max=True, p=1),
              "RandomBrightnessContrast(brightness x1.2) (1.3.1: contrast x1.2, its plain multiply)"))
    add(_case("Add", "value=20", lambda h, w: [{"Add": {"value": 20}}],
              lambda A, h, w: A.RandomBrightnessContrast(brightness_range=(20 / 255, 20 / 255), contrast_range=(0, 0),
                                                         brightness_by_max=True, p=1),
              lambda A, h, w: A.RandomBrightnessContrast(brightness_limit=(20 / 255, 20 / 255), contrast_limit=(0, 0),
                                                         brightness_by_max=True, p=1),
              "RandomBrightnessContrast(+20, brightness_by_max)"))
    add(_case("MultiplyAndAddToBrightness", "to_colorspace=HSV mul=1 add=20",
              lambda h, w: [{"MultiplyAndAddToBrightness": {"mul": 1.0, "add": 20, "to_colorspace": "HSV"}}],
              lambda A, h, w: A.HueSaturationValue(hue_shift_range=(0, 0), sat_shift_range=(0, 0),
                                                   val_shift_range=(20, 20), p=1),
              lambda A, h, w: A.HueSaturationValue(hue_shift_limit=(0, 0), sat_shift_limit=(0, 0),
                                                   val_shift_limit=(20, 20), p=1),
              "HueSaturationValue(V+20): RGB->HSV->RGB"))
    add(_case("UniformColorQuantization", "n_colors=8", lambda h, w: [{"UniformColorQuantization": {"n_colors": 8}}],
              lambda A, h, w: A.Posterize(num_bits=(3, 3), p=1), lambda A, h, w: A.Posterize(num_bits=3, p=1),
              "Posterize(3 bits = 8 levels a channel)", note="8 levels a channel on both sides"))
    add(_case("Superpixels", "p_replace=1 n_segments=100 (max_size 128)",
              lambda h, w: [{"Superpixels": {"p_replace": 1, "n_segments": 100}}],
              lambda A, h, w: A.Superpixels(p_replace_range=(1, 1), n_segments_range=(100, 100), max_size=128, p=1),
              lambda A, h, w: A.Superpixels(p_replace=(1, 1), n_segments=(100, 100), max_size=128, p=1),
              "Superpixels(p_replace=1, n_segments=100, max_size=128)"))
    add(_case("Superpixels", "p_replace=1 n_segments=200 full resolution",
              lambda h, w: [{"Superpixels": {"p_replace": 1, "n_segments": 200, "max_size": None}}],
              lambda A, h, w: A.Superpixels(p_replace_range=(1, 1), n_segments_range=(200, 200), max_size=None, p=1),
              lambda A, h, w: A.Superpixels(p_replace=(1, 1), n_segments=(200, 200), max_size=None, p=1),
              "Superpixels(p_replace=1, n_segments=200, max_size=None)"))
    # Rows MedAug may not have (yet): imgaug's names and arguments; run only if
    # medaug-augbench accepts the pipeline.
    add(_case("Invert", "p=1", lambda h, w: [{"Invert": {"p": 1}}],
              lambda A, h, w: A.InvertImg(p=1), lambda A, h, w: A.InvertImg(p=1), "InvertImg", probe=True))
    add(_case("Solarize", "threshold=128", lambda h, w: [{"Solarize": {"p": 1, "threshold": 128}}],
              lambda A, h, w: A.Solarize(threshold_range=(0.5, 0.5), p=1),
              lambda A, h, w: A.Solarize(threshold=128, p=1), "Solarize(128)", probe=True))
    add(_case("Posterize", "nb_bits=4", lambda h, w: [{"Posterize": {"nb_bits": 4}}],
              lambda A, h, w: A.Posterize(num_bits=(4, 4), p=1), lambda A, h, w: A.Posterize(num_bits=4, p=1),
              "Posterize(4)", probe=True))
    add(_case("Grayscale", "alpha=1", lambda h, w: [{"Grayscale": {"alpha": 1.0}}],
              lambda A, h, w: A.ToGray(num_output_channels=3, p=1), lambda A, h, w: A.ToGray(p=1),
              "ToGray(3 channels)", probe=True))
    add(_case("ChannelShuffle", "p=1", lambda h, w: [{"ChannelShuffle": {"p": 1}}],
              lambda A, h, w: A.ChannelShuffle(p=1), lambda A, h, w: A.ChannelShuffle(p=1), "ChannelShuffle",
              probe=True))
    add(_case("AdditiveGaussianNoise", "scale=25.5 per_channel",
              lambda h, w: [{"AdditiveGaussianNoise": {"scale": 25.5, "per_channel": True}}],
              lambda A, h, w: A.GaussNoise(std_range=(0.1, 0.1), per_channel=True, p=1),
              lambda A, h, w: A.GaussNoise(var_limit=(650.25, 650.25), per_channel=True, p=1),
              "GaussNoise(std 0.1 = 25.5, per channel)", probe=True))
    add(_case("LinearContrast", "alpha=1.2", lambda h, w: [{"LinearContrast": {"alpha": 1.2}}],
              lambda A, h, w: A.RandomBrightnessContrast(brightness_range=(0, 0), contrast_range=(0.2, 0.2), p=1),
              None, "RandomBrightnessContrast(contrast x1.2 about the mean)", probe=True))
    add(_case("HistogramEqualization", "", lambda h, w: [{"HistogramEqualization": {}}],
              lambda A, h, w: A.Equalize(mode="cv", by_channels=False, p=1),
              lambda A, h, w: A.Equalize(mode="cv", by_channels=False, p=1), "Equalize(luma)", probe=True))
    add(_case("PerspectiveTransform", "scale=[0.05, 0.1]",
              lambda h, w: [{"PerspectiveTransform": {"scale": [0.05, 0.1]}}],
              lambda A, h, w: A.Perspective(scale=(0.05, 0.1), p=1),
              lambda A, h, w: A.Perspective(scale=(0.05, 0.1), p=1), "Perspective(0.05-0.1)", probe=True))
    for i, x in enumerate(c):
        x["id"] = i
    return c


# ---------------------------------------------------------------- timing

def best_rate(call, images, trials, min_seconds):
    """Best images/s of `trials` runs, one call per image, cycling through the
    images. A run lasts at least min_seconds and ends after a whole pass
    unless it has taken 3 x min_seconds (slow augmenters on large images)."""
    n = len(images)
    t0 = time.perf_counter()
    for x in images:  # warm-up
        call(x)
        if time.perf_counter() - t0 > min_seconds:
            break
    best, i = 0.0, 0
    for _ in range(trials):
        count, t0 = 0, time.perf_counter()
        while True:
            call(images[i])
            count += 1
            i = (i + 1) % n
            dt = time.perf_counter() - t0
            if dt >= min_seconds and (i == 0 or dt >= 3 * min_seconds):
                break
        best = max(best, count / dt)
    return best


def medaug_rate(binary, pipeline, in_dir, trials, min_seconds):
    best = 0.0
    for _ in range(trials):
        p = subprocess.run([binary, "time", pipeline, in_dir, "--threads", "1", "--repeat", "1", "--warmup", "1",
                            "--min-seconds", str(min_seconds)], capture_output=True, text=True)
        if p.returncode != 0:
            raise RuntimeError(p.stderr.strip())
        best = max(best, json.loads(p.stdout)["images_per_s"])
    return best


machine = report_section.machine
blas_info = report_section.blas_info


# ---------------------------------------------------------------- parity-venv worker

def worker(dirs):
    """albumentations 1.3.1 and imgaug 0.4.0 (parity venv): reads one request
    per stdin line, {"case": id, "size": key, "trials": t, "min_seconds": s},
    and answers one line "@@{json}"."""
    import albumentations as A1
    import imgaug
    import augment_bench  # imgaug pipelines from pipeline entries (Benchmarks/augment_bench.py)
    cv2.setNumThreads(0)  # augment_bench sets 1 on import; the protocol's setting
    sets = {}
    for d in dirs:
        key = os.path.basename(d.rstrip("/"))
        sets[key] = [img for _, img in bench_images.read_dir(d)]
    table = cases()
    versions = {"albumentations": A1.__version__, "imgaug": imgaug.__version__, "opencv": cv2.__version__,
                "numpy": np.__version__, "python": platform.python_version(), "blas": blas_info()}
    print("@@" + json.dumps({"ready": True, "versions": versions}), flush=True)
    for line in sys.stdin:
        req = json.loads(line)
        case = table[req["case"]]
        images = sets[req["size"]]
        h, w = images[0].shape[:2]
        out = {}
        try:
            if case["a1"] is not None:
                t = case["a1"](A1, h, w)
                out["albumentations"] = best_rate(lambda x: np.ascontiguousarray(t(image=x)["image"]), images,
                                                  req["trials"], req["min_seconds"])
        except Exception as e:  # noqa: BLE001
            out["albumentations_error"] = f"{type(e).__name__}: {e}"
        try:
            imgaug.seed(1)
            aug = augment_bench.imgaug_pipeline(case["entries"](h, w))
            out["imgaug"] = best_rate(lambda x: np.ascontiguousarray(aug.augment_image(x)), images,
                                      req["trials"], req["min_seconds"])
        except Exception as e:  # noqa: BLE001
            out["imgaug_error"] = f"{type(e).__name__}: {e}"
        print("@@" + json.dumps(out), flush=True)


class Worker:
    def __init__(self, python, dirs):
        env = dict(os.environ)
        for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
            env.pop(k, None)
        self.p = subprocess.Popen([python, os.path.abspath(__file__), "--worker", *dirs], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True, env=env)
        self.versions = self._read()["versions"]

    def _read(self):
        while True:
            line = self.p.stdout.readline()
            if not line:
                raise RuntimeError("the parity worker ended (see its stderr above)")
            if line.startswith("@@"):
                return json.loads(line[2:])

    def ask(self, **req):
        self.p.stdin.write(json.dumps(req) + "\n")
        self.p.stdin.flush()
        return self._read()

    def close(self):
        self.p.stdin.close()
        self.p.wait(timeout=30)


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build/release/medaug-augbench"))
    ap.add_argument("--parity-python", help="the parity venv's python (albumentations 1.3.1, imgaug 0.4.0); "
                    "default: $MEDAUG_HOME/parity-imgaug-0.4.0/bin/python if present")
    ap.add_argument("--no-parity", action="store_true", help="leave out the albumentations 1.3.1 and imgaug columns")
    ap.add_argument("--images", type=int, default=16, help="images per size")
    ap.add_argument("--sizes", default="224x224,500x375", help="WxH list")
    ap.add_argument("--trials", type=int, default=3)
    ap.add_argument("--min-seconds", type=float, default=0.3)
    ap.add_argument("--only", help="comma-separated MedAug augmenter names (quick checks)")
    ap.add_argument("--write", help="replace this harness's section of a markdown file (BENCHMARKS.md)")
    ap.add_argument("--build-flags", default="", help="swift build flags of the binary (recorded in the report)")
    ap.add_argument("--json", help="also write the raw rows to this file")
    ap.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        return worker(args.worker)

    import albumentations as A
    import skimage
    import torch
    torch.set_num_threads(1)

    sizes = [tuple(int(v) for v in s.split("x")) for s in args.sizes.split(",")]
    work = tempfile.mkdtemp(prefix="medaug-axbench-")
    dirs, sets = {}, {}
    for w, h in sizes:
        key = f"{w}x{h}"
        imgs = bench_images.make_set(args.images, w, h)
        dirs[key] = os.path.join(work, key)
        bench_images.write_dir(dirs[key], imgs)
        sets[key] = [img for _, img in bench_images.read_dir(dirs[key])]  # exactly what MedAug reads
    probe_dir = os.path.join(work, "probe")
    first = sorted(os.listdir(dirs[f"{sizes[0][0]}x{sizes[0][1]}"]))[0]
    bench_images.write_dir(probe_dir, [(first, sets[f"{sizes[0][0]}x{sizes[0][1]}"][0])])

    parity_python = args.parity_python
    if parity_python is None and not args.no_parity:
        guess = os.path.join(os.environ.get("MEDAUG_HOME", os.path.expanduser("~/.cache/medaug")),
                             "parity-imgaug-0.4.0", "bin", "python")
        parity_python = guess if os.path.exists(guess) else None
    wk = None
    if parity_python and not args.no_parity:
        wk = Worker(parity_python, list(dirs.values()))
        print(f"parity worker: {wk.versions}", flush=True)
    else:
        print("no parity venv: albumentations 1.3.1 and imgaug columns left out", flush=True)

    load0 = os.getloadavg()
    started = time.time()
    only = set(args.only.split(",")) if args.only else None
    rows, skipped = [], []
    for case in cases():
        if only and case["name"] not in only:
            continue
        # Does MedAug have it? (one quick run on one image)
        h0, w0 = sets[f"{sizes[0][0]}x{sizes[0][1]}"][0].shape[:2]
        ppath = os.path.join(work, f"case{case['id']}_probe.json")
        with open(ppath, "w") as f:
            json.dump(case["entries"](h0, w0), f)
        pr = subprocess.run([args.binary, "time", ppath, probe_dir, "--repeat", "1", "--warmup", "0"],
                            capture_output=True, text=True)
        if pr.returncode != 0:
            skipped.append({"name": case["name"], "setting": case["setting"], "ax": case["ax_text"],
                            "why": pr.stderr.strip().splitlines()[-1] if pr.stderr.strip() else f"rc {pr.returncode}"})
            print(f"skip {case['name']} {case['setting']}: {skipped[-1]['why'][:120]}", flush=True)
            continue
        # How close are the two results? (one image, the first size)
        agree = None
        try:
            outp = os.path.join(work, "agree.png")
            subprocess.run([args.binary, "apply", ppath, os.path.join(probe_dir, first), outp], check=True,
                           capture_output=True)
            mine = bench_images.read_png(outp)
            theirs = np.ascontiguousarray(case["ax"](A, h0, w0)(image=sets[f"{sizes[0][0]}x{sizes[0][1]}"][0])["image"])
            if mine.shape == theirs.shape:
                agree = float(np.mean(np.abs(mine.astype(np.int16) - theirs.astype(np.int16)) <= 1) * 100)
        except Exception as e:  # noqa: BLE001
            print(f"agreement check of {case['name']} {case['setting']}: {e}", flush=True)
        for w, h in sizes:
            key = f"{w}x{h}"
            images = sets[key]
            path = os.path.join(work, f"case{case['id']}_{key}.json")
            with open(path, "w") as f:
                json.dump(case["entries"](h, w), f)
            row = {"id": case["id"], "name": case["name"], "setting": case["setting"], "size": key,
                   "megapixels": w * h / 1e6, "ax_text": case["ax_text"], "agree": agree}
            row["medaug"] = medaug_rate(args.binary, path, dirs[key], args.trials, args.min_seconds)
            try:
                t = case["ax"](A, h, w)
                row["albumentationsx"] = best_rate(lambda x: np.ascontiguousarray(t(image=x)["image"]), images,
                                                   args.trials, args.min_seconds)
                if not t(image=images[0])["image"].flags.c_contiguous:
                    # A strided view (flips, crops): also the call alone, without the copy.
                    row["albumentationsx_view"] = best_rate(lambda x: t(image=x)["image"], images,
                                                            args.trials, args.min_seconds)
            except Exception as e:  # noqa: BLE001
                row["albumentationsx_error"] = f"{type(e).__name__}: {e}"
            if wk:
                row.update(wk.ask(case=case["id"], size=key, trials=args.trials, min_seconds=args.min_seconds))
            rows.append(row)
            print(json.dumps(row), flush=True)
    if wk:
        wk.close()
    elapsed = time.time() - started
    versions = {"albumentationsx": A.__version__, "opencv": cv2.__version__, "numpy": np.__version__,
                "scikit-image": skimage.__version__, "torch": torch.__version__,
                "python": platform.python_version(), "blas": blas_info()}
    text = report(rows, skipped, sizes, args, versions, wk.versions if wk else None, load0, elapsed)
    print()
    print(text)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"rows": rows, "skipped": skipped}, f, indent=1)
    if args.write:
        report_section.replace_section(args.write, text, BEGIN, END, title="# MedAug benchmarks\n")
        print(f"wrote {args.write}")
    import shutil
    shutil.rmtree(work, ignore_errors=True)


# ---------------------------------------------------------------- report

def rate(v):
    if v is None:
        return "-"
    return f"{v:,.0f}" if v >= 100 else f"{v:.1f}"


def mps(v, mp):
    return "-" if v is None else f"{v * mp:,.1f}" if v * mp >= 10 else f"{v * mp:.2f}"


def ratio(a, b):
    return f"{a / b:.2f}x" if a and b else "-"


def report(rows, skipped, sizes, args, versions, pversions, load0, elapsed):
    model, cores = machine()
    out = []
    w = out.append
    w("## Augmentation: MedAug against AlbumentationsX (with albumentations 1.3.1 and imgaug 0.4.0)\n")
    flags = args.build_flags.strip()
    size_arg = "" if args.sizes == "224x224,500x375" else f" --sizes {args.sizes}"
    w("Command: `make bench-aug` (this part: `env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "
      "$(bash Benchmarks/setup-albumentationsx.sh)/bin/python Benchmarks/albumentationsx_bench.py "
      "--binary .build/release/medaug-augbench --parity-python $(bash parity/setup.sh)/bin/python "
      f"--build-flags '{flags}'{size_arg} --images {args.images} --trials {args.trials} "
      f"--min-seconds {args.min_seconds} --write BENCHMARKS.md`; MedAug built with "
      f"`swift build {flags + ' ' if flags else ''}-c release --product medaug-augbench`).\n")
    w(f"Machine: {model}, nproc {cores}, {platform.system()} {platform.machine()}; "
      f"run {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, {elapsed:.0f} s; "
      f"load average before the run {load0[0]:.2f}. AlbumentationsX venv: Python {versions['python']}, "
      f"AlbumentationsX {versions['albumentationsx']}, OpenCV {versions['opencv']}, numpy {versions['numpy']}, "
      f"torch {versions['torch']} (set_num_threads(1)), scikit-image {versions['scikit-image']}; "
      f"BLAS: {versions['blas']}." +
      (f" Parity venv: albumentations {pversions['albumentations']}, imgaug {pversions['imgaug']}, "
       f"OpenCV {pversions['opencv']}, numpy {pversions['numpy']}." if pversions else
       " The albumentations 1.3.1 / imgaug columns were left out (no parity venv).") + "\n")
    w("Protocol (AlbumentationsX's own micro benchmark, github.com/albumentations-team/benchmark): "
      f"{args.images} distinct uint8 RGB photographs per size, cut from scikit-image's bundled photos "
      "(`Benchmarks/bench_images.py`: astronaut, chelsea, coffee, rocket, hubble_deep_field, "
      "immunohistochemistry, retina, the stereo motorcycle pair), at 224x224 and at 500x375 (the usual "
      "ImageNet-validation size); decoded once, in memory; one call per image, every result made contiguous "
      "(`np.ascontiguousarray`, which copies the views that flips and crops return); one thread everywhere "
      "(cv2.setNumThreads(0), OMP/OPENBLAS/MKL_NUM_THREADS=1, MedAug `--threads 1`); p=1 and fixed "
      f"parameters. img/s = best of {args.trials} runs of >= {args.min_seconds} s; MP/s = img/s x "
      "megapixels per image. Ratios are MedAug's speed over the other's (> 1: MedAug faster). imgaug runs "
      "the MedAug pipeline's own entries (`augment_image` per image); the albumentations columns run the "
      "transforms listed below. Random augmenters (the dropouts, CropAndPad percent, Perspective) draw "
      "different values in each library, so those rows compare typical, not identical, work.\n")
    w("### Equivalents\n")
    w("Same samples: the share of samples within 1 of each other in MedAug's and AlbumentationsX's result "
      "for the first image (random rows differ by construction; UniformColorQuantization paints bin centres, "
      "Posterize bin floors).\n")
    w("| MedAug augmenter | setting | AlbumentationsX (1.3.1 where it differs) | same samples |")
    w("|---|---|---|---|")
    seen = set()
    for r in rows:
        if r["id"] in seen:
            continue
        seen.add(r["id"])
        same = "-" if r.get("agree") is None else f"{r['agree']:.1f}%"
        w(f"| {r['name']} | {r['setting']} | {r['ax_text']} | {same} |")
    w("")
    for wd, ht in sizes:
        key = f"{wd}x{ht}"
        sel = [r for r in rows if r["size"] == key]
        if not sel:
            continue
        w(f"### {key} RGB, single-threaded\n")
        w("| augmenter | setting | MedAug img/s | MedAug MP/s | AlbumentationsX img/s | AlbumentationsX MP/s | "
          "MedAug / AlbumentationsX | albumentations 1.3.1 img/s | imgaug 0.4.0 img/s | MedAug / alb. 1.3.1 | "
          "MedAug / imgaug |")
        w("|---|---|---|---|---|---|---|---|---|---|---|")
        for r in sel:
            ax, a1, ia = r.get("albumentationsx"), r.get("albumentations"), r.get("imgaug")
            mp = r["megapixels"]
            axr = ratio(r["medaug"], ax)
            if ax and r["medaug"] < ax:
                axr = f"**{axr}**"
            w(f"| {r['name']} | {r['setting']} | {rate(r['medaug'])} | {mps(r['medaug'], mp)} | {rate(ax)} | "
              f"{mps(ax, mp)} | {axr} | {rate(a1)} | {rate(ia)} | {ratio(r['medaug'], a1)} | "
              f"{ratio(r['medaug'], ia)} |")
        w("")
    slower = [r for r in rows if r.get("albumentationsx") and r["medaug"] < r["albumentationsx"]]
    w("### Summary\n")
    for wd, ht in sizes:
        key = f"{wd}x{ht}"
        rs = [r["medaug"] / r["albumentationsx"] for r in rows if r["size"] == key and r.get("albumentationsx")]
        if rs:
            geo = math.exp(sum(math.log(v) for v in rs) / len(rs))
            w(f"- {key}: MedAug / AlbumentationsX over {len(rs)} rows: geometric mean {geo:.2f}x, "
              f"lowest {min(rs):.2f}x, highest {max(rs):.2f}x.")
    if slower:
        w("- MedAug slower than AlbumentationsX (in bold above): " + "; ".join(
            f"{r['name']} {r['setting']} at {r['size']} ({r['medaug'] / r['albumentationsx']:.2f}x)" for r in slower)
          + ".")
    else:
        w("- MedAug is at least as fast as AlbumentationsX on every row.")
    views = [r for r in rows if r.get("albumentationsx_view")]
    if views:
        w("- AlbumentationsX returned a strided view (no pixels moved) for " + ", ".join(sorted(
            {r["ax_text"] for r in views})) + "; the table counts the `np.ascontiguousarray` copy that a next step "
          "needs" + (" (for HorizontalFlip that copy is most of the time: numpy copies a view with a negative "
                     "column stride element by element)" if any(r["name"] == "Fliplr" for r in views) else "")
          + ". The call alone, without the copy: " + "; ".join(
              f"{r['name']} {r['setting']} at {r['size']}: {rate(r['albumentationsx_view'])} img/s" for r in views)
          + ".")
    errs = [f"{r['name']} {r['setting']} {r['size']}: {k} {v}" for r in rows for k, v in r.items()
            if k.endswith("_error")]
    if errs:
        w("- Errors (those cells are '-'): " + "; ".join(errs) + ".")
    if skipped:
        w("- AlbumentationsX transforms with no MedAug augmenter (not timed): " +
          ", ".join(f"{s['ax']} (imgaug's {s['name']})" for s in skipped) + ".")
    w("")
    return "\n".join(out)


if __name__ == "__main__":
    main()
