"""Natural photographs for the benchmarks, made offline and deterministically
from scikit-image's bundled photos (skimage.data; none of them is fetched from
the network). Used by Benchmarks/albumentationsx_bench.py and file_bench.py.

Each image is one of the photos, scaled to cover the requested size (OpenCV's
INTER_AREA), optionally zoomed in further, cropped at a seeded position and
mirrored on some variants, so a set of any length holds distinct images.
The first len(PHOTOS) images of a set are the plain centre crops.
"""
import os
import sys

import cv2
import numpy as np

# PNG reading and writing (RGB order, RGBA, levels) are the parity harness's.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "parity"))
from augment_images import read_png, write_dir, write_png  # noqa: E402,F401

# RGB photographs that ship inside the scikit-image wheel (0.20 and 0.26).
PHOTOS = ("astronaut", "chelsea", "coffee", "rocket", "hubble_deep_field", "immunohistochemistry",
          "retina", "motorcycle_left", "motorcycle_right")
# Grayscale photographs, for the codec benchmark.
GRAY_PHOTOS = ("camera", "coins", "brick", "grass", "gravel", "cell", "moon", "page")


def _load(name):
    import skimage.data as d
    if name in ("motorcycle_left", "motorcycle_right"):
        left, right, _ = d.stereo_motorcycle()
        img = left if name == "motorcycle_left" else right
    else:
        img = getattr(d, name)()
    img = np.asarray(img)
    if img.dtype == bool:
        img = img.astype(np.uint8) * 255
    if img.ndim == 3 and img.shape[2] == 4:
        img = img[..., :3]
    return np.ascontiguousarray(img.astype(np.uint8))


_CACHE = {}


def photo(name):
    if name not in _CACHE:
        _CACHE[name] = _load(name)
    return _CACHE[name]


def cover_crop(img, width, height, zoom=1.0, fx=0.5, fy=0.5, mirror=False):
    """Scales `img` so that it covers width x height (times `zoom`), then cuts
    width x height out of it at the relative position (fx, fy)."""
    h, w = img.shape[:2]
    s = max(width / w, height / h) * zoom
    nw, nh = max(width, int(round(w * s))), max(height, int(round(h * s)))
    interp = cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR
    big = cv2.resize(img, (nw, nh), interpolation=interp)
    x0 = int(round((nw - width) * fx))
    y0 = int(round((nh - height) * fy))
    out = big[y0:y0 + height, x0:x0 + width]
    if mirror:
        out = out[:, ::-1]
    return np.ascontiguousarray(out)


def make_set(count, width, height, seed=17, photos=PHOTOS, prefix="img"):
    """[(file name, uint8 image)]: `count` distinct crops of the photos
    (RGB, or 2-D for gray photos), each width x height."""
    out = []
    for i in range(count):
        name = photos[i % len(photos)]
        if i < len(photos):
            zoom, fx, fy, mirror = 1.0, 0.5, 0.5, False
        else:
            rng = np.random.default_rng(seed * 1000 + i)
            zoom = float(rng.uniform(1.0, 2.0))
            fx, fy = (float(v) for v in rng.uniform(0, 1, 2))
            mirror = bool(rng.integers(0, 2))
        out.append((f"{prefix}{i:04d}_{name}.png", cover_crop(photo(name), width, height, zoom, fx, fy, mirror)))
    return out


def read_dir(path):
    return [(n, read_png(os.path.join(path, n))) for n in sorted(os.listdir(path)) if n.endswith(".png")]


def codec_sets(count, size=224, seed=23):
    """{kind: [(name, image)]} for the PNG codec benchmark: 8-bit gray, RGB,
    RGBA (the RGB photo with a smooth seeded alpha ramp) and 16-bit gray
    (the gray photo as the high byte, a smooth ramp as the low byte), all
    size x size."""
    rgb = make_set(count, size, size, seed=seed, prefix="rgb")
    gray = make_set(count, size, size, seed=seed, photos=GRAY_PHOTOS, prefix="gray")
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32) / max(1, size - 1)
    rgba, g16 = [], []
    for i, (name, img) in enumerate(rgb):
        a = (255 * (0.25 + 0.75 * ((xx * (i % 3 + 1) + yy) % 1.0))).astype(np.uint8)
        rgba.append((name.replace("rgb", "rgba"), np.dstack([img, a])))
    for i, (name, img) in enumerate(gray):
        ramp = (255 * ((xx + yy * (i % 4 + 1)) % 1.0)).astype(np.uint16)
        g16.append((name.replace("gray", "gray16-"), img.astype(np.uint16) * 256 + ramp))
    return {"gray8": gray, "rgb8": rgb, "rgba8": rgba, "gray16": g16}
