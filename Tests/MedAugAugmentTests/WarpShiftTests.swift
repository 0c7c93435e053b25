import XCTest
import MedAugImage
@testable import MedAugAugment

/// The row-copy path for whole-pixel translations and the two-row blend for
/// vertical scales give the bytes of OpenCV's per-pixel arithmetic (the
/// border routine, which handles any position): shifts in both directions,
/// past the image, fractions of a pixel, 1 to 4 channels, per-channel fill.
final class WarpShiftTests: XCTestCase {
    func general(_ image: Image, _ m: AffineMatrix, _ w: Int, _ h: Int, _ fill: [UInt8]) -> [UInt8] {
        let grid = AffineSampleGrid(inverse: m.inverted, width: w, order: .linear)
        let g = AffineWarpGeometry(sw: image.width, sh: image.height, cn: image.channels, dw: w, dh: h, mode: .constant)
        var out = [UInt8](repeating: 0, count: w * h * image.channels)
        image.bytes!.withUnsafeBufferPointer { s in
            out.withUnsafeMutableBufferPointer { d in
                WarpAffine.forEachSample(g, grid, subpixel: true) { o, sx, sy, fx, fy in
                    WarpAffine.bilinearBorder8(s, d.baseAddress! + o, g, sx, sy, fx, fy, fill)
                }
            }
        }
        return out
    }

    func testWholePixelShiftsMatchGeneralWarp() {
        var state: UInt64 = 99
        for cn in 1...4 {
            for (w, h) in [(1, 1), (5, 3), (33, 17), (64, 9), (70, 40)] {
                let bytes = (0..<(w * h * cn)).map { _ -> UInt8 in
                    state = state &* 6364136223846793005 &+ 1442695040888963407
                    return UInt8(truncatingIfNeeded: state >> 56)
                }
                let image = Image(width: w, height: h, channels: cn, bytes: bytes)
                let fill: [UInt8] = [7, 200, 33, 90].prefix(cn).map { $0 }
                for (tx, ty) in [(0.0, 0.0), (20, 0), (-3, 2), (0, -20), (1, 1), (-70, 5), (5, 40), (0.5, 0), (2, 0.25)] {
                    for (ow, oh) in [(w, h), (w + 3, h + 1)] {
                        let m = AffineMatrix.translation(tx, ty)
                        for sy in [0.8, 1.37] {
                            let scaled = AffineMatrix(1, 0, tx, 0, sy, ty + 0.3)
                            let r = WarpAffine.apply(image, matrix: scaled, width: ow, height: oh, order: .linear,
                                                     mode: .constant, cval: fill.map { Int($0) })
                            XCTAssertEqual(r.bytes!, general(image, scaled, ow, oh, fill), "\(w)x\(h)x\(cn) scale y \(sy)")
                        }
                        let fast = WarpAffine.apply(image, matrix: m, width: ow, height: oh, order: .linear,
                                                    mode: .constant, cval: fill.map { Int($0) })
                        XCTAssertEqual(fast.bytes!, general(image, m, ow, oh, fill), "\(w)x\(h)x\(cn) shift \(tx),\(ty) -> \(ow)x\(oh)")
                    }
                }
            }
        }
    }
}
