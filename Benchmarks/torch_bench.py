"""Training-step speed of MedAug against Python PyTorch, same torch, same
threads, same run. Run by `make bench-torch`; BENCHMARKS.md records it."""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "parity"))
import torch_models  # noqa: E402


def py_step(name, steps, warmup):
    torch.manual_seed(0)
    if name == "simple-cnn":
        net = torch_models.Net(num_classes=2)
        opt = torch.optim.Adam(net.parameters(), lr=0.001)
        x, y, batch = torch.randn(64, 3, 64, 64), torch.ones(64, dtype=torch.long), 64

        def body():
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(net(x), y)
            loss.backward()
            opt.step()
    elif name == "resnet50":
        net = torch_models.build("resnet50", 2)
        opt = torch.optim.SGD(net.parameters(), lr=0.001, momentum=0.9)
        x, y, batch = torch.randn(8, 3, 224, 224), torch.ones(8, dtype=torch.long), 8
        it = [0]

        def body():
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(net(x), y)
            loss.backward()
            opt.step()
            it[0] += 1
            for g in opt.param_groups:
                g["lr"] = 0.001 / (1 + 0.01 * it[0])
    else:
        g, d = torch_models.build("dcgan-g", 0), torch_models.build("dcgan-d", 0)
        optG = torch.optim.Adam(g.parameters(), lr=0.0002, betas=(0.5, 0.999))
        optD = torch.optim.Adam(d.parameters(), lr=0.0002, betas=(0.5, 0.999))
        real, ones, zeros, batch = torch.randn(16, 3, 64, 64), torch.ones(16), torch.zeros(16), 16
        bce = torch.nn.BCELoss()

        def body():
            optD.zero_grad()
            bce(d(real), ones).backward()
            fake = g(torch.randn(16, 100, 1, 1))
            bce(d(fake.detach()), zeros).backward()
            optD.step()
            optG.zero_grad()
            bce(d(fake), ones).backward()
            optG.step()

    for _ in range(warmup):
        body()
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        body()
        times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    return {"median_s": med, "images_per_s": batch / med}


def gan_epoch_python(class_dir, threads):
    """One epoch of the PyTorch DCGAN tutorial's own loop on one class folder
    (ImageFolder, Resize(64), CenterCrop(64), Normalize(0.5), batch 16, 2 workers)."""
    import torchvision.datasets as dset
    import torchvision.transforms as T

    torch.manual_seed(0)
    root = os.path.dirname(class_dir.rstrip("/"))
    ds = dset.ImageFolder(root=root, transform=T.Compose([T.Resize(64), T.CenterCrop(64), T.ToTensor(),
                                                          T.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))]))
    name = os.path.basename(class_dir.rstrip("/"))
    keep = [i for i, (_, c) in enumerate(ds.samples) if ds.classes[c] == name]
    loader = torch.utils.data.DataLoader(torch.utils.data.Subset(ds, keep), batch_size=16, shuffle=True, num_workers=2)
    g, d = torch_models.build("dcgan-g", 0), torch_models.build("dcgan-d", 0)
    optG = torch.optim.Adam(g.parameters(), lr=0.0002, betas=(0.5, 0.999))
    optD = torch.optim.Adam(d.parameters(), lr=0.0002, betas=(0.5, 0.999))
    bce = torch.nn.BCELoss()
    t0 = time.perf_counter()
    for real, _ in loader:
        b = real.size(0)
        d.zero_grad()
        label = torch.full((b,), 1.0)
        bce(d(real), label).backward()
        fake = g(torch.randn(b, 100, 1, 1))
        label.fill_(0.0)
        bce(d(fake.detach()), label).backward()
        optD.step()
        g.zero_grad()
        label.fill_(1.0)
        bce(d(fake), label).backward()
        optG.step()
    return time.perf_counter() - t0, len(keep)


def gan_epoch_medaug(medaug, class_dir, threads):
    import shutil
    import tempfile

    root = os.path.dirname(class_dir.rstrip("/"))
    out = tempfile.mkdtemp()
    shutil.rmtree(out)
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    t0 = time.perf_counter()
    subprocess.run([medaug, "gan", "train", "--data", root, "--out", out, "--class", os.path.basename(class_dir.rstrip("/")),
                    "--epochs", "1", "--device", "cpu", "--sample-every", "1"], check=True, capture_output=True, env=env)
    t = time.perf_counter() - t0
    shutil.rmtree(out, ignore_errors=True)
    return t


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--binary", default=".build/release/medaug-bench")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--memory-steps", type=int, default=1000)
    ap.add_argument("--medaug", default=".build/release/medaug", help="the medaug CLI, for the GAN-epoch row")
    ap.add_argument("--gan-class-dir", help="a class folder (e.g. synthetic skin train/benign) for the GAN-epoch row")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    plan = [("simple-cnn", 30), ("dcgan", 30), ("resnet50", 6)]
    rows = []
    for name, steps in plan:
        ours = json.loads(subprocess.run([args.binary, "torch-step", name, str(steps), str(args.threads)],
                                         check=True, capture_output=True, text=True).stdout)
        ref = py_step(name, steps, 2)
        rows.append((name, ours["median_s"], ref["median_s"]))
    if args.gan_class_dir:
        ours = gan_epoch_medaug(args.medaug, args.gan_class_dir, args.threads)
        ref, n = gan_epoch_python(args.gan_class_dir, args.threads)
        rows.append((f"DCGAN epoch ({n} images, whole command incl. loading)", ours, ref))
    mem = json.loads(subprocess.run([args.binary, "torch-memory", str(args.memory_steps), str(args.threads)],
                                    check=True, capture_output=True, text=True).stdout)["rss_kb"]
    print(f"torch {torch.__version__}, {args.threads} threads, median of timed steps after 2 warm-up steps")
    print("| training step | MedAug ms | PyTorch ms | MedAug / PyTorch |")
    print("|---|---|---|---|")
    for name, ours, ref in rows:
        print(f"| {name} | {ours * 1000:.1f} | {ref * 1000:.1f} | {ours / ref:.3f} |")
    warm = mem[1] if len(mem) > 1 else mem[0]
    growth = (max(mem[1:] or mem) - warm) / warm * 100
    final = (mem[-1] - warm) / warm * 100
    print(f"\nResident memory over {args.memory_steps} small-CNN steps (kB, every 100 steps): {mem}")
    print(f"after warm-up (step 200): final {final:+.2f}%, largest sample {growth:+.2f}%")


if __name__ == "__main__":
    main()
