"""MedAug's TrivialAugmentWide and AutoAugment against torchvision 0.29.

Run with the torch venv (parity/setup-torch.sh prints its python):
    $(bash parity/setup-torch.sh) parity/policy_parity.py \
        --binary .build/release/medaug-augbench [--write PARITY.md]

(a) Every operation at fixed magnitudes, both signs, on the seeded 224x224
RGB and grayscale images of parity/augment_images.py: MedAug through
`medaug-augbench policy-op OP MAGNITUDE`, torchvision through the policies'
own `_apply_image_or_video_transform` (torchvision.transforms.v2.functional).
Scored as augment_parity.py scores augmenters: mean absolute difference of
the uint8 outputs over the interior (10% of each side left out), max over
all images; a row passes at MAD <= 1 on every image kind.

(b) What the policies draw. The random streams differ (MedAug's xoshiro,
torch's generator), so images cannot be compared; the draws can.
`medaug-augbench trace` records MedAug's operation, bin and sign per image;
torchvision's policy objects are run with their operation call replaced by
a recorder. Each side is tested against the exact distribution that
torchvision's tables define (chi-square goodness of fit) and against the
other (chi-square homogeneity); a check passes at p >= 0.001.
"""
import argparse
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from collections import Counter

import numpy as np
import torch
import torchvision
from torchvision import tv_tensors
from torchvision.transforms import v2

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import augment_images  # noqa: E402
import report_section  # noqa: E402

MARGIN = 0.10
ALPHA = 0.001
COUNT = 4000
BEGIN = "<!-- BEGIN policy_parity.py output -->"
END = "<!-- END policy_parity.py output -->"

TA_SHEAR = [0.32999998331069946, 0.99]  # TrivialAugmentWide bins 10 and 30
AA_SHEAR = 0.30000001192092896  # AutoAugment bin 9
ENHANCE = [0.32999998331069946, 0.8999999761581421, 0.99]

# (op, magnitudes, fill): every signed magnitude is also run negated.
CASES = [
    ("Identity", [0.0], None),
    ("ShearX", TA_SHEAR + [AA_SHEAR], None),
    ("ShearY", TA_SHEAR + [AA_SHEAR], None),
    ("ShearX", [0.5], [128]),
    ("TranslateX", [7.466667175292969, 32.0, 101.51057434082031], None),
    ("TranslateY", [16.0, 32.0], None),
    ("TranslateY", [20.1409854888916], [64]),
    ("Rotate", [4.5, 16.666667938232422, 30.0, 90.0, 135.0], None),
    ("Rotate", [30.0], [128]),
    ("Rotate", [13.5], [10, 20, 30]),
    ("ShearY", [0.99], [200, 100, 0]),
    ("Brightness", ENHANCE, None),
    ("Color", ENHANCE, None),
    ("Contrast", ENHANCE, None),
    ("Sharpness", ENHANCE, None),
    ("Posterize", [2.0, 4.0, 6.0, 8.0], None),
    ("Solarize", [1.0, 0.6666666865348816, 0.5, 0.03333333507180214, 0.0], None),
    ("AutoContrast", [0.0], None),
    ("Equalize", [0.0], None),
    ("Invert", [0.0], None),
]
SIGNED = {"ShearX", "ShearY", "TranslateX", "TranslateY", "Rotate", "Brightness", "Color", "Contrast", "Sharpness"}


def fmt(v):
    """MedAug's trace formatting of a number (Core/Augmenter.swift `fmt`)."""
    if v == round(v) and abs(v) < 1e9:
        return str(int(v))
    return "%.4g" % v


def interior(a, margin=MARGIN):
    h, w = a.shape[:2]
    mh, mw = int(round(h * margin)), int(round(w * margin))
    return a[mh:h - mh, mw:w - mw]


