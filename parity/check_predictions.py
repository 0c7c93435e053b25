"""A PyTorch user's check: load a MedAug run's checkpoint into the reference
network (CS230 names, torchvision ResNet names), feed the test images as the
run's config.json says, and compare with MedAug's predictions.csv.

    python parity/check_predictions.py RUN [EVAL_DIR]
"""
import csv
import json
import os
import sys

import cv2
import numpy as np
import torch
from safetensors.torch import load_file

sys.path.insert(0, os.path.dirname(__file__))
import torch_models  # noqa: E402


def load_image(path, pre):
    img = cv2.imread(path, cv2.IMREAD_UNCHANGED)
    if img.dtype == np.uint16:
        img = ((img.astype(np.uint32) * 255 + 32767) // 65535).astype(np.uint8)
    if img.ndim == 2:
        img = img[:, :, None]
    c = img.shape[2]
    if c >= 3:
        img = img[:, :, [2, 1, 0]]  # OpenCV reads BGR(A); drop alpha
    else:
        img = np.repeat(img[:, :, :1], 3, axis=2)  # gray (+alpha) -> RGB
    s = pre["imageSize"]
    h, w = img.shape[:2]
    if (w, h) != (s, s):
        shrinking = w >= s and h >= s
        img = cv2.resize(img, (s, s), interpolation=cv2.INTER_AREA if shrinking else cv2.INTER_LINEAR)
    sc = pre["scaling"]
    x = (img.astype(np.float32) / 255.0 - sc["offset"]) / sc["divisor"]
    if sc.get("mean") and sc.get("std"):
        x = (x - np.array(sc["mean"], np.float32)) / np.array(sc["std"], np.float32)
    return torch.from_numpy(np.ascontiguousarray(x.transpose(2, 0, 1)))


def main():
    run = sys.argv[1]
    eval_dir = sys.argv[2] if len(sys.argv) > 2 else os.path.join(run, "eval")
    cfg = json.load(open(os.path.join(run, "config.json")))
    classes, opts, pre = cfg["classes"], cfg["options"], cfg["preprocessing"]
    if opts["model"] == "simple-cnn":
        net = torch_models.Net(num_classes=len(classes), dropout_rate=opts["dropout"])
    else:
        net = torch_models.build(opts["model"], len(classes))
    net.load_state_dict(load_file(os.path.join(run, "best.safetensors")))
    net.eval()
    torch.set_num_threads(1)
    rows = list(csv.DictReader(open(os.path.join(eval_dir, "predictions.csv"))))
    same, worst = 0, 0.0
    for i in range(0, len(rows), 32):
        part = rows[i:i + 32]
        x = torch.stack([load_image(r["path"], pre) for r in part])
        with torch.no_grad():
            p = torch.softmax(net(x), dim=1).numpy()
        for r, q in zip(part, p):
            same += classes[int(q.argmax())] == r["pred"]
            worst = max(worst, max(abs(float(r[f"prob_{c}"]) - float(q[k])) for k, c in enumerate(classes)))
    print(f"{same}/{len(rows)} predictions equal MedAug's; largest probability difference {worst:.2e}")
    sys.exit(0 if same == len(rows) and worst <= 1e-4 else 1)


if __name__ == "__main__":
    main()
