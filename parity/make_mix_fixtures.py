"""torchvision.transforms.v2's MixUp and CutMix on fixed batches, once, for
Tests/MedAugTrainTests/Fixtures/mixing.json (run with the torch venv that
parity/setup-torch.sh completes: torch + torchvision 0.29).

Each case records what torchvision drew (lambda; for CutMix the box centre,
box and the label weight), read back by replaying its draws from the same
seed, and checked here against torchvision's own output before it is written.
"""
import json
import math
import os

import torch
import torchvision
from torchvision.transforms import v2

assert torchvision.__version__.startswith("0.29"), torchvision.__version__

CASES = [
    {"name": "mixup-3-classes", "kind": "mixup", "alpha": 0.4, "seed": 3, "labels": [0, 2, 1, 2], "classes": 3, "shape": [4, 2, 5, 6]},
    {"name": "mixup-2-classes", "kind": "mixup", "alpha": 1.0, "seed": 11, "labels": [1, 0, 0, 1, 1], "classes": 2, "shape": [5, 3, 4, 4]},
    {"name": "cutmix-3-classes", "kind": "cutmix", "alpha": 1.0, "seed": 5, "labels": [0, 1, 2, 1], "classes": 3, "shape": [4, 2, 8, 10]},
    {"name": "cutmix-clipped-box", "kind": "cutmix", "alpha": 0.3, "seed": 21, "labels": [2, 0, 1], "classes": 3, "shape": [3, 1, 9, 7]},
    {"name": "cutmix-2-classes", "kind": "cutmix", "alpha": 2.0, "seed": 8, "labels": [1, 1, 0, 0, 1, 0], "classes": 2, "shape": [6, 3, 6, 6]},
]

out = []
for c in CASES:
    gen = torch.Generator().manual_seed(100 + c["seed"])
    x = torch.rand(c["shape"], generator=gen)
    y = torch.tensor(c["labels"])
    t = (v2.MixUp if c["kind"] == "mixup" else v2.CutMix)(alpha=c["alpha"], num_classes=c["classes"])
    torch.manual_seed(c["seed"])
    lam = float(t._dist.sample(()))
    record = {**c, "images": x.flatten().tolist(), "lambda": lam}
    if c["kind"] == "cutmix":
        H, W = c["shape"][2], c["shape"][3]
        r_x = int(torch.randint(W, size=(1,)))
        r_y = int(torch.randint(H, size=(1,)))
        r = 0.5 * math.sqrt(1.0 - lam)
        x1, y1 = max(r_x - int(r * W), 0), max(r_y - int(r * H), 0)
        x2, y2 = min(r_x + int(r * W), W), min(r_y + int(r * H), H)
        record.update(center=[r_x, r_y], box=[x1, y1, x2, y2], label_weight=1.0 - (x2 - x1) * (y2 - y1) / (W * H))
    torch.manual_seed(c["seed"])
    ox, oy = t(x, y)
    # The replayed draws must reproduce torchvision's output exactly.
    w = record.get("label_weight", lam)
    onehot = torch.nn.functional.one_hot(y, c["classes"]).float()
    assert torch.allclose(oy, onehot * w + onehot.roll(1, 0) * (1 - w)), c["name"]
    if c["kind"] == "cutmix":
        x1, y1, x2, y2 = record["box"]
        expect = x.clone()
        expect[..., y1:y2, x1:x2] = x.roll(1, 0)[..., y1:y2, x1:x2]
        assert torch.equal(ox, expect), c["name"]
    else:
        assert torch.allclose(ox, x * lam + x.roll(1, 0) * (1 - lam)), c["name"]
    record.update(mixed_images=ox.flatten().tolist(), mixed_labels=oy.tolist())
    out.append(record)

path = os.path.join(os.path.dirname(__file__), "..", "Tests", "MedAugTrainTests", "Fixtures", "mixing.json")
with open(path, "w") as fh:
    json.dump({"torch": torch.__version__, "torchvision": torchvision.__version__, "cases": out}, fh, indent=1)
    fh.write("\n")
print("wrote", path)
