"""MedAug's augmenters against imgaug 0.4.0, augmenter by augmenter, with
fixed (deterministic) parameters, and MedAug's SLIC against scikit-image's.

Run by `make parity-aug` with the parity venv (parity/setup.sh):
    python parity/augment_parity.py --binary .build/release/medaug-augbench \
        [--write PARITY.md]

For every case the same constants go to imgaug (Python objects) and to
MedAug (a one-entry JSON pipeline run by `medaug-augbench apply-batch`), on
the same seeded 224x224 RGB and grayscale images (parity/augment_images.py).
The score is the mean absolute difference on uint8 over the interior of the
output (a margin of 10% of each side, 22 px at 224, left out), and the
largest difference there. A case passes at MAD <= 1 on every image kind.

Random draws cannot be compared: MedAug gives every image its own xoshiro
stream, imgaug draws from numpy's SFC64 generator, so random masks and
sampled parameters differ by design. Only deterministic settings are
compared: constants, and for the dropouts p = 0 and p = 1.
"""
import argparse
import contextlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile

import cv2
import imgaug
import imgaug.augmenters as iaa
import numpy as np
import skimage
import skimage.segmentation

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import augment_images  # noqa: E402
import report_section  # noqa: E402
import sampling_parity  # noqa: E402

MARGIN = 0.10
BAR = 1.0
SLIC_BAR = 1.05


# ---------------------------------------------------------------- cases
# (augmenter, setting shown, imgaug factory, MedAug arguments, note, extension)
# note: "deviation" marks a case where MedAug fixes an imgaug bug on purpose,
# so a difference is expected and the row does not count towards the bar.
# extension: for inputs imgaug refuses but MedAug accepts (grayscale for
# BilateralBlur and MultiplyAndAddToBrightness), a function giving the
# result MedAug documents for them, to check the extension against.

