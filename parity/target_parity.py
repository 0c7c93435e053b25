"""Targets that follow the image (segmentation maps, heatmaps, keypoints,
bounding boxes) through MedAug's geometric augmenters against imgaug 0.4.0.

Run by `make parity-aug` with the parity venv (parity/setup.sh):
    python parity/target_parity.py --binary .build/release/medaug-augbench \
        [--write PARITY.md] [--only Affine,Rot90] [--keep DIR]

Every case augments one 200x150 RGB image with an 8-bit label map (classes
0-9, shapes touching every border), the same map with 16-bit class ids, a
heatmap (smooth blobs, 16-bit), keypoints (inside, on and near the border,
on the far edges, already outside) and boxes (inside, on the border, partly
and fully outside, thin, zero-area) in one call on each side: imgaug's
`aug(image=, heatmaps=, segmentation_maps=, keypoints=, bounding_boxes=)`
(the 16-bit map in a second call of the same deterministic augmenter) and
MedAug's `medaug-augbench targets` (Benchmarks/augment-swift/Targets.swift,
`Augmenter.augment(AnnotatedImage)`). Deterministic settings go to both
sides as constants; the random warps (ElasticTransformation's displacement
fields, PiecewiseAffine's grid jitter with scipy's triangles,
PerspectiveTransform's corner jitter) get the values imgaug drew, handed to
MedAug's fixed-value entry points for images with targets.

Compared: the output image size; label maps pixel for pixel (count of
differing pixels, bar 0, 8- and 16-bit); heatmaps (max |diff| in 0..1,
reported with a bar of 0.01 but not counted: MedAug warps heatmaps as 16-bit
maps, imgaug as float32); keypoints and boxes before removal (max |diff| in
px, bar 1e-3); and boxes after imgaug's removal and clipping at several
minimum visibilities (`remove_out_of_image()`, then boxes whose visible
fraction `1 - compute_out_of_image_fraction` is below v, then
`clip_out_of_image()`) against MedAug's `ImageTargets.finished`: the same
boxes kept, coordinates within 1e-3 px.

Property check: for settings whose image path is nearest-neighbour with fill
0 (order 0, constant mode, cval 0; nearest resizes; flips; constant padding
with 0), MedAug run on the label map as the image must return exactly its
augmented mask.

MedAug alone at random settings (seeds 1-8; imgaug cannot be made to draw
alike): the image augmented with targets equals the image augmented alone
(`medaug-augbench apply`, the same seed and identity), the label map run as
the image equals its mask for nearest settings, and the 16-bit map lands
where the 8-bit one does.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import cv2
import imgaug.augmenters as iaa
import imgaug.parameters as iap
import numpy as np
from imgaug.augmentables.bbs import BoundingBox, BoundingBoxesOnImage
from imgaug.augmentables.heatmaps import HeatmapsOnImage
from imgaug.augmentables.kps import Keypoint, KeypointsOnImage
from imgaug.augmentables.segmaps import SegmentationMapsOnImage

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import augment_images  # noqa: E402
import report_section  # noqa: E402

W, H = 200, 150
POINT_BAR = 1e-3
HEATMAP_BAR = 0.01
# The 16-bit label map's class ids, by the 8-bit map's (class 8 is not drawn).
LUT16 = np.array([0, 300, 1000, 4097, 40000, 65535, 256, 12345, 0, 777], np.uint16)
VISIBILITIES = (0.0, 0.25, 0.5, 0.7, 0.9)  # away from the fixtures' exact fractions (0.32, 0.6)

KEYPOINTS = [
    (50.3, 40.7), (120.0, 75.5), (100.0, 75.0),            # inside
    (0.0, 0.0), (199.9, 149.9), (0.5, 149.2), (199.0, 0.4),  # on / at the border
    (3.2, 77.7), (196.5, 10.0), (12.0, 140.0),             # near the border
    (-5.0, 30.0), (203.0, 152.0),                           # already outside
    (200.0, 75.0), (100.0, 150.0),                          # on the far edges (outside: x < W, y < H)
]
BOXES = [
    (30.0, 20.0, 90.0, 70.0), (110.5, 60.25, 170.75, 120.5),  # inside
    (0.0, 0.0, 40.0, 30.0), (150.0, 100.0, 200.0, 150.0),     # on the border
    (-20.0, 50.0, 30.0, 90.0), (180.0, -10.0, 230.0, 40.0),  # partly outside (60%, 40% visible)
    (205.0, 10.0, 240.0, 50.0),                               # fully outside
    (190.0, 140.0, 198.0, 148.0), (2.0, 2.0, 6.0, 140.0),     # small / thin near the border
    (60.0, 125.0, 140.0, 149.0), (170.0, 30.0, 199.0, 120.0),  # along the bottom and right edges
    (198.0, 30.0, 198.0, 60.0), (5.0, 5.0, 5.0, 5.0),         # zero area (a line, a point)
]


# ---------------------------------------------------------------- fixtures

def fixtures():
    """(RGB image, uint8 label map, uint16 label map, heatmap as uint16 (value * 65535)),
    W x H (200 x 150 unless --size says otherwise; at most 224 x 224)."""
    img = augment_images.scene(20240611, 224)[:H, :W].copy()
    mask = np.zeros((H, W), np.uint8)
    cv2.rectangle(mask, (20, 15), (95, 75), 1, -1)
    cv2.circle(mask, (140, 90), 35, 2, -1)
    cv2.rectangle(mask, (0, 0), (30, 25), 3, -1)               # top-left corner
    cv2.rectangle(mask, (160, 110), (W - 1, H - 1), 4, -1)     # bottom-right corner
    cv2.fillPoly(mask, [np.array([[60, 149], [110, 100], [130, 149]], np.int32)], 5)  # on the bottom edge
    cv2.rectangle(mask, (190, 0), (W - 1, 60), 6, -1)          # right edge
    cv2.line(mask, (5, 140), (70, 95), 7, 3)
    mask[70:74, 100:180] = 9                                   # a thin stripe
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float64)
    hm = 0.9 * np.exp(-((xx - 60) ** 2 + (yy - 50) ** 2) / (2 * 20 ** 2))
    hm += 0.7 * np.exp(-((xx - 160) ** 2 + (yy - 110) ** 2) / (2 * 30 ** 2))
    hm[0:10, :] = np.maximum(hm[0:10, :], 0.5)                 # a band on the top edge
    hm16 = np.round(np.clip(hm, 0, 1) * 65535).astype(np.uint16)
    # A 16-bit label map: the same shapes with class ids above 255.
    mask16 = LUT16[mask]
    return img, mask, mask16, hm16


# ---------------------------------------------------------------- cases
# (augmenter, setting, imgaug factory, MedAug pipeline entry, nearest) where
# nearest marks settings whose image path is nearest-neighbour with fill 0
# (the property check runs MedAug on the label map as the image). Random
# warps are (augmenter, setting, "fixed", parameters dict, nearest).

def cases():
    c = []

    def add(name, setting, make, args, nearest=False):
        c.append((name, setting, make, {name: args}, nearest))

    add("Fliplr", "p=1", lambda: iaa.Fliplr(1.0), {"p": 1}, True)
    add("Flipud", "p=1", lambda: iaa.Flipud(1.0), {"p": 1}, True)
    add("Fliplr", "p=0", lambda: iaa.Fliplr(0.0), {"p": 0}, True)

    # Affine.
    A = "Affine"
    add(A, "rotate=30", lambda: iaa.Affine(rotate=30), {"rotate": 30})
    add(A, "rotate=30 order=0", lambda: iaa.Affine(rotate=30, order=0), {"rotate": 30, "order": 0}, True)
    add(A, "rotate=-45 shear=16 scale=1.1", lambda: iaa.Affine(rotate=-45, shear={"x": 16, "y": 16}, scale=1.1),
        {"rotate": -45, "shear": {"x": 16, "y": 16}, "scale": 1.1})
    add(A, "rotate=12.5 order=0", lambda: iaa.Affine(rotate=12.5, order=0), {"rotate": 12.5, "order": 0}, True)
    add(A, "shear=12", lambda: iaa.Affine(shear=12), {"shear": 12})
    add(A, "shear={x:-10,y:8} order=0", lambda: iaa.Affine(shear={"x": -10, "y": 8}, order=0),
        {"shear": {"x": -10, "y": 8}, "order": 0}, True)
    add(A, "scale=1.25", lambda: iaa.Affine(scale=1.25), {"scale": 1.25})
    add(A, "scale={x:0.8,y:1.1} order=0", lambda: iaa.Affine(scale={"x": 0.8, "y": 1.1}, order=0),
        {"scale": {"x": 0.8, "y": 1.1}, "order": 0}, True)
    add(A, "scale=0.6", lambda: iaa.Affine(scale=0.6), {"scale": 0.6})
    add(A, "translate_px={x:30,y:-20} order=0", lambda: iaa.Affine(translate_px={"x": 30, "y": -20}, order=0),
        {"translate_px": {"x": 30, "y": -20}, "order": 0}, True)
    add(A, "translate_px={x:-60,y:45}", lambda: iaa.Affine(translate_px={"x": -60, "y": 45}),
        {"translate_px": {"x": -60, "y": 45}})
    add(A, "translate_percent=0.1", lambda: iaa.Affine(translate_percent=0.1), {"translate_percent": 0.1})
    add(A, "translate_percent={x:-0.25,y:0.3} order=0",
        lambda: iaa.Affine(translate_percent={"x": -0.25, "y": 0.3}, order=0),
        {"translate_percent": {"x": -0.25, "y": 0.3}, "order": 0}, True)
    add(A, "rotate=20 mode=edge", lambda: iaa.Affine(rotate=20, mode="edge"), {"rotate": 20, "mode": "edge"})
    add(A, "rotate=20 cval=128", lambda: iaa.Affine(rotate=20, cval=128), {"rotate": 20, "cval": 128})
    add(A, "rotate=30 fit_output", lambda: iaa.Affine(rotate=30, fit_output=True), {"rotate": 30, "fit_output": True})
    add(A, "rotate=90 order=0 fit_output", lambda: iaa.Affine(rotate=90, order=0, fit_output=True),
        {"rotate": 90, "order": 0, "fit_output": True}, True)
    add(A, "scale=1.5 shear=20 order=0 fit_output",
        lambda: iaa.Affine(scale=1.5, shear=20, order=0, fit_output=True),
        {"scale": 1.5, "shear": 20, "order": 0, "fit_output": True}, True)
    add(A, "translate_px={x:40,y:0} fit_output", lambda: iaa.Affine(translate_px={"x": 40, "y": 0}, fit_output=True),
        {"translate_px": {"x": 40, "y": 0}, "fit_output": True})

    # Affine's wrappers.
    add("ScaleX", "scale=1.3", lambda: iaa.ScaleX(1.3), {"scale": 1.3})
    add("ScaleY", "scale=0.8 order=0", lambda: iaa.ScaleY(0.8, order=0), {"scale": 0.8, "order": 0}, True)
    add("TranslateX", "px=25", lambda: iaa.TranslateX(px=25), {"px": 25})
    add("TranslateX", "percent=-0.2 order=0", lambda: iaa.TranslateX(percent=-0.2, order=0),
        {"percent": -0.2, "order": 0}, True)
    add("TranslateY", "px=-30 order=0", lambda: iaa.TranslateY(px=-30, order=0), {"px": -30, "order": 0}, True)
    add("TranslateY", "percent=0.15", lambda: iaa.TranslateY(percent=0.15), {"percent": 0.15})
    add("Rotate", "rotate=45", lambda: iaa.Rotate(45), {"rotate": 45})
    add("Rotate", "rotate=-30 fit_output", lambda: iaa.Rotate(-30, fit_output=True),
        {"rotate": -30, "fit_output": True})
    add("ShearX", "shear=20", lambda: iaa.ShearX(20), {"shear": 20})
    add("ShearY", "shear=-15 order=0", lambda: iaa.ShearY(-15, order=0), {"shear": -15, "order": 0}, True)

    # Rot90.
    for k in (1, 2, 3):
        for keep in (True, False):
            add("Rot90", f"k={k} keep_size={keep}", lambda k=k, keep=keep: iaa.Rot90(k, keep_size=keep),
                {"k": k, "keep_size": keep}, k == 2 or not keep)
    add("Rot90", "k=-1 keep_size=False", lambda: iaa.Rot90(-1, keep_size=False), {"k": -1, "keep_size": False}, True)

    # CropAndPad, Crop, Pad.
    CP = "CropAndPad"
    add(CP, "px=10 (pad) keep_size", lambda: iaa.CropAndPad(px=10), {"px": 10})
    add(CP, "px=-12 (crop) keep_size", lambda: iaa.CropAndPad(px=-12), {"px": -12})
    add(CP, "px=(5,-10,15,-3) keep_size=False", lambda: iaa.CropAndPad(px=(5, -10, 15, -3), keep_size=False),
        {"px": [5, -10, 15, -3], "keep_size": False}, True)
    add(CP, "px=(-40,30,-50,-60) keep_size=False", lambda: iaa.CropAndPad(px=(-40, 30, -50, -60), keep_size=False),
        {"px": [-40, 30, -50, -60], "keep_size": False}, True)
    add(CP, "percent=0.1 keep_size", lambda: iaa.CropAndPad(percent=0.1), {"percent": 0.1})
    add(CP, "percent=-0.1 keep_size", lambda: iaa.CropAndPad(percent=-0.1), {"percent": -0.1})
    add(CP, "percent=(0.05,-0.1,0.1,-0.05) keep_size", lambda: iaa.CropAndPad(percent=(0.05, -0.1, 0.1, -0.05)),
        {"percent": [0.05, -0.1, 0.1, -0.05]})
    add(CP, "percent=-0.15 keep_size=False", lambda: iaa.CropAndPad(percent=-0.15, keep_size=False),
        {"percent": -0.15, "keep_size": False}, True)
    add(CP, "px=20 pad_cval=0 keep_size=False", lambda: iaa.CropAndPad(px=20, keep_size=False),
        {"px": 20, "keep_size": False}, True)
    for mode in ("constant", "edge", "linear_ramp", "maximum", "mean", "median", "minimum",
                 "reflect", "symmetric", "wrap"):
        add(CP, f"px=20 pad_mode={mode} pad_cval=77 keep_size=False",
            lambda m=mode: iaa.CropAndPad(px=20, pad_mode=m, pad_cval=77, keep_size=False),
            {"px": 20, "pad_mode": mode, "pad_cval": 77, "keep_size": False})
    add("Crop", "px=10 keep_size", lambda: iaa.Crop(px=10), {"px": 10})
    add("Crop", "px=(5,10,15,20) keep_size=False", lambda: iaa.Crop(px=(5, 10, 15, 20), keep_size=False),
        {"px": [5, 10, 15, 20], "keep_size": False}, True)
    add("Crop", "percent=0.1 keep_size", lambda: iaa.Crop(percent=0.1), {"percent": 0.1})
    add("Crop", "percent=(0.2,0,0,0.3) keep_size=False", lambda: iaa.Crop(percent=(0.2, 0, 0, 0.3), keep_size=False),
        {"percent": [0.2, 0, 0, 0.3], "keep_size": False}, True)
    add("Pad", "px=10 keep_size", lambda: iaa.Pad(px=10), {"px": 10})
    add("Pad", "px=(5,10,15,20) keep_size=False", lambda: iaa.Pad(px=(5, 10, 15, 20), keep_size=False),
        {"px": [5, 10, 15, 20], "keep_size": False}, True)
    add("Pad", "percent=0.1 pad_mode=edge keep_size=False",
        lambda: iaa.Pad(percent=0.1, pad_mode="edge", keep_size=False),
        {"percent": 0.1, "pad_mode": "edge", "keep_size": False})

    # The same settings as imgaug's Crop/Pad through MedAug's CropAndPad (imgaug's
    # Crop is CropAndPad with the amounts negated, Pad is CropAndPad), so that
    # targets are checked for them while MedAug has no Crop/Pad entries.
    def via(name, setting, make, args, nearest=False):
        c.append((name, setting + " (MedAug: CropAndPad)", make, {"CropAndPad": args}, nearest))

    via("Crop", "px=10 keep_size", lambda: iaa.Crop(px=10), {"px": -10})
    via("Crop", "px=(5,10,15,20) keep_size=False", lambda: iaa.Crop(px=(5, 10, 15, 20), keep_size=False),
        {"px": [-5, -10, -15, -20], "keep_size": False}, True)
    via("Crop", "percent=(0.2,0,0,0.3) keep_size=False", lambda: iaa.Crop(percent=(0.2, 0, 0, 0.3), keep_size=False),
        {"percent": [-0.2, 0, 0, -0.3], "keep_size": False}, True)
    via("Pad", "px=(5,10,15,20) keep_size=False", lambda: iaa.Pad(px=(5, 10, 15, 20), keep_size=False),
        {"px": [5, 10, 15, 20], "keep_size": False}, True)
    via("Pad", "percent=0.1 pad_mode=edge keep_size", lambda: iaa.Pad(percent=0.1, pad_mode="edge"),
        {"percent": 0.1, "pad_mode": "edge"})

    # Fixed sizes.
    add("CropToFixedSize", "width=150 height=101 position=center",
        lambda: iaa.CropToFixedSize(width=150, height=101, position="center"),
        {"width": 150, "height": 101, "position": "center"}, True)
    add("CropToFixedSize", "width=150 height=101 position=right-top",
        lambda: iaa.CropToFixedSize(width=150, height=101, position="right-top"),
        {"width": 150, "height": 101, "position": "right-top"}, True)
    add("CropToFixedSize", "width=120 height=90 position=left-bottom",
        lambda: iaa.CropToFixedSize(width=120, height=90, position="left-bottom"),
        {"width": 120, "height": 90, "position": "left-bottom"}, True)
    add("CropToFixedSize", "width=150 height=101 position=(0.3,0.8)",
        lambda: iaa.CropToFixedSize(width=150, height=101, position=(0.3, 0.8)),
        {"width": 150, "height": 101, "position": [0.3, 0.8]}, True)
    add("CropToFixedSize", "width=300 height=100 position=center (height only)",
        lambda: iaa.CropToFixedSize(width=300, height=100, position="center"),
        {"width": 300, "height": 100, "position": "center"}, True)
    add("PadToFixedSize", "width=260 height=241 position=center",
        lambda: iaa.PadToFixedSize(width=260, height=241, position="center"),
        {"width": 260, "height": 241, "position": "center"}, True)
    add("PadToFixedSize", "width=251 height=300 pad_mode=reflect position=left-bottom",
        lambda: iaa.PadToFixedSize(width=251, height=300, pad_mode="reflect", position="left-bottom"),
        {"width": 251, "height": 300, "pad_mode": "reflect", "position": "left-bottom"})
    add("PadToFixedSize", "width=334 height=250 position=(0.3,0.8)",
        lambda: iaa.PadToFixedSize(width=334, height=250, position=(0.3, 0.8)),
        {"width": 334, "height": 250, "position": [0.3, 0.8]}, True)
    add("PadToFixedSize", "width=230 height=170 position=right-top",
        lambda: iaa.PadToFixedSize(width=230, height=170, position="right-top"),
        {"width": 230, "height": 170, "position": "right-top"}, True)
    add("CenterCropToFixedSize", "width=99 height=120",
        lambda: iaa.CenterCropToFixedSize(width=99, height=120), {"width": 99, "height": 120}, True)
    add("CenterPadToFixedSize", "width=261 height=250 pad_mode=edge",
        lambda: iaa.CenterPadToFixedSize(width=261, height=250, pad_mode="edge"),
        {"width": 261, "height": 250, "pad_mode": "edge"})
    add("CenterPadToFixedSize", "width=240 height=None pad_cval=77",
        lambda: iaa.CenterPadToFixedSize(width=240, height=None, pad_cval=77),
        {"width": 240, "height": None, "pad_cval": 77})

    # Resize.
    add("Resize", "size=0.5 (cubic)", lambda: iaa.Resize(0.5), {"size": 0.5})
    add("Resize", "size=100 linear", lambda: iaa.Resize(100, interpolation="linear"),
        {"size": 100, "interpolation": "linear"})
    add("Resize", "size=1.5 area", lambda: iaa.Resize(1.5, interpolation="area"), {"size": 1.5, "interpolation": "area"})
    add("Resize", "size=0.7 nearest", lambda: iaa.Resize(0.7, interpolation="nearest"),
        {"size": 0.7, "interpolation": "nearest"}, True)
    add("Resize", "size={height:100,width:180}", lambda: iaa.Resize({"height": 100, "width": 180}),
        {"size": {"height": 100, "width": 180}})
    add("Resize", "size={height:160,width:keep-aspect-ratio} nearest",
        lambda: iaa.Resize({"height": 160, "width": "keep-aspect-ratio"}, interpolation="nearest"),
        {"size": {"height": 160, "width": "keep-aspect-ratio"}, "interpolation": "nearest"}, True)
    add("Resize", "size={shorter-side:64,longer-side:keep}",
        lambda: iaa.Resize({"shorter-side": 64, "longer-side": "keep"}),
        {"size": {"shorter-side": 64, "longer-side": "keep"}})

    # Pipelines of several steps (MedAug: a pipeline file's entries in order).
    c.append(("Sequential", "Fliplr(1), CropAndPad(px=-10, keep_size=False), Rot90(1, keep_size=False)",
              lambda: iaa.Sequential([iaa.Fliplr(1.0), iaa.CropAndPad(px=-10, keep_size=False),
                                      iaa.Rot90(1, keep_size=False)]),
              [{"Fliplr": {"p": 1}}, {"CropAndPad": {"px": -10, "keep_size": False}},
               {"Rot90": {"k": 1, "keep_size": False}}], True))
    c.append(("Sequential", "Flipud(1), Affine(translate_px={x:15,y:-25}, order=0), Resize(0.5, nearest), PadToFixedSize(120x90)",
              lambda: iaa.Sequential([iaa.Flipud(1.0), iaa.Affine(translate_px={"x": 15, "y": -25}, order=0),
                                      iaa.Resize(0.5, interpolation="nearest"),
                                      iaa.PadToFixedSize(width=120, height=90, position="center")]),
              [{"Flipud": {"p": 1}}, {"Affine": {"translate_px": {"x": 15, "y": -25}, "order": 0}},
               {"Resize": {"size": 0.5, "interpolation": "nearest"}},
               {"PadToFixedSize": {"width": 120, "height": 90, "position": "center"}}], True))

    # Random warps, with the values imgaug drew handed to MedAug.
    def warp(name, setting, params, nearest=False):
        c.append((name, setting, "fixed", params, nearest))

    E = "ElasticTransformation"
    warp(E, "alpha=40 sigma=4 order=0", dict(alpha=40.0, sigma=4.0, order=0, mode="constant", cval=0, seed=1), True)
    warp(E, "alpha=40 sigma=4 order=3", dict(alpha=40.0, sigma=4.0, order=3, mode="constant", cval=0, seed=2))
    warp(E, "alpha=80 sigma=5 order=1 mode=reflect", dict(alpha=80.0, sigma=5.0, order=1, mode="reflect", cval=0, seed=3))
    warp(E, "alpha=20 sigma=1 order=0 (keypoints stay: sigma <= 1)",
         dict(alpha=20.0, sigma=1.0, order=0, mode="constant", cval=0, seed=4), True)
    PA = "PiecewiseAffine"
    warp(PA, "4x4 sd=0.03 order=1", dict(rows=4, cols=4, sd=0.03, order=1, mode="constant", cval=0, seed=1))
    warp(PA, "4x4 sd=0.05 order=0", dict(rows=4, cols=4, sd=0.05, order=0, mode="constant", cval=0, seed=2), True)
    warp(PA, "3x5 sd=0.05 order=1 mode=edge", dict(rows=3, cols=5, sd=0.05, order=1, mode="edge", cval=0, seed=3))
    PT = "PerspectiveTransform"
    warp(PT, "sd=0.06", dict(sd=0.06, mode="constant", keep_size=True, fit_output=False, seed=1))
    warp(PT, "sd=0.15 mode=replicate", dict(sd=0.15, mode="replicate", keep_size=True, fit_output=False, seed=2))
    warp(PT, "sd=0.1 keep_size=False", dict(sd=0.1, mode="constant", keep_size=False, fit_output=False, seed=4))
    warp(PT, "sd=0.1 fit_output=True", dict(sd=0.1, mode="constant", keep_size=True, fit_output=True, seed=5))
    warp(PT, "sd=0.1 fit_output=True keep_size=False",
         dict(sd=0.1, mode="constant", keep_size=False, fit_output=True, seed=6))
    return c


# MedAug alone, random settings: (name, pipeline entries, nearest). Each runs
# with seeds 1..len(SEEDS): the image with targets must equal the image
# without (`medaug-augbench apply`: the same draws whatever the targets); for
# nearest settings the label map run as the image equals its augmented mask;
# the 16-bit label map lands where the 8-bit one does.
SEEDS = tuple(range(1, 9))
O0 = {"order": 0}


def random_cases():
    return [
        ("Affine", [{"Affine": {"rotate": [-40, 40], "scale": [0.7, 1.3], "shear": [-15, 15],
                                "translate_percent": [-0.2, 0.2], **O0}}], True),
        ("Affine", [{"Affine": {"rotate": [-40, 40], "fit_output": True, **O0}}], True),
        ("Affine", [{"Affine": {"rotate": [-40, 40], "order": {"choice": [0, 1, 3]}, "mode": "edge"}}], False),
        ("Rotate", [{"Rotate": {"rotate": [-90, 90], **O0}}], True),
        ("ShearX", [{"ShearX": {"shear": [-30, 30], **O0}}], True),
        ("TranslateY", [{"TranslateY": {"percent": [-0.3, 0.3], **O0}}], True),
        ("Fliplr", [{"Fliplr": {"p": 0.5}}, {"Flipud": {"p": 0.5}}], True),
        ("Rot90", [{"Rot90": {"k": [0, 3], "keep_size": False}}], True),
        ("Rot90", [{"Rot90": {"k": [0, 3]}}], False),
        ("CropAndPad", [{"CropAndPad": {"px": [-30, 30], "keep_size": False}}], True),
        ("CropAndPad", [{"CropAndPad": {"percent": [-0.2, 0.2]}}], False),
        ("CropToFixedSize", [{"CropToFixedSize": {"width": 120, "height": 100}}], True),
        ("PadToFixedSize", [{"PadToFixedSize": {"width": 240, "height": 200}}], True),
        ("Resize", [{"Resize": {"size": [0.5, 1.5], "interpolation": "nearest"}}], True),
        ("ElasticTransformation", [{"ElasticTransformation": {"alpha": [10, 60], "sigma": [3, 6], **O0}}], True),
        ("PiecewiseAffine", [{"PiecewiseAffine": {"scale": [0.02, 0.05], **O0}}], True),
        ("PerspectiveTransform", [{"PerspectiveTransform": {"scale": [0.05, 0.15], "keep_size": False}}], False),
        ("PerspectiveTransform", [{"PerspectiveTransform": {"scale": [0.05, 0.15], "fit_output": True}}], False),
        ("Sometimes", [{"Sometimes": {"p": 0.5, "then": [{"Affine": {"rotate": [-30, 30], **O0}}],
                                      "else": [{"Fliplr": {"p": 1}}]}}], True),
        ("SomeOf", [{"SomeOf": {"n": [1, 2], "random_order": True, "children": [
            {"Fliplr": {"p": 1}}, {"Rot90": {"k": 1, "keep_size": False}},
            {"CropAndPad": {"px": [-20, 20], "keep_size": False}}]}}], True),
        ("OneOf", [{"OneOf": {"children": [
            {"ElasticTransformation": {"alpha": [10, 60], "sigma": [3, 6], **O0}},
            {"PiecewiseAffine": {"scale": [0.02, 0.05], **O0}},
            {"Affine": {"shear": [-20, 20], **O0}}]}}], True),
        ("Sequential", [{"Add": {"value": [-20, 20]}}, {"Affine": {"rotate": [-30, 30], **O0}},
                        {"GaussianBlur": {"sigma": [0, 1]}}, {"CropToFixedSize": {"width": 150, "height": 120}}], False),
    ]


def random_consistency(binary, work, files, only):
    """Rows of the MedAug-only checks at random settings (see random_cases)."""
    src, src_mask, src_mask16, src_hm = files
    selected = [c for c in random_cases() if not only or c[0] in only]
    jobs, plan = [], []
    for ci, (name, pipe, nearest) in enumerate(selected):
        pfile = os.path.join(work, f"rand{ci}.json")
        with open(pfile, "w") as f:
            json.dump(pipe, f)
        for seed in SEEDS:
            tag = f"r{ci}_{seed}"
            main = {"pipeline": pfile, "image": src, "mask": [src_mask, src_mask16], "heatmap": src_hm,
                    "keypoints": KEYPOINTS, "boxes": BOXES, "seed": seed, "identity": "image.png",
                    "out_image": os.path.join(work, f"{tag}_img.png"),
                    "out_mask": [os.path.join(work, f"{tag}_mask.png"), os.path.join(work, f"{tag}_mask16.png")]}
            entry = {"case": ci, "seed": seed, "main": len(jobs), "pipe": pfile,
                     "plain": os.path.join(work, f"{tag}_plain.png")}
            jobs.append(main)
            if nearest:
                entry["label"] = len(jobs)
                jobs.append({"pipeline": pfile, "image": src_mask, "mask": src_mask, "seed": seed,
                             "identity": "label", "out_image": os.path.join(work, f"{tag}_limg.png"),
                             "out_mask": os.path.join(work, f"{tag}_lmask.png")})
            plan.append(entry)
    results = run_medaug(binary, work, jobs, name="random")
    rows = []
    for ci, (name, pipe, nearest) in enumerate(selected):
        row = {"augmenter": name, "pipeline": json.dumps(pipe, separators=(",", ":")), "nearest": nearest,
               "seeds": 0, "image_same": 0, "label_same": 0, "mask16_same": 0, "errors": [], "bad": []}
        for e in [e for e in plan if e["case"] == ci]:
            res = load(results[e["main"]], jobs[e["main"]])
            if "error" in res:
                row["errors"].append(short_error(res["error"]))
                continue
            row["seeds"] += 1
            p = subprocess.run([binary, "apply", e["pipe"], src, e["plain"], "--seed", str(e["seed"])],
                               capture_output=True, text=True)
            plain = cv2.imread(e["plain"], cv2.IMREAD_UNCHANGED) if p.returncode == 0 else None
            ours = res.get("image_img")
            if plain is not None and ours is not None and plain.shape == ours.shape and np.array_equal(plain, ours):
                row["image_same"] += 1
            else:
                row["bad"].append(f"seed {e['seed']}: image with targets "
                                  f"{None if ours is None else ours.shape} differs from image alone "
                                  f"{None if plain is None else plain.shape}"
                                  + ("" if p.returncode == 0 else f" (apply failed: {p.stderr.strip()[:200]})"))
            m8, m16 = res.get("mask_img"), res.get("mask16_img")
            if m8 is not None and m16 is not None and m8.shape == m16.shape and np.array_equal(LUT16[m8], m16):
                row["mask16_same"] += 1
            else:
                row["bad"].append(f"seed {e['seed']}: 16-bit mask does not land where the 8-bit one does")
            if "label" in e:
                lres = load(results[e["label"]], jobs[e["label"]])
                li, lm = lres.get("image_img"), lres.get("mask_img")
                if li is not None and lm is not None and li.shape == lm.shape and np.array_equal(li, lm):
                    row["label_same"] += 1
                else:
                    n = None if li is None or lm is None or li.shape != lm.shape else int(np.count_nonzero(li != lm))
                    row["bad"].append(f"seed {e['seed']}: label image differs from the mask "
                                      f"({n if n is not None else 'shapes ' + str((None if li is None else li.shape, None if lm is None else lm.shape))} px)"
                                      + (f" error: {lres['error']}" if "error" in lres else ""))
        row["pass"] = (not row["errors"] and row["image_same"] == row["seeds"] == len(SEEDS)
                       and row["mask16_same"] == row["seeds"] and (not nearest or row["label_same"] == row["seeds"]))
        rows.append(row)
        lbl = f"{row['label_same']}/{row['seeds']}" if nearest else "—"
        print(f"  {name:22s} {row['pipeline'][:90]:90s} image {row['image_same']}/{row['seeds']} "
              f"label=mask {lbl} 16-bit {row['mask16_same']}/{row['seeds']}  {'ok' if row['pass'] else 'FAIL'}",
              flush=True)
        for line in (row["errors"][:2] + row["bad"][:4]):
            print(f"      {line[:300]}")
    return rows


class Fixed(iap.StochasticParameter):
    """A parameter that always returns the given array (reshaped to the request)."""

    def __init__(self, arr):
        super().__init__()
        self.arr = np.asarray(arr)

    def _draw_samples(self, size, random_state):
        return self.arr.reshape(size)


def fixed_warp(name, p, work, tag, shape):
    """The imgaug augmenter with its draws pinned, and the `fixed` block
    that hands MedAug the same values."""
    h, w = shape[0:2]
    if name == "ElasticTransformation":
        from imgaug.augmenters.geometric import ElasticTransformation as ET
        import imgaug.random as iarandom
        dx, dy = ET._generate_shift_maps((h, w), alpha=p["alpha"], sigma=p["sigma"],
                                         random_state=iarandom.RNG(p["seed"]))
        # float32 on both sides (MedAug's fields are float32; imgaug's float64
        # would only add rounding differences to the comparison).
        dx, dy = dx.astype(np.float32), dy.astype(np.float32)
        aug = iaa.ElasticTransformation(alpha=p["alpha"], sigma=p["sigma"], order=p["order"], mode=p["mode"],
                                        cval=p["cval"])
        aug._generate_shift_maps = lambda shape, alpha, sigma, random_state: (dx.copy(), dy.copy())
        fdx, fdy = os.path.join(work, f"{tag}.dx"), os.path.join(work, f"{tag}.dy")
        dx.astype("<f4").tofile(fdx)
        dy.astype("<f4").tofile(fdy)
        return aug, {"augmenter": name, "dx": fdx, "dy": fdy,
                     "alpha": p["alpha"], "sigma": p["sigma"], "order": p["order"], "mode": p["mode"],
                     "cval": p["cval"]}
    if name == "PiecewiseAffine":
        from imgaug.augmenters.geometric import _PiecewiseAffineSamplingResult
        nr, nc = p["rows"], p["cols"]
        jitter = np.random.default_rng(p["seed"]).normal(0, p["sd"], (nr * nc, 2)).astype(np.float32)
        aug = iaa.PiecewiseAffine(scale=p["sd"], nb_rows=nr, nb_cols=nc, order=p["order"], mode=p["mode"],
                                  cval=p["cval"])
        aug._draw_samples = lambda nb_images, random_state: _PiecewiseAffineSamplingResult(
            nb_rows=np.array([nr] * nb_images), nb_cols=np.array([nc] * nb_images),
            jitter=[jitter.copy() for _ in range(nb_images)], order=np.array([p["order"]] * nb_images),
            cval=np.array([float(p["cval"])] * nb_images), mode=np.array([p["mode"]] * nb_images))
        fj, ft = os.path.join(work, f"{tag}.f32"), os.path.join(work, f"{tag}.i32")
        jitter.astype("<f4").tofile(fj)
        tf = aug._get_transformer((h, w, 3), (h, w, 3), nr, nc, jitter.copy())
        tf._tesselation.simplices.astype("<i4").tofile(ft)
        return aug, {"augmenter": name, "rows": nr, "cols": nc, "jitter": fj, "triangles": ft,
                     "order": p["order"], "mode": p["mode"], "cval": p["cval"], "absolute_scale": False}
    if name == "PerspectiveTransform":
        jitter = np.random.default_rng(p["seed"]).normal(0, p["sd"], (1, 4, 2)).astype(np.float32)
        aug = iaa.PerspectiveTransform(scale=p["sd"], mode=p["mode"], keep_size=p["keep_size"],
                                       fit_output=p["fit_output"])
        aug.jitter = Fixed(jitter)
        aug.cval = Fixed(np.array([[0, 0, 0]]))
        return aug, {"augmenter": name, "jitter": [float(v) for v in jitter.ravel()], "mode": p["mode"],
                     "cval": [0, 0, 0], "keep_size": p["keep_size"], "fit_output": p["fit_output"]}
    raise ValueError(name)


# ---------------------------------------------------------------- imgaug side

def imgaug_run(aug, img, mask, mask16, hm16):
    shape = img.shape
    segmap = SegmentationMapsOnImage(mask.astype(np.int32), shape=shape)
    heat = HeatmapsOnImage((hm16.astype(np.float32) / 65535.0), shape=shape)
    kpsoi = KeypointsOnImage([Keypoint(x=x, y=y) for x, y in KEYPOINTS], shape=shape)
    bbsoi = BoundingBoxesOnImage([BoundingBox(*b, label=i) for i, b in enumerate(BOXES)], shape=shape)
    det = aug.to_deterministic()
    img_a, heat_a, seg_a, kps_a, bbs_a = det(image=img, heatmaps=heat, segmentation_maps=segmap,
                                             keypoints=kpsoi, bounding_boxes=bbsoi)
    # The 16-bit label map in a second call of the same deterministic augmenter.
    _, seg16_a = det(image=img, segmentation_maps=SegmentationMapsOnImage(mask16.astype(np.int32), shape=shape))
    finished = []
    for v in VISIBILITIES:
        b = bbs_a.remove_out_of_image(fully=True, partly=False)
        b = BoundingBoxesOnImage([bb for bb in b.bounding_boxes
                                  if v <= 0 or 1.0 - bb.compute_out_of_image_fraction(b.shape) >= v], shape=b.shape)
        b = b.clip_out_of_image()
        finished.append({bb.label: (bb.x1, bb.y1, bb.x2, bb.y2) for bb in b.bounding_boxes})
    return {
        "shape": img_a.shape[0:2],
        "mask": seg_a.get_arr(),
        "mask16": seg16_a.get_arr(),
        "heatmap": heat_a.get_arr() if heat_a.get_arr().ndim == 2 else heat_a.get_arr()[..., 0],
        "keypoints": np.array([[k.x, k.y] for k in kps_a.keypoints], np.float64),
        "boxes": {bb.label: (bb.x1, bb.y1, bb.x2, bb.y2) for bb in bbs_a.bounding_boxes},
        "finished": finished,
    }


# ---------------------------------------------------------------- comparison

def tolerance(ref):
    """The bar per coordinate: POINT_BAR, or 2 float32 ulps of the reference
    where that is larger (imgaug keeps coordinates as float32; a point sent
    thousands of pixels away by a perspective warp cannot be closer)."""
    ref = np.abs(np.asarray(ref, np.float64))
    return np.maximum(POINT_BAR, 2 * np.spacing(ref.astype(np.float32)).astype(np.float64))


def points_ok(ours, ref):
    ours, ref = np.asarray(ours, np.float64), np.asarray(ref, np.float64)
    return bool(np.all(np.abs(ours - ref) <= tolerance(ref)))


def box_diff(ref, ours_rows):
    """(max |diff| over matched boxes, all matched within tolerance(), ids only
    in imgaug, ids only in MedAug)."""
    ours = {int(r[4]): tuple(r[0:4]) for r in ours_rows}
    common = sorted(set(ref) & set(ours))
    d = max((max(abs(float(a) - float(b)) for a, b in zip(ref[i], ours[i])) for i in common), default=0.0)
    ok = all(points_ok(ours[i], [float(v) for v in ref[i]]) for i in common)
    return d, ok, sorted(set(ref) - set(ours)), sorted(set(ours) - set(ref))


def visible_fraction(box, shape):
    """imgaug's 1 - compute_out_of_image_fraction, in float64."""
    return 1.0 - BoundingBox(*[float(v) for v in box]).compute_out_of_image_fraction(tuple(shape))


