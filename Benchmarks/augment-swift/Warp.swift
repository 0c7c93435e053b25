// The warp kernels with fixed values, for the parity harness
// (parity/augment_parity.py, warp_parity):
//
//   warp-perspective IN.png OUT.png --jitter J0,...,J7 [--mode constant|replicate]
//                    [--cval A,B,C] [--keep-size 0|1] [--fit-output 0|1]
//   remap IN.png OUT.png --dx DX.f32 --dy DY.f32 [--order N] [--mode constant|nearest|reflect|wrap] [--cval C]
//   remap IN.png OUT.png --raw RAW.f32 --alpha A --sigma S [--order N] [--mode M] [--cval C]
//
// The jitter is PerspectiveTransform's eight Normal draws; DX/DY are the
// displacement maps as raw little-endian float32, row-major, one per pixel;
// RAW is the unsmoothed field in [-1, 1) (2·(H+2k) rows of W+2k values, k the
// Gaussian kernel size), smoothed and scaled by ElasticKernel.shiftMaps.
import Foundation
import MedAugAugment
import MedAugImage

func numbers(_ s: String?, _ name: String) throws -> [Double] {
    guard let s else { throw Usage("\(name) is required") }
    return try s.split(separator: ",").map {
        guard let v = Double($0) else { throw Usage("\(name): not a number: \($0)") }
        return v
    }
}

func warpPerspective(_ a: Arguments) throws {
    guard a.positional.count == 3 else { throw Usage(usage) }
    let image = try ImageFile.read(a.positional[1])
    let jitter = try numbers(a.options["--jitter"], "--jitter")
    guard jitter.count == 8 else { throw Usage("--jitter takes 8 values") }
    guard let mode = PerspectiveMode(rawValue: a.options["--mode"] ?? "constant") else { throw Usage("bad --mode") }
    let cval = try numbers(a.options["--cval"] ?? "0,0,0", "--cval")
    let out = PerspectiveKernel.apply(image, jitter: jitter, mode: mode.borderMode, cval: cval,
                                      keepSize: (a.options["--keep-size"] ?? "1") != "0",
                                      fitOutput: (a.options["--fit-output"] ?? "0") != "0")
    try ImageFile.write(out, to: a.positional[2])
}

func readFloats(_ path: String?, count: Int) throws -> [Float] {
    guard let path else { throw Usage("--dx and --dy are required") }
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    guard data.count == count * 4 else { throw Usage("\(path): expected \(count) float32 values") }
    return data.withUnsafeBytes { raw in (0..<count).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) } }
}

func remap(_ a: Arguments) throws {
    guard a.positional.count == 3 else { throw Usage(usage) }
    let image = try ImageFile.read(a.positional[1])
    let n = image.width * image.height
    let dx: [Float], dy: [Float]
    if let rawPath = a.options["--raw"] {
        let alpha = try numbers(a.options["--alpha"], "--alpha")[0], sigma = try numbers(a.options["--sigma"], "--sigma")[0]
        let pad = ElasticKernel.padding(sigma: sigma)
        let raw = try readFloats(rawPath, count: 2 * (image.height + 2 * pad) * (image.width + 2 * pad))
        (dx, dy) = ElasticKernel.shiftMaps(raw: raw, width: image.width, height: image.height, alpha: alpha, sigma: sigma, pad: pad)
    } else {
        dx = try readFloats(a.options["--dx"], count: n)
        dy = try readFloats(a.options["--dy"], count: n)
    }
    guard let mode = ElasticMode(rawValue: a.options["--mode"] ?? "constant") else { throw Usage("bad --mode") }
    let order = Int(a.options["--order"] ?? "3") ?? 3
    let cval = Int(a.options["--cval"] ?? "0") ?? 0
    let out = ElasticKernel.remap(image, dx: dx, dy: dy, order: order, mode: mode.borderMode, cval: cval)
    try ImageFile.write(out, to: a.positional[2])
}
