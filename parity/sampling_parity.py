"""Sampled parameters of the random augmenters against imgaug 0.4.0.

MedAug's random streams are not numpy's, so images drawn at random settings
cannot be compared pixel by pixel. What can be compared is what each side
draws: `medaug-augbench trace` records, image after image, the values every
augmenter sampled, and imgaug's own parameter objects (the ones its
augmenters hold) draw the reference samples. A row passes when the means
agree within 4 standard errors of their difference and the standard
deviations within 4 standard errors of theirs (both estimated from the
samples), plus the rounding of the trace's 4 significant digits.
Called from augment_parity.py; run with the parity venv.
"""
import json
import os
import subprocess

import imgaug.augmenters as iaa
import imgaug.random as iarandom
import numpy as np

import augment_images

COUNT = 4000
Z = 4.0


def _affine(field, axis):
    def draw(aug, n, seed):
        s = aug._draw_samples(n, iarandom.RNG(seed))
        v = getattr(s, field)
        return np.asarray(v[axis] if isinstance(v, tuple) else v, dtype=np.float64)
    return draw


def _param(get):
    return lambda aug, n, seed: np.asarray(get(aug).draw_samples((n,), random_state=iarandom.RNG(seed)),
                                           dtype=np.float64)


def _first(text):
    return float(text.split("x")[0].split(",")[0])


# (augmenter, setting shown, imgaug factory, MedAug arguments, trace key, imgaug sampler)
SETTINGS = [
    ("GammaContrast", "defaults", iaa.GammaContrast, {}, "gamma", _param(lambda a: a.params1d[0])),
    ("SigmoidContrast", "defaults: gain", iaa.SigmoidContrast, {}, "gain", _param(lambda a: a.params1d[0])),
    ("SigmoidContrast", "defaults: cutoff", iaa.SigmoidContrast, {}, "cutoff", _param(lambda a: a.params1d[1])),
    ("LogContrast", "defaults", iaa.LogContrast, {}, "gain", _param(lambda a: a.params1d[0])),
    ("LinearContrast", "defaults", iaa.LinearContrast, {}, "alpha", _param(lambda a: a.params1d[0])),
    ("AllChannelsCLAHE", "defaults: clip_limit", iaa.AllChannelsCLAHE, {}, "clip_limit",
     _param(lambda a: a.clip_limit)),
    ("AllChannelsCLAHE", "defaults: tile grid", iaa.AllChannelsCLAHE, {}, "tile_grid_size_px",
     _param(lambda a: a.tile_grid_size_px[0])),
    ("CLAHE", "defaults: clip_limit", iaa.AllChannelsCLAHE, {}, "clip_limit", _param(lambda a: a.clip_limit)),
    ("SaltAndPepper", "defaults: p", iaa.SaltAndPepper, {}, "p", _param(lambda a: a.mask.p)),
    ("ImpulseNoise", "defaults: p", iaa.ImpulseNoise, {}, "p", _param(lambda a: a.mask.p)),
    ("CoarseSaltAndPepper", "defaults: p", iaa.CoarseSaltAndPepper, {}, "p",
     _param(lambda a: a.mask.other_param.p)),
    ("Solarize", "defaults: threshold", iaa.Solarize, {}, "threshold", _param(lambda a: a.threshold)),
    ("Grayscale", "alpha=(0, 1)", lambda: iaa.Grayscale(alpha=(0.0, 1.0)), {"alpha": [0, 1]}, "alpha",
     _param(lambda a: a.alpha)),
    ("Posterize", "defaults: nb_bits", iaa.Posterize, {}, "nb_bits", _param(lambda a: a.counts)),
    ("Autocontrast", "defaults: cutoff", iaa.pillike.Autocontrast, {}, "cutoff", _param(lambda a: a.params1d[0])),
    ("ElasticTransformation", "defaults: alpha", iaa.ElasticTransformation, {}, "alpha", _param(lambda a: a.alpha)),
    ("ElasticTransformation", "defaults: sigma", iaa.ElasticTransformation, {}, "sigma", _param(lambda a: a.sigma)),
    ("AddToHueAndSaturation", "defaults: hue", iaa.AddToHueAndSaturation, {}, "hue",
     _param(lambda a: a.value_hue)),
    ("AddToHueAndSaturation", "defaults: saturation", iaa.AddToHueAndSaturation, {}, "saturation",
     _param(lambda a: a.value_saturation)),
    ("MultiplyHueAndSaturation", "defaults: mul_hue", iaa.MultiplyHueAndSaturation, {}, "mul_hue",
     _param(lambda a: a.children[0].children[0].mul)),
    ("MultiplyHueAndSaturation", "defaults: mul_saturation", iaa.MultiplyHueAndSaturation, {}, "mul_saturation",
     _param(lambda a: a.children[1].children[0].mul)),
    ("ChangeColorTemperature", "defaults: kelvin", iaa.ChangeColorTemperature, {}, "kelvin",
     _param(lambda a: a.kelvin)),
    ("JpegCompression", "defaults: compression", iaa.JpegCompression, {}, "compression",
     _param(lambda a: a.compression)),
    ("Rot90", "k=(0, 3)", lambda: iaa.Rot90((0, 3)), {"k": [0, 3]}, "k", _param(lambda a: a.k)),
    ("ScaleX", "defaults", iaa.ScaleX, {}, "scale_x", _affine("scale", 0)),
    ("ScaleY", "defaults", iaa.ScaleY, {}, "scale_y", _affine("scale", 1)),
    ("TranslateX", "defaults", iaa.TranslateX, {}, "translate_percent_x", _affine("translate", 0)),
    ("TranslateY", "defaults", iaa.TranslateY, {}, "translate_percent_y", _affine("translate", 1)),
    ("Rotate", "defaults", iaa.Rotate, {}, "rotate", _affine("rotate", None)),
    ("ShearX", "defaults", iaa.ShearX, {}, "shear_x", _affine("shear", 0)),
    ("ShearY", "defaults", iaa.ShearY, {}, "shear_y", _affine("shear", 1)),
    ("CropToFixedSize", "position=uniform: x", lambda: iaa.CropToFixedSize(20, 20), {"width": 20, "height": 20},
     "position_x", _param(lambda a: a.position[0])),
    ("PadToFixedSize", "position=uniform: y", lambda: iaa.PadToFixedSize(40, 40), {"width": 40, "height": 40},
     "position_y", _param(lambda a: a.position[1])),
]
NAMES = {s[0] for s in SETTINGS}