def cases():
    c = []

    def add(name, setting, make, args, note="", extension=None):
        c.append((name, setting, make, args, note, extension))

    add("Fliplr", "p=1", lambda: iaa.Fliplr(1.0), {"p": 1})
    add("Flipud", "p=1", lambda: iaa.Flipud(1.0), {"p": 1})

    # Intensity (imgaug 0.4.0 arithmetic.py, color.py, pillike.py).
    add("Identity", "", lambda: iaa.Identity(), {})
    add("Invert", "p=1", lambda: iaa.Invert(1), {"p": 1})
    add("Invert", "p=1 min_value=30 max_value=200", lambda: iaa.Invert(1, min_value=30, max_value=200),
        {"p": 1, "min_value": 30, "max_value": 200})
    add("Invert", "p=1 threshold=100 invert_above_threshold=0",
        lambda: iaa.Invert(1, threshold=100, invert_above_threshold=0.0),
        {"p": 1, "threshold": 100, "invert_above_threshold": 0})
    for t in (128, 64.5):
        add("Solarize", f"threshold={t}", lambda t=t: iaa.Solarize(1, threshold=t), {"p": 1, "threshold": t})
    for a in (1.0, 0.5):
        add("Grayscale", f"alpha={a}", lambda a=a: iaa.Grayscale(alpha=a), {"alpha": a},
            extension=lambda img: img)
    add("Grayscale", "alpha=1 from_colorspace=BGR", lambda: iaa.Grayscale(alpha=1.0, from_colorspace="BGR"),
        {"alpha": 1.0, "from_colorspace": "BGR"}, extension=lambda img: img)
    for b in (1, 3, 6):
        add("Posterize", f"nb_bits={b}", lambda b=b: iaa.Posterize(nb_bits=b), {"nb_bits": b})
    add("Posterize", "nb_bits=3 to_colorspace=HSV", lambda: iaa.Posterize(nb_bits=3, to_colorspace="HSV"),
        {"nb_bits": 3, "to_colorspace": "HSV"})
    add("Equalize", "(pillike)", lambda: iaa.pillike.Equalize(), {})
    for cut in (0, 2, 10, 20):
        add("Autocontrast", f"(pillike) cutoff={cut}", lambda cut=cut: iaa.pillike.Autocontrast(cutoff=cut),
            {"cutoff": cut})

    # pillike (imgaug 0.4.0 pillike.py): Pillow's ImageEnhance, ImageFilter and
    # Image.transform(AFFINE), and the pillike names of the operations above.
    for f in (0.0, 0.5, 1.6):
        for op in ("Color", "Contrast", "Brightness", "Sharpness"):
            add(f"pillike.Enhance{op}", f"factor={f}",
                lambda op=op, f=f: getattr(iaa.pillike, "Enhance" + op)(factor=f), {"factor": f})
    for k in ("Blur", "Smooth", "SmoothMore", "EdgeEnhance", "EdgeEnhanceMore", "FindEdges", "Contour", "Emboss",
              "Sharpen", "Detail"):
        add(f"pillike.Filter{k}", "", lambda k=k: getattr(iaa.pillike, "Filter" + k)(), {})
    # (setting shown, pillike.Affine kwargs, MedAug arguments, warp_affine kwargs for gray at 224x224):
    # imgaug 0.4.0 hands Pillow 13 a 3-tuple fill, which Pillow refuses for gray
    # images, so gray is checked against warp_affine with the first fill value.
    pil_affine = [
        ("rotate=15 fillcolor=128", dict(rotate=15, fillcolor=128), {"rotate": 15, "fillcolor": 128},
         dict(rotate_deg=15, fillcolor=128)),
        ("rotate=-30 center=left-top", dict(rotate=-30, center="left-top"), {"rotate": -30, "center": "left-top"},
         dict(rotate_deg=-30, center=(0.0, 0.0))),
        ("shear={x: 12} center=(0, 0) fillcolor=128", dict(shear={"x": 12}, center=(0.0, 0.0), fillcolor=128),
         {"shear": {"x": 12}, "center": [0, 0], "fillcolor": 128}, dict(shear_x_deg=12, center=(0.0, 0.0), fillcolor=128)),
        ("shear={y: -8}", dict(shear={"y": -8}), {"shear": {"y": -8}}, dict(shear_y_deg=-8)),
        ("translate_percent={x: 0.1} fillcolor=128", dict(translate_percent={"x": 0.1}, fillcolor=128),
         {"translate_percent": {"x": 0.1}, "fillcolor": 128}, dict(translate_x_px=np.float32(0.1) * 224, fillcolor=128)),
        ("translate_px={x: -7, y: 5}", dict(translate_px={"x": -7, "y": 5}), {"translate_px": {"x": -7, "y": 5}},
         dict(translate_x_px=-7, translate_y_px=5)),
        ("scale=1.25", dict(scale=1.25), {"scale": 1.25}, dict(scale_x=1.25, scale_y=1.25)),
        ("scale={x: 0.8, y: 1.1} rotate=7", dict(scale={"x": 0.8, "y": 1.1}, rotate=7),
         {"scale": {"x": 0.8, "y": 1.1}, "rotate": 7}, dict(scale_x=0.8, scale_y=1.1, rotate_deg=7)),
    ]
    for setting, kw, args, gray_kw in pil_affine:
        add("pillike.Affine", setting, lambda kw=kw: iaa.pillike.Affine(**kw), args,
            extension=lambda img, gray_kw=gray_kw: iaa.pillike.warp_affine(img, **gray_kw))
    add("pillike.Equalize", "", lambda: iaa.pillike.Equalize(), {})
    add("pillike.Autocontrast", "cutoff=5", lambda: iaa.pillike.Autocontrast(cutoff=5), {"cutoff": 5})
    add("pillike.Posterize", "nb_bits=3", lambda: iaa.pillike.Posterize(nb_bits=3), {"nb_bits": 3})
    for t in (128, 100):
        add("pillike.Solarize", f"threshold={t}", lambda t=t: iaa.pillike.Solarize(threshold=t), {"threshold": t})

    # Contrast (imgaug 0.4.0 contrast.py).
    for g in (0.5, 0.7, 1.5, 2.0):
        add("GammaContrast", f"gamma={g}", lambda g=g: iaa.GammaContrast(g), {"gamma": g})
    for gain, cutoff in ((5.5, 0.45), (10, 0.4), (6, 0.6)):
        add("SigmoidContrast", f"gain={gain} cutoff={cutoff}",
            lambda gain=gain, cutoff=cutoff: iaa.SigmoidContrast(gain=gain, cutoff=cutoff),
            {"gain": gain, "cutoff": cutoff})
    for gain in (0.6, 0.8, 1.0, 1.3):
        add("LogContrast", f"gain={gain}", lambda gain=gain: iaa.LogContrast(gain), {"gain": gain})
    for a in (0.5, 0.75, 1.3, 1.6, -0.5):
        add("LinearContrast", f"alpha={a}", lambda a=a: iaa.LinearContrast(a), {"alpha": a})
    add("AllChannelsHistogramEqualization", "(no parameters)",
        lambda: iaa.AllChannelsHistogramEqualization(), {})
    for space in ("Lab", "HLS", "HSV"):
        add("HistogramEqualization", f"to_colorspace={space}",
            lambda s=space: iaa.HistogramEqualization(to_colorspace=s), {"to_colorspace": space})
    add("HistogramEqualization", "from_colorspace=BGR to_colorspace=HSV",
        lambda: iaa.HistogramEqualization(from_colorspace="BGR", to_colorspace="HSV"),
        {"from_colorspace": "BGR", "to_colorspace": "HSV"})
    add("CLAHE", "clip_limit=2 tile_grid_size_px=8",
        lambda: iaa.CLAHE(clip_limit=2, tile_grid_size_px=8), {"clip_limit": 2, "tile_grid_size_px": 8})
    add("CLAHE", "clip_limit=4 tile_grid_size_px=(4, 6)",
        lambda: iaa.CLAHE(clip_limit=4, tile_grid_size_px=((4, 4), (6, 6))),
        {"clip_limit": 4, "tile_grid_size_px": [[4, 4], [6, 6]]})
    for space in ("HLS", "HSV"):
        add("CLAHE", f"clip_limit=3 tile_grid_size_px=5 to_colorspace={space}",
            lambda s=space: iaa.CLAHE(clip_limit=3, tile_grid_size_px=5, to_colorspace=s),
            {"clip_limit": 3, "tile_grid_size_px": 5, "to_colorspace": space})
    add("CLAHE", "clip_limit=1.5 tile_grid_size_px=3 from_colorspace=BGR to_colorspace=HSV",
        lambda: iaa.CLAHE(clip_limit=1.5, tile_grid_size_px=3, from_colorspace="BGR", to_colorspace="HSV"),
        {"clip_limit": 1.5, "tile_grid_size_px": 3, "from_colorspace": "BGR", "to_colorspace": "HSV"})
    add("AllChannelsCLAHE", "clip_limit=2 tile_grid_size_px=8",
        lambda: iaa.AllChannelsCLAHE(clip_limit=2, tile_grid_size_px=8), {"clip_limit": 2, "tile_grid_size_px": 8})
    add("AllChannelsCLAHE", "clip_limit=4 tile_grid_size_px=(4, 6)",
        lambda: iaa.AllChannelsCLAHE(clip_limit=4, tile_grid_size_px=((4, 4), (6, 6))),
        {"clip_limit": 4, "tile_grid_size_px": [[4, 4], [6, 6]]})
    add("AllChannelsCLAHE", "clip_limit=40 tile_grid_size_px=7 per_channel",
        lambda: iaa.AllChannelsCLAHE(clip_limit=40, tile_grid_size_px=7, per_channel=True),
        {"clip_limit": 40, "tile_grid_size_px": 7, "per_channel": True})
    add("AllChannelsCLAHE", "clip_limit=0.5 tile_grid_size_px=2 tile_grid_size_px_min=2",
        lambda: iaa.AllChannelsCLAHE(clip_limit=0.5, tile_grid_size_px=2, tile_grid_size_px_min=2),
        {"clip_limit": 0.5, "tile_grid_size_px": 2, "tile_grid_size_px_min": 2})

    # Noise (imgaug 0.4.0 arithmetic.py). Only settings without randomness
    # (scale/lam/p = 0, constant mul) compare pixels; noise_statistics() below
    # compares the distributions.
    for pc in (False, True):
        add("AdditiveGaussianNoise", f"scale=0 per_channel={pc}",
            lambda pc=pc: iaa.AdditiveGaussianNoise(scale=0, per_channel=pc), {"scale": 0, "per_channel": pc})
    add("AdditiveGaussianNoise", "loc=12 scale=0", lambda: iaa.AdditiveGaussianNoise(loc=12, scale=0),
        {"loc": 12, "scale": 0})
    add("AdditiveLaplaceNoise", "scale=0", lambda: iaa.AdditiveLaplaceNoise(scale=0), {"scale": 0})
    add("AdditiveLaplaceNoise", "loc=-7.5 scale=0", lambda: iaa.AdditiveLaplaceNoise(loc=-7.5, scale=0),
        {"loc": -7.5, "scale": 0})
    add("AdditivePoissonNoise", "lam=0", lambda: iaa.AdditivePoissonNoise(lam=0), {"lam": 0})
    for m in (1.0, 0.5, 1.3):
        add("MultiplyElementwise", f"mul={m}", lambda m=m: iaa.MultiplyElementwise(m), {"mul": m})
    add("MultiplyElementwise", "mul=0.7 per_channel=True",
        lambda: iaa.MultiplyElementwise(0.7, per_channel=True), {"mul": 0.7, "per_channel": True})
    add("SaltAndPepper", "p=0", lambda: iaa.SaltAndPepper(p=0), {"p": 0})
    add("ImpulseNoise", "p=0", lambda: iaa.ImpulseNoise(p=0), {"p": 0})
    add("CoarseSaltAndPepper", "p=0 size_px=4", lambda: iaa.CoarseSaltAndPepper(p=0, size_px=4),
        {"p": 0, "size_px": 4})

    # Geometric wrappers and sizes (imgaug 0.4.0 geometric.py, size.py).
    for k in (1, 2, 3, -1):
        add("Rot90", f"k={k}", lambda k=k: iaa.Rot90(k), {"k": k})
    add("Rot90", "k=1 keep_size=False", lambda: iaa.Rot90(1, keep_size=False), {"k": 1, "keep_size": False})
    add("ScaleX", "scale=1.3", lambda: iaa.ScaleX(1.3), {"scale": 1.3})
    add("ScaleY", "scale=0.8 order=3", lambda: iaa.ScaleY(0.8, order=3), {"scale": 0.8, "order": 3})
    add("TranslateX", "px=10", lambda: iaa.TranslateX(px=10), {"px": 10})
    add("TranslateX", "percent=0.1 mode=reflect", lambda: iaa.TranslateX(percent=0.1, mode="reflect"),
        {"percent": 0.1, "mode": "reflect"})
    add("TranslateY", "px=-7 order=0", lambda: iaa.TranslateY(px=-7, order=0), {"px": -7, "order": 0})
    add("TranslateY", "percent=-0.15 cval=128", lambda: iaa.TranslateY(percent=-0.15, cval=128),
        {"percent": -0.15, "cval": 128})
    add("Rotate", "rotate=30", lambda: iaa.Rotate(30), {"rotate": 30})
    add("Rotate", "rotate=-45.5 order=0 mode=edge", lambda: iaa.Rotate(-45.5, order=0, mode="edge"),
        {"rotate": -45.5, "order": 0, "mode": "edge"})
    add("Rotate", "rotate=30 fit_output", lambda: iaa.Rotate(30, fit_output=True), {"rotate": 30, "fit_output": True})
    add("ShearX", "shear=12", lambda: iaa.ShearX(12), {"shear": 12})
    add("ShearY", "shear=-10.5 order=3 mode=symmetric", lambda: iaa.ShearY(-10.5, order=3, mode="symmetric"),
        {"shear": -10.5, "order": 3, "mode": "symmetric"})
    add("Resize", "size=0.5 (cubic)", lambda: iaa.Resize(0.5), {"size": 0.5})
    add("Resize", "size=100 linear", lambda: iaa.Resize(100, interpolation="linear"),
        {"size": 100, "interpolation": "linear"})
    add("Resize", "size=1.5 area", lambda: iaa.Resize(1.5, interpolation="area"), {"size": 1.5, "interpolation": "area"})
    add("Resize", "size=0.7 nearest", lambda: iaa.Resize(0.7, interpolation="nearest"),
        {"size": 0.7, "interpolation": "nearest"})
    add("Resize", "size={height:100,width:180}", lambda: iaa.Resize({"height": 100, "width": 180}),
        {"size": {"height": 100, "width": 180}})
    add("Resize", "size={height:160,width:keep-aspect-ratio} linear",
        lambda: iaa.Resize({"height": 160, "width": "keep-aspect-ratio"}, interpolation="linear"),
        {"size": {"height": 160, "width": "keep-aspect-ratio"}, "interpolation": "linear"})
    add("Resize", "size={shorter-side:150,longer-side:keep}",
        lambda: iaa.Resize({"shorter-side": 150, "longer-side": "keep"}),
        {"size": {"shorter-side": 150, "longer-side": "keep"}})
    add("CropToFixedSize", "width=150 height=101 position=center",
        lambda: iaa.CropToFixedSize(width=150, height=101, position="center"),
        {"width": 150, "height": 101, "position": "center"})
    add("CropToFixedSize", "width=150 height=101 position=right-top",
        lambda: iaa.CropToFixedSize(width=150, height=101, position="right-top"),
        {"width": 150, "height": 101, "position": "right-top"})
    add("CropToFixedSize", "width=150 height=101 position=(0.3,0.8) (float32)",
        lambda: iaa.CropToFixedSize(width=150, height=101, position=(0.3, 0.8)),
        {"width": 150, "height": 101, "position": [0.3, 0.8]})
    add("CenterCropToFixedSize", "width=99 height=160",
        lambda: iaa.CenterCropToFixedSize(width=99, height=160), {"width": 99, "height": 160})
    add("PadToFixedSize", "width=260 height=241 position=center",
        lambda: iaa.PadToFixedSize(width=260, height=241, position="center"),
        {"width": 260, "height": 241, "position": "center"})
    add("PadToFixedSize", "width=251 height=300 pad_mode=reflect position=left-bottom",
        lambda: iaa.PadToFixedSize(width=251, height=300, pad_mode="reflect", position="left-bottom"),
        {"width": 251, "height": 300, "pad_mode": "reflect", "position": "left-bottom"})
    add("PadToFixedSize", "width=334 height=250 position=(0.3,0.8) (float32)",
        lambda: iaa.PadToFixedSize(width=334, height=250, position=(0.3, 0.8)),
        {"width": 334, "height": 250, "position": [0.3, 0.8]})
    add("CenterPadToFixedSize", "width=261 height=250 pad_mode=edge",
        lambda: iaa.CenterPadToFixedSize(width=261, height=250, pad_mode="edge"),
        {"width": 261, "height": 250, "pad_mode": "edge"})
    add("CenterPadToFixedSize", "width=240 height=None pad_cval=77",
        lambda: iaa.CenterPadToFixedSize(width=240, height=None, pad_cval=77),
        {"width": 240, "height": None, "pad_cval": 77})

    # Warps (imgaug 0.4.0 geometric.py). Only settings without randomness
    # (scale=0, alpha=0) compare pixels here; warp_parity() below feeds both
    # sides the same corner jitter and displacement fields.
    add("PerspectiveTransform", "scale=0", lambda: iaa.PerspectiveTransform(scale=0), {"scale": 0})
    add("PerspectiveTransform", "scale=0 keep_size=False", lambda: iaa.PerspectiveTransform(scale=0, keep_size=False),
        {"scale": 0, "keep_size": False})
    add("PerspectiveTransform", "scale=0 fit_output=True mode=replicate",
        lambda: iaa.PerspectiveTransform(scale=0, fit_output=True, mode="replicate"),
        {"scale": 0, "fit_output": True, "mode": "replicate"})
    for order in (0, 1, 3):
        add("ElasticTransformation", f"alpha=0 sigma=5 order={order}",
            lambda o=order: iaa.ElasticTransformation(alpha=0, sigma=5, order=o),
            {"alpha": 0, "sigma": 5, "order": order})

    # Other (imgaug 0.4.0 arithmetic.py, color.py).
    # Grayscale (imgaug refuses it for the colour ones): MedAug returns it unchanged.
    def unchanged():
        return lambda img: img

    add("AddToHueAndSaturation", "value=0 (round trip only)", lambda: iaa.AddToHueAndSaturation(value=0),
        {"value": 0}, extension=unchanged())
    add("AddToHueAndSaturation", "value=25", lambda: iaa.AddToHueAndSaturation(value=25),
        {"value": 25}, extension=unchanged())
    add("AddToHueAndSaturation", "value_hue=-100 value_saturation=40",
        lambda: iaa.AddToHueAndSaturation(value_hue=-100, value_saturation=40),
        {"value_hue": -100, "value_saturation": 40}, extension=unchanged())
    add("AddToHueAndSaturation", "value_hue=200 from_colorspace=BGR",
        lambda: iaa.AddToHueAndSaturation(value_hue=200, from_colorspace="BGR"),
        {"value_hue": 200, "from_colorspace": "BGR"}, extension=unchanged())
    add("MultiplyHueAndSaturation", "mul=1 (round trip only)", lambda: iaa.MultiplyHueAndSaturation(mul=1.0),
        {"mul": 1.0}, extension=unchanged())
    add("MultiplyHueAndSaturation", "mul=1.2", lambda: iaa.MultiplyHueAndSaturation(mul=1.2),
        {"mul": 1.2}, extension=unchanged())
    add("MultiplyHueAndSaturation", "mul_hue=-0.7 mul_saturation=1.5",
        lambda: iaa.MultiplyHueAndSaturation(mul_hue=-0.7, mul_saturation=1.5),
        {"mul_hue": -0.7, "mul_saturation": 1.5}, extension=unchanged())
    add("MultiplyHueAndSaturation", "mul_saturation=0.3 from_colorspace=BGR",
        lambda: iaa.MultiplyHueAndSaturation(mul_saturation=0.3, from_colorspace="BGR"),
        {"mul_saturation": 0.3, "from_colorspace": "BGR"}, extension=unchanged())
    add("Cutout", "position=center size=0.2", lambda: iaa.Cutout(position="center", size=0.2),
        {"position": "center", "size": 0.2})
    add("Cutout", "position=[0.3,0.6] size=0.35 squared=False cval=7",
        lambda: iaa.Cutout(position=(0.3, 0.6), size=0.35, squared=False, cval=7),
        {"position": [0.3, 0.6], "size": 0.35, "squared": False, "cval": 7})
    add("Cutout", "nb_iterations=2 position=left-top size=0.9 cval=250.7 fill_per_channel=True",
        lambda: iaa.Cutout(nb_iterations=2, position="left-top", size=0.9, cval=250.7, fill_per_channel=True),
        {"nb_iterations": 2, "position": "left-top", "size": 0.9, "cval": 250.7, "fill_per_channel": True})
    for k in (1000, 2650, 6500, 11000, 40000):
        add("ChangeColorTemperature", f"kelvin={k}", lambda k=k: iaa.ChangeColorTemperature(kelvin=k),
            {"kelvin": k}, extension=unchanged())
    add("ChangeColorTemperature", "kelvin=3333 from_colorspace=BGR",
        lambda: iaa.ChangeColorTemperature(kelvin=3333, from_colorspace="BGR"),
        {"kelvin": 3333, "from_colorspace": "BGR"}, extension=unchanged())
    for comp in (0, 25, 50, 75, 95, 100):
        add("JpegCompression", f"compression={comp}", lambda comp=comp: iaa.JpegCompression(compression=comp),
            {"compression": comp})

    # Affine: every cv2 order with every mode, then the other parameters.
    for order in (0, 1, 3):
        for mode in ("constant", "edge", "symmetric", "reflect", "wrap"):
            add("Affine", f"rotate=30 scale=0.9 order={order} mode={mode}",
                lambda o=order, m=mode: iaa.Affine(rotate=30, scale=0.9, order=o, mode=m),
                {"rotate": 30, "scale": 0.9, "order": order, "mode": mode})
    add("Affine", "scale=1.25", lambda: iaa.Affine(scale=1.25), {"scale": 1.25})
    add("Affine", "scale={x:0.8,y:1.1}", lambda: iaa.Affine(scale={"x": 0.8, "y": 1.1}),
        {"scale": {"x": 0.8, "y": 1.1}})
    add("Affine", "translate_px={x:10,y:-7}", lambda: iaa.Affine(translate_px={"x": 10, "y": -7}),
        {"translate_px": {"x": 10, "y": -7}})
    add("Affine", "translate_percent=0.1", lambda: iaa.Affine(translate_percent=0.1),
        {"translate_percent": 0.1})
    add("Affine", "shear=12 (x only)", lambda: iaa.Affine(shear=12), {"shear": 12})
    add("Affine", "shear={x:-10,y:8}", lambda: iaa.Affine(shear={"x": -10, "y": 8}),
        {"shear": {"x": -10, "y": 8}})
    add("Affine", "rotate=-45 shear=16 scale=1.1 order=1",
        lambda: iaa.Affine(rotate=-45, shear={"x": 16, "y": 16}, scale=1.1, order=1),
        {"rotate": -45, "shear": {"x": 16, "y": 16}, "scale": 1.1, "order": 1})
    add("Affine", "rotate=20 cval=128.7", lambda: iaa.Affine(rotate=20, cval=128.7),
        {"rotate": 20, "cval": 128.7})
    add("Affine", "rotate=30 fit_output", lambda: iaa.Affine(rotate=30, fit_output=True),
        {"rotate": 30, "fit_output": True})

    # CropAndPad.
    add("CropAndPad", "px=10 (pad) keep_size", lambda: iaa.CropAndPad(px=10), {"px": 10})
    add("CropAndPad", "px=-12 (crop) keep_size", lambda: iaa.CropAndPad(px=-12), {"px": -12})
    add("CropAndPad", "px=(5,-10,15,-3) keep_size=False",
        lambda: iaa.CropAndPad(px=(5, -10, 15, -3), keep_size=False),
        {"px": [5, -10, 15, -3], "keep_size": False})
    add("CropAndPad", "percent=0.1 keep_size", lambda: iaa.CropAndPad(percent=0.1), {"percent": 0.1})
    add("CropAndPad", "percent=-0.1 keep_size", lambda: iaa.CropAndPad(percent=-0.1), {"percent": -0.1})
    add("CropAndPad", "percent=(0.05,-0.1,0.1,-0.05) keep_size",
        lambda: iaa.CropAndPad(percent=(0.05, -0.1, 0.1, -0.05)),
        {"percent": [0.05, -0.1, 0.1, -0.05]})
    add("CropAndPad", "percent=-0.15 keep_size=False",
        lambda: iaa.CropAndPad(percent=-0.15, keep_size=False),
        {"percent": -0.15, "keep_size": False})
    for mode in ("constant", "edge", "linear_ramp", "maximum", "mean", "median", "minimum",
                 "reflect", "symmetric", "wrap"):
        add("CropAndPad", f"px=20 pad_mode={mode} pad_cval=77 keep_size=False",
            lambda m=mode: iaa.CropAndPad(px=20, pad_mode=m, pad_cval=77, keep_size=False),
            {"px": 20, "pad_mode": mode, "pad_cval": 77, "keep_size": False})
    # Crop and Pad: CropAndPad with the amounts negated (Crop) or as given (Pad).
    add("Crop", "px=(5,10,15,20) keep_size=False", lambda: iaa.Crop(px=(5, 10, 15, 20), keep_size=False),
        {"px": [5, 10, 15, 20], "keep_size": False})
    add("Crop", "percent=0.1 keep_size", lambda: iaa.Crop(percent=0.1), {"percent": 0.1})
    add("Pad", "px=(5,10,15,20) pad_mode=reflect keep_size=False",
        lambda: iaa.Pad(px=(5, 10, 15, 20), pad_mode="reflect", keep_size=False),
        {"px": [5, 10, 15, 20], "pad_mode": "reflect", "keep_size": False})
    add("Pad", "percent=0.1 pad_cval=77 keep_size", lambda: iaa.Pad(percent=0.1, pad_cval=77),
        {"percent": 0.1, "pad_cval": 77})

    # Blur.
    for s in (0.5, 1.0, 2.0, 3.0, 5.0):
        add("GaussianBlur", f"sigma={s}", lambda s=s: iaa.GaussianBlur(sigma=s), {"sigma": s})
    for k in (2, 3, 5, 7):
        add("AverageBlur", f"k={k}", lambda k=k: iaa.AverageBlur(k=k), {"k": k})
    add("AverageBlur", "k=((3,3),(7,7)) (height 3, width 7)",
        lambda: iaa.AverageBlur(k=((3, 3), (7, 7))), {"k": [[3, 3], [7, 7]]},
        "deviation: imgaug swaps height and width")
    for k in (3, 5, 7, 11):
        add("MedianBlur", f"k={k}", lambda k=k: iaa.MedianBlur(k=k), {"k": k})
    for d, sc, ss in ((5, 75, 75), (9, 30, 150), (3, 250, 10)):
        add("BilateralBlur", f"d={d} sigma_color={sc} sigma_space={ss}",
            lambda d=d, sc=sc, ss=ss: iaa.BilateralBlur(d=d, sigma_color=sc, sigma_space=ss),
            {"d": d, "sigma_color": sc, "sigma_space": ss},
            extension=lambda img, d=d, sc=sc, ss=ss: without_ipp(cv2.bilateralFilter, img, d, sc, ss))
    for k, angle, direction in ((5, 0, 0.0), (5, 45, 0.5), (7, 90, -1.0), (7, 200, 1.0), (3, 30, 0.0)):
        add("MotionBlur", f"k={k} angle={angle} direction={direction}",
            lambda k=k, a=angle, d=direction: iaa.MotionBlur(k=k, angle=a, direction=d),
            {"k": k, "angle": angle, "direction": direction})

    # Convolutional.
    for a, light in ((0.5, 1.0), (1.0, 1.5), (0.3, 0.8)):
        add("Sharpen", f"alpha={a} lightness={light}",
            lambda a=a, l=light: iaa.Sharpen(alpha=a, lightness=l), {"alpha": a, "lightness": light})
    for a, st in ((0.5, 1.0), (1.0, 2.0)):
        add("Emboss", f"alpha={a} strength={st}",
            lambda a=a, s=st: iaa.Emboss(alpha=a, strength=s), {"alpha": a, "strength": st})
    for a in (0.5, 1.0):
        add("EdgeDetect", f"alpha={a}", lambda a=a: iaa.EdgeDetect(alpha=a), {"alpha": a})
    for a, d in ((0.7, 0.0), (1.0, 0.25), (0.6, 0.6)):
        add("DirectedEdgeDetect", f"alpha={a} direction={d}",
            lambda a=a, d=d: iaa.DirectedEdgeDetect(alpha=a, direction=d), {"alpha": a, "direction": d})

    # Dropout family: only p = 0 and p = 1 are deterministic.
    for p in (0.0, 1.0):
        add("Dropout", f"p={p:g}", lambda p=p: iaa.Dropout(p=p), {"p": p})
        add("CoarseDropout", f"p={p:g} size_percent=0.05",
            lambda p=p: iaa.CoarseDropout(p=p, size_percent=0.05), {"p": p, "size_percent": 0.05})
        add("TotalDropout", f"p={p:g}", lambda p=p: iaa.TotalDropout(p=p), {"p": p})

    # Arithmetic.
    for m in (0.5, 1.2, 1.5):
        add("Multiply", f"mul={m}", lambda m=m: iaa.Multiply(m), {"mul": m})
    for v in (-30, 25.5, 24.5):
        add("Add", f"value={v}", lambda v=v: iaa.Add(v), {"value": v})

    # Colour. Grayscale (imgaug refuses it): Multiply then Add on the one channel.
    def gray_brightness(mul, add_):
        return lambda img: iaa.Sequential([iaa.Multiply(mul), iaa.Add(add_)])(image=img)

    for space in ("YCrCb", "HSV", "HLS", "Lab", "Luv", "YUV"):
        add("MultiplyAndAddToBrightness", f"mul=1.2 add=-20 to_colorspace={space}",
            lambda s=space: iaa.MultiplyAndAddToBrightness(mul=1.2, add=-20, to_colorspace=s,
                                                           random_order=False),
            {"mul": 1.2, "add": -20, "to_colorspace": space, "random_order": False},
            extension=gray_brightness(1.2, -20))
    add("MultiplyAndAddToBrightness", "mul=1 add=0 to_colorspace=Lab (round trip only)",
        lambda: iaa.MultiplyAndAddToBrightness(mul=1.0, add=0, to_colorspace="Lab", random_order=False),
        {"mul": 1.0, "add": 0, "to_colorspace": "Lab", "random_order": False},
        extension=gray_brightness(1.0, 0))
    add("MultiplyAndAddToBrightness", "mul=0.8 add=15 to_colorspace=HSV",
        lambda: iaa.MultiplyAndAddToBrightness(mul=0.8, add=15, to_colorspace="HSV", random_order=False),
        {"mul": 0.8, "add": 15, "to_colorspace": "HSV", "random_order": False},
        extension=gray_brightness(0.8, 15))
    for n in (2, 4, 16, 200):
        add("UniformColorQuantization", f"n_colors={n}",
            lambda n=n: iaa.UniformColorQuantization(n_colors=n), {"n_colors": n})
    add("UniformColorQuantization", "n_colors=8 to_colorspace=HSV",
        lambda: iaa.UniformColorQuantization(n_colors=8, to_colorspace="HSV"),
        {"n_colors": 8, "to_colorspace": "HSV"})
    add("PiecewiseAffine", "scale=0 (unchanged)", lambda: iaa.PiecewiseAffine(scale=0), {"scale": 0})
    add("UniformColorQuantization", "n_colors=255",
        lambda: iaa.UniformColorQuantization(n_colors=255), {"n_colors": 255},
        "deviation: imgaug turns every pixel black")
    return c


