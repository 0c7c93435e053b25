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

Rows come in groups: "core" (the first augmenters, with the albumentations
1.3.1 column), "new" (the augmenters added since: contrast, noise, the
geometric wrappers, intensity and colour, JPEG, Cutout), each judged against
a bar, >= 1.0x AlbumentationsX where AlbumentationsX has the augmenter and
>= 5x imgaug where it does not, and "pending" (augmenters being added: timed
once medaug-augbench accepts them, listed as not timed until then). A subset,
for quick checks (never with --write, which replaces the whole section):
    ... albumentationsx_bench.py --group new --trials 1 --min-seconds 0.1
    ... albumentationsx_bench.py --cases 'CLAHE,Resize 256x256 cubic'
    ... albumentationsx_bench.py --only GammaContrast,Rot90

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
import one_thread  # noqa: E402,F401

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


def _case(name, setting, entries, ax, a1, ax_text, probe=False, note="", group="core", bar=None, imgaug=True):
    """group: "core" (the first augmenters), "new" (the augmenters added
    since, each timed against a bar) or "pending" (augmenters being added:
    timed once medaug-augbench accepts them). bar, for the "new" and "pending"
    groups: "albumentationsx" (MedAug >= 1.0x AlbumentationsX) where
    AlbumentationsX has the augmenter (ax given), else "imgaug" (>= 5x); "none"
    where neither has it (imgaug False: imgaug 0.4.0 lacks it, not timed)."""
    if bar is None and group != "core":
        bar = "albumentationsx" if ax is not None else "imgaug" if imgaug else "none"
    return {"name": name, "setting": setting, "entries": entries, "ax": ax, "a1": a1,
            "ax_text": ax_text, "probe": probe, "note": note, "group": group, "bar": bar, "imgaug": imgaug}


# The bars of the "new" group (the issue: >= 1.0x AlbumentationsX for every
# augmenter both libraries have, >= 5x imgaug for the rest).
BARS = {"albumentationsx": 1.0, "imgaug": 5.0}