def _rounding(values):
    """The trace keeps 4 significant digits: half a unit of the 4th digit of the largest value."""
    top = float(np.max(np.abs(values))) if len(values) else 0.0
    return 0.0 if top == 0 else 0.5 * 10 ** (np.floor(np.log10(top)) - 3)


def _se_sd(x):
    """Standard error of the sample standard deviation (delta method, any distribution)."""
    n = len(x)
    var = x.var()
    if var == 0:
        return 0.0
    m4 = np.mean((x - x.mean()) ** 4)
    return float(np.sqrt(max(m4 - var ** 2, 0.0) / n) / (2 * np.sqrt(var)))


def sampled_parameters(binary, work, only=None):
    rgb = np.zeros((32, 32, 3), np.uint8)
    rgb[:, :, 0] = np.arange(32)[None, :] * 8
    rgb[:, :, 1] = np.arange(32)[:, None] * 8
    rgb[:, :, 2] = 100
    image = os.path.join(work, "sampling.png")
    augment_images.write_dir(work, [("sampling.png", rgb)])
    rows = []
    for i, (name, setting, make, args, key, draw) in enumerate(SETTINGS):
        if only and name not in only:
            continue
        pipe = os.path.join(work, f"sampling{i}.json")
        with open(pipe, "w") as f:
            json.dump([{name: args}], f)
        out = subprocess.run([binary, "trace", pipe, image, "--count", str(COUNT), "--seed", "7"],
                             check=True, capture_output=True, text=True).stdout
        ours = []
        for line in out.splitlines():
            for step in json.loads(line)["steps"]:
                if step["augmenter"] == name and key in step["values"]:
                    ours.append(_first(step["values"][key]))
        ours = np.asarray(ours, dtype=np.float64)
        ref = draw(make(), COUNT, 7)
        slack = _rounding(ours)
        se_mean = float(np.sqrt(ours.var() / len(ours) + ref.var() / len(ref)))
        se_sd = float(np.hypot(_se_sd(ours), _se_sd(ref)))
        ok = (len(ours) == COUNT
              and abs(ours.mean() - ref.mean()) <= Z * se_mean + slack
              and abs(ours.std() - ref.std()) <= Z * se_sd + slack
              and ours.min() >= ref.min() - slack - 1e-9 * abs(ref.min())
              and ours.max() <= ref.max() + slack + 1e-9 * abs(ref.max()) + (Z * se_sd if ref.var() else 0))
        rows.append({"augmenter": name, "setting": setting, "key": key, "n": len(ours),
                     "mean": (float(ours.mean()), float(ref.mean())), "sd": (float(ours.std()), float(ref.std())),
                     "range": ((float(ours.min()), float(ours.max())), (float(ref.min()), float(ref.max()))),
                     "pass": bool(ok)})
        print(f"  {name:26s} {key:20s} mean {ours.mean():10.4f} vs {ref.mean():10.4f}  "
              f"sd {ours.std():9.4f} vs {ref.std():9.4f}  {'ok' if ok else 'FAIL'}", flush=True)
    return rows


def report_lines(rows):
    out = ["### Random settings: the sampled parameters\n",
           "The streams differ, so the values drawn are compared instead of pixels: MedAug's from "
           f"`medaug-augbench trace` ({COUNT} images, one augmenter per pipeline), imgaug's from the parameter "
           f"objects its augmenter holds ({COUNT} draws). A row passes when the means differ by at most {Z:g} "
           f"standard errors of the difference and the standard deviations by at most {Z:g} standard errors of "
           "theirs (plus the rounding of the trace's 4 significant digits), and ours stay within imgaug's range.\n",
           "| augmenter | setting | value | mean ours / imgaug | sd ours / imgaug | range ours | range imgaug | pass |",
           "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        (lo_o, hi_o), (lo_r, hi_r) = r["range"]
        out.append(f"| {r['augmenter']} | {r['setting']} | {r['key']} | {r['mean'][0]:.4g} / {r['mean'][1]:.4g} | "
                   f"{r['sd'][0]:.4g} / {r['sd'][1]:.4g} | [{lo_o:.4g}, {hi_o:.4g}] | [{lo_r:.4g}, {hi_r:.4g}] | "
                   f"{'yes' if r['pass'] else 'NO'} |")
    out.append("")
    return out