# ---------------------------------------------------------------- helpers

def interior(a, margin=MARGIN):
    h, w = a.shape[:2]
    mh, mw = int(round(h * margin)), int(round(w * margin))
    return a[mh:h - mh, mw:w - mw]


def compare(ours, ref):
    if ours.shape != ref.shape:
        return None
    d = np.abs(interior(ours).astype(np.int32) - interior(ref).astype(np.int32))
    return float(d.mean()), int(d.max())


def run(binary, *args):
    p = subprocess.run([binary, *args], capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"{binary} {' '.join(args)} failed:\n{p.stderr}")
    return p.stdout


def imgaug_refuses(make, img):
    try:
        return make()(image=img), None
    except Exception as e:  # noqa: BLE001 - any refusal is reported
        return None, f"{type(e).__name__}"


@contextlib.contextmanager
def slic_start_label_zero():
    """imgaug 0.4.0 as intended: skimage >= 0.19 starts SLIC labels at 1,
    which makes imgaug paint segment k with the mean of segment k+1."""
    original = skimage.segmentation.slic

    def patched(*a, **k):
        k.setdefault("start_label", 0)
        return original(*a, **k)

    skimage.segmentation.slic = patched
    try:
        yield
    finally:
        skimage.segmentation.slic = original


def without_ipp(fn, *args):
    """OpenCV's own code path: with Intel IPP on, the pip wheel's 1-channel
    bilateralFilter rounds about half of the samples differently (by 1)."""
    was = cv2.ipp.useIPP()
    cv2.ipp.setUseIPP(False)
    try:
        return fn(*args)
    finally:
        cv2.ipp.setUseIPP(was)


