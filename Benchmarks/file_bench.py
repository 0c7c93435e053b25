"""File to file: `medaug augment` as a whole command (process start, PNG
decoding, augmentation, PNG encoding, manifest) against the Python loop one
would write instead (`cv2.imread -> augment -> cv2.imwrite`), each side run as
a subprocess and timed from start to exit, so the Python side pays for its
interpreter start and imports as MedAug pays for its process start.

    python Benchmarks/file_bench.py --medaug .build/release/medaug \
        --augbench .build/release/medaug-augbench \
        --parity-python "$(bash parity/setup.sh)/bin/python" [--write BENCHMARKS.md]

Run it with the AlbumentationsX venv's Python (Benchmarks/setup-albumentationsx.sh):
that Python makes the images and runs the AlbumentationsX and scikit-image
0.26 loops; the parity venv's Python runs the imgaug 0.4.0 and scikit-image
0.20 loops. Rounds alternate the sides (every command once per round, in turn);
the figures are the best round, with the median beside it.

- aug1, aug2, aug3 (pipelines/*.yaml), 1 copy per image, no originals:
  medaug --jobs 1 and --jobs 2; imgaug 0.4.0 built from the same pipeline file
  (Benchmarks/augment_bench.py's imgaug_pipeline), in one process and in two
  (fork, half the files each: both cores); AlbumentationsX where the pipeline
  can be expressed in it (aug1).
- Superpixels alone (p_replace 1, n_segments 200, full resolution): medaug
  --jobs 1 against scikit-image's slic(n_segments=200, compactness=10,
  start_label=0) plus each segment's mean colour (numpy bincount), one process;
  and AlbumentationsX's Superpixels.
- PNG codec: decode and encode speed of the same 8-bit gray, RGB, RGBA and
  16-bit gray files, `medaug-augbench codec` against cv2.imread/cv2.imwrite
  (OpenCV's PNG defaults), in process.

Every Python subprocess runs single-threaded (OMP/OPENBLAS/MKL_NUM_THREADS=1,
cv2.setNumThreads(0)); the Makefile also unsets OPENBLAS_CORETYPE and
OPENBLAS_L2_SIZE (see BENCHMARKS.md).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, ".."))
BEGIN = "<!-- BEGIN file_bench.py output -->"
END = "<!-- END file_bench.py output -->"
CLASSES = ("benign", "malignant")
SINGLE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
                 "VECLIB_MAXIMUM_THREADS": "1", "NUMEXPR_NUM_THREADS": "1",
                 "ALBUMENTATIONS_NO_TELEMETRY": "1", "ALBUMENTATIONS_OFFLINE": "1", "NO_ALBUMENTATIONS_UPDATE": "1"}


# ---------------------------------------------------------------- the Python loops (subprocess side)
# Only what each loop needs is imported, inside it: its import time is part of
# what is measured.

def _inputs(in_dir):
    """[(class, file name)] of a class-folder tree, sorted."""
    out = []
    for c in sorted(os.listdir(in_dir)):
        d = os.path.join(in_dir, c)
        if os.path.isdir(d):
            out += [(c, n) for n in sorted(os.listdir(d)) if n.lower().endswith(".png")]
    return out


def _run_loop(files, in_dir, out_dir, procs, make_fn, seed_fn):
    """Runs fn = make_fn() on every file, split over `procs` forked processes
    (files i, i + procs, ...)."""
    import cv2
    cv2.setNumThreads(0)
    fn = make_fn()
    for c in {c for c, _ in files}:
        os.makedirs(os.path.join(out_dir, c), exist_ok=True)

    def work(part):
        for c, n in part:
            img = cv2.imread(os.path.join(in_dir, c, n), cv2.IMREAD_COLOR)
            if img is None:
                raise OSError(f"cannot read {n}")
            out = fn(img)
            stem = os.path.splitext(n)[0]
            if not cv2.imwrite(os.path.join(out_dir, c, f"{stem}_aug1.png"), out):
                raise OSError(f"cannot write {n}")

    if procs <= 1:
        work(files)
        return
    pids = []
    for k in range(procs):
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                seed_fn(k)
                work(files[k::procs])
            except BaseException as e:  # noqa: BLE001
                print(f"worker {k}: {e}", file=sys.stderr)
                code = 1
            os._exit(code)
        pids.append(pid)
    bad = [p for p in pids if os.waitpid(p, 0)[1] != 0]
    if bad:
        raise SystemExit("a worker failed")


def loop_imgaug(pipeline, in_dir, out_dir, procs):
    import types
    # augment_bench imports albumentations only for its own tables; keep it
    # out of imgaug's import time.
    sys.modules.setdefault("albumentations", types.ModuleType("albumentations"))
    sys.path.insert(0, HERE)
    import cv2
    import imgaug
    import yaml
    import augment_bench
    with open(pipeline) as f:
        aug = augment_bench.imgaug_pipeline(yaml.safe_load(f))
    imgaug.seed(1)

    def make():
        def fn(bgr):
            rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
            return cv2.cvtColor(aug.augment_image(rgb), cv2.COLOR_RGB2BGR)
        return fn

    _run_loop(_inputs(in_dir), in_dir, out_dir, procs, make, lambda k: imgaug.seed(1000 + k))


def ax_aug1():
    """pipelines/aug1.yaml in AlbumentationsX: one of the flips, Affine
    (scale 0.8-1.2, rotate +-45, shear x +-16, bilinear, constant 0),
    CropAndPad(percent +-10%, keep_size)."""
    import albumentations as A
    return A.Compose([
        A.OneOf([A.HorizontalFlip(p=1), A.VerticalFlip(p=1)], p=1),
        A.Affine(scale=(0.8, 1.2), rotate=(-45, 45), shear=(-16, 16), interpolation=1, border_mode=0, fill=0, p=1),
        A.CropAndPad(percent=(-0.1, 0.1), keep_size=True, sample_independently=True, border_mode=0, fill=0,
                     interpolation=1, p=1),
    ], telemetry=False, seed=1)


def ax_superpixels():
    import albumentations as A
    return A.Compose([A.Superpixels(p_replace_range=(1, 1), n_segments_range=(200, 200), max_size=None, p=1)],
                     telemetry=False, seed=1)


AX_PIPELINES = {"aug1": ax_aug1, "superpixels": ax_superpixels}


def loop_ax(name, in_dir, out_dir, procs):
    import cv2
    import numpy as np
    import torch
    torch.set_num_threads(1)
    t = AX_PIPELINES[name]()

    def make():
        def fn(bgr):
            rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
            return cv2.cvtColor(np.ascontiguousarray(t(image=rgb)["image"]), cv2.COLOR_RGB2BGR)
        return fn

    def reseed(k):
        import random
        random.seed(1000 + k)
        np.random.seed(1000 + k)
        t.set_random_seed(1000 + k)

    _run_loop(_inputs(in_dir), in_dir, out_dir, procs, make, reseed)


def loop_slic(in_dir, out_dir, procs, n_segments=200):
    """scikit-image's SLIC as imgaug's Superpixels calls it (compactness 10),
    every segment painted in its mean colour (p_replace 1)."""
    import cv2
    import numpy as np
    import skimage.segmentation

    def make():
        def fn(bgr):
            rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
            labels = skimage.segmentation.slic(rgb, n_segments=n_segments, compactness=10, start_label=0)
            flat = labels.ravel()
            n = int(flat.max()) + 1
            counts = np.maximum(np.bincount(flat, minlength=n), 1)
            means = np.stack([np.bincount(flat, weights=rgb[..., ch].ravel(), minlength=n) for ch in range(3)], 1)
            colours = np.round(means / counts[:, None]).astype(np.uint8)
            return cv2.cvtColor(colours[labels], cv2.COLOR_RGB2BGR)
        return fn

    _run_loop(_inputs(in_dir), in_dir, out_dir, procs, make, lambda k: None)


def codec_worker(dirs, out_root, repeat):
    """cv2.imread / cv2.imwrite (PNG, OpenCV's defaults) over each folder:
    total seconds of one pass, best of `repeat`; JSON on stdout."""
    import cv2
    cv2.setNumThreads(0)
    res = {"opencv": cv2.__version__}
    for d in dirs:
        kind = os.path.basename(d.rstrip("/"))
        names = sorted(n for n in os.listdir(d) if n.endswith((".png", ".jpg")))
        jpeg = names[0].endswith(".jpg")
        out_dir = os.path.join(out_root, kind)
        os.makedirs(out_dir, exist_ok=True)
        dec, enc, imgs = float("inf"), float("inf"), []
        for _ in range(repeat):
            t0 = time.perf_counter()
            imgs = [cv2.imread(os.path.join(d, n), cv2.IMREAD_UNCHANGED) for n in names]
            dec = min(dec, time.perf_counter() - t0)
            if jpeg:
                continue  # JPEG input: decoding is what is compared
            t0 = time.perf_counter()
            for n, img in zip(names, imgs):
                if not cv2.imwrite(os.path.join(out_dir, n), img):
                    raise OSError(f"cannot write {n}")
            enc = min(enc, time.perf_counter() - t0)
        size = 0 if jpeg else sum(os.path.getsize(os.path.join(out_dir, n)) for n in names)
        res[kind] = {"decode_s": dec, "encode_s": None if jpeg else enc, "images": len(names), "bytes": size}
    print(json.dumps(res))


# ---------------------------------------------------------------- the driver

def env_single():
    env = dict(os.environ)
    env.update(SINGLE_THREAD)
    for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        env.pop(k, None)
    return env


def run_timed(cmd, env):
    t0 = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    dt = time.perf_counter() - t0
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({p.returncode}): {p.stderr.strip()[-2000:]}")
    return dt


def png_bytes(d):
    total, n = 0, 0
    for base, _, files in os.walk(d):
        for f in files:
            if f.endswith(".png"):
                total += os.path.getsize(os.path.join(base, f))
                n += 1
    return total, n


def machine():
    sys.path.insert(0, os.path.join(ROOT, "parity"))
    import report_section
    return report_section.machine()


def versions(python):
    code = ("import json, platform, cv2, numpy, skimage\n"
            "v = {'python': platform.python_version(), 'opencv': cv2.__version__, 'numpy': numpy.__version__, "
            "'scikit-image': skimage.__version__}\n"
            "for m in ('imgaug', 'albumentations'):\n"
            "    try:\n"
            "        v[m] = __import__(m).__version__\n"
            "    except Exception:\n"
            "        pass\n"
            "print(json.dumps(v))")
    p = subprocess.run([python, "-c", code], capture_output=True, text=True, env=env_single())
    return json.loads(p.stdout) if p.returncode == 0 else {"error": p.stderr.strip()[-300:]}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--medaug", default=os.path.join(ROOT, ".build/release/medaug"))
    ap.add_argument("--augbench", default=os.path.join(ROOT, ".build/release/medaug-augbench"),
                    help="for the codec benchmark (`medaug-augbench codec`)")
    ap.add_argument("--parity-python", help="the parity venv's python (imgaug 0.4.0, scikit-image 0.20); default: "
                    "$MEDAUG_HOME/parity-imgaug-0.4.0/bin/python")
    ap.add_argument("--ax-python", default=sys.executable, help="the AlbumentationsX venv's python (default: this one)")
    ap.add_argument("--images", type=int, default=120)
    ap.add_argument("--size", type=int, default=224)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--pipelines", default="aug1,aug2,aug3,superpixels")
    ap.add_argument("--codec-images", type=int, default=60, help="images per kind in the codec benchmark (0: skip)")
    ap.add_argument("--codec-repeat", type=int, default=3)
    ap.add_argument("--memory-images", default="1000,10000",
                    help="dataset sizes of the peak-RSS check, comma-separated ('' to skip)")
    ap.add_argument("--build-flags", default="", help="swift build flags of the binaries (recorded in the report)")
    ap.add_argument("--write", help="replace this harness's section of a markdown file (BENCHMARKS.md)")
    ap.add_argument("--json", help="also write the raw results to this file")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    # subprocess modes
    ap.add_argument("--loop", choices=["imgaug", "ax", "slic"], help=argparse.SUPPRESS)
    ap.add_argument("--pipeline", help=argparse.SUPPRESS)
    ap.add_argument("--in", dest="in_dir", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    ap.add_argument("--procs", type=int, default=1, help=argparse.SUPPRESS)
    ap.add_argument("--codec-worker", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.loop == "imgaug":
        return loop_imgaug(args.pipeline, args.in_dir, args.out, args.procs)
    if args.loop == "ax":
        return loop_ax(args.pipeline, args.in_dir, args.out, args.procs)
    if args.loop == "slic":
        return loop_slic(args.in_dir, args.out, args.procs)
    if args.codec_worker:
        return codec_worker(args.codec_worker, args.out, args.codec_repeat)
    return drive(args)


def drive(args):
    import shutil
    import tempfile
    sys.path.insert(0, HERE)
    sys.path.insert(0, os.path.join(ROOT, "parity"))
    import bench_images
    import report_section

    parity = args.parity_python or os.path.join(
        os.environ.get("MEDAUG_HOME", os.path.expanduser("~/.cache/medaug")), "parity-imgaug-0.4.0", "bin", "python")
    if not os.path.exists(parity):
        raise SystemExit(f"no parity venv python at {parity}: run `bash parity/setup.sh` or give --parity-python")
    ax = args.ax_python
    env = env_single()
    work = tempfile.mkdtemp(prefix="medaug-filebench-")
    in_dir = os.path.join(work, "in")
    imgs = bench_images.make_set(args.images, args.size, args.size, seed=29)
    for i, (name, img) in enumerate(imgs):
        bench_images.write_dir(os.path.join(in_dir, CLASSES[i % len(CLASSES)]), [(name, img)])
    in_bytes, _ = png_bytes(in_dir)
    me = os.path.abspath(__file__)

    # (pipeline, label, kind, command maker); kinds: medaug, imgaug, ax, skimage
    def medaug_cmd(pipeline_path, jobs):
        return lambda out: [args.medaug, "augment", "--input", in_dir, "--output", out, "--pipeline", pipeline_path,
                            "--copies", "1", "--no-original", "--jobs", str(jobs)]

    sp_path = os.path.join(work, "superpixels.yaml")
    with open(sp_path, "w") as f:
        f.write("# Superpixels alone, full resolution, every segment replaced.\n"
                "- Superpixels: {p_replace: 1, n_segments: 200, max_size: null}\n")
    commands = []
    for p in args.pipelines.split(","):
        if p == "superpixels":
            commands += [
                (p, "MedAug --jobs 1", "medaug", 1, medaug_cmd(sp_path, 1)),
                (p, "scikit-image 0.26 slic + means, 1 process", "skimage", 1,
                 lambda out: [ax, me, "--loop", "slic", "--in", in_dir, "--out", out]),
                (p, "scikit-image 0.20 slic + means, 1 process", "skimage", 1,
                 lambda out: [parity, me, "--loop", "slic", "--in", in_dir, "--out", out]),
                (p, "AlbumentationsX Superpixels, 1 process", "ax", 1,
                 lambda out: [ax, me, "--loop", "ax", "--pipeline", "superpixels", "--in", in_dir, "--out", out]),
            ]
            continue
        path = os.path.join(ROOT, "pipelines", f"{p}.yaml")
        commands += [
            (p, "MedAug --jobs 1", "medaug", 1, medaug_cmd(path, 1)),
            (p, "MedAug --jobs 2", "medaug", 2, medaug_cmd(path, 2)),
            (p, "imgaug 0.4.0, 1 process", "imgaug", 1,
             lambda out, path=path: [parity, me, "--loop", "imgaug", "--pipeline", path, "--in", in_dir, "--out", out]),
            (p, "imgaug 0.4.0, 2 processes", "imgaug", 2,
             lambda out, path=path: [parity, me, "--loop", "imgaug", "--pipeline", path, "--in", in_dir, "--out", out,
                                     "--procs", "2"]),
        ]
        if p in AX_PIPELINES:
            commands += [
                (p, "AlbumentationsX, 1 process", "ax", 1,
                 lambda out, p=p: [ax, me, "--loop", "ax", "--pipeline", p, "--in", in_dir, "--out", out]),
                (p, "AlbumentationsX, 2 processes", "ax", 2,
                 lambda out, p=p: [ax, me, "--loop", "ax", "--pipeline", p, "--in", in_dir, "--out", out,
                                   "--procs", "2"]),
            ]
    # The data commands on a 10-image folder: they must never load libtorch.
    small = os.path.join(work, "small")
    for i, (name, img) in enumerate(imgs[:10]):
        bench_images.write_dir(os.path.join(small, CLASSES[i % len(CLASSES)]), [(name, img)])
    startup = [
        ("medaug --help", [args.medaug, "--help"]),
        ("medaug info (10 images)", [args.medaug, "info", small]),
        ("medaug augment --preset aug1 --copies 1 (10 images)",
         ["/bin/sh", "-c", f'rm -rf "{work}/small-aug" && exec "$0" "$@"', args.medaug, "augment", "--input", small,
          "--output", os.path.join(work, "small-aug"), "--preset", "aug1", "--copies", "1"]),
        ("medaug preview --preset aug3 (10 images)",
         [args.medaug, "preview", "--input", small, "--preset", "aug3", "--out", os.path.join(work, "grid.png")]),
        ("medaug synth --kind skin-lesion --scale 0.02",
         ["/bin/sh", "-c", f'rm -rf "{work}/synth" && exec "$0" "$@"', args.medaug, "synth", "--kind", "skin-lesion",
          "--out", os.path.join(work, "synth"), "--scale", "0.02"]),
        ("medaug doctor (loads libtorch)", [args.medaug, "doctor"]),
        ("parity python: import cv2, imgaug.augmenters", [parity, "-c", "import cv2, imgaug.augmenters"]),
        ("AlbumentationsX python: import cv2, albumentations", [ax, "-c", "import cv2, albumentations"]),
        ("python -c pass", [parity, "-c", "pass"]),
    ]

    load0 = os.getloadavg()
    started = time.time()
    times = {i: [] for i in range(len(commands))}
    sizes = {}
    st_times = {i: [] for i in range(len(startup))}
    for r in range(args.rounds):
        for i, (p, label, kind, cores, make) in enumerate(commands):
            out = os.path.join(work, f"out-{i}-{r}")
            times[i].append(run_timed(make(out), env))
            b, n = png_bytes(out)
            if n != args.images:
                raise RuntimeError(f"{p} {label}: {n} PNG files written, expected {args.images}")
            sizes[i] = b
            shutil.rmtree(out)
        for i, (_, cmd) in enumerate(startup):
            st_times[i].append(run_timed(cmd, env))
        print(f"round {r + 1}/{args.rounds}: " + ", ".join(
            f"{commands[i][0]} {commands[i][1]} {times[i][-1]:.2f}s" for i in times), flush=True)

    codec = run_codec(args, work, parity, ax, env, bench_images) if args.codec_images > 0 else None
    memory = run_memory(args, work, env) if args.memory_images and os.path.exists("/usr/bin/time") else None
    elapsed = time.time() - started
    res = {"commands": [{"pipeline": c[0], "label": c[1], "kind": c[2], "cores": c[3], "seconds": times[i],
                         "bytes": sizes[i]} for i, c in enumerate(commands)],
           "startup": [{"label": s[0], "seconds": st_times[i]} for i, s in enumerate(startup)],
           "codec": codec, "memory": memory, "input_bytes": in_bytes}
    vers = {"ax": versions(ax), "parity": versions(parity)}
    text = report(res, vers, args, load0, elapsed)
    print()
    print(text)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(res, f, indent=1)
    if args.write:
        report_section.replace_section(args.write, text, BEGIN, END, title="# MedAug benchmarks\n")
        print(f"wrote {args.write}")
    if args.keep:
        print(f"kept {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)


def run_memory(args, work, env):
    """Peak RSS of `medaug augment --preset aug1 --copies 1` over small and
    large sets of small images (64x64 RGB PNGs, each distinct), as GNU time
    (/usr/bin/time, Debian's `time`) reports it; lowest of the rounds."""
    import numpy as np
    import cv2
    sizes = [int(x) for x in args.memory_images.split(",")]
    rng = np.random.default_rng(5)
    base = rng.integers(0, 256, (64, 64, 3), dtype=np.uint8)
    res = []
    for n in sizes:
        d = os.path.join(work, f"mem-{n}")
        for i in range(n):
            c = os.path.join(d, CLASSES[i % 2])
            os.makedirs(c, exist_ok=True)
            img = np.roll(base, i % 64, axis=0)
            img[0, 0] = (i // 64) % 256
            img[0, 1] = i % 256
            cv2.imwrite(os.path.join(c, f"img{i:06d}.png"), img)
        peaks, secs = [], []
        for r in range(args.rounds):
            out = os.path.join(work, f"mem-out-{n}")
            t0 = time.perf_counter()
            # GNU time reports its own child's rusage: a child forked from this
            # Python would count Python's pages (kept across exec) in its peak.
            p = subprocess.run(["/usr/bin/time", "-f", "%M", args.medaug, "augment", "--input", d, "--output", out,
                                "--preset", "aug1", "--copies", "1"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
            secs.append(time.perf_counter() - t0)
            if p.returncode != 0:
                raise RuntimeError(f"memory run over {n} images failed: {p.stderr[-500:]}")
            peaks.append(int(p.stderr.strip().splitlines()[-1]))
            import shutil
            shutil.rmtree(out)
        res.append({"images": n, "peak_kb": peaks, "seconds": secs})
        print(f"memory: {n} images, peak RSS {min(peaks)} KB", flush=True)
    return res


def run_codec(args, work, parity, ax, env, bench_images):
    sets = bench_images.codec_sets(args.codec_images, args.size)
    root = os.path.join(work, "codec")
    dirs = []
    for kind, imgs in sets.items():
        d = os.path.join(root, kind)
        bench_images.write_dir(d, imgs)
        dirs.append(d)
    # JPEG decoding too (quality 95, as cameras and archives write them), RGB and gray.
    import cv2
    for kind, src in (("rgb8-jpeg", "rgb8"), ("gray8-jpeg", "gray8")):
        d = os.path.join(root, kind)
        os.makedirs(d, exist_ok=True)
        for name, img in sets[src]:
            bgr = cv2.cvtColor(img, cv2.COLOR_RGB2BGR) if img.ndim == 3 else img
            cv2.imwrite(os.path.join(d, os.path.splitext(name)[0] + ".jpg"), bgr, [cv2.IMWRITE_JPEG_QUALITY, 95])
        dirs.append(d)
    res = {"kinds": list(sets) + ["rgb8-jpeg", "gray8-jpeg"], "python": {}, "medaug": {}}
    for label, py in (("ax", ax), ("parity", parity)):
        p = subprocess.run([py, os.path.abspath(__file__), "--codec-worker", *dirs, "--out",
                            os.path.join(work, f"codec-out-{label}"), "--codec-repeat", str(args.codec_repeat)],
                           capture_output=True, text=True, env=env)
        if p.returncode != 0:
            raise RuntimeError(f"codec worker ({label}): {p.stderr.strip()[-1500:]}")
        res["python"][label] = json.loads(p.stdout)
    for comp in (None, 1):
        key = "default" if comp is None else f"compression {comp}"
        res["medaug"][key] = {}
        for d in dirs:
            kind = os.path.basename(d)
            out = os.path.join(work, "codec-out-medaug", key.replace(" ", ""), kind)
            os.makedirs(out, exist_ok=True)
            cmd = [args.augbench, "codec", d, "--out", out, "--repeat", str(args.codec_repeat)]
            if comp is not None:
                cmd += ["--compression", str(comp)]
            p = subprocess.run(cmd, capture_output=True, text=True, env=env)
            if p.returncode != 0:
                err = p.stderr.strip()
                why = ("this build has no `codec` subcommand" if "usage" in err.lower()
                       else (err.splitlines() or [f"exit {p.returncode}"])[-1][:200])
                res["medaug_missing"] = f"`medaug-augbench codec` failed: {why}"
                print(f"codec: {res['medaug_missing']}; MedAug's codec columns left out", flush=True)
                return res
            res["medaug"][key][kind] = json.loads(p.stdout)
    return res


# ---------------------------------------------------------------- report

def fmt_s(xs):
    return f"{min(xs):.2f} ({statistics.median(xs):.2f})"


def report(res, vers, args, load0, elapsed):
    import datetime
    import platform
    model, cores = machine()
    n = args.images
    out = []
    w = out.append
    w("## File to file: `medaug augment` against Python loops (imgaug, AlbumentationsX, scikit-image)\n")
    flags = args.build_flags.strip()
    w("Command: `make bench-aug` (this part: `env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "
      "$(bash Benchmarks/setup-albumentationsx.sh)/bin/python Benchmarks/file_bench.py --medaug .build/release/medaug "
      "--augbench .build/release/medaug-augbench --parity-python $(bash parity/setup.sh)/bin/python "
      f"--build-flags '{flags}' --images {n} --rounds {args.rounds} --write BENCHMARKS.md`; MedAug built with "
      f"`swift build {flags + ' ' if flags else ''}-c release --product medaug`, and `--product medaug-augbench`).\n")
    ax, pa = vers["ax"], vers["parity"]
    w(f"Machine: {model}, nproc {cores}, {platform.system()} {platform.machine()}; "
      f"run {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, {elapsed:.0f} s; load average "
      f"before the run {load0[0]:.2f}. Parity venv: Python {pa.get('python')}, imgaug {pa.get('imgaug')}, OpenCV "
      f"{pa.get('opencv')}, scikit-image {pa.get('scikit-image')}, numpy {pa.get('numpy')}. AlbumentationsX venv: "
      f"AlbumentationsX {ax.get('albumentations')}, OpenCV {ax.get('opencv')}, scikit-image "
      f"{ax.get('scikit-image')}, numpy {ax.get('numpy')}.\n")
    w(f"Input: {n} distinct RGB {args.size}x{args.size} PNGs ({res['input_bytes'] / n / 1024:.0f} KB each on "
      "average, written by cv2.imwrite) cut from scikit-image's bundled photographs (`Benchmarks/bench_images.py`), "
      f"in two class folders. Each side writes one augmented PNG per image. Seconds = wall time of the whole "
      f"command, from start to exit, best of {args.rounds} rounds (median in brackets); rounds alternate the "
      "sides. The Python loops are `cv2.imread -> RGB -> augment -> BGR -> cv2.imwrite` (OpenCV's PNG "
      "defaults), single-threaded per process; '2 processes' forks after the imports and gives each process "
      "half of the files (both cores, as `--jobs 2` uses them). imgaug runs the same pipeline file "
      "(`augment_bench.py`'s imgaug_pipeline); AlbumentationsX only aug1, the one pipeline it can express "
      "(aug2/aug3 need BilateralBlur, EdgeDetect, DirectedEdgeDetect, TotalDropout, the colour-space "
      "brightness and uniform colour quantisation, which it lacks).\n")
    cmds = res["commands"]
    w("### Whole commands\n")
    w("| pipeline | command | seconds | images/s | output KB per image |")
    w("|---|---|---|---|---|")
    for c in cmds:
        w(f"| {c['pipeline']} | {c['label']} | {fmt_s(c['seconds'])} | {n / min(c['seconds']):,.0f} | "
          f"{c['bytes'] / n / 1024:.0f} |")
    w("")

    def best(p, label):
        for c in cmds:
            if c["pipeline"] == p and c["label"] == label:
                return min(c["seconds"])
        return None

    def sp(a, b):
        return f"{b / a:.1f}x" if a and b else "-"

    pipes = [p for p in dict.fromkeys(c["pipeline"] for c in cmds) if p != "superpixels"]
    if pipes:
        w("### Speed-ups of MedAug (time of the other / time of MedAug)\n")
        w("| pipeline | vs imgaug, 1 core each (--jobs 1 / 1 process) | vs imgaug, both cores each (--jobs 2 / "
          "2 processes) | --jobs 2 vs imgaug's 1 process | vs AlbumentationsX, 1 core | vs AlbumentationsX, both "
          "cores |")
        w("|---|---|---|---|---|---|")
        for p in pipes:
            j1, j2 = best(p, "MedAug --jobs 1"), best(p, "MedAug --jobs 2")
            w(f"| {p} | {sp(j1, best(p, 'imgaug 0.4.0, 1 process'))} | {sp(j2, best(p, 'imgaug 0.4.0, 2 processes'))} | "
              f"{sp(j2, best(p, 'imgaug 0.4.0, 1 process'))} | {sp(j1, best(p, 'AlbumentationsX, 1 process'))} | "
              f"{sp(j2, best(p, 'AlbumentationsX, 2 processes'))} |")
        w("")
    targets = []
    if "aug3" in pipes:
        j2 = best("aug3", "MedAug --jobs 2")
        i1, i2 = best("aug3", "imgaug 0.4.0, 1 process"), best("aug3", "imgaug 0.4.0, 2 processes")
        targets.append(("aug3 file to file >= 10x imgaug, MedAug on both cores (against imgaug's 1-process loop)",
                        i1 / j2))
        targets.append(("the same against imgaug on both cores too (2 processes)", i2 / j2))
    if any(c["pipeline"] == "superpixels" for c in cmds):
        m = best("superpixels", "MedAug --jobs 1")
        sk = min(x for x in (best("superpixels", "scikit-image 0.26 slic + means, 1 process"),
                             best("superpixels", "scikit-image 0.20 slic + means, 1 process")) if x)
        targets.append(("Superpixels file to file, one thread, >= 10x scikit-image (the faster of 0.20 and 0.26)",
                        sk / m))
        w("### Superpixels alone (p_replace 1, n_segments 200, full resolution, one thread)\n")
        w("| command | seconds | images/s | MedAug speed-up |")
        w("|---|---|---|---|")
        for c in cmds:
            if c["pipeline"] == "superpixels":
                t = min(c["seconds"])
                w(f"| {c['label']} | {fmt_s(c['seconds'])} | {n / t:,.1f} | {sp(m, t)} |")
        w("")
    if targets:
        w("### Targets\n")
        w("| target | result |")
        w("|---|---|")
        for label, v in targets:
            w(f"| {label} | {'met' if v >= 10 else 'MISSED'}: {v:.1f}x |")
        w("")
    w("### Process start, imports, and the data commands on 10 images\n")
    w("MedAug's data commands (info, augment, preview, synth, --help) never load libtorch; only the commands "
      "that run networks do (`doctor` shows that cost). Target: each data command under 0.1 s on 10 images.\n")
    w("| command | seconds |")
    w("|---|---|")
    for s in res["startup"]:
        w(f"| `{s['label']}` | {fmt_s(s['seconds'])} |")
    w("")
    codec = res.get("codec")
    if codec:
        w_codec(w, codec, args)
    mem = res.get("memory")
    if mem:
        w("### Memory: peak RSS of `medaug augment` as the dataset grows\n")
        w("`medaug augment --preset aug1 --copies 1` (originals kept, both cores) over distinct 64x64 RGB PNGs; "
          "peak resident set size from the kernel's rusage of each run (lowest of the rounds). Target: the peak "
          "over 10,000 images within 10% of the peak over 1,000.\n")
        w("| images | outputs | peak RSS (MB) | seconds | vs the smallest set |")
        w("|---|---|---|---|---|")
        first = min(mem[0]["peak_kb"])
        for m in mem:
            pk = min(m["peak_kb"])
            w(f"| {m['images']:,} | {2 * m['images']:,} | {pk / 1024:.1f} | {min(m['seconds']):.2f} | "
              f"{(pk / first - 1) * 100:+.1f}% |")
        w("")
    return "\n".join(out)


def w_codec(w, codec, args):
    kinds = codec["kinds"]
    names = {"gray8": "8-bit gray", "rgb8": "8-bit RGB", "rgba8": "8-bit RGBA", "gray16": "16-bit gray",
             "rgb8-jpeg": "JPEG RGB (decode only)", "gray8-jpeg": "JPEG gray (decode only)"}
    py = codec["python"]
    w(f"### PNG and JPEG codec alone ({args.codec_images} images of each kind, {args.size}x{args.size}, in process)\n")
    w("Microseconds per image, one pass over the files, best of "
      f"{args.codec_repeat}; the same files on both sides (written by cv2.imwrite); encoding writes them again. "
      "OpenCV's PNG defaults are tuned for speed: zlib level 1, the SUB filter on every row, the Z_RLE strategy. "
      "KB = average size of the written file.\n")
    med = codec.get("medaug") or {}
    missing = codec.get("medaug_missing")
    head = ["image", "MedAug decode", f"OpenCV {py['ax']['opencv']} decode", f"OpenCV {py['parity']['opencv']} decode"]
    head += ["MedAug encode (default)", "MedAug encode (--compression 1)"] if not missing else []
    head += [f"OpenCV {py['ax']['opencv']} encode", f"OpenCV {py['parity']['opencv']} encode"]
    head += ["KB MedAug (default / level 1)"] if not missing else []
    head += ["KB OpenCV"]
    if missing:
        head.remove("MedAug decode")
    w("| " + " | ".join(head) + " |")
    w("|" + "---|" * len(head))

    def us(r, key):
        return "-" if r.get(key) is None else f"{r[key] / r['images'] * 1e6:,.0f}"

    for k in kinds:
        a, b = py["ax"][k], py["parity"][k]
        cells = [names.get(k, k)]
        if not missing:
            cells.append(us(med["default"][k], "decode_s"))
        cells += [us(a, "decode_s"), us(b, "decode_s")]
        if not missing:
            cells += [us(med["default"][k], "encode_s"), us(med["compression 1"][k], "encode_s")]
        cells += [us(a, "encode_s"), us(b, "encode_s")]
        jpeg = k.endswith("jpeg")
        if not missing and jpeg:
            cells[-4:-2] = ["-", "-"]  # MedAug's encode columns: it wrote PNGs from the JPEGs
        if not missing:
            cells.append("-" if jpeg else f"{med['default'][k]['bytes'] / med['default'][k]['images'] / 1024:.1f} / "
                         f"{med['compression 1'][k]['bytes'] / med['compression 1'][k]['images'] / 1024:.1f}")
        cells.append("-" if jpeg else f"{a['bytes'] / a['images'] / 1024:.1f}")
        w("| " + " | ".join(cells) + " |")
    w("")
    if missing:
        w(f"MedAug's columns are missing: {missing}.\n")


if __name__ == "__main__":
    main()
