// PiecewiseAffine's kernel with fixed values, for the parity harness
// (parity/augment_parity.py, warp_parity):
//
//   piecewise-affine IN.png OUT.png --rows R --cols C --jitter FILE.f32 [--triangles FILE.i32]
//                    [--order N] [--mode constant|edge|symmetric|reflect|wrap] [--cval C] [--absolute-scale 0|1]
//
// FILE.f32 holds the 2·R·C Normal draws as little-endian float32, y then x per
// grid point (row-major), as imgaug's jitter array; FILE.i32 holds triangles
// as little-endian int32 triples of point indices (scipy's Delaunay
// `simplices`); without it MedAug's own triangulation is used.
import Foundation
import MedAugAugment
import MedAugImage

func readInt32s(_ path: String) throws -> [Int32] {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    guard data.count % 4 == 0 else { throw Usage("\(path): not a whole number of int32 values") }
    return data.withUnsafeBytes { raw in
        (0..<(data.count / 4)).map { Int32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: Int32.self)) }
    }
}

func piecewiseAffine(_ a: Arguments) throws {
    guard a.positional.count == 3 else { throw Usage(usage) }
    let image = try ImageFile.read(a.positional[1])
    guard let rows = Int(a.options["--rows"] ?? ""), let cols = Int(a.options["--cols"] ?? ""),
          (2...1024).contains(rows), (2...1024).contains(cols) else { throw Usage("--rows and --cols take 2 to 1024") }
    guard a.options["--jitter"] != nil else { throw Usage("--jitter FILE.f32 is required") }
    let jitter = try readFloats(a.options["--jitter"], count: 2 * rows * cols)
    guard jitter.allSatisfy(\.isFinite) else { throw Usage("--jitter: values must be finite") }
    var triangles: [PiecewiseAffineKernel.Triangle]?
    if let path = a.options["--triangles"] {
        let v = try readInt32s(path)
        guard v.count % 3 == 0, v.allSatisfy({ $0 >= 0 && Int($0) < rows * cols }) else {
            throw Usage("--triangles: expected int32 triples of point indices below \(rows * cols)")
        }
        triangles = stride(from: 0, to: v.count, by: 3).map { PiecewiseAffineKernel.Triangle(Int(v[$0]), Int(v[$0 + 1]), Int(v[$0 + 2])) }
    }
    guard let order = Int(a.options["--order"] ?? "1"), (0...5).contains(order) else { throw Usage("--order takes 0 to 5") }
    guard let mode = BorderMode(rawValue: a.options["--mode"] ?? "constant") else { throw Usage("bad --mode") }
    guard let cval = Double(a.options["--cval"] ?? "0"), cval.isFinite else { throw Usage("bad --cval") }
    let out = PiecewiseAffineKernel.apply(image, rows: rows, cols: cols, jitter: jitter, triangles: triangles, order: order,
                                          mode: mode, cval: cval, absoluteScale: (a.options["--absolute-scale"] ?? "0") != "0")
    try ImageFile.write(out, to: a.positional[2])
}
