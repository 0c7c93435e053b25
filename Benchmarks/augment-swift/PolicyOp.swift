// `policy-op`: one torchvision policy operation with a fixed magnitude, for
// the parity harness (parity/policy_parity.py), which applies the same
// operation with torchvision.transforms.v2.functional and compares.
//
//   policy-op OP MAGNITUDE IN.png OUT.png [--fill F[,F,F]]
//
// OP is torchvision's name (ShearX, Rotate, Solarize, ...); MAGNITUDE is the
// value the policy would pass (signed, before torchvision's `1 +` or `int()`).
import Foundation
import MedAugAugment
import MedAugImage

func policyOp(_ a: Arguments) throws {
    guard a.positional.count == 5 else { throw Usage(usage) }
    guard let op = TorchvisionOp(rawValue: a.positional[1]) else {
        throw Usage("unknown op \(a.positional[1]); one of " + TorchvisionOp.allCases.map(\.rawValue).joined(separator: ", "))
    }
    guard let magnitude = Double(a.positional[2]), magnitude.isFinite else { throw Usage("bad magnitude \(a.positional[2])") }
    let fill = try a.options["--fill"].map { try numbers($0, "--fill") }
    let image = try ImageFile.read(a.positional[3])
    try ImageFile.write(TorchvisionOps.apply(image, op: op, magnitude: magnitude, fill: fill), to: a.positional[4])
}
