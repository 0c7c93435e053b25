"""PyTorch parity: the same weights and input through MedAug and PyTorch.

For each model: PyTorch builds it (seeded), writes its state_dict and an
input as safetensors; `medaug-parity` loads both into MedAug's model and
writes eval-mode and train-mode outputs and the weights after one optimizer
step; this script does the same in PyTorch and reports the largest absolute
differences. Run by `make parity-torch`; the table goes to PARITY.md.
"""
import argparse
import os
import subprocess
import sys
import tempfile

import torch
from safetensors.torch import load_file, save_file

sys.path.insert(0, os.path.dirname(__file__))
import torch_models  # noqa: E402

TOL = 1e-4


def run(name, binary, classes, batch, workdir):
    torch.manual_seed(0)
    model = torch_models.build(name, classes)
    x = torch_models.example_input(name, batch)
    w = os.path.join(workdir, f"{name}-weights.safetensors")
    i = os.path.join(workdir, f"{name}-input.safetensors")
    o = os.path.join(workdir, f"{name}-out.safetensors")
    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, w)
    save_file({"input": x.contiguous()}, i)
    subprocess.run([binary, name, str(classes), w, i, o], check=True)
    ours = load_file(o)

    torch.set_num_threads(1)
    model.eval()
    with torch.no_grad():
        eval_out = model(x)
    model.train()
    train_out = model(x)
    params = list(model.parameters())
    if name.startswith("resnet"):
        opt = torch.optim.SGD(params, lr=0.01, momentum=0.9)
    else:
        opt = torch.optim.Adam(params, lr=0.001, betas=(0.5, 0.999))
    loss = (train_out * train_out).mean()
    loss.backward()
    opt.step()

    def diff(a, b):
        return (a.double() - b.double()).abs().max().item()

    after = max(diff(v, ours["after." + k]) for k, v in model.state_dict().items())
    row = {
        "model": name,
        "eval": diff(eval_out, ours["eval_out"]),
        "train": diff(train_out.detach(), ours["train_out"]),
        "loss": abs(loss.item() - ours["loss"].item()),
        "step": after,
    }
    row["ok"] = all(row[k] <= TOL for k in ("eval", "train", "loss", "step"))
    return row


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--binary", default=".build/release/medaug-parity")
    ap.add_argument("--models", default="dcgan-g,dcgan-d,small-cnn,resnet18,resnet34,resnet50")
    ap.add_argument("--classes", type=int, default=3)
    ap.add_argument("--batch", type=int, default=4)
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as d:
        for name in args.models.split(","):
            rows.append(run(name, args.binary, args.classes, args.batch, d))
    print(f"torch {torch.__version__}, tolerance {TOL}, batch {args.batch}")
    print("| model | eval max abs diff | train max abs diff | loss diff | weights after one step | ok |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['model']} | {r['eval']:.2e} | {r['train']:.2e} | {r['loss']:.2e} | {r['step']:.2e} | {'yes' if r['ok'] else 'NO'} |")
    sys.exit(0 if all(r["ok"] for r in rows) else 1)


if __name__ == "__main__":
    main()