def new_cases():
    """The augmenters added after the first set (contrast, noise, geometric
    wrappers, intensity, colour, JPEG, Cutout; then PiecewiseAffine, pillike
    and the policies as they land): one row each with fixed parameters,
    timed against AlbumentationsX where it has the augmenter (bar >= 1.0x)
    and against imgaug otherwise (bar >= 5x). Names and arguments are imgaug's;
    the AlbumentationsX transform takes the same parameters where its API
    allows, and the label says where the operations differ. The
    albumentations 1.3.1 column is left out of these rows (a1 None)."""
    c = []

    def add(name, setting, entries, ax, ax_text, **kw):
        c.append(_case(name, setting, entries, ax, None, ax_text, group=kw.pop("group", "new"), **kw))

    # ---- contrast (imgaug contrast.py)
    add("GammaContrast", "gamma=1.5", lambda h, w: [{"GammaContrast": {"gamma": 1.5}}],
        lambda A, h, w: A.RandomGamma(gamma_range=(150, 150), p=1), "RandomGamma(gamma 150/100 = 1.5)")
    add("SigmoidContrast", "gain=10 cutoff=0.5", lambda h, w: [{"SigmoidContrast": {"gain": 10, "cutoff": 0.5}}],
        None, "none (imgaug bar)")
    add("LogContrast", "gain=1", lambda h, w: [{"LogContrast": {"gain": 1.0}}], None, "none (imgaug bar)")
    add("LinearContrast", "alpha=1.2", lambda h, w: [{"LinearContrast": {"alpha": 1.2}}],
        lambda A, h, w: A.RandomBrightnessContrast(brightness_range=(0, 0), contrast_range=(0.2, 0.2), p=1),
        "RandomBrightnessContrast(contrast x1.2): not identical, about the image's mean luma, "
        "imgaug's about 128")
    add("HistogramEqualization", "to_colorspace=Lab (imgaug's default)",
        lambda h, w: [{"HistogramEqualization": {}}],
        lambda A, h, w: A.Equalize(mode="cv", by_channels=False, p=1),
        "Equalize(cv, by_channels=False): not identical, equalises Y of YCrCb, imgaug L of Lab")
    add("AllChannelsHistogramEqualization", "", lambda h, w: [{"AllChannelsHistogramEqualization": {}}],
        lambda A, h, w: A.Equalize(mode="cv", by_channels=True, p=1), "Equalize(cv, by_channels=True)")
    add("CLAHE", "clip_limit=2 tile_grid_size_px=8 (Lab L)",
        lambda h, w: [{"CLAHE": {"clip_limit": 2.0, "tile_grid_size_px": 8}}],
        lambda A, h, w: A.CLAHE(clip_range=(2, 2), tile_grid_size=(8, 8), p=1),
        "CLAHE(clip 2, 8x8 tiles; L of Lab)")
    add("AllChannelsCLAHE", "clip_limit=2 tile_grid_size_px=8",
        lambda h, w: [{"AllChannelsCLAHE": {"clip_limit": 2.0, "tile_grid_size_px": 8}}],
        None, "none: AlbumentationsX's CLAHE works on L of Lab only (imgaug bar)")

    # ---- noise (imgaug arithmetic.py); scale in sample units, AlbumentationsX's in fractions of 255
    add("AdditiveGaussianNoise", "scale=25.5 per_channel",
        lambda h, w: [{"AdditiveGaussianNoise": {"scale": 25.5, "per_channel": True}}],
        lambda A, h, w: A.GaussNoise(std_range=(0.1, 0.1), mean_range=(0, 0), per_channel=True, p=1),
        "GaussNoise(std 0.1 x 255 = 25.5, per channel)")
    add("AdditiveLaplaceNoise", "scale=12.75 per_channel",
        lambda h, w: [{"AdditiveLaplaceNoise": {"scale": 12.75, "per_channel": True}}],
        lambda A, h, w: A.AdditiveNoise(noise_type="laplace", spatial_mode="per_pixel",
                                        noise_params={"mean_range": (0.0, 0.0), "scale_range": (0.05, 0.05)}, p=1),
        "AdditiveNoise(laplace, scale 0.05 x 255 = 12.75, per_pixel)")
    add("AdditivePoissonNoise", "lam=16 per_channel",
        lambda h, w: [{"AdditivePoissonNoise": {"lam": 16, "per_channel": True}}],
        None, "none: ShotNoise is signal-dependent, not additive (imgaug bar)")
    add("SaltAndPepper", "p=0.05", lambda h, w: [{"SaltAndPepper": {"p": 0.05}}],
        lambda A, h, w: A.SaltAndPepper(amount_range=(0.05, 0.05), salt_vs_pepper_range=(0.5, 0.5), p=1),
        "SaltAndPepper(amount 0.05, half salt)")
    add("ImpulseNoise", "p=0.05 (per channel)", lambda h, w: [{"ImpulseNoise": {"p": 0.05}}],
        lambda A, h, w: A.SaltAndPepper(amount_range=(0.05, 0.05), salt_vs_pepper_range=(0.5, 0.5), p=1),
        "SaltAndPepper(amount 0.05): not identical, whole pixels, imgaug's ImpulseNoise per channel")
    add("CoarseSaltAndPepper", "p=0.05 size_percent=0.1",
        lambda h, w: [{"CoarseSaltAndPepper": {"p": 0.05, "size_percent": 0.1}}], None, "none (imgaug bar)")
    add("MultiplyElementwise", "mul=[0.8, 1.2]", lambda h, w: [{"MultiplyElementwise": {"mul": [0.8, 1.2]}}],
        lambda A, h, w: A.MultiplicativeNoise(multiplier=(0.8, 1.2), per_channel=False, elementwise=True, p=1),
        "MultiplicativeNoise(0.8-1.2, elementwise, shared by the channels)")

    # ---- geometric (imgaug geometric.py, size.py); imgaug rotates clockwise, AlbumentationsX counter-clockwise
    add("ElasticTransformation", "alpha=50 sigma=5 order=1 constant",
        lambda h, w: [{"ElasticTransformation": {"alpha": 50, "sigma": 5, "order": 1, "mode": "constant"}}],
        lambda A, h, w: A.ElasticTransform(displacement_range=(0.05, 0.05), control_grid_shape=(7, 7),
                                           interpolation=LIN, border_mode=CONST, fill=0, p=1),
        "ElasticTransform(displacement 0.05, 7x7 control grid, linear): not identical, AlbumentationsX 2.x "
        "interpolates a coarse grid, imgaug Gaussian-smooths a full-size random field")
    add("PerspectiveTransform", "scale=0.075 keep_size",
        lambda h, w: [{"PerspectiveTransform": {"scale": 0.075, "keep_size": True}}],
        lambda A, h, w: A.Perspective(scale=(0.075, 0.075), keep_size=True, interpolation=LIN, border_mode=CONST,
                                      fill=0, p=1),
        "Perspective(scale 0.075, keep_size, linear, constant)")
    add("Rot90", "k=1 keep_size=false", lambda h, w: [{"Rot90": {"k": 1, "keep_size": False}}],
        lambda A, h, w: A.RandomRotate90(group_element="r270", p=1),
        "RandomRotate90(r270 = a quarter turn clockwise)")
    add("ScaleX", "scale=0.8 order=1 constant", lambda h, w: [{"ScaleX": {"scale": 0.8, "order": 1}}],
        lambda A, h, w: A.Affine(scale={"x": (0.8, 0.8), "y": (1.0, 1.0)}, keep_ratio=False, interpolation=LIN,
                                 border_mode=CONST, fill=0, p=1), "Affine(scale x 0.8, linear, constant)")
    add("ScaleY", "scale=0.8 order=1 constant", lambda h, w: [{"ScaleY": {"scale": 0.8, "order": 1}}],
        lambda A, h, w: A.Affine(scale={"x": (1.0, 1.0), "y": (0.8, 0.8)}, keep_ratio=False, interpolation=LIN,
                                 border_mode=CONST, fill=0, p=1), "Affine(scale y 0.8, linear, constant)")
    add("TranslateX", "px=20 order=1 constant", lambda h, w: [{"TranslateX": {"px": 20, "order": 1}}],
        lambda A, h, w: A.Affine(translate_px={"x": (20, 20), "y": (0, 0)}, interpolation=LIN, border_mode=CONST,
                                 fill=0, p=1), "Affine(translate_px x 20, linear, constant)")
    add("TranslateY", "px=20 order=1 constant", lambda h, w: [{"TranslateY": {"px": 20, "order": 1}}],
        lambda A, h, w: A.Affine(translate_px={"x": (0, 0), "y": (20, 20)}, interpolation=LIN, border_mode=CONST,
                                 fill=0, p=1), "Affine(translate_px y 20, linear, constant)")
    add("Rotate", "rotate=30 order=1 constant", lambda h, w: [{"Rotate": {"rotate": 30, "order": 1}}],
        lambda A, h, w: A.Rotate(angle_range=(-30, -30), interpolation=LIN, border_mode=CONST, fill=0, p=1),
        "Rotate(-30, linear, constant)")
    add("ShearX", "shear=10 order=1 constant", lambda h, w: [{"ShearX": {"shear": 10, "order": 1}}],
        lambda A, h, w: A.Affine(shear={"x": (10, 10), "y": (0, 0)}, interpolation=LIN, border_mode=CONST, fill=0,
                                 p=1), "Affine(shear x 10, linear, constant): the libraries' shear matrices differ (same work)")
    add("ShearY", "shear=10 order=1 constant", lambda h, w: [{"ShearY": {"shear": 10, "order": 1}}],
        lambda A, h, w: A.Affine(shear={"x": (0, 0), "y": (-10, -10)}, interpolation=LIN, border_mode=CONST, fill=0,
                                 p=1), "Affine(shear y -10 (its sign is the other way), linear, constant): the "
        "libraries' shear matrices differ (same work)")
    for interp, code in (("linear", LIN), ("cubic", CUBIC)):
        add("Resize", f"256x256 {interp}",
            lambda h, w, i=interp: [{"Resize": {"size": {"height": 256, "width": 256}, "interpolation": i}}],
            lambda A, h, w, k=code: A.Resize(256, 256, interpolation=k, p=1), f"Resize(256, 256, {interp})")
    add("CropToFixedSize", "80% of each side, uniform position",
        lambda h, w: [{"CropToFixedSize": {"width": int(w * 0.8), "height": int(h * 0.8)}}],
        lambda A, h, w: A.RandomCrop(height=int(h * 0.8), width=int(w * 0.8), p=1), "RandomCrop(80% of each side)")
    add("CenterCropToFixedSize", "80% of each side",
        lambda h, w: [{"CenterCropToFixedSize": {"width": int(w * 0.8), "height": int(h * 0.8)}}],
        lambda A, h, w: A.CenterCrop(height=int(h * 0.8), width=int(w * 0.8), p=1), "CenterCrop(80% of each side)")
    add("PadToFixedSize", "+32 px each side's total, uniform position, constant 0",
        lambda h, w: [{"PadToFixedSize": {"width": w + 32, "height": h + 32}}],
        lambda A, h, w: A.PadIfNeeded(min_height=h + 32, min_width=w + 32, position="random", border_mode=CONST,
                                      fill=0, p=1), "PadIfNeeded(+32 px, random position, constant 0)")
    add("CenterPadToFixedSize", "+32 px each side's total, constant 0",
        lambda h, w: [{"CenterPadToFixedSize": {"width": w + 32, "height": h + 32}}],
        lambda A, h, w: A.PadIfNeeded(min_height=h + 32, min_width=w + 32, position="center", border_mode=CONST,
                                      fill=0, p=1), "PadIfNeeded(+32 px, centre, constant 0)")

    # ---- other (imgaug arithmetic.py, color.py, pillike.py)
    add("Cutout", "nb_iterations=1 size=0.2 squared=false constant 0",
        lambda h, w: [{"Cutout": {"nb_iterations": 1, "size": 0.2, "squared": False, "fill_mode": "constant",
                                  "cval": 0}}],
        lambda A, h, w: A.CoarseDropout(num_holes_range=(1, 1), hole_height_range=(0.2, 0.2),
                                        hole_width_range=(0.2, 0.2), fill=0, p=1),
        "CoarseDropout(1 hole, 0.2 of height x 0.2 of width, fill 0)")
    add("JpegCompression", "compression=51 (= quality 50)", lambda h, w: [{"JpegCompression": {"compression": 51}}],
        lambda A, h, w: A.ImageCompression(compression_type="jpeg", quality_range=(50, 50), p=1),
        "ImageCompression(jpeg, quality 50)")
    add("Invert", "p=1", lambda h, w: [{"Invert": {"p": 1}}], lambda A, h, w: A.InvertImg(p=1), "InvertImg")
    add("Solarize", "p=1 threshold=128", lambda h, w: [{"Solarize": {"p": 1, "threshold": 128}}],
        lambda A, h, w: A.Solarize(threshold_range=(0.5, 0.5), p=1), "Solarize(threshold 0.5 x 255)")
    add("Grayscale", "alpha=1", lambda h, w: [{"Grayscale": {"alpha": 1.0}}],
        lambda A, h, w: A.ToGray(num_output_channels=3, method="weighted_average", p=1),
        "ToGray(weighted_average, 3 channels)")
    add("ChangeColorTemperature", "kelvin=5000", lambda h, w: [{"ChangeColorTemperature": {"kelvin": 5000}}],
        lambda A, h, w: A.PlanckianJitter(mode="blackbody", temperature_range=(5000, 6000), p=1),
        "PlanckianJitter(blackbody, 5000-6000 K: its range must hold 6000 K): not identical, its own "
        "white-point tables and a temperature drawn per image")
    add("MultiplyHueAndSaturation", "mul_hue=1.1 mul_saturation=1.2",
        lambda h, w: [{"MultiplyHueAndSaturation": {"mul_hue": 1.1, "mul_saturation": 1.2}}],
        None, "none: HueSaturationValue only adds (imgaug bar)")
    add("AddToHueAndSaturation", "value_hue=17 value_saturation=20",
        lambda h, w: [{"AddToHueAndSaturation": {"value_hue": 17, "value_saturation": 20}}],
        lambda A, h, w: A.HueSaturationValue(hue_shift_range=(12, 12), sat_shift_range=(20, 20),
                                             val_shift_range=(0, 0), p=1),
        "HueSaturationValue(hue +12 of OpenCV's 180 = imgaug's +17 of 255, saturation +20)")
    add("Identity", "", lambda h, w: [{"Identity": {}}], lambda A, h, w: A.NoOp(p=1), "NoOp")
    add("Posterize", "nb_bits=4", lambda h, w: [{"Posterize": {"nb_bits": 4}}],
        lambda A, h, w: A.Posterize(num_bits=(4, 4), p=1), "Posterize(4 bits)")
    add("Equalize", "(imgaug's pillike.Equalize)", lambda h, w: [{"Equalize": {}}],
        lambda A, h, w: A.Equalize(mode="pil", by_channels=True, p=1), "Equalize(pil, by_channels=True)")
    add("Autocontrast", "cutoff=2 (imgaug's pillike.Autocontrast)",
        lambda h, w: [{"Autocontrast": {"cutoff": 2, "per_channel": False}}],
        lambda A, h, w: A.AutoContrast(cutoff=2, method="pil", p=1), "AutoContrast(cutoff 2, pil)")

    # ---- being added by others now: timed once medaug-augbench accepts the name
    # (imgaug's names; skipped with a note until then).
    pend = {"probe": True, "group": "pending"}
    add("PiecewiseAffine", "scale=0.03 nb_rows=4 nb_cols=4 order=1",
        lambda h, w: [{"PiecewiseAffine": {"scale": 0.03, "nb_rows": 4, "nb_cols": 4, "order": 1}}],
        lambda A, h, w: A.PiecewiseAffine(scale_range=(0.03, 0.03), nb_rows_range=(4, 4), nb_cols_range=(4, 4),
                                          interpolation=LIN, border_mode=CONST, p=1),
        "PiecewiseAffine(scale 0.03, 4x4, linear, constant)", **pend)
    add("pillike.Solarize", "p=1 threshold=128", lambda h, w: [{"pillike.Solarize": {"p": 1, "threshold": 128}}],
        lambda A, h, w: A.Solarize(threshold_range=(0.5, 0.5), p=1), "Solarize(threshold 0.5 x 255)", **pend)
    add("pillike.Posterize", "nb_bits=4", lambda h, w: [{"pillike.Posterize": {"nb_bits": 4}}],
        lambda A, h, w: A.Posterize(num_bits=(4, 4), p=1), "Posterize(4 bits)", **pend)
    add("pillike.Equalize", "", lambda h, w: [{"pillike.Equalize": {}}],
        lambda A, h, w: A.Equalize(mode="pil", by_channels=True, p=1), "Equalize(pil, by_channels=True)", **pend)
    add("pillike.Autocontrast", "cutoff=2", lambda h, w: [{"pillike.Autocontrast": {"cutoff": 2}}],
        lambda A, h, w: A.AutoContrast(cutoff=2, method="pil", p=1), "AutoContrast(cutoff 2, pil)", **pend)
    for n, arg in (("EnhanceColor", {"factor": 1.5}), ("EnhanceContrast", {"factor": 1.5}),
                   ("EnhanceBrightness", {"factor": 1.5}), ("EnhanceSharpness", {"factor": 1.5}),
                   ("FilterBlur", {}), ("FilterSmooth", {}), ("FilterSmoothMore", {}), ("FilterEdgeEnhance", {}),
                   ("FilterEdgeEnhanceMore", {}), ("FilterFindEdges", {}), ("FilterContour", {}),
                   ("FilterEmboss", {}), ("FilterSharpen", {}), ("FilterDetail", {})):
        add(f"pillike.{n}", " ".join(f"{k}={v}" for k, v in arg.items()),
            lambda h, w, n=n, a=arg: [{f"pillike.{n}": dict(a)}], None, "none (imgaug bar)", **pend)
    add("pillike.Affine", "rotate=30 (PIL, nearest)", lambda h, w: [{"pillike.Affine": {"rotate": 30}}],
        None, "none (imgaug bar)", **pend)
    add("RandAugment", "n=2 m=9 (random operations per image)", lambda h, w: [{"RandAugment": {"n": 2, "m": 9}}],
        None, "none (imgaug bar; AlbumentationsX 2.5.1 has no RandAugment)", **pend)
    # torchvision's policies: neither imgaug 0.4.0 nor AlbumentationsX 2.5.1 has them, so no bar
    # (torchvision.transforms.v2, in the torch venv, would be the reference: not wired in here).
    add("TrivialAugmentWide", "defaults (random operation per image)", lambda h, w: [{"TrivialAugmentWide": {}}],
        None, "none (no reference: torchvision only)", imgaug=False, **pend)
    add("AutoAugment", "policy=imagenet (random sub-policy per image)",
        lambda h, w: [{"AutoAugment": {"policy": "imagenet"}}],
        None, "none (no reference: torchvision only)", imgaug=False, **pend)
    return c


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
    add(_case("ChannelShuffle", "p=1", lambda h, w: [{"ChannelShuffle": {"p": 1}}],
              lambda A, h, w: A.ChannelShuffle(p=1), lambda A, h, w: A.ChannelShuffle(p=1), "ChannelShuffle",
              probe=True))
    c.extend(new_cases())
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
            if not case["imgaug"]:
                raise LookupError
            imgaug.seed(1)
            aug = augment_bench.imgaug_pipeline(case["entries"](h, w))
            out["imgaug"] = best_rate(lambda x: np.ascontiguousarray(aug.augment_image(x)), images,
                                      req["trials"], req["min_seconds"])
        except LookupError:
            pass  # imgaug 0.4.0 has no such augmenter
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
    ap.add_argument("--group", default="all", choices=("all", "core", "new", "pending"),
                    help="core: the first augmenters; new: the augmenters added since, each against its bar "
                    "(>= 1.0x AlbumentationsX, else >= 5x imgaug); pending: being added (timed once MedAug "
                    "accepts them); all (default)")
    ap.add_argument("--cases", help="comma-separated case-insensitive substrings of 'name setting' "
                    "(a case runs if any matches), e.g. --cases 'CLAHE,Resize 256x256 cubic'")
    ap.add_argument("--write", help="replace this harness's section of a markdown file (BENCHMARKS.md)")
    ap.add_argument("--build-flags", default="", help="swift build flags of the binary (recorded in the report)")
    ap.add_argument("--json", help="also write the raw rows to this file")
    ap.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        return worker(args.worker)
    if args.write and (args.only or args.cases or args.group != "all"):
        ap.error("--write replaces the whole section: run it without --only, --cases or --group")

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
    pats = [x.strip().lower() for x in args.cases.split(",") if x.strip()] if args.cases else None
    rows, skipped = [], []
    for case in cases():
        if only and case["name"] not in only:
            continue
        if args.group != "all" and case["group"] != args.group:
            continue
        if pats and not any(x in f"{case['name']} {case['setting']}".lower() for x in pats):
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
                            "group": case["group"], "has_ax": case["ax"] is not None,
                            "why": pr.stderr.strip().splitlines()[-1] if pr.stderr.strip() else f"rc {pr.returncode}"})
            print(f"skip {case['name']} {case['setting']}: {skipped[-1]['why'][:120]}", flush=True)
            continue
        # How close are the two results? (one image, the first size)
        agree = None
        try:
            if case["ax"] is None:
                raise LookupError
            outp = os.path.join(work, "agree.png")
            subprocess.run([args.binary, "apply", ppath, os.path.join(probe_dir, first), outp], check=True,
                           capture_output=True)
            mine = bench_images.read_png(outp)
            theirs = np.ascontiguousarray(case["ax"](A, h0, w0)(image=sets[f"{sizes[0][0]}x{sizes[0][1]}"][0])["image"])
            if mine.shape == theirs.shape:
                agree = float(np.mean(np.abs(mine.astype(np.int16) - theirs.astype(np.int16)) <= 1) * 100)
        except LookupError:
            pass  # no AlbumentationsX equivalent
        except Exception as e:  # noqa: BLE001
            print(f"agreement check of {case['name']} {case['setting']}: {e}", flush=True)
        for w, h in sizes:
            key = f"{w}x{h}"
            images = sets[key]
            path = os.path.join(work, f"case{case['id']}_{key}.json")
            with open(path, "w") as f:
                json.dump(case["entries"](h, w), f)
            row = {"id": case["id"], "name": case["name"], "setting": case["setting"], "size": key,
                   "megapixels": w * h / 1e6, "ax_text": case["ax_text"], "agree": agree,
                   "group": case["group"], "bar": case["bar"]}
            row["medaug"] = medaug_rate(args.binary, path, dirs[key], args.trials, args.min_seconds)
            try:
                if case["ax"] is None:
                    raise LookupError
                t = case["ax"](A, h, w)
                row["albumentationsx"] = best_rate(lambda x: np.ascontiguousarray(t(image=x)["image"]), images,
                                                   args.trials, args.min_seconds)
                if not t(image=images[0])["image"].flags.c_contiguous:
                    # A strided view (flips, crops): also the call alone, without the copy.
                    row["albumentationsx_view"] = best_rate(lambda x: t(image=x)["image"], images,
                                                            args.trials, args.min_seconds)
            except LookupError:
                pass  # no AlbumentationsX equivalent: the imgaug bar
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
    core = [r for r in rows if r.get("group", "core") == "core"]
    out = []
    w = out.append
    w("## Augmentation: MedAug against AlbumentationsX (with albumentations 1.3.1 and imgaug 0.4.0)\n")
    flags = args.build_flags.strip()
    size_arg = "" if args.sizes == "224x224,500x375" else f" --sizes {args.sizes}"
    for opt in ("only", "group", "cases"):
        v = getattr(args, opt)
        if v and v != "all":
            size_arg += f" --{opt} '{v}'"
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
      "transforms listed below. Random augmenters (the dropouts, CropAndPad percent, Perspective, the noise "
      "augmenters, ElasticTransformation, the uniform-position crops and pads, Cutout, the policies) draw "
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
        sel = [r for r in core if r["size"] == key]
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
    added = [r for r in rows if r.get("group", "core") != "core"]
    if added:
        out.extend(bar_tables(added, sizes))
    slower = [r for r in core if r.get("albumentationsx") and r["medaug"] < r["albumentationsx"]]
    w("### Summary\n")
    for wd, ht in sizes:
        key = f"{wd}x{ht}"
        rs = [r["medaug"] / r["albumentationsx"] for r in core if r["size"] == key and r.get("albumentationsx")]
        if rs:
            geo = math.exp(sum(math.log(v) for v in rs) / len(rs))
            w(f"- {key}: MedAug / AlbumentationsX over {len(rs)} rows: geometric mean {geo:.2f}x, "
              f"lowest {min(rs):.2f}x, highest {max(rs):.2f}x.")
    if slower:
        w("- MedAug slower than AlbumentationsX (in bold above): " + "; ".join(
            f"{r['name']} {r['setting']} at {r['size']} ({r['medaug'] / r['albumentationsx']:.2f}x)" for r in slower)
          + ".")
    elif core:
        w("- MedAug is at least as fast as AlbumentationsX on every row.")
    if added:
        barred = [r for r in added if r["bar"] in BARS]
        judged = [(r, bar_result(r)) for r in barred]
        met = [r for r, (_, ok) in judged if ok]
        missed = [(r, v) for r, (v, ok) in judged if ok is False]
        unjudged = [r for r, (_, ok) in judged if ok is None]
        w(f"- Added augmenters against their bar (>= {BARS['albumentationsx']:.1f}x AlbumentationsX where it has "
          f"the augmenter, else >= {BARS['imgaug']:.0f}x imgaug): met on {len(met)} of {len(barred)} rows" +
          (("; missed: " + "; ".join(f"{r['name']} {r['setting']} at {r['size']} ({v:.2f}x {r['bar']})"
                                     for r, v in sorted(missed, key=lambda x: x[1] / BARS[x[0]['bar']])))
           if missed else "") +
          (("; no figure to judge: " + ", ".join(f"{r['name']} {r['setting']} at {r['size']}" for r in unjudged))
           if unjudged else "") + ".")
        free = [r for r in added if r["bar"] not in BARS]
        if free:
            w("- Timed with no reference (neither imgaug 0.4.0 nor AlbumentationsX has them): " + "; ".join(
                f"{r['name']} at {r['size']} {rate(r['medaug'])} img/s" for r in free) + ".")
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
    old = [s for s in skipped if s.get("group", "core") == "core"]
    pending = [s for s in skipped if s.get("group", "core") != "core"]
    if old:
        w("- AlbumentationsX transforms with no MedAug augmenter (not timed): " +
          ", ".join(f"{s['ax']} (imgaug's {s['name']})" for s in old) + ".")
    if pending:
        w("- Added-augmenter rows not timed (MedAug does not accept the pipeline yet): " +
          ", ".join(f"{s['name']} {s['setting']}".strip() for s in pending) + ".")
    w("")
    return "\n".join(out)