def fmt(v, digits=3):
    if v is None:
        return "n/a"
    if v == 0:
        return "0"
    return f"{v:.{digits}f}" if v >= 10 ** -digits else f"{v:.1e}"


# ---------------------------------------------------------------- augmenters

def augmenter_parity(binary, work, rgb, gray, only=None):
    images = rgb + gray
    in_dir = os.path.join(work, "in")
    augment_images.write_dir(in_dir, images)
    rows = []
    for i, (name, setting, make, args, note, extension) in enumerate(cases()):
        if only and name not in only:
            continue
        imgaug.seed(1)
        pipe = os.path.join(work, f"case{i}.json")
        with open(pipe, "w") as f:
            json.dump([{name: args}], f)
        out_dir = os.path.join(work, f"out{i}")
        run(binary, "apply-batch", pipe, in_dir, out_dir, "--seed", "1")
        per_kind = {"rgb": [], "gray": []}
        maxd = 0
        refused = {}
        ext = {}
        for fname, img in images:
            kind = "rgb" if img.ndim == 3 else "gray"
            ref, why = imgaug_refuses(make, img)
            ours = augment_images.read_png(os.path.join(out_dir, fname))
            if ref is None:
                refused[kind] = why
                if extension is not None:
                    r = compare(ours, extension(img))
                    ext.setdefault(kind, []).append(float("inf") if r is None else r[0])
                    if r is not None:
                        maxd = max(maxd, r[1])
                continue
            r = compare(ours, ref)
            if r is None:
                per_kind[kind].append(float("inf"))
                refused[kind] = f"shape {ours.shape} vs {ref.shape}"
                continue
            per_kind[kind].append(r[0])
            maxd = max(maxd, r[1])
        mads = {k: (float(np.mean(v)) if v else None) for k, v in per_kind.items()}
        ext = {k: float(np.mean(v)) for k, v in ext.items()}
        scored = [m for m in mads.values() if m is not None] + list(ext.values())
        ok = bool(scored) and all(m <= BAR for m in scored)
        rows.append({"augmenter": name, "setting": setting, "gray": mads["gray"], "rgb": mads["rgb"],
                     "max": maxd, "pass": ok, "note": note, "refused": refused, "extension": ext})
        status = "ok" if ok else ("expected" if note.startswith("deviation") else "FAIL")
        print(f"  {name:28s} {setting:55s} gray {fmt(mads['gray'])} rgb {fmt(mads['rgb'])} "
              f"max {maxd:3d} {status} {refused if refused else ''} {('extension ' + str(ext)) if ext else ''}",
              flush=True)
    return rows


NOISE_NAMES = {"AdditiveGaussianNoise", "AdditiveLaplaceNoise", "AdditivePoissonNoise",
               "MultiplyElementwise", "SaltAndPepper", "ImpulseNoise", "CoarseSaltAndPepper"}
NOISE_BAR = 0.05  # |mean ours - mean imgaug| and |sd ours - sd imgaug|, as a fraction of imgaug's sd


def noise_statistics(binary, work, only=None):
    """The noise augmenters at random settings: the streams differ, so compare
    the distribution of (output - input) on a flat gray-128 256x256 image
    (gray and RGB): mean and sd within NOISE_BAR x imgaug's sd, and the share
    of samples changed (printed)."""
    settings = [
        ("AdditiveGaussianNoise", "scale=10", lambda: iaa.AdditiveGaussianNoise(scale=10), {"scale": 10}, 1),
        ("AdditiveGaussianNoise", "loc=-5 scale=20 per_channel=True",
         lambda: iaa.AdditiveGaussianNoise(loc=-5, scale=20, per_channel=True),
         {"loc": -5, "scale": 20, "per_channel": True}, 3),
        ("AdditiveLaplaceNoise", "scale=8", lambda: iaa.AdditiveLaplaceNoise(scale=8), {"scale": 8}, 1),
        ("AdditivePoissonNoise", "lam=8", lambda: iaa.AdditivePoissonNoise(lam=8), {"lam": 8}, 1),
        ("AdditivePoissonNoise", "lam=30 per_channel=True",
         lambda: iaa.AdditivePoissonNoise(lam=30, per_channel=True), {"lam": 30, "per_channel": True}, 3),
        ("MultiplyElementwise", "mul=(0.8, 1.2)", lambda: iaa.MultiplyElementwise((0.8, 1.2)),
         {"mul": [0.8, 1.2]}, 1),
        ("SaltAndPepper", "p=0.1", lambda: iaa.SaltAndPepper(0.1), {"p": 0.1}, 1),
        ("SaltAndPepper", "p=1", lambda: iaa.SaltAndPepper(1.0), {"p": 1}, 1),
        ("SaltAndPepper", "p=0.2 per_channel=True", lambda: iaa.SaltAndPepper(0.2, per_channel=True),
         {"p": 0.2, "per_channel": True}, 3),
        ("ImpulseNoise", "p=0.1", lambda: iaa.ImpulseNoise(0.1), {"p": 0.1}, 3),
        ("CoarseSaltAndPepper", "p=1 size_px=8", lambda: iaa.CoarseSaltAndPepper(1.0, size_px=8),
         {"p": 1, "size_px": 8}, 1),
        ("CoarseSaltAndPepper", "p=0.5 size_px=64", lambda: iaa.CoarseSaltAndPepper(0.5, size_px=64),
         {"p": 0.5, "size_px": 64}, 1),
    ]
    rows = []
    for i, (name, setting, make, args, channels) in enumerate(settings):
        if only and name not in only:
            continue
        img = np.full((256, 256, channels) if channels > 1 else (256, 256), 128, np.uint8)
        in_dir, out_dir = os.path.join(work, f"noise_in{i}"), os.path.join(work, f"noise_out{i}")
        augment_images.write_dir(in_dir, [("flat.png", img)])
        pipe = os.path.join(work, f"noise{i}.json")
        with open(pipe, "w") as f:
            json.dump([{name: args}], f)
        run(binary, "apply-batch", pipe, in_dir, out_dir, "--seed", "1")
        imgaug.seed(1)
        d_ref = make()(image=img).astype(np.float64) - 128
        d_ours = augment_images.read_png(os.path.join(out_dir, "flat.png")).astype(np.float64) - 128
        m_r, s_r, m_o, s_o = d_ref.mean(), d_ref.std(), d_ours.mean(), d_ours.std()
        ch_r, ch_o = float(np.mean(d_ref != 0)), float(np.mean(d_ours != 0))
        ok = abs(m_o - m_r) <= NOISE_BAR * s_r and abs(s_o - s_r) <= NOISE_BAR * s_r
        rows.append({"augmenter": name, "setting": setting, "mean": (m_o, m_r), "sd": (s_o, s_r),
                     "changed": (ch_o, ch_r), "pass": ok})
        print(f"  {name:28s} {setting:36s} {'RGB ' if channels > 1 else 'gray'} mean {m_o:7.3f} vs {m_r:7.3f}  "
              f"sd {s_o:7.3f} vs {s_r:7.3f}  changed {ch_o:.4f} vs {ch_r:.4f}  {'ok' if ok else 'FAIL'}", flush=True)
    return rows