def compare(ref, ours, ours_label, nearest):
    r = {"error": None}
    if "error" in ours:
        r["error"] = ours["error"]
        return r
    oh, ow = ours["height"], ours["width"]
    r["shape_ref"] = tuple(int(v) for v in ref["shape"])
    r["shape_ours"] = (oh, ow)
    r["shape_ok"] = r["shape_ref"] == (oh, ow)
    m = ours.get("mask_img")
    if m is None or m.shape != ref["mask"].shape:
        r["mask_diff"] = None
        r["mask_shape"] = (None if m is None else m.shape, ref["mask"].shape)
    else:
        r["mask_diff"] = int(np.count_nonzero(m.astype(np.int64) != ref["mask"].astype(np.int64)))
    m16 = ours.get("mask16_img")
    if m16 is None or m16.shape != ref["mask16"].shape or m16.dtype != np.uint16:
        r["mask16_diff"] = None
    else:
        r["mask16_diff"] = int(np.count_nonzero(m16.astype(np.int64) != ref["mask16"].astype(np.int64)))
    hm = ours.get("heatmap_img")
    if hm is None or hm.shape != ref["heatmap"].shape:
        r["heat_diff"] = None
    else:
        d = np.abs(hm.astype(np.float64) / 65535.0 - ref["heatmap"].astype(np.float64))
        r["heat_diff"] = float(d.max()) if d.size else 0.0
        r["heat_mean"] = float(d.mean()) if d.size else 0.0
    k = np.array(ours["keypoints"], np.float64).reshape(-1, 2)
    if k.shape != ref["keypoints"].shape:
        r["kp_diff"] = None
    else:
        dk = np.abs(k - ref["keypoints"])
        r["kp_diff"] = float(np.nanmax(dk)) if dk.size else 0.0
        r["kp_ok"] = points_ok(k, ref["keypoints"])
        r["kp_worst"] = int(np.argmax(dk.max(axis=1))) if dk.size else -1
    d, r["box_ok"], only_ref, only_ours = box_diff(ref["boxes"], ours["boxes"])
    r["box_diff"] = d if not only_ref and not only_ours else None
    fin_d, fin_ok, fin_bad, fin_ties = 0.0, True, [], []
    for v, rf, of in zip(VISIBILITIES, ref["finished"], ours["finished"]):
        d, ok, only_ref, only_ours = box_diff(rf, of["boxes"])
        fin_d, fin_ok = max(fin_d, d), fin_ok and ok
        # A box whose visible fraction is v itself (to float32 precision) is
        # kept or dropped by the last bit of imgaug's float32 coordinates: a tie.
        ties = [i for i in only_ref + only_ours
                if i in ref["boxes"] and v > 0 and abs(visible_fraction(ref["boxes"][i], ref["shape"]) - v) < 1e-5]
        only_ref = [i for i in only_ref if i not in ties]
        only_ours = [i for i in only_ours if i not in ties]
        if ties:
            fin_ties.append((v, ties))
        if only_ref or only_ours:
            fin_bad.append((v, only_ref, only_ours))
    r["finished_diff"] = fin_d
    r["finished_ok"] = fin_ok
    r["finished_bad"] = fin_bad
    r["finished_ties"] = fin_ties
    r["label_same"] = None
    if nearest and ours_label is not None and "error" not in ours_label:
        li, lm = ours_label.get("image_img"), ours_label.get("mask_img")
        if li is not None and lm is not None:
            r["label_same"] = bool(li.shape == lm.shape and np.array_equal(li, lm))
            r["label_diff"] = int(np.count_nonzero(li != lm)) if li.shape == lm.shape else None
    r["pass"] = (r["shape_ok"] and r["mask_diff"] == 0 and r["mask16_diff"] == 0 and r["kp_diff"] is not None
                 and r["kp_ok"] and r["box_diff"] is not None and r["box_ok"] and not fin_bad and fin_ok)
    r["heat_pass"] = r["heat_diff"] is not None and r["heat_diff"] <= HEATMAP_BAR
    return r