def bar_result(r):
    """(ratio, met) of a row of the added augmenters against its bar: the
    ratio to AlbumentationsX where the row's bar is AlbumentationsX, else to
    imgaug; met None when that figure is missing."""
    if r["bar"] not in BARS:
        return None, None
    other = r.get("albumentationsx") if r["bar"] == "albumentationsx" else r.get("imgaug")
    if not other or not r.get("medaug"):
        return None, None
    v = r["medaug"] / other
    return v, v >= BARS[r["bar"]]


def bar_tables(rows, sizes):
    """The added augmenters, per size: MedAug, AlbumentationsX and imgaug
    img/s, both ratios, the bar that applies and whether it is met."""
    out = []
    w = out.append
    w("### Added augmenters against their bar\n")
    w(f"The bar (the issue): MedAug >= {BARS['albumentationsx']:.1f}x AlbumentationsX for every augmenter both "
      f"libraries have, >= {BARS['imgaug']:.0f}x imgaug 0.4.0 for the rest. The AlbumentationsX transform of each "
      "row, and where it does not compute the same thing, is in the Equivalents table above; '-' in its column: "
      "AlbumentationsX has no such augmenter. The ratio the bar judges is in bold.\n")
    for wd, ht in sizes:
        key = f"{wd}x{ht}"
        sel = [r for r in rows if r["size"] == key]
        if not sel:
            continue
        w(f"#### {key} RGB, single-threaded\n")
        w("| augmenter | setting | MedAug img/s | AlbumentationsX img/s | imgaug 0.4.0 img/s | "
          "MedAug / AlbumentationsX | MedAug / imgaug | bar | result |")
        w("|---|---|---|---|---|---|---|---|---|")
        for r in sel:
            ax, ia = r.get("albumentationsx"), r.get("imgaug")
            axr, iar = ratio(r["medaug"], ax), ratio(r["medaug"], ia)
            if r["bar"] == "albumentationsx":
                axr = f"**{axr}**"
            elif r["bar"] == "imgaug":
                iar = f"**{iar}**"
            _, ok = bar_result(r)
            bar = (f">= {BARS[r['bar']]:g}x {'AlbumentationsX' if r['bar'] == 'albumentationsx' else 'imgaug'}"
                   if r["bar"] in BARS else "none (no reference)")
            res = "-" if ok is None else "met" if ok else "MISSED"
            w(f"| {r['name']} | {r['setting']} | {rate(r['medaug'])} | {rate(ax)} | {rate(ia)} | {axr} | {iar} | "
              f"{bar} | {res} |")
        w("")
    return out


if __name__ == "__main__":
    main()