WARP_NAMES = {"PerspectiveTransform", "ElasticTransformation", "PiecewiseAffine"}


def warp_parity(binary, work, rgb, gray, only=None):
    """The warps with the same sampled values on both sides: PerspectiveTransform
    with fixed corner jitter (numpy-seeded Normal draws, float32) through imgaug's
    own _draw_samples/_augment_images_by_samples, ElasticTransformation with
    imgaug's displacement fields (_generate_shift_maps, seeded) through its
    _map_coordinates; MedAug runs `medaug-augbench warp-perspective` / `remap`
    with the same values (the fields, or the raw uniform field before
    smoothing). Scored as the augmenter rows (interior MAD)."""
    import imgaug.parameters as iap
    import imgaug.random as iarandom
    from imgaug.augmenters.geometric import ElasticTransformation as ET

    class Fixed(iap.StochasticParameter):
        def __init__(self, arr):
            super().__init__()
            self.arr = np.asarray(arr)

        def _draw_samples(self, size, random_state):
            return self.arr.reshape(size)

    persp = [  # (setting, seed, sd, mode, cval, keep_size, fit_output)
        ("sd=0.06", 1, 0.06, "constant", (0, 0, 0), True, False),
        ("sd=0.15 mode=replicate", 2, 0.15, "replicate", (0, 0, 0), True, False),
        ("sd=0.15 cval=(10, 200, 50)", 3, 0.15, "constant", (10, 200, 50), True, False),
        ("sd=0.1 keep_size=False", 4, 0.1, "constant", (0, 0, 0), False, False),
        ("sd=0.1 fit_output=True", 5, 0.1, "constant", (0, 0, 0), True, True),
        ("sd=0.1 fit_output=True keep_size=False", 6, 0.1, "constant", (0, 0, 0), False, True),
    ]
    elastic = [  # (setting, seed, alpha, sigma, order, mode, cval)
        ("alpha=40 sigma=4 order=3", 1, 40.0, 4.0, 3, "constant", 0),
        ("alpha=40 sigma=4 order=1", 2, 40.0, 4.0, 1, "constant", 0),
        ("alpha=40 sigma=4 order=0", 3, 40.0, 4.0, 0, "constant", 0),
        ("alpha=30 sigma=6 order=2", 4, 30.0, 6.0, 2, "constant", 0),
        ("alpha=80 sigma=5 order=3 cval=100", 5, 80.0, 5.0, 3, "constant", 100),
        ("alpha=80 sigma=5 order=3 mode=nearest", 6, 80.0, 5.0, 3, "nearest", 0),
        ("alpha=80 sigma=5 order=1 mode=reflect", 7, 80.0, 5.0, 1, "reflect", 0),
        ("alpha=80 sigma=5 order=3 mode=wrap", 8, 80.0, 5.0, 3, "wrap", 0),
        ("alpha=20 sigma=1 order=3 mode=reflect", 9, 20.0, 1.0, 3, "reflect", 0),
    ]
    images = rgb + gray
    rows = []

    def score(name, setting, pairs, note=""):
        per_kind = {"rgb": [], "gray": []}
        maxd = 0
        for img, ours, ref in pairs:
            kind = "rgb" if img.ndim == 3 else "gray"
            r = compare(ours, ref)
            if r is None:
                per_kind[kind].append(float("inf"))
                continue
            per_kind[kind].append(r[0])
            maxd = max(maxd, r[1])
        mads = {k: (float(np.mean(v)) if v else None) for k, v in per_kind.items()}
        ok = all(m is not None and m <= BAR for m in mads.values())
        rows.append({"augmenter": name, "setting": setting, "gray": mads["gray"], "rgb": mads["rgb"],
                     "max": maxd, "pass": ok, "note": note})
        status = "ok" if ok else ("expected" if note.startswith("deviation") else "FAIL")
        print(f"  {name:28s} {setting:55s} gray {fmt(mads['gray'])} rgb {fmt(mads['rgb'])} "
              f"max {maxd:3d} {status}", flush=True)

    if not only or "PerspectiveTransform" in only:
        for i, (setting, seed, sd, mode, cval, keep, fit) in enumerate(persp):
            jitter = np.random.default_rng(seed).normal(0, sd, (1, 4, 2)).astype(np.float32)
            pairs = []
            for j, (fname, img) in enumerate(images):
                aug = iaa.PerspectiveTransform(scale=sd, mode=mode, keep_size=keep, fit_output=fit)
                aug.jitter = Fixed(jitter)
                aug.cval = Fixed(np.array([cval]))
                img3 = img if img.ndim == 3 else img[..., None]
                samples = aug._draw_samples([img3.shape], iarandom.RNG(1))
                ref = aug._augment_images_by_samples([img3], samples)[0]
                ref = ref if img.ndim == 3 else ref[..., 0]
                src, dst = os.path.join(work, f"persp{i}_{j}.png"), os.path.join(work, f"persp{i}_{j}_out.png")
                augment_images.write_png(src, img)
                run(binary, "warp-perspective", src, dst, "--jitter", ",".join(repr(float(v)) for v in jitter.ravel()),
                    "--mode", mode, "--cval", ",".join(str(c) for c in cval),
                    "--keep-size", "1" if keep else "0", "--fit-output", "1" if fit else "0")
                pairs.append((img, augment_images.read_png(dst), ref))
            score("PerspectiveTransform", "fixed jitter " + setting, pairs)

    if not only or "ElasticTransformation" in only:
        for i, (setting, seed, alpha, sigma, order, mode, cval) in enumerate(elastic):
            pairs = []
            for j, (fname, img) in enumerate(images):
                dx, dy = ET._generate_shift_maps(img.shape[:2], alpha=alpha, sigma=sigma,
                                                 random_state=iarandom.RNG(seed))
                dx, dy = dx.astype(np.float32), dy.astype(np.float32)
                img3 = img if img.ndim == 3 else img[..., None]
                ref = ET._map_coordinates(img3, dx, dy, order=order, cval=cval, mode=mode)
                ref = ref if img.ndim == 3 else ref[..., 0]
                src, dst = os.path.join(work, f"el{i}_{j}.png"), os.path.join(work, f"el{i}_{j}_out.png")
                fdx, fdy = os.path.join(work, f"el{i}_{j}.dx"), os.path.join(work, f"el{i}_{j}.dy")
                dx.astype("<f4").tofile(fdx)
                dy.astype("<f4").tofile(fdy)
                augment_images.write_png(src, img)
                run(binary, "remap", src, dst, "--dx", fdx, "--dy", fdy, "--order", str(order),
                    "--mode", mode, "--cval", str(cval))
                pairs.append((img, augment_images.read_png(dst), ref))
            score("ElasticTransformation", "fixed field " + setting, pairs)
        # The same raw uniform field on both sides: MedAug smooths and scales it itself.
        from imgaug.augmenters import blur as iablur
        for i, (setting, seed, alpha, sigma, order, mode, cval) in enumerate(elastic[:1] + elastic[4:5] + elastic[8:]):
            pairs = []
            for j, (fname, img) in enumerate(images):
                h, w = img.shape[:2]
                k = iablur._compute_gaussian_blur_ksize(sigma)
                k = k + 1 if k % 2 == 0 else k
                raw = (iarandom.RNG(seed).random((2 * (h + 2 * k), w + 2 * k)) * 2 - 1).astype(np.float32)
                dx, dy = ET._generate_shift_maps(img.shape[:2], alpha=alpha, sigma=sigma,
                                                 random_state=iarandom.RNG(seed))
                img3 = img if img.ndim == 3 else img[..., None]
                ref = ET._map_coordinates(img3, dx, dy, order=order, cval=cval, mode=mode)
                ref = ref if img.ndim == 3 else ref[..., 0]
                src, dst = os.path.join(work, f"elr{i}_{j}.png"), os.path.join(work, f"elr{i}_{j}_out.png")
                fraw = os.path.join(work, f"elr{i}_{j}.raw")
                raw.astype("<f4").tofile(fraw)
                augment_images.write_png(src, img)
                run(binary, "remap", src, dst, "--raw", fraw, "--alpha", repr(alpha), "--sigma", repr(sigma),
                    "--order", str(order), "--mode", mode, "--cval", str(cval))
                pairs.append((img, augment_images.read_png(dst), ref))
            score("ElasticTransformation", "fixed raw field " + setting, pairs)

    if not only or "PiecewiseAffine" in only:
        rows.extend(piecewise_parity(binary, work, images, score))
    return rows


