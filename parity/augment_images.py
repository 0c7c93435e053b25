"""Seeded 224x224 test images for the augmentation parity harness and
benchmark: smooth gradients, filled and outlined shapes with hard edges,
a sinusoidal texture patch and Gaussian noise. RGB scenes, and grayscale
versions of them (OpenCV's RGB->GRAY weights)."""
import os

import cv2
import numpy as np

SIZE = 224


def scene(seed, size=SIZE):
    rng = np.random.default_rng(seed)
    h = w = size
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    # Smooth gradients, a different direction per channel.
    angles = rng.uniform(0, 2 * np.pi, 3)
    img = np.empty((h, w, 3), np.float32)
    for c in range(3):
        t = (np.cos(angles[c]) * xx + np.sin(angles[c]) * yy) / (size * 1.5) + 0.5
        img[..., c] = 40 + 170 * np.clip(t, 0, 1)
    # Texture: a sinusoidal patch.
    x0, y0 = rng.integers(20, w // 2, 2)
    fx, fy = rng.uniform(0.15, 0.6, 2)
    patch = 60 * np.sin(fx * xx + fy * yy)
    mask = (xx >= x0) & (xx < x0 + 80) & (yy >= y0) & (yy < y0 + 80)
    img[mask] += patch[mask][:, None]
    img = np.clip(img, 0, 255).astype(np.uint8).copy()
    # Hard edges: shapes in random colours.
    for _ in range(4):
        colour = tuple(int(v) for v in rng.integers(0, 256, 3))
        cx, cy = (int(v) for v in rng.integers(20, w - 20, 2))
        cv2.circle(img, (cx, cy), int(rng.integers(10, 45)), colour, -1, lineType=cv2.LINE_AA)
    for _ in range(3):
        colour = tuple(int(v) for v in rng.integers(0, 256, 3))
        p1 = tuple(int(v) for v in rng.integers(0, w, 2))
        p2 = tuple(int(v) for v in rng.integers(0, w, 2))
        cv2.rectangle(img, p1, p2, colour, int(rng.choice([-1, 2, 4])))
    for _ in range(3):
        colour = tuple(int(v) for v in rng.integers(0, 256, 3))
        p1 = tuple(int(v) for v in rng.integers(0, w, 2))
        p2 = tuple(int(v) for v in rng.integers(0, w, 2))
        cv2.line(img, p1, p2, colour, int(rng.integers(1, 5)))
    pts = rng.integers(0, w, (5, 2)).astype(np.int32)
    cv2.fillPoly(img, [pts], tuple(int(v) for v in rng.integers(0, 256, 3)))
    # Noise.
    noisy = img.astype(np.float32) + rng.normal(0, 6, img.shape)
    return np.clip(np.round(noisy), 0, 255).astype(np.uint8)


def make_images(count=3, seed=20240601, size=SIZE):
    """[(name, RGB image)] and [(name, gray image)], gray as 2-D arrays."""
    rgb = [(f"rgb{i}.png", scene(seed + i, size)) for i in range(count)]
    gray = [(f"gray{i}.png", cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)) for i, (_, img) in enumerate(rgb)]
    return rgb, gray


def write_png(path, img, compression=None):
    """RGB(A) arrays are stored as RGB(A) (OpenCV's BGR order is undone)."""
    if img.ndim == 3 and img.shape[2] == 3:
        img = cv2.cvtColor(img, cv2.COLOR_RGB2BGR)
    elif img.ndim == 3 and img.shape[2] == 4:
        img = cv2.cvtColor(img, cv2.COLOR_RGBA2BGRA)
    params = [] if compression is None else [cv2.IMWRITE_PNG_COMPRESSION, int(compression)]
    if not cv2.imwrite(path, img, params):
        raise OSError(f"cannot write {path}")


def read_png(path):
    img = cv2.imread(path, cv2.IMREAD_UNCHANGED)
    if img is None:
        raise OSError(f"cannot read {path}")
    if img.ndim == 3 and img.shape[2] == 3:
        img = cv2.cvtColor(img, cv2.COLOR_BGR2RGB)
    elif img.ndim == 3 and img.shape[2] == 4:
        img = cv2.cvtColor(img, cv2.COLOR_BGRA2RGBA)
    return img


def write_dir(path, images):
    os.makedirs(path, exist_ok=True)
    for name, img in images:
        write_png(os.path.join(path, name), img)