# ---------------------------------------------------------------- driver

def load(res, job):
    """A MedAug result with its written maps read back (mask_img, mask16_img,
    heatmap_img, image_img)."""
    if "error" in res:
        return res
    res = dict(res)
    masks = job.get("out_mask", [])
    masks = [masks] if isinstance(masks, str) else masks
    for path, key in zip(masks, ("mask_img", "mask16_img")):
        if os.path.exists(path):
            res[key] = cv2.imread(path, cv2.IMREAD_UNCHANGED)
    for key, img_key in (("out_heatmap", "heatmap_img"), ("out_image", "image_img")):
        if key in job and os.path.exists(job[key]):
            res[img_key] = cv2.imread(job[key], cv2.IMREAD_UNCHANGED)
    return res


def run_binary(binary, cases_path, out_path):
    p = subprocess.run([binary, "targets", cases_path, out_path], capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"medaug-augbench targets failed ({p.returncode}): {p.stderr.strip()[-2000:]}")
    with open(out_path) as f:
        return json.load(f)


def run_medaug(binary, work, jobs, name="cases"):
    """All cases in one process; if it dies (a trap), one process per case so
    that the failing one is named."""
    cases_path, out_path = os.path.join(work, f"{name}.json"), os.path.join(work, f"{name}-results.json")
    with open(cases_path, "w") as f:
        json.dump(jobs, f)
    try:
        return run_binary(binary, cases_path, out_path)
    except RuntimeError as e:
        print(f"  batch run failed, running cases one by one: {e}", flush=True)
    results = []
    for i, job in enumerate(jobs):
        one, out1 = os.path.join(work, f"{name}{i}.json"), os.path.join(work, f"{name}{i}-result.json")
        with open(one, "w") as f:
            json.dump([job], f)
        try:
            results.append(run_binary(binary, one, out1)[0])
        except RuntimeError as e:
            results.append({"error": f"crashed: {e}"})
    return results