def piecewise_parity(binary, work, images, score):
    """PiecewiseAffine with a fixed jitter (numpy-seeded Normal draws, float32)
    through imgaug's own _augment_images_by_samples. The *scipy triangles* rows
    hand MedAug scipy's Delaunay simplices of the same grid (from imgaug's
    _get_transformer), so everything but the triangulation is compared; the
    other rows use MedAug's own diagonals, a listed deviation."""
    from imgaug.augmenters.geometric import _PiecewiseAffineSamplingResult

    settings = [  # (rows, cols, sd, order, mode, cval, seed)
        (4, 4, 0.03, 1, "constant", 0, 1),
        (4, 4, 0.03, 0, "constant", 0, 2),
        (4, 4, 0.03, 3, "constant", 0, 3),
        (4, 4, 0.05, 1, "edge", 0, 4),
        (3, 5, 0.05, 0, "edge", 0, 5),
        (6, 6, 0.04, 3, "edge", 0, 6),
        (5, 3, 0.06, 3, "constant", 128, 7),
        (8, 8, 0.02, 1, "constant", 0, 8),
        (4, 4, 0.04, 3, "symmetric", 0, 9),
        (4, 4, 0.04, 3, "reflect", 0, 10),
        (4, 4, 0.04, 3, "wrap", 0, 11),
        (4, 4, 0.04, 2, "constant", 0, 12),
        (4, 4, 0.04, 4, "edge", 0, 13),
        (4, 4, 0.04, 5, "constant", 0, 14),
    ]
    rows = []
    for i, (nr, nc, sd, order, mode, cval, seed) in enumerate(settings):
        jitter = np.random.default_rng(seed).normal(0, sd, (nr * nc, 2)).astype(np.float32)
        setting = f"{nr}x{nc} sd={sd} order={order} mode={mode}" + (f" cval={cval}" if cval else "")
        for own in (False, True):
            pairs = []
            for j, (fname, img) in enumerate(images):
                img3 = img if img.ndim == 3 else img[..., None]
                aug = iaa.PiecewiseAffine(scale=sd, nb_rows=nr, nb_cols=nc, order=order, mode=mode, cval=cval)
                samples = _PiecewiseAffineSamplingResult(
                    nb_rows=np.array([nr]), nb_cols=np.array([nc]), jitter=[jitter.copy()],
                    order=np.array([order]), cval=np.array([float(cval)]), mode=np.array([mode]))
                ref = aug._augment_images_by_samples([img3.copy()], samples)[0]
                ref = ref if img.ndim == 3 else ref[..., 0]
                src, dst = os.path.join(work, f"pw{i}_{j}.png"), os.path.join(work, f"pw{i}_{j}_{int(own)}_out.png")
                fj = os.path.join(work, f"pw{i}_{j}.f32")
                jitter.astype("<f4").tofile(fj)
                augment_images.write_png(src, img)
                extra = []
                if not own:
                    tf = aug._get_transformer(img3.shape, img3.shape, nr, nc, jitter.copy())
                    ft = os.path.join(work, f"pw{i}_{j}.i32")
                    tf._tesselation.simplices.astype("<i4").tofile(ft)
                    extra = ["--triangles", ft]
                run(binary, "piecewise-affine", src, dst, "--rows", str(nr), "--cols", str(nc), "--jitter", fj,
                    "--order", str(order), "--mode", mode, "--cval", str(cval), *extra)
                pairs.append((img, augment_images.read_png(dst), ref))
            if own:
                score("PiecewiseAffine", "fixed jitter (MedAug's triangles) " + setting, pairs,
                      "deviation: MedAug cuts every grid cell top-left to bottom-right; scipy's Delaunay picks per cell")
            else:
                score("PiecewiseAffine", "fixed jitter (scipy triangles) " + setting, pairs)
    return rows


def superpixels_quality(binary, work, rgb, gray):
    """p_replace=1: every segment painted. Labels differ (float32 against
    float64 distances, and imgaug's off-by-one), so compare the quality:
    the mean squared error of the painted image against the input."""
    images = rgb + gray
    in_dir = os.path.join(work, "in")
    rows = []
    for n in (50, 100, 200):
        pipe = os.path.join(work, f"superpixels{n}.json")
        with open(pipe, "w") as f:
            json.dump([{"Superpixels": {"p_replace": 1, "n_segments": n}}], f)
        out_dir = os.path.join(work, f"superpixels{n}")
        run(binary, "apply-batch", pipe, in_dir, out_dir, "--seed", "1")
        acc = {"rgb": [], "gray": []}
        for fname, img in images:
            kind = "rgb" if img.ndim == 3 else "gray"
            ours = augment_images.read_png(os.path.join(out_dir, fname)).astype(np.float64)
            imgaug.seed(1)
            shipped = iaa.Superpixels(p_replace=1.0, n_segments=n)(image=img).astype(np.float64)
            with slic_start_label_zero():
                fixed = iaa.Superpixels(p_replace=1.0, n_segments=n)(image=img).astype(np.float64)
            x = img.astype(np.float64)
            mse = lambda y: float(np.mean((interior(y) - interior(x)) ** 2))  # noqa: E731
            mad = float(np.mean(np.abs(interior(ours) - interior(fixed))))
            acc[kind].append((mse(ours), mse(fixed), mse(shipped), mad))
        for kind in ("rgb", "gray"):
            a = np.array(acc[kind])
            ours_e, fixed_e, shipped_e, mad = a.mean(axis=0)
            rows.append({"n_segments": n, "kind": kind, "ours": ours_e, "imgaug_fixed": fixed_e,
                         "imgaug_shipped": shipped_e, "ratio": ours_e / fixed_e, "mad": mad,
                         "pass": ours_e <= SLIC_BAR * fixed_e})
            print(f"  Superpixels n={n:3d} {kind:4s} MSE ours {ours_e:8.2f} imgaug(fixed) {fixed_e:8.2f} "
                  f"imgaug(0.4.0 as shipped) {shipped_e:8.2f} ratio {ours_e / fixed_e:.3f} "
                  f"pixel MAD vs fixed {mad:.2f}", flush=True)
    return rows


# ---------------------------------------------------------------- SLIC

def reconstruction_error(img, labels):
    """Mean over pixels and channels of (value - segment mean)^2, as
    SegmentationResult.reconstructionError computes it."""
    x = img.reshape(labels.size, -1).astype(np.float64)
    lab = labels.ravel()
    n = lab.max() + 1
    sizes = np.bincount(lab, minlength=n).astype(np.float64)
    total = 0.0
    for c in range(x.shape[1]):
        sums = np.bincount(lab, weights=x[:, c], minlength=n)
        means = np.divide(sums, sizes, out=np.zeros_like(sums), where=sizes > 0)
        total += float(np.sum((x[:, c] - means[lab]) ** 2))
    return total / x.size


def slic_parity(binary, work, rgb, gray):
    rows = []
    for kind, images in (("rgb", rgb), ("gray", gray)):
        in_dir = os.path.join(work, f"slic-in-{kind}")
        augment_images.write_dir(in_dir, images)
        for n, comp in ((50, 10), (100, 10), (200, 10), (400, 10), (100, 20), (200, 5)):
            out_dir = os.path.join(work, f"slic-{kind}-{n}-{comp}")
            lines = run(binary, "slic", in_dir, "--n-segments", str(n), "--compactness", str(comp),
                        "--out", out_dir).strip().splitlines()
            ours = {r["name"]: r for r in map(json.loads, lines)}
            for fname, img in images:
                h, w = img.shape[:2]
                base = os.path.splitext(fname)[0]
                lab_ours = np.fromfile(os.path.join(out_dir, base + ".labels.i32"), "<i4").reshape(h, w)
                x = img if img.ndim == 3 else img[..., None]
                # What imgaug passes: the uint8 image, (H,W,C); Lab for 3 channels.
                lab_ref = skimage.segmentation.slic(x, n_segments=n, compactness=comp, start_label=0)
                e_ours = reconstruction_error(x, lab_ours)
                e_ref = reconstruction_error(x, lab_ref)
                same = float(np.mean(lab_ours == lab_ref))
                rows.append({"kind": kind, "image": fname, "n_segments": n, "compactness": comp,
                             "count_ours": int(lab_ours.max() + 1), "count_ref": int(lab_ref.max() + 1),
                             "err_ours": e_ours, "err_ref": e_ref, "err_reported": ours[fname]["reconstruction_error"],
                             "same_label": same})
                if abs(e_ours - ours[fname]["reconstruction_error"]) > 1e-9 * max(1.0, e_ours):
                    raise RuntimeError(f"{fname}: reconstructionError {ours[fname]['reconstruction_error']} "
                                       f"but the label map gives {e_ours}")
            sel = [r for r in rows if r["kind"] == kind and r["n_segments"] == n and r["compactness"] == comp]
            print(f"  SLIC {kind:4s} n={n:3d} c={comp:2d} segments ours "
                  f"{np.mean([r['count_ours'] for r in sel]):6.1f} skimage {np.mean([r['count_ref'] for r in sel]):6.1f} "
                  f"error ratio {np.mean([r['err_ours'] / r['err_ref'] for r in sel]):.4f} "
                  f"same label {100 * np.mean([r['same_label'] for r in sel]):.2f}%", flush=True)
    return rows


# ---------------------------------------------------------------- report

RANDAUGMENT_OPS = ["Identity", "Autocontrast", "Equalize", "Invert", "Rotate", "Posterize", "Solarize",
                   "EnhanceColor", "EnhanceContrast", "EnhanceBrightness", "EnhanceSharpness", "ShearX", "ShearY",
                   "TranslateX", "TranslateY", "Cutout", "FilterBlur", "FilterSmooth"]
RANDAUGMENT_COUNT = 4000


