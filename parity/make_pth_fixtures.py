"""Writes the torch.save fixtures for Tests/MedAugTorchTests/PyTorchStateDictTests.swift.

Run once with the torch venv (`~/.cache/medaug/torch-2.15.0/bin/python
parity/make_pth_fixtures.py`); the outputs are committed so the Swift tests
need no Python. Each `.pth` has a `.json` sidecar listing, in file order, every
entry's name, dtype (as MedAug will hold it), shape and row-major values, so
the Swift reader is compared exactly against what torch.load returns.
Floats that JSON cannot hold are written as the strings "nan", "inf", "-inf".
"""
import json
import math
import os
import zipfile

import torch
from torch import nn

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "MedAugTorchTests", "Fixtures")

# MedAug has no float16/bfloat16 tensors: the reader widens them to float32.
MEDAUG_DTYPE = {
    torch.float32: "float32", torch.float64: "float64", torch.int64: "int64",
    torch.int32: "int32", torch.uint8: "uint8", torch.bool: "bool",
    torch.float16: "float32", torch.bfloat16: "float32",
}


class Small(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 3, 3, padding=1)
        self.bn = nn.BatchNorm2d(3)
        self.fc = nn.Linear(3, 2)

    def forward(self, x):
        return self.fc(self.bn(self.conv(x)).mean(dim=(2, 3)))


def number(v):
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
    return v


def sidecar(path, state):
    entries = []
    for name, t in state.items():
        t = t.detach()
        wide = t.float() if t.dtype in (torch.float16, torch.bfloat16) else t
        entries.append({
            "name": name,
            "dtype": MEDAUG_DTYPE[t.dtype],
            "shape": list(t.shape),
            "values": [number(v) for v in wide.reshape(-1).tolist()],
        })
    with open(path, "w") as f:  # one entry a line: small, and diffs stay readable
        f.write('{"entries": [\n' + ",\n".join(json.dumps(e) for e in entries) + "\n]}\n")


def check_round_trip(path, state, weights_only=True):
    back = torch.load(path, weights_only=weights_only)
    assert list(back.keys()) == list(state.keys())
    for k, v in state.items():
        assert back[k].dtype == v.dtype, k
        torch.testing.assert_close(back[k], v.detach(), rtol=0, atol=0, equal_nan=True)


def save(name, state, pickle_protocol=2):
    path = os.path.join(OUT, name + ".pth")
    torch.save(state, path, pickle_protocol=pickle_protocol)
    # torch's weights_only unpickler has no FRAME opcode; these files are our own.
    check_round_trip(path, state, weights_only=pickle_protocol == 2)
    sidecar(os.path.join(OUT, name + ".json"), state)
    return path


def small_model():
    torch.manual_seed(0)
    m = Small()
    m.train()
    for _ in range(2):  # moves the running stats and num_batches_tracked off their defaults
        m(torch.randn(4, 2, 5, 5))
    return save("small_model", m.state_dict())


def mixed():
    torch.manual_seed(1)
    base = torch.arange(12, dtype=torch.float32).reshape(3, 4) / 8 - 0.5
    half = torch.tensor([0.0, -0.0, 1.0, -2.5, 65504.0, 6e-8, 1e-5, float("inf"), float("-inf"), float("nan")],
                        dtype=torch.float16)
    state = {
        "transposed": base.t(),                        # stride (1, 4): gathered, not copied
        "offset_view": base[1:, 1::2],                 # storage offset 5, stride (4, 2)
        "base": base,                                  # shares the storage with the two views
        "double": torch.tensor([[math.pi, -1e300], [5e-324, 2.0 ** 60]], dtype=torch.float64),
        "half": half,
        "bfloat16": torch.tensor([1.0, -3.0, 0.0078125, 3.0e38], dtype=torch.bfloat16),
        "int32": torch.tensor([-(2 ** 31), 0, 2 ** 31 - 1], dtype=torch.int32),
        "uint8": torch.tensor([[0, 7], [128, 255]], dtype=torch.uint8),
        "bool": torch.tensor([True, False, True]),
        "scalar_long": torch.tensor(-(2 ** 62)),
        "empty": torch.zeros(0, 3),
        "param": nn.Parameter(torch.tensor([1.5, -2.25])),  # pickled via _rebuild_parameter
    }
    return save("mixed", state)


def protocol4():
    """pickle_protocol=4 brings FRAME, SHORT_BINUNICODE, STACK_GLOBAL and MEMOIZE."""
    torch.manual_seed(2)
    state = {"w": torch.randn(2, 3), "steps": torch.tensor(7), "mask": torch.tensor([True, False])}
    return save("protocol4", state, pickle_protocol=4)


def zip64_copy(src):
    """The same entries rewritten by CPython's zipfile with ZIP64 records
    forced, so the ZIP64 paths are checked against a writer other than ours."""
    dst = os.path.join(OUT, "small_model_zip64.pth")
    old = zipfile.ZIP64_LIMIT
    zipfile.ZIP64_LIMIT = 0  # every size and offset above 0 goes to a ZIP64 field
    try:
        with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_STORED) as zout:
            for info in zin.infolist():
                zout.writestr(info.filename, zin.read(info.filename))
    finally:
        zipfile.ZIP64_LIMIT = old
    with open(dst, "rb") as f:
        assert b"PK\x06\x06" in f.read()[-200:], "no ZIP64 end of central directory was written"
    a, b = torch.load(src), torch.load(dst)
    assert all(torch.equal(a[k], b[k]) for k in a)


def forbidden_global():
    """A zip torch.load would accept as a container, whose pickle asks for
    os.system: the reader must refuse it by name without running anything."""
    pkl = b"\x80\x02cos\nsystem\nq\x00X\x04\x00\x00\x00trueq\x01\x85q\x02Rq\x03."
    with zipfile.ZipFile(os.path.join(OUT, "forbidden_global.pth"), "w", zipfile.ZIP_STORED) as z:
        z.writestr("forbidden_global/data.pkl", pkl)
        z.writestr("forbidden_global/byteorder", "little")


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    zip64_copy(small_model())
    mixed()
    protocol4()
    forbidden_global()
    for f in sorted(os.listdir(OUT)):
        print(f, os.path.getsize(os.path.join(OUT, f)))
