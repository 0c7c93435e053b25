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


def run_pth_import(binary, classes, batch, workdir):
    """A torchvision ResNet18 state_dict saved by torch.save (.pth), imported by MedAug's own reader."""
    torch.manual_seed(1)
    import torchvision

    model = torchvision.models.resnet18(num_classes=classes)
    x = torch.randn(batch, 3, 112, 112)
    w = os.path.join(workdir, "resnet18.pth")
    torch.save(model.state_dict(), w)
    i = os.path.join(workdir, "pth-input.safetensors")
    o = os.path.join(workdir, "pth-out.safetensors")
    save_file({"input": x.contiguous()}, i)
    subprocess.run([binary, "resnet18", str(classes), w, i, o], check=True)
    ours = load_file(o)
    model.eval()
    with torch.no_grad():
        ref = model(x)
    d = (ref.double() - ours["eval_out"].double()).abs().max().item()
    return {"model": "resnet18 from torchvision .pth", "eval": d, "train": float("nan"), "loss": float("nan"),
            "step": float("nan"), "ok": d <= TOL}


def run_dcgan_step(binary, workdir, batch=16):
    """One iteration of the DCGAN tutorial's loop: the same weights, batch and noise."""
    torch.manual_seed(2)
    g, d = torch_models.build("dcgan-g", 0), torch_models.build("dcgan-d", 0)
    real, noise = torch.randn(batch, 3, 64, 64).clamp(-1, 1), torch.randn(batch, 100, 1, 1)
    paths = {k: os.path.join(workdir, f"dcgan-{k}.safetensors") for k in ("g", "d", "in", "out")}
    save_file({k: v.contiguous() for k, v in g.state_dict().items()}, paths["g"])
    save_file({k: v.contiguous() for k, v in d.state_dict().items()}, paths["d"])
    save_file({"real": real.contiguous(), "noise": noise.contiguous()}, paths["in"])
    subprocess.run([binary, "dcgan-step", paths["g"], paths["d"], paths["in"], paths["out"]], check=True)
    ours = load_file(paths["out"])
    # The tutorial's training iteration, verbatim in structure.
    criterion = torch.nn.BCELoss()
    optD = torch.optim.Adam(d.parameters(), lr=0.0002, betas=(0.5, 0.999))
    optG = torch.optim.Adam(g.parameters(), lr=0.0002, betas=(0.5, 0.999))
    d.zero_grad()
    label = torch.full((batch,), 1.0)
    output = d(real).view(-1)
    errD_real = criterion(output, label)
    errD_real.backward()
    D_x = output.mean().item()
    fake = g(noise)
    label.fill_(0.0)
    output = d(fake.detach()).view(-1)
    errD_fake = criterion(output, label)
    errD_fake.backward()
    D_G_z1 = output.mean().item()
    errD = errD_real + errD_fake
    optD.step()
    g.zero_grad()
    label.fill_(1.0)
    output = d(fake).view(-1)
    errG = criterion(output, label)
    errG.backward()
    D_G_z2 = output.mean().item()
    optG.step()
    losses = max(abs(errD.item() - ours["loss_d"].item()), abs(errG.item() - ours["loss_g"].item()),
                 abs(D_x - ours["d_x"].item()), abs(D_G_z1 - ours["d_g_z1"].item()), abs(D_G_z2 - ours["d_g_z2"].item()))
    step = max(max((v.double() - ours["g." + k].double()).abs().max().item() for k, v in g.state_dict().items()),
               max((v.double() - ours["d." + k].double()).abs().max().item() for k, v in d.state_dict().items()))
    return {"model": "dcgan training iteration", "eval": float("nan"), "train": float("nan"), "loss": losses,
            "step": step, "ok": losses <= TOL and step <= TOL}


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--binary", default=".build/release/medaug-parity")
    ap.add_argument("--models", default="dcgan-g,dcgan-d,simple-cnn,resnet18,resnet34,resnet50")
    ap.add_argument("--classes", type=int, default=3)
    ap.add_argument("--batch", type=int, default=4)
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as d:
        for name in args.models.split(","):
            rows.append(run(name, args.binary, args.classes, args.batch, d))
        rows.append(run_pth_import(args.binary, args.classes, args.batch, d))
        rows.append(run_dcgan_step(args.binary, d))
    print(f"torch {torch.__version__}, tolerance {TOL}, batch {args.batch}")
    print("| model | eval max abs diff | train max abs diff | loss diff | weights after one step | ok |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        cells = ["–" if v != v else f"{v:.2e}" for v in (r["eval"], r["train"], r["loss"], r["step"])]
        print(f"| {r['model']} | " + " | ".join(cells) + f" | {'yes' if r['ok'] else 'NO'} |")
    sys.exit(0 if all(r["ok"] for r in rows) else 1)


if __name__ == "__main__":
    main()