def _randaugment_step(step, side):
    """(operation, magnitude or None) of one traced step, or None for the flip and crop.
    The five affine operations are told apart by the one value they set."""
    a, v = step["augmenter"], step["values"]
    if a == "pillike.Affine":
        for key, op, scale in (("rotate", "Rotate", 1), ("shear_x", "ShearX", 1), ("shear_y", "ShearY", 1),
                               ("translate_x_px", "TranslateX", side), ("translate_y_px", "TranslateY", side)):
            if float(v[key]) != 0:
                return op, float(v[key]) / scale
        return "Identity-like affine", None
    key = {"pillike.Posterize": "nb_bits", "pillike.Solarize": "threshold"}.get(a)
    if a.startswith("pillike.Enhance"):
        key = "factor"
    name = a.split(".")[-1]
    if name in RANDAUGMENT_OPS:
        return name, (float(v[key]) if key else None)
    return None


def randaugment_sampling(binary, work, only=None):
    """RandAugment's sampled operations: how often each of the 18 main
    operations runs (MedAug's trace vs imgaug's SomeOf._get_augmenter_active)
    and the magnitudes drawn (the trace vs the child parameters imgaug's
    RandAugment holds), on a 32x32 RGB image, for n=2 and a fixed and a
    ranged m. A frequency passes within Z standard errors of the difference of
    two proportions; a magnitude's mean and sd as in sampling_parity."""
    import imgaug.random as iarandom
    side = 32
    rgb = np.zeros((side, side, 3), np.uint8)
    rgb[:, :, 0] = np.arange(side)[None, :] * 8
    rgb[:, :, 1] = np.arange(side)[:, None] * 8
    rgb[:, :, 2] = 100
    image = os.path.join(work, "randaugment.png")
    augment_images.write_dir(work, [("randaugment.png", rgb)])
    n = RANDAUGMENT_COUNT
    z = sampling_parity.Z

    def reference(aug, seed):
        main = aug[1]
        active = main._get_augmenter_active(n, iarandom.RNG(seed))
        rng = iarandom.RNG(seed + 1)
        kids = list(main)

        def aff(i, field, axis=None):
            v = getattr(kids[i]._draw_samples(n, rng), field)
            return np.asarray(v[axis] if axis is not None else v, dtype=np.float64)

        def par(p):
            return np.asarray(p.draw_samples((n,), random_state=rng), dtype=np.float64)
        mags = {"Rotate": aff(4, "rotate"), "ShearX": aff(11, "shear", 0), "ShearY": aff(12, "shear", 1),
                "TranslateX": aff(13, "translate", 0), "TranslateY": aff(14, "translate", 1),
                "Posterize": par(kids[5].counts), "Solarize": par(kids[6].threshold)}
        for i, op in enumerate(("EnhanceColor", "EnhanceContrast", "EnhanceBrightness", "EnhanceSharpness")):
            mags[op] = par(kids[7 + i].factor)
        # The crop step: Crop's per-side parameter (negative fractions) in pixels, as CropAndPad rounds it.
        # Uniform(0, M) draws M once per call, i.e. per batch: one call per image, as for a batch of one.
        crop = aug[0][1].children[0]
        tops = np.concatenate([crop.top.draw_samples((1,), random_state=rng) for _ in range(n)])
        mags["Crop"] = -np.round(np.float32(side) * tops).astype(np.float64)
        return active.mean(axis=0), mags

    rows = []
    for setting, args, make in (("n=2 m=9", {"n": 2, "m": 9}, lambda: iaa.RandAugment(n=2, m=9, seed=3)),
                                ("n=2 m=(6, 12)", {"n": 2, "m": [6, 12]}, lambda: iaa.RandAugment(n=2, m=(6, 12), seed=3))):
        pipe = os.path.join(work, "randaugment.json")
        with open(pipe, "w") as f:
            json.dump([{"RandAugment": args}], f)
        out = run(binary, "trace", pipe, image, "--count", str(n), "--seed", "7")
        counts = {op: 0 for op in RANDAUGMENT_OPS}
        mags = {}
        per_image = []
        for line in out.splitlines():
            ran = 0
            for step in json.loads(line)["steps"]:
                if step["augmenter"] == "Crop":
                    mags.setdefault("Crop", []).append(float(step["values"]["top"]))
                got = _randaugment_step(step, side)
                if got is None:
                    continue
                op, m = got
                counts[op] = counts.get(op, 0) + 1
                ran += 1
                if m is not None:
                    mags.setdefault(op, []).append(m)
            per_image.append(ran)
        freq_ref, mags_ref = reference(make(), 7)
        print(f"  RandAugment {setting}: main operations per image {min(per_image)}..{max(per_image)} "
              f"(imgaug: 2)", flush=True)
        crop_o, crop_r = np.asarray(mags.get("Crop", []), dtype=np.float64), mags_ref["Crop"]
        se = float(np.sqrt(crop_o.var() / max(len(crop_o), 1) + crop_r.var() / len(crop_r)))
        crop_ok = len(crop_o) == n and abs(crop_o.mean() - crop_r.mean()) <= z * se + 1e-12
        rows.append({"augmenter": "RandAugment", "setting": setting, "operation": "Crop (top px)",
                     "mean": (float(crop_o.mean()), float(crop_r.mean())), "pass": bool(crop_ok)})
        print(f"    {'Crop top px':18s} runs {len(crop_o) / n:.4f} vs 1.0000  mean {crop_o.mean():9.4f} vs "
              f"{crop_r.mean():9.4f}  sd {crop_o.std():8.4f} vs {crop_r.std():8.4f}  {'ok' if crop_ok else 'FAIL'}",
              flush=True)
        for i, op in enumerate(RANDAUGMENT_OPS):
            p_o, p_r = counts[op] / n, float(freq_ref[i])
            pooled = (p_o + p_r) / 2
            se = np.sqrt(max(pooled * (1 - pooled), 1e-12) * 2 / n)
            ok = abs(p_o - p_r) <= z * se
            row = {"augmenter": "RandAugment", "setting": setting, "operation": op, "freq": (p_o, p_r),
                   "pass": bool(ok)}
            line = f"    {op:18s} runs {p_o:.4f} vs {p_r:.4f}"
            if op in mags_ref:
                ours = np.asarray(mags.get(op, []), dtype=np.float64)
                ref = mags_ref[op]
                slack = sampling_parity._rounding(ours) if len(ours) else 0.0
                se_mean = float(np.sqrt(ours.var() / max(len(ours), 1) + ref.var() / len(ref)))
                se_sd = float(np.hypot(sampling_parity._se_sd(ours), sampling_parity._se_sd(ref))) if len(ours) else 0.0
                mag_ok = (len(ours) > 0 and abs(ours.mean() - ref.mean()) <= z * se_mean + slack
                          and abs(ours.std() - ref.std()) <= z * se_sd + slack
                          and all(np.min(np.abs(np.unique(ref) - v)) <= slack + 1e-9 for v in np.unique(ours)))
                row.update({"mean": (float(ours.mean()), float(ref.mean())), "sd": (float(ours.std()), float(ref.std())),
                            "pass": bool(ok and mag_ok)})
                line += (f"  magnitude mean {ours.mean():9.4f} vs {ref.mean():9.4f}  sd {ours.std():8.4f} vs "
                         f"{ref.std():8.4f}  values {len(np.unique(ours))} vs {len(np.unique(ref))}")
            rows.append(row)
            print(f"{line}  {'ok' if row['pass'] else 'FAIL'}", flush=True)
    return rows


def machine():
    model = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({model})"


