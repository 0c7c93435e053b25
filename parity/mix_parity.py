"""MixUp and CutMix label arithmetic against torchvision.transforms.v2.

Run by `make parity-aug` with the torch venv (parity/setup-torch.sh):
    python parity/mix_parity.py --binary .build/release/medaug-augbench [--write PARITY.md]

For seeded random batches (sizes, class counts, alphas, the CutMix centre
near and on the borders), torchvision's MixUp/CutMix run as they do in
training; their draws (λ, and CutMix's centre) are replayed from the same
seed and handed to MedAug's BatchMixing through `medaug-augbench mix`. A
case passes when MedAug's soft labels equal torchvision's within 1e-6
(torchvision mixes its one-hot labels in float32, MedAug in double), every
row of MedAug's sums to 1 within 1e-9 and the mixed images agree within 1e-6
(which also requires the same CutMix box).
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch
import torchvision
from torchvision.transforms import v2

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report_section  # noqa: E402

CASES = 200
BEGIN = "<!-- BEGIN mix_parity.py output -->"
END = "<!-- END mix_parity.py output -->"


def make_cases():
    rng = np.random.default_rng(2026)
    cases = []
    for i in range(CASES):
        kind = "mixup" if i % 2 == 0 else "cutmix"
        n = int(rng.integers(2, 9))
        classes = int(rng.integers(2, 6))
        shape = [n, int(rng.integers(1, 4)), int(rng.integers(1, 13)), int(rng.integers(1, 13))]
        alpha = float(rng.choice([0.1, 0.2, 0.4, 1.0, 2.0, 5.0]))
        labels = [int(v) for v in rng.integers(0, classes, n)]
        x = torch.rand(shape, generator=torch.Generator().manual_seed(i))
        t = (v2.MixUp if kind == "mixup" else v2.CutMix)(alpha=alpha, num_classes=classes)
        y = torch.tensor(labels)
        torch.manual_seed(1000 + i)
        lam = float(t._dist.sample(()))
        case = {"name": f"{kind}-{i}", "kind": kind, "alpha": alpha, "lambda": lam, "shape": shape,
                "labels": labels, "classes": classes, "images": x.flatten().tolist()}
        if kind == "cutmix":
            h, w = shape[2], shape[3]
            case["center"] = [int(torch.randint(w, size=(1,))), int(torch.randint(h, size=(1,)))]
        torch.manual_seed(1000 + i)
        ox, oy = t(x, y)
        case["ref_images"] = ox.flatten().tolist()
        case["ref_labels"] = oy.tolist()
        cases.append(case)
    return cases


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=".build/release/medaug-augbench")
    ap.add_argument("--write", help="replace the generated section of this markdown file (PARITY.md)")
    args = ap.parse_args()
    cases = make_cases()
    rows = {"mixup": [0, 0, 0.0, 0.0], "cutmix": [0, 0, 0.0, 0.0]}
    with tempfile.TemporaryDirectory(prefix="medaug-mix-") as work:
        inp, outp = os.path.join(work, "cases.json"), os.path.join(work, "out.json")
        with open(inp, "w") as f:
            json.dump([{k: v for k, v in c.items() if not k.startswith("ref_")} for c in cases], f)
        subprocess.run([args.binary, "mix", inp, outp], check=True)
        with open(outp) as f:
            ours = json.load(f)
    failures = []
    for c, o in zip(cases, ours):
        ref_l, our_l = np.array(c["ref_labels"]), np.array(o["mixed_labels"])
        ref_x, our_x = np.array(c["ref_images"]), np.array(o["mixed_images"])
        label_err = float(np.max(np.abs(ref_l - our_l)))
        sum_err = float(np.max(np.abs(our_l.sum(axis=1) - 1)))
        image_err = float(np.max(np.abs(ref_x - our_x)))
        ok = label_err <= 1e-6 and sum_err <= 1e-9 and image_err <= 1e-6
        r = rows[c["kind"]]
        r[0] += 1
        r[1] += ok
        r[2] = max(r[2], label_err)
        r[3] = max(r[3], image_err)
        if not ok:
            failures.append(f"{c['name']}: labels {label_err:.2e}, sums {sum_err:.2e}, images {image_err:.2e}")
    lines = ["## MixUp and CutMix against torchvision.transforms.v2\n",
             f"torch {torch.__version__}, torchvision {torchvision.__version__}. {CASES} seeded batches "
             "(2-8 images, 1-3 channels, 1x1 to 12x12, 2-5 classes, alpha in {0.1, 0.2, 0.4, 1, 2, 5}); "
             "torchvision's MixUp/CutMix run as in training, their λ and CutMix centre are replayed from the same "
             "seed and given to MedAug's `BatchMixing` (`medaug-augbench mix`). Pass: soft labels equal within "
             "1e-6 (torchvision's are float32), every row of MedAug's sums to 1 within 1e-9, mixed images within "
             "1e-6 (float32; a different CutMix box would differ by far more).\n",
             "| mix | batches | pass | largest label difference | largest image difference |",
             "|---|---|---|---|---|"]
    for kind, (n, ok, le, ie) in rows.items():
        lines.append(f"| {kind} | {n} | {ok} | {le:.2e} | {ie:.2e} |")
    lines.append("")
    text = "\n".join(lines)
    print(text)
    for f in failures[:10]:
        print("FAIL", f)
    if args.write:
        report_section.replace_section(args.write, text, BEGIN, END, title="")
        print(f"wrote {args.write}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