def short_error(msg):
    """An error without the scratch file's path and the list of allowed names."""
    msg = re.sub(r"^\S+\.json: ", "", msg.split("; allowed:")[0])
    return msg.replace("\n", " ")


def fmt(v, digits=4):
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:.{digits}g}" if v else "0"
    return str(v)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=".build/release/medaug-augbench")
    ap.add_argument("--write", help="replace the generated section of this markdown file (PARITY.md)")
    ap.add_argument("--keep", help="keep the work folder here")
    ap.add_argument("--only", help="comma-separated augmenter names (no --write)")
    ap.add_argument("--json", help="write the per-case results here")
    ap.add_argument("--size", help="WxH of the test image (default 200x150, at most 224x224; no --write)")
    args = ap.parse_args()
    if args.size:
        global W, H
        W, H = (int(v) for v in args.size.lower().split("x"))
    only = set(args.only.split(",")) if args.only else None
    work = args.keep or tempfile.mkdtemp(prefix="medaug-targetparity-")
    if args.keep:
        shutil.rmtree(work, ignore_errors=True)
        os.makedirs(work)
    try:
        img, mask, mask16, hm16 = fixtures()
        src, src_mask, src_mask16, src_hm = (os.path.join(work, n)
                                             for n in ("image.png", "mask.png", "mask16.png", "heatmap.png"))
        augment_images.write_png(src, img)
        augment_images.write_png(src_mask, mask)
        cv2.imwrite(src_mask16, mask16)
        cv2.imwrite(src_hm, hm16)
        selected = [c for c in cases() if not only or c[0] in only]
        refs, jobs, main_index, label_index = [], [], [], {}
        for i, (name, setting, make, entry, nearest) in enumerate(selected):
            tag = f"c{i}"
            if make == "fixed":
                aug, fixed = fixed_warp(name, entry, work, tag, img.shape)
            else:
                aug, fixed = make(), None
            try:
                refs.append(imgaug_run(aug, img, mask, mask16, hm16))
            except Exception as e:  # noqa: BLE001
                refs.append({"error": f"imgaug: {e}"})
            job = {"image": src, "mask": [src_mask, src_mask16], "heatmap": src_hm, "keypoints": KEYPOINTS,
                   "boxes": BOXES, "seed": 1, "identity": tag, "min_visibility": list(VISIBILITIES),
                   "out_mask": [os.path.join(work, f"{tag}_mask.png"), os.path.join(work, f"{tag}_mask16.png")],
                   "out_heatmap": os.path.join(work, f"{tag}_hm.png")}
            if fixed is not None:
                job["fixed"] = fixed
            else:
                job["pipeline"] = entry if isinstance(entry, list) else [entry]
            main_index.append(len(jobs))
            jobs.append(job)
            if nearest:
                label = {k: v for k, v in job.items() if k not in ("heatmap", "out_heatmap", "keypoints", "boxes")}
                label.update(image=src_mask, mask=src_mask, identity=tag,
                             out_image=os.path.join(work, f"{tag}_label_img.png"),
                             out_mask=os.path.join(work, f"{tag}_label_mask.png"), min_visibility=[0])
                label_index[i] = len(jobs)
                jobs.append(label)
        results = run_medaug(args.binary, work, jobs)


        rows = []
        print(f"{'augmenter':22s} {'setting':66s} {'shape':>11s} {'mask px':>7s} {'m16 px':>6s} {'heat':>8s} {'kp':>9s} "
              f"{'box':>9s} {'fin':>9s} {'removed':>8s} {'lbl=msk':>7s}  result")
        for i, (name, setting, make, entry, nearest) in enumerate(selected):
            ref = refs[i]
            ours = load(results[main_index[i]], jobs[main_index[i]])
            ours_label = load(results[label_index[i]], jobs[label_index[i]]) if i in label_index else None
            if "error" in ref:
                r = {"error": ref["error"], "pass": False}
            else:
                r = compare(ref, ours, ours_label, nearest)
            if r.get("error"):
                r["error"] = short_error(r["error"])
            r.update(augmenter=name, setting=setting, nearest=nearest)
            if r.get("error") is None and not r["pass"]:
                r["detail"] = detail(ref, ours, r)
            rows.append(r)
            if r.get("error"):
                print(f"{name:22s} {setting:66s} ERROR {r['error'][:160]}", flush=True)
                continue
            shape = "ok" if r["shape_ok"] else f"{r['shape_ours'][1]}x{r['shape_ours'][0]}≠{r['shape_ref'][1]}x{r['shape_ref'][0]}"
            removed = ("DIFF" if r["finished_bad"] else "tie" if r["finished_ties"] else "ok")
            lbl = "—" if r["label_same"] is None else ("yes" if r["label_same"] else f"NO({r.get('label_diff')})")
            print(f"{name:22s} {setting:66s} {shape:>11s} {fmt(r['mask_diff']):>7s} {fmt(r['mask16_diff']):>6s} "
                  f"{fmt(r['heat_diff'], 3):>8s} "
                  f"{fmt(r['kp_diff'], 3):>9s} {fmt(r['box_diff'], 3):>9s} {fmt(r['finished_diff'], 3):>9s} "
                  f"{removed:>8s} {lbl:>7s}  {'ok' if r['pass'] else 'FAIL'}", flush=True)
            if r.get("detail"):
                for line in r["detail"]:
                    print(f"      {line}")
        print("\nMedAug alone at random settings (with targets vs without, label = mask, 16-bit = 8-bit):", flush=True)
        random_rows = random_consistency(args.binary, work, (src, src_mask, src_mask16, src_hm), only)
        text, summary = report(rows, random_rows)
        print()
        print(summary)
        if args.json:
            with open(args.json, "w") as f:
                json.dump([{k: v for k, v in r.items()} for r in rows], f, indent=1, default=str)
        if args.write and not only and not args.size:
            report_section.replace_section(args.write, text, BEGIN, END, title="")
            print(f"wrote {args.write}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def detail(ref, ours, r):
    """Lines that say what differs, for the failing cases."""
    out = []
    if not r["shape_ok"]:
        out.append(f"image size: MedAug {r['shape_ours'][1]}x{r['shape_ours'][0]}, imgaug "
                   f"{r['shape_ref'][1]}x{r['shape_ref'][0]} (WxH)")
    if r["mask16_diff"]:
        m = ours["mask16_img"].astype(np.int64)
        ys, xs = np.nonzero(m != ref["mask16"])
        out.append(f"16-bit mask: {r['mask16_diff']} px differ, first at (x={xs[0]}, y={ys[0]}): "
                   f"MedAug {m[ys[0], xs[0]]} imgaug {ref['mask16'][ys[0], xs[0]]}")
    if r["mask_diff"] is None:
        out.append(f"mask shape: MedAug {r.get('mask_shape', ('?',))[0]}, imgaug {ref['mask'].shape}")
    elif r["mask_diff"]:
        m = ours["mask_img"].astype(np.int64)
        diff = m != ref["mask"]
        ys, xs = np.nonzero(diff)
        out.append(f"mask: {r['mask_diff']} px differ, rows {ys.min()}..{ys.max()} cols {xs.min()}..{xs.max()}; "
                   f"first at (x={xs[0]}, y={ys[0]}): MedAug {m[ys[0], xs[0]]} imgaug {ref['mask'][ys[0], xs[0]]}")
    if r["kp_diff"] is None:
        out.append(f"keypoints: MedAug {len(ours['keypoints'])}, imgaug {len(ref['keypoints'])}")
    elif not r["kp_ok"]:
        k = np.array(ours["keypoints"], np.float64).reshape(-1, 2)
        bad = np.nonzero((np.abs(k - ref["keypoints"]) > tolerance(ref["keypoints"])).any(axis=1))[0]
        for j in bad[:4]:
            out.append(f"keypoint {j} {KEYPOINTS[j]}: MedAug ({k[j, 0]:.4f}, {k[j, 1]:.4f}) imgaug "
                       f"({ref['keypoints'][j, 0]:.4f}, {ref['keypoints'][j, 1]:.4f})")
        if len(bad) > 4:
            out.append(f"... {len(bad)} keypoints differ")
    ours_boxes = {int(b[4]): b[0:4] for b in ours["boxes"]}
    n = 0
    for i, rb in ref["boxes"].items():
        ob = ours_boxes.get(i)
        if ob is None or not points_ok(ob, [float(v) for v in rb]):
            n += 1
            if n <= 3:
                out.append(f"box {i} {BOXES[i]}: MedAug {None if ob is None else tuple(round(v, 4) for v in ob)} "
                           f"imgaug {tuple(round(float(v), 4) for v in rb)}")
    if n > 3:
        out.append(f"... {n} boxes differ")
    for v, only_ref, only_ours in r["finished_bad"]:
        out.append(f"min_visibility={v}: kept only by imgaug {only_ref}, only by MedAug {only_ours}")
    return out


def report(rows, random_rows):
    out = []
    w = out.append
    counted = [r for r in rows if r.get("error") is None]
    passed = sum(r["pass"] for r in counted)
    errors = [r for r in rows if r.get("error")]
    props = [r for r in counted if r.get("label_same") is not None]
    prop_ok = sum(r["label_same"] for r in props)
    heat = [r for r in counted if r.get("heat_diff") is not None]
    heat_ok = sum(r["heat_pass"] for r in heat)
    w("## Targets that follow the image (imgaug 0.4.0)\n")
    w(f"`parity/target_parity.py` (run by `make parity-aug`): every geometric augmenter on a {W}x{H} RGB image "
      "with an 8-bit label map (classes 0-9, shapes touching every border), the same map with 16-bit class ids, a "
      "heatmap, keypoints (inside, on and near the border, on the far edges, already outside) and boxes (inside, "
      "on the border, partly and fully outside, thin, zero-area), in one call on each side: imgaug's "
      "`aug(image=, heatmaps=, segmentation_maps=, keypoints=, bounding_boxes=)` with `to_deterministic()` and "
      "`medaug-augbench targets` (`Augmenter.augment(AnnotatedImage)`). Random warps get the values imgaug drew "
      "(ElasticTransformation's displacement fields as float32, PiecewiseAffine's grid jitter with scipy's "
      "triangles, PerspectiveTransform's corner jitter) through MedAug's fixed-value `apply` for images with "
      "targets.\n")
    w(f"Bars: image size equal; label maps identical (*mask px*, *16-bit mask px* = differing pixels); keypoints "
      f"and boxes before removal within {POINT_BAR:g} px (*kp*, *box*: max |diff|; a coordinate thousands of "
      f"pixels away, where float32 cannot hold {POINT_BAR:g}, within 2 float32 ulps); after removal (imgaug: "
      f"`remove_out_of_image()`, then visible fraction `1 - compute_out_of_image_fraction` below v, then "
      f"`clip_out_of_image()`; MedAug: `ImageTargets.finished`) at v = "
      f"{', '.join(f'{v:g}' for v in VISIBILITIES)} the same boxes kept (*removed*; a box whose visible fraction "
      f"is v itself is a *tie*, decided by imgaug's float32 rounding, and not counted) within {POINT_BAR:g} px "
      f"(*kept box*). Heatmaps are reported, not counted (MedAug warps them as 16-bit maps): max |diff| in 0..1, "
      f"bar {HEATMAP_BAR:g}. *label = mask*: for nearest-neighbour settings with fill 0, MedAug run on the label "
      f"map as the image returns exactly its augmented mask.\n")
    w("| augmenter | setting | size | mask px | 16-bit mask px | heatmap | kp | box | kept box | removed | label = mask | pass |")
    w("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        if r.get("error"):
            msg = r["error"].replace("|", "\\|").replace("\n", " ")[:140]
            w(f"| {r['augmenter']} | {r['setting']} | error: {msg} | | | | | | | | | no |")
            continue
        size = "ok" if r["shape_ok"] else f"{r['shape_ours'][1]}x{r['shape_ours'][0]} vs {r['shape_ref'][1]}x{r['shape_ref'][0]}"
        removed = "same" if not r["finished_bad"] else "; ".join(
            f"v={v:g}: imgaug only {a}, MedAug only {b}" for v, a, b in r["finished_bad"])
        if r["finished_ties"]:
            removed += " (tie: " + "; ".join(f"v={v:g} box {b}" for v, b in r["finished_ties"]) + ")"
        lbl = "" if r["label_same"] is None else ("yes" if r["label_same"] else f"no ({r.get('label_diff')} px)")
        w(f"| {r['augmenter']} | {r['setting']} | {size} | {fmt(r['mask_diff'])} | {fmt(r['mask16_diff'])} | "
          f"{fmt(r['heat_diff'], 3)} | "
          f"{fmt(r['kp_diff'], 3)} | {fmt(r['box_diff'], 3)} | {fmt(r['finished_diff'], 3)} | {removed} | {lbl} | "
          f"{'yes' if r['pass'] else 'no'} |")
    w("")
    summary = (f"targets: {passed}/{len(rows)} settings match imgaug ({len(errors)} not run by MedAug); "
               f"label = mask {prop_ok}/{len(props)}; heatmaps within {HEATMAP_BAR:g} {heat_ok}/{len(heat)}")
    w("### The same draws with and without targets (MedAug alone)\n")
    w(f"Random settings that imgaug cannot be made to draw alike, each with seeds {SEEDS[0]}..{SEEDS[-1]}: *image* = "
      "the augmented image with targets equals the image augmented alone (`medaug-augbench apply`, same seed and "
      "identity); *label = mask* = for nearest-neighbour settings the label map run as the image equals its "
      "augmented mask; *16-bit* = the 16-bit label map lands where the 8-bit one does.\n")
    w("| augmenter | pipeline | image | label = mask | 16-bit | pass |")
    w("|---|---|---|---|---|---|")
    for r in random_rows:
        err = f" (errors: {r['errors'][0][:100]})" if r["errors"] else ""
        lbl = f"{r['label_same']}/{r['seeds']}" if r["nearest"] else ""
        pipe = r["pipeline"].replace("|", "\\|")
        w(f"| {r['augmenter']} | `{pipe}` | {r['image_same']}/{r['seeds']}{err} | {lbl} | "
          f"{r['mask16_same']}/{r['seeds']} | {'yes' if r['pass'] else 'no'} |")
    w("")
    rpass = sum(r["pass"] for r in random_rows)
    summary += f"; random settings {rpass}/{len(random_rows)}"
    w(summary)
    return "\n".join(out), summary


BEGIN = "<!-- BEGIN target_parity.py output -->"
END = "<!-- END target_parity.py output -->"

if __name__ == "__main__":
    main()
