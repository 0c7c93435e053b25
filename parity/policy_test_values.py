"""Prints the Swift literals of Tests/MedAugAugmentTests/PolicyTorchvisionTests.swift:
torchvision 0.29's policy operations (TrivialAugmentWide's own
`_apply_image_or_video_transform`) on small formula images, and the
policies' magnitude tables. Run with the torch venv:
    $(bash parity/setup-torch.sh) parity/policy_test_values.py
"""
import torch
from torchvision import tv_tensors
from torchvision.transforms import v2

W, H = 6, 5


def formula(c):
    """The test image: sample (x, y, k) = (x*73 + y*151 + k*29 + x*y*7) % 256."""
    t = torch.empty((c, H, W), dtype=torch.uint8)
    for k in range(c):
        for y in range(H):
            for x in range(W):
                t[k, y, x] = (x * 73 + y * 151 + k * 29 + x * y * 7) % 256
    return t


RGB_CASES = [
    ("ShearX", 0.33, None), ("ShearX", -0.5, None), ("ShearY", 0.66, None), ("ShearY", -0.2, [10, 20, 30]),
    ("TranslateX", 2.9, None), ("TranslateY", -3.3, [200]), ("Rotate", 30.0, None), ("Rotate", -13.5, [10, 20, 30]),
    ("Rotate", 180.0, None), ("Rotate", 90.0, None), ("Brightness", 0.5, None), ("Brightness", -0.33, None),
    ("Color", 0.7, None), ("Color", -0.6, None), ("Contrast", 0.5, None), ("Contrast", -0.8, None),
    ("Sharpness", 0.9, None), ("Sharpness", -0.9, None), ("Posterize", 3.0, None), ("Solarize", 0.5, None),
    ("AutoContrast", 0.0, None), ("Equalize", 0.0, None), ("Invert", 0.0, None),
]
GRAY_CASES = [("Contrast", 0.5, None), ("Rotate", 30.0, None), ("Equalize", 0.0, None),
              ("AutoContrast", 0.0, None), ("Sharpness", -0.6, None), ("Brightness", 0.25, None)]


def run(img, op, mag, fill):
    t = v2.TrivialAugmentWide(fill=fill)
    out = t._apply_image_or_video_transform(tv_tensors.Image(img), op, mag, interpolation=t.interpolation, fill=t._fill)
    return out.permute(1, 2, 0).reshape(-1).tolist()  # interleaved HWC, as MedAug stores samples


def swift_case(op, mag, fill, values):
    f = "nil" if fill is None else "[" + ", ".join(f"{v}" for v in fill) + "]"
    return f'        ("{op}", {mag!r}, {f}, [{", ".join(map(str, values))}]),'


def main():
    for name, c, cases in (("rgbCases", 3, RGB_CASES), ("grayCases", 1, GRAY_CASES)):
        img = formula(c)
        print(f"    static let {name}: [(String, Double, [Double]?, [UInt8])] = [")
        for op, mag, fill in cases:
            print(swift_case(op, mag, fill, run(img, op, mag, fill)))
        print("    ]")
    ta = v2.TrivialAugmentWide._AUGMENTATION_SPACE
    aa = v2.AutoAugment._AUGMENTATION_SPACE
    print("    // TrivialAugmentWide, 31 bins")
    for op, (fn, signed) in ta.items():
        m = fn(31, 224, 224)
        if m is not None:
            print(f'        "{op}": [{", ".join(repr(float(v)) for v in m)}],')
    print("    // AutoAugment, 10 bins, 224x200 (width x height)")
    for op, (fn, signed) in aa.items():
        m = fn(10, 200, 224)
        if m is not None:
            print(f'        "{op}": [{", ".join(repr(float(v)) for v in m)}],')


if __name__ == "__main__":
    main()