def run(*args):
    p = subprocess.run(list(args), capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{p.stderr}")
    return p.stdout


def torchvision_op(img, op, magnitude, fill):
    """One operation as torchvision's policies apply it; img is HxW or HxWxC uint8."""
    t = torch.from_numpy(img if img.ndim == 3 else img[..., None]).permute(2, 0, 1).contiguous()
    policy = v2.TrivialAugmentWide(fill=fill)
    out = policy._apply_image_or_video_transform(tv_tensors.Image(t), op, magnitude,
                                                 interpolation=policy.interpolation, fill=policy._fill)
    out = out.permute(1, 2, 0).numpy()
    return out if img.ndim == 3 else out[..., 0]


def op_parity(binary, work, rgb, gray):
    paths = {}
    for name, img in rgb + gray:
        paths[name] = os.path.join(work, name)
        augment_images.write_png(paths[name], img)
    rows = []
    for op, magnitudes, fill in CASES:
        for m in magnitudes:
            for mag in ([m, -m] if op in SIGNED and m != 0 else [m]):
                row = {"op": op, "magnitude": mag, "fill": fill, "gray": 0.0, "rgb": 0.0, "max": 0, "same": []}
                for kind, images in (("rgb", rgb), ("gray", gray)):
                    f = fill if kind == "rgb" or fill is None else fill[:1]
                    mads = []
                    for name, img in images:
                        out = os.path.join(work, "out-" + name)
                        extra = ["--fill", ",".join(str(v) for v in f)] if f else []
                        run(binary, "policy-op", op, repr(mag), paths[name], out, *extra)
                        ours = augment_images.read_png(out)
                        ref = torchvision_op(img, op, mag, f)
                        d = np.abs(interior(ours).astype(np.int32) - interior(ref).astype(np.int32))
                        mads.append(float(d.mean()))
                        row["max"] = max(row["max"], int(d.max()))
                        row["same"].append(float((ours == ref).mean()))
                    row[kind] = max(mads)
                row["same"] = min(row["same"])
                row["pass"] = row["gray"] <= 1 and row["rgb"] <= 1
                print(f"  {op:12s} {mag:>10.4g} fill={fill}: gray {row['gray']:.4f} rgb {row['rgb']:.4f} "
                      f"max {row['max']} identical {100 * row['same']:.2f}%", flush=True)
                rows.append(row)
    return rows


# ---------------------------------------------------------------- sampling

def chi2_sf(x, df):
    """P(X >= x) for a chi-square variable with df degrees of freedom."""
    if df <= 0:
        return 1.0
    return float(torch.special.gammaincc(torch.tensor(df / 2.0, dtype=torch.float64),
                                         torch.tensor(x / 2.0, dtype=torch.float64)))


def goodness(counts, probs):
    """Chi-square goodness of fit of `counts` (dict) to `probs` (dict); categories expected < 5 pooled."""
    n = sum(counts.values())
    unknown = sum(c for k, c in counts.items() if k not in probs)
    cells, pool_o, pool_e = [], 0, 0.0
    for k, p in probs.items():
        if n * p < 5:
            pool_o += counts.get(k, 0)
            pool_e += n * p
        else:
            cells.append((counts.get(k, 0), n * p))
    if pool_e > 0:
        cells.append((pool_o, pool_e))
    stat = sum((o - e) ** 2 / e for o, e in cells if e > 0)
    return stat, len(cells) - 1, chi2_sf(stat, len(cells) - 1), unknown


def homogeneity(a, b):
    """Chi-square test that two samples (dicts of counts) share one distribution; rare categories pooled."""
    na, nb = sum(a.values()), sum(b.values())
    keys = sorted(set(a) | set(b), key=str)
    cells, pa, pb = [], 0, 0
    for k in keys:
        if a.get(k, 0) + b.get(k, 0) < 10:
            pa += a.get(k, 0)
            pb += b.get(k, 0)
        else:
            cells.append((a.get(k, 0), b.get(k, 0)))
    if pa + pb > 0:
        cells.append((pa, pb))
    stat = 0.0
    for oa, ob in cells:
        tot = oa + ob
        for o, n in ((oa, na), (ob, nb)):
            e = tot * n / (na + nb)
            stat += (o - e) ** 2 / e
    return stat, len(cells) - 1, chi2_sf(stat, len(cells) - 1)


def trace(binary, work, entry, count, seed=20240607):
    pipe = os.path.join(work, "policy.json")
    with open(pipe, "w") as f:
        json.dump([entry], f)
    img = os.path.join(work, "small.png")
    rgb, _ = augment_images.make_images(count=1)
    # A corner of a test image: the draws do not depend on the pixels, and it keeps the run short.
    augment_images.write_png(img, np.ascontiguousarray(rgb[0][1][:32, :32]))
    out = run(binary, "trace", pipe, img, "--count", str(count), "--seed", str(seed))
    return [json.loads(line)["steps"] for line in out.splitlines() if line.strip()]


def torchvision_draws(policy, count, size=32):
    """What a torchvision policy object draws: the (op, magnitude) list of each call."""
    calls = []

    def record(image, transform_id, magnitude, interpolation, fill):
        calls[-1].append((transform_id, magnitude))
        return image

    policy._apply_image_or_video_transform = record
    torch.manual_seed(20240607)
    img = tv_tensors.Image(torch.zeros((3, size, size), dtype=torch.uint8))
    for _ in range(count):
        calls.append([])
        policy(img)
    return calls


def trivial_checks(binary, work, count):
    space = v2.TrivialAugmentWide._AUGMENTATION_SPACE
    bins = 31
    tables = {op: fn(bins, 32, 32) for op, (fn, _) in space.items()}
    signed = {op for op, (_, s) in space.items() if s}
    unique = {op for op, t in tables.items() if t is not None and len(set(t.tolist())) == bins}
    ours_steps = [s[0]["values"] for s in trace(binary, work, {"TrivialAugmentWide": {}}, count)]
    theirs = [c[0] for c in torchvision_draws(v2.TrivialAugmentWide(), count)]

    def bin_of(op, mag):
        return tables[op].tolist().index(np.float32(abs(mag))) if op in unique else None

    rows = []
    o_ops = Counter(v["op"] for v in ours_steps)
    t_ops = Counter(op for op, _ in theirs)
    rows.append(sample_row("TrivialAugmentWide: operation (14, uniform)", o_ops, t_ops,
                           {op: 1 / len(space) for op in space}))
    o_bins = Counter(int(v["bin"]) for v in ours_steps if v["op"] in unique)
    t_bins = Counter(bin_of(op, m) for op, m in theirs if op in unique)
    rows.append(sample_row("TrivialAugmentWide: magnitude bin (31, uniform; ops with distinct magnitudes)",
                           o_bins, t_bins, {b: 1 / bins for b in range(bins)}))
    o_sign = Counter(v["sign"] for v in ours_steps if v["op"] in signed)
    t_sign = Counter(("-" if math.copysign(1, m) < 0 else "+") for op, m in theirs if op in signed)
    # torch.rand(()) <= 0.5 on float32 draws in [0, 1): 0.5 + 2^-24.
    p_neg = 0.5 + 2.0 ** -24
    rows.append(sample_row("TrivialAugmentWide: sign of signed ops", o_sign, t_sign, {"-": p_neg, "+": 1 - p_neg}))
    # Every recorded magnitude is the table's value for its bin and sign.
    bad = 0
    for v in ours_steps:
        t = tables[v["op"]]
        if t is None:
            bad += "magnitude" in v
            continue
        m = float(t[int(v["bin"])]) * (-1 if v.get("sign") == "-" else 1)
        bad += fmt(m) != v["magnitude"]
    rows.append({"check": "TrivialAugmentWide: magnitude = table[bin] x sign", "ours": f"{bad} of {len(ours_steps)} differ",
                 "theirs": "", "fit": "", "vs": "", "pass": bad == 0})
    # A consequence check: Posterize's bits, whose bins collapse, against the table's weights.
    o_post = Counter(v["magnitude"] for v in ours_steps if v["op"] == "Posterize")
    t_post = Counter(fmt(m) for op, m in theirs if op == "Posterize")
    post = Counter(fmt(float(x)) for x in tables["Posterize"])
    rows.append(sample_row("TrivialAugmentWide: Posterize bits", o_post, t_post, {k: c / bins for k, c in post.items()}))
    return rows


def autoaugment_checks(binary, work, count):
    policy = v2.AutoAugment()
    space = policy._AUGMENTATION_SPACE
    subs = policy._policies

    def label(op, mag):
        return op if space[op][0](10, 32, 32) is None else f"{op} {fmt(mag)}"

    # The exact distribution of the applied sequence, from torchvision's tables.
    exact = Counter()
    for sub in subs:
        branches = [((), 1 / len(subs))]
        for op, p, idx in sub:
            fn, signed = space[op]
            table = fn(10, 32, 32)
            nxt = []
            for seq, q in branches:
                nxt.append((seq, q * (1 - p)))
                if table is None:
                    nxt.append((seq + (op,), q * p))
                elif signed:
                    mag = float(table[idx])
                    nxt.append((seq + (label(op, mag),), q * p * 0.5))
                    nxt.append((seq + (label(op, -mag),), q * p * 0.5))
                else:
                    nxt.append((seq + (label(op, float(table[idx])),), q * p))
            branches = nxt
        for seq, q in branches:
            exact[seq] += q
    ours = trace(binary, work, {"AutoAugment": {"policy": "imagenet"}}, count)
    ours_seq = Counter(tuple(v for k in ("first", "second") if (v := s[0]["values"][k]) != "skipped") for s in ours)
    theirs = torchvision_draws(v2.AutoAugment(), count)
    theirs_seq = Counter(tuple(label(op, m) for op, m in c) for c in theirs)
    rows = [sample_row("AutoAugment imagenet: applied operations and magnitudes per image", ours_seq, theirs_seq, dict(exact))]
    subs_drawn = Counter(int(s[0]["values"]["sub_policy"]) for s in ours)
    stat, df, p, _ = goodness(subs_drawn, {i: 1 / 25 for i in range(25)})
    rows.append({"check": "AutoAugment imagenet: sub-policy (25, uniform; MedAug's trace only)",
                 "ours": f"chi2 {stat:.1f}, df {df}, p {p:.3f}", "theirs": "", "fit": "", "vs": "", "pass": p >= ALPHA})
    # Each step's rate of running against its probability.
    stat, df, sure = 0.0, 0, True
    for i, sub in enumerate(subs):
        n = subs_drawn[i]
        for k, (op, prob, _) in enumerate(sub):
            ran = sum(1 for s in ours if int(s[0]["values"]["sub_policy"]) == i
                      and s[0]["values"]["first" if k == 0 else "second"] != "skipped")
            if prob in (0.0, 1.0):
                sure &= ran == (n if prob == 1.0 else 0)
            else:
                stat += (ran - n * prob) ** 2 / (n * prob * (1 - prob))
                df += 1
    p = chi2_sf(stat, df)
    rows.append({"check": "AutoAugment imagenet: each step runs with its probability (MedAug's trace only)",
                 "ours": f"chi2 {stat:.1f}, df {df}, p {p:.3f}; p=0/1 steps exact: {'yes' if sure else 'no'}",
                 "theirs": "", "fit": "", "vs": "", "pass": p >= ALPHA and sure})
    return rows


def sample_row(check, ours, theirs, probs):
    so, do, po, uo = goodness(ours, probs)
    st, dt, pt, ut = goodness(theirs, probs)
    sh, dh, ph = homogeneity(ours, theirs)
    return {"check": check,
            "ours": f"chi2 {so:.1f}, df {do}, p {po:.3f}" + (f", {uo} outside the table" if uo else ""),
            "theirs": f"chi2 {st:.1f}, df {dt}, p {pt:.3f}" + (f", {ut} outside the table" if ut else ""),
            "fit": "", "vs": f"chi2 {sh:.1f}, df {dh}, p {ph:.3f}",
            "pass": po >= ALPHA and ph >= ALPHA and uo == 0}


# ---------------------------------------------------------------- report

def report(op_rows, sample_rows, count):
    lines = []
    w = lines.append
    model, cores = report_section.machine()
    m = int(round(augment_images.SIZE * MARGIN))
    passed = sum(r["pass"] for r in op_rows)
    spassed = sum(r["pass"] for r in sample_rows)
    w("## Policies against torchvision\n")
    w(f"Machine: {model}, {cores} cores. Python {platform.python_version()}, torch {torch.__version__}, "
      f"torchvision {torchvision.__version__} (CPU capability {torch.backends.cpu.get_cpu_capability()}). "
      "Made by `parity/policy_parity.py`.\n")
    w("**Operations at fixed magnitudes.** TrivialAugmentWide's and AutoAugment's operations, each at fixed "
      "magnitudes (the values the policies' tables hold, both signs), MedAug's `TorchvisionOps` "
      "(`medaug-augbench policy-op`) against torchvision's `_apply_image_or_video_transform`, on the same seeded "
      f"{augment_images.SIZE}x{augment_images.SIZE} images as the augmenter rows (3 RGB, 3 gray). MAD over the "
      f"interior ({m} px margin), max over all images; *identical* = the smallest share of samples equal over "
      "the whole image. A row passes at MAD <= 1 on both kinds.\n")
    w(f"**{passed} of {len(op_rows)} settings pass.**\n")
    w("| operation | magnitude | fill | gray MAD | RGB MAD | max diff | identical | pass (<= 1) |")
    w("|---|---|---|---|---|---|---|---|")
    for r in op_rows:
        fill = "none" if r["fill"] is None else ",".join(str(v) for v in r["fill"])
        w(f"| {r['op']} | {r['magnitude']:.6g} | {fill} | {r['gray']:.4f} | {r['rgb']:.4f} | {r['max']} | "
          f"{100 * r['same']:.2f}% | {'yes' if r['pass'] else 'no'} |")
    w("")
    w(f"**Sampling.** {count} images per policy: MedAug's draws from `medaug-augbench trace`, torchvision's from "
      "its policy objects with the operation call replaced by a recorder (torch seed 20240607). Each side is "
      "tested against the exact distribution torchvision's tables define (chi-square goodness of fit, "
      "categories expected under 5 pooled), and the two against each other (chi-square homogeneity, categories "
      f"with under 10 draws pooled). A row passes when MedAug's fit and the comparison both have p >= {ALPHA}.\n")
    w(f"**{spassed} of {len(sample_rows)} checks pass.**\n")
    w("| check | MedAug vs exact | torchvision vs exact | MedAug vs torchvision | pass |")
    w("|---|---|---|---|---|")
    for r in sample_rows:
        w(f"| {r['check']} | {r['ours']} | {r['theirs']} | {r['vs']} | {'yes' if r['pass'] else 'no'} |")
    summary = f"{passed}/{len(op_rows)} operation settings at MAD <= 1; {spassed}/{len(sample_rows)} sampling checks pass"
    return "\n".join(lines), summary, passed == len(op_rows) and spassed == len(sample_rows)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=".build/release/medaug-augbench")
    ap.add_argument("--write", help="replace the generated section of this markdown file (PARITY.md)")
    ap.add_argument("--count", type=int, default=COUNT, help="images per policy for the sampling checks")
    ap.add_argument("--keep", help="keep the work folder here")
    args = ap.parse_args()
    torch.set_num_threads(1)
    work = args.keep or tempfile.mkdtemp(prefix="medaug-policyparity-")
    os.makedirs(work, exist_ok=True)
    try:
        rgb, gray = augment_images.make_images()
        print("operations at fixed magnitudes (ours vs torchvision):", flush=True)
        op_rows = op_parity(args.binary, work, rgb, gray)
        print("sampling:", flush=True)
        sample_rows = trivial_checks(args.binary, work, args.count) + autoaugment_checks(args.binary, work, args.count)
        text, summary, ok = report(op_rows, sample_rows, args.count)
        print()
        print(text)
        print(summary)
        if args.write:
            report_section.replace_section(args.write, text, BEGIN, END, title="")
            print(f"wrote {args.write}")
        if not ok:
            sys.exit(1)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