def report(aug_rows, sp_rows, slic_rows, rgb, gray, noise_rows=(), warp_rows=(), sampling_rows=(), randaugment_rows=()):
    out = []
    w = out.append
    m = int(round(augment_images.SIZE * MARGIN))
    counted = [r for r in aug_rows if not r["note"].startswith("deviation")]
    passed = sum(r["pass"] for r in counted)
    w("## Augmenters against imgaug 0.4.0\n")
    w(f"Machine: {machine()}. Python {platform.python_version()}, imgaug {imgaug.__version__}, "
      f"numpy {np.__version__}, scikit-image {skimage.__version__}, OpenCV {cv2.__version__}.\n")
    w(f"Images: {len(rgb)} RGB and {len(gray)} grayscale, {augment_images.SIZE}x{augment_images.SIZE}, "
      "seeded (gradients, shapes with hard edges, a sinusoidal texture patch, Gaussian noise; "
      "`parity/augment_images.py`). MAD = mean absolute difference of the uint8 outputs over the "
      f"interior: a margin of {int(MARGIN * 100)}% of each side ({m} px at {augment_images.SIZE}) is left out; "
      "max = the largest single difference there, over all images. A row passes at MAD <= 1 for every "
      "image kind. Rows marked *deviation* are bugs of imgaug that MedAug fixes on purpose "
      "and are not counted. Where imgaug refuses grayscale (BilateralBlur, MultiplyAndAddToBrightness) the gray "
      "column checks MedAug's documented extension instead: `cv2.bilateralFilter` on the one channel (with "
      "Intel IPP off, i.e. OpenCV's own code; the wheel's IPP path differs by 1 on about half the samples, "
      "MAD 0.5), and "
      "imgaug's Multiply then Add on the one channel; for AddToHueAndSaturation, MultiplyHueAndSaturation "
      "and ChangeColorTemperature (which imgaug also refuses on grayscale) the image unchanged.\n")
    w(f"**{passed} of {len(counted)} settings pass.**\n")
    w("| augmenter | setting | gray MAD | RGB MAD | max diff | pass (<= 1) |")
    w("|---|---|---|---|---|---|")
    for r in aug_rows:
        def cell(kind):
            if r[kind] is not None:
                return fmt(r[kind])
            if kind in r["extension"]:
                return f"{fmt(r['extension'][kind])} (imgaug refuses; vs MedAug's extension, see below)"
            return f"imgaug refuses ({r['refused'].get(kind, '')})" if kind in r["refused"] else "n/a"
        verdict = "yes" if r["pass"] else "no"
        if r["note"]:
            verdict += f" ({r['note']})"
        w(f"| {r['augmenter']} | {r['setting']} | {cell('gray')} | {cell('rgb')} | {r['max']} | {verdict} |")
    w("")
    if noise_rows:
        w("### Noise at random settings: distributions\n")
        w("MedAug's random streams are not imgaug's, so a noise augmenter at a random setting is compared by the "
          "distribution of (output - input) on a flat gray-128 256x256 image: mean and standard deviation of ours "
          f"within {NOISE_BAR:g} x imgaug's sd of imgaug's, and the share of samples changed shown beside.\n")
        w("| augmenter | setting | mean ours / imgaug | sd ours / imgaug | changed ours / imgaug | pass |")
        w("|---|---|---|---|---|---|")
        for r in noise_rows:
            w(f"| {r['augmenter']} | {r['setting']} | {r['mean'][0]:.3f} / {r['mean'][1]:.3f} | "
              f"{r['sd'][0]:.3f} / {r['sd'][1]:.3f} | {r['changed'][0]:.4f} / {r['changed'][1]:.4f} | "
              f"{'yes' if r['pass'] else 'NO'} |")
        w("")
    if warp_rows:
        w("### Warps with the same sampled values\n")
        w("PerspectiveTransform and ElasticTransformation draw from different streams, so both sides get the same "
          "values: fixed corner jitter (numpy-seeded Normal draws) through imgaug's own `_draw_samples` and "
          "`_augment_images_by_samples`, and imgaug's displacement fields (`_generate_shift_maps`, seeded) "
          "through its `_map_coordinates`; MedAug runs `medaug-augbench warp-perspective` / `remap` with them. "
          "PiecewiseAffine gets a fixed grid jitter through imgaug's `_augment_images_by_samples` and MedAug runs "
          "`medaug-augbench piecewise-affine`: the *scipy triangles* rows hand MedAug scipy's Delaunay simplices of "
          "the grid, the *MedAug's triangles* rows use MedAug's own diagonals (a deviation, not counted). "
          "The *fixed raw field* rows hand MedAug the unsmoothed uniform field instead, so its Gaussian smoothing "
          "and scaling are compared too. MAD over the interior as above.\n")
        w("| augmenter | setting | gray MAD | RGB MAD | max diff | pass (<= 1) |")
        w("|---|---|---|---|---|---|")
        for r in warp_rows:
            verdict = ("yes" if r["pass"] else "no") + (f" ({r['note']})" if r.get("note") else "")
            w(f"| {r['augmenter']} | {r['setting']} | {fmt(r['gray'])} | {fmt(r['rgb'])} | {r['max']} | "
              f"{verdict} |")
        w("")
    if sampling_rows:
        out.extend(sampling_parity.report_lines(sampling_rows))
    if randaugment_rows:
        w("### RandAugment: the operations run and the magnitudes drawn\n")
        w(f"`RandAugment(n=2)` traced over {RANDAUGMENT_COUNT} images by `medaug-augbench trace`, against imgaug's own "
          "choice of children (`SomeOf._get_augmenter_active`) and the parameters of the children imgaug's "
          "RandAugment holds. A frequency passes within 4 standard errors of the difference of two proportions; "
          "a magnitude's mean and sd as in the table above, and every value MedAug draws must be one imgaug can draw.\n")
        w("| setting | operation | share of images ours / imgaug | magnitude mean ours / imgaug | sd ours / imgaug | pass |")
        w("|---|---|---|---|---|---|")
        for r in randaugment_rows:
            freq = f"{r['freq'][0]:.4f} / {r['freq'][1]:.4f}" if "freq" in r else "1 / 1"
            mean = f"{r['mean'][0]:.4g} / {r['mean'][1]:.4g}" if "mean" in r else ""
            sd = f"{r['sd'][0]:.4g} / {r['sd'][1]:.4g}" if "sd" in r else ""
            w(f"| {r['setting']} | {r['operation']} | {freq} | {mean} | {sd} | {'yes' if r['pass'] else 'NO'} |")
        w("")
    w("### Superpixels (p_replace = 1): quality, not labels\n")
    w("Every segment is painted with its mean (max_size 128: the 224 px images are shrunk to 128 and "
      "enlarged back, as in imgaug). Labels are not compared: imgaug 0.4.0 with scikit-image >= 0.19 "
      "paints segment k with the mean of segment k+1 (SLIC's labels start at 1), and MedAug's SLIC "
      "distances are float32. The score is the mean squared error of the painted image against the input "
      "(interior, as above), lower is better; *imgaug (fixed)* is imgaug with `start_label=0` patched "
      "into its `slic` call (what imgaug intended), *as shipped* is imgaug 0.4.0 unchanged. "
      f"Bar: ours <= {SLIC_BAR}x imgaug (fixed).\n")
    w("| n_segments | images | MSE ours | MSE imgaug (fixed) | MSE imgaug 0.4.0 as shipped | ratio ours/fixed | pixel MAD ours vs fixed | pass |")
    w("|---|---|---|---|---|---|---|---|")
    for r in sp_rows:
        w(f"| {r['n_segments']} | {r['kind']} | {r['ours']:.2f} | {r['imgaug_fixed']:.2f} | "
          f"{r['imgaug_shipped']:.2f} | {r['ratio']:.3f} | {r['mad']:.2f} | {'yes' if r['pass'] else 'no'} |")
    w("")
    w("### SLIC against skimage.segmentation.slic\n")
    w("MedAug's `SLIC` (Sources/MedAugAugment/Segmentation) and scikit-image 0.20's `slic` on the same "
      "uint8 images (`start_label=0`; RGB converted to Lab by both, grayscale as one [0,1] channel), same "
      "n_segments and compactness, skimage's other defaults. Error = mean-colour reconstruction error "
      "(`SegmentationResult.reconstructionError`: mean squared difference between the image and the image "
      "with every segment painted in its exact mean, in uint8 units; the Python side recomputes it for "
      f"both label maps and checks it against what `medaug-augbench slic` reports). Bar: ours <= {SLIC_BAR}x skimage's with a comparable segment count. "
      "*same label* = pixels with the identical label in both maps.\n")
    w("| images | n_segments | compactness | segments ours | segments skimage | error ours | error skimage | ratio | same label | pass |")
    w("|---|---|---|---|---|---|---|---|---|---|")
    keys = []
    for r in slic_rows:
        k = (r["kind"], r["n_segments"], r["compactness"])
        if k not in keys:
            keys.append(k)
    slic_pass = 0
    for k in keys:
        sel = [r for r in slic_rows if (r["kind"], r["n_segments"], r["compactness"]) == k]
        co, cr = np.mean([r["count_ours"] for r in sel]), np.mean([r["count_ref"] for r in sel])
        eo, er = np.mean([r["err_ours"] for r in sel]), np.mean([r["err_ref"] for r in sel])
        worst = max(r["err_ours"] / r["err_ref"] for r in sel)
        ok = worst <= SLIC_BAR and 0.9 <= co / cr <= 1.1
        slic_pass += ok
        w(f"| {k[0]} ({len(sel)}) | {k[1]} | {k[2]} | {co:.1f} | {cr:.1f} | {eo:.2f} | {er:.2f} | "
          f"{eo / er:.4f} (worst image {worst:.4f}) | {100 * np.mean([r['same_label'] for r in sel]):.2f}% | "
          f"{'yes' if ok else 'no'} |")
    w("")
    noise_note = f"noise distributions {sum(r['pass'] for r in noise_rows)}/{len(noise_rows)}; " if noise_rows else ""
    warp_counted = [r for r in warp_rows if not r.get("note", "").startswith("deviation")]
    warp_note = f"fixed-value warps {sum(r['pass'] for r in warp_counted)}/{len(warp_counted)}; " if warp_rows else ""
    randaugment_note = (f"RandAugment sampling {sum(r['pass'] for r in randaugment_rows)}/{len(randaugment_rows)}; "
                        if randaugment_rows else "")
    sampling_note = randaugment_note + (f"sampled parameters {sum(r['pass'] for r in sampling_rows)}/{len(sampling_rows)}; "
                     if sampling_rows else "")
    summary = (f"{passed}/{len(counted)} augmenter settings at MAD <= 1; {noise_note}{warp_note}{sampling_note}"
               f"Superpixels {sum(r['pass'] for r in sp_rows)}/{len(sp_rows)}; "
               f"SLIC {slic_pass}/{len(keys)}")
    return "\n".join(out), summary


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=".build/release/medaug-augbench")
    ap.add_argument("--write", help="replace the generated section of this markdown file (PARITY.md)")
    ap.add_argument("--keep", help="keep the work folder here")
    ap.add_argument("--only", help="comma-separated augmenter names: run just their cases (no superpixels, SLIC or --write)")
    args = ap.parse_args()
    only = set(args.only.split(",")) if args.only else None
    work = args.keep or tempfile.mkdtemp(prefix="medaug-augparity-")
    if args.keep:
        shutil.rmtree(work, ignore_errors=True)
        os.makedirs(work)
    try:
        rgb, gray = augment_images.make_images()
        print("augmenters:", flush=True)
        aug_rows = augmenter_parity(args.binary, work, rgb, gray, only)
        noise_rows = []
        if not only or only & NOISE_NAMES:
            print("noise statistics (ours vs imgaug, output - input on flat gray 128):", flush=True)
            noise_rows = noise_statistics(args.binary, work, only)
        warp_rows = []
        if not only or only & WARP_NAMES:
            print("warps with fixed values (ours vs imgaug):", flush=True)
            warp_rows = warp_parity(args.binary, work, rgb, gray, only)
        randaugment_rows = []
        if not only or "RandAugment" in only:
            print("RandAugment: operations run and magnitudes drawn (ours vs imgaug):", flush=True)
            randaugment_rows = randaugment_sampling(args.binary, work, only)
        sampling_rows = []
        if not only or only & sampling_parity.NAMES:
            print("sampled parameters at random settings (ours vs imgaug):", flush=True)
            sampling_rows = sampling_parity.sampled_parameters(args.binary, work, only)
        if only:
            for row in aug_rows:
                print(row)
            return
        print("superpixels:", flush=True)
        sp_rows = superpixels_quality(args.binary, work, rgb, gray)
        print("slic:", flush=True)
        slic_rows = slic_parity(args.binary, work, rgb, gray)
        text, summary = report(aug_rows, sp_rows, slic_rows, rgb, gray, noise_rows, warp_rows, sampling_rows,
                               randaugment_rows)
        print()
        print(text)
        print(summary)
        if args.write:
            replace_section(args.write, text)
            print(f"wrote {args.write}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


BEGIN = "<!-- BEGIN augment_parity.py output -->"
END = "<!-- END augment_parity.py output -->"


def replace_section(path, text):
    report_section.replace_section(path, text, BEGIN, END, title="")


if __name__ == "__main__":
    main()
