@testable import MedAugImage
import XCTest

/// The specialised INTER_NEAREST resize gives the same samples as the plain
/// per-channel loop it replaced (kept below as the reference), for every
/// pixel size it specialises (1-4 channels at 8 and 16 bits, and 5 as the
/// fallback), tiny and odd sizes, and non-integer up- and downscales.
final class NearestResizeExactnessTests: XCTestCase {
    /// The implementation before the specialisation, verbatim.
    static func nearestReference<T: FixedWidthInteger>(_ src: [T], _ g: ResizeGeometry) -> [T] {
        let cn = g.cn, rowLen = g.sw * cn, width = g.dw * cn
        let fx = CVResize.nearestOffsets(src: g.sw, invScale: g.invScaleX)
        let fy = CVResize.nearestOffsets(src: g.sh, invScale: g.invScaleY)
        let xofs = (0..<g.dw).map { fx($0) * cn }
        var out = [T](repeating: 0, count: width * g.dh)
        src.withUnsafeBufferPointer { sb in
            out.withUnsafeMutableBufferPointer { db in
                xofs.withUnsafeBufferPointer { xo in
                    let s = sb.baseAddress!, d = db.baseAddress!
                    for y in 0..<g.dh {
                        let srow = s + fy(y) * rowLen
                        let o = d + y * width
                        for x in 0..<g.dw {
                            let p = srow + xo[x], q = o + x * cn
                            for k in 0..<cn { q[k] = p[k] }
                        }
                    }
                }
            }
        }
        return out
    }

    struct Samples {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 32
        }
    }

    static let sizes = [(1, 1), (1, 7), (7, 1), (2, 3), (5, 4), (7, 9), (17, 16), (31, 5), (64, 33), (101, 40)]
    static let targets = [1, 2, 3, 5, 8, 13, 19, 31, 64, 100, 203]

    func check<T: FixedWidthInteger>(_: T.Type, channels cn: Int, sw: Int, sh: Int, dw: Int, dh: Int, _ rng: inout Samples) {
        let src = (0..<(sw * sh * cn)).map { _ in T(truncatingIfNeeded: rng.next()) }
        let g = ResizeGeometry(sw: sw, sh: sh, dw: dw, dh: dh, cn: cn)
        XCTAssertEqual(CVResize.nearest(src, g), Self.nearestReference(src, g),
                       "\(T.self) \(sw)x\(sh) -> \(dw)x\(dh), \(cn) channels")
    }

    func testEightBitMatchesReference() {
        var rng = Samples()
        for cn in 1...5 {
            for (sw, sh) in Self.sizes {
                for dw in Self.targets where dw <= 4 * sw + 40 {
                    for dh in [1, 3, 8, 19, sh * 3 / 2 + 1] {
                        check(UInt8.self, channels: cn, sw: sw, sh: sh, dw: dw, dh: dh, &rng)
                    }
                }
            }
        }
    }

    func testSixteenBitMatchesReference() {
        var rng = Samples()
        for cn in 1...5 {
            for (sw, sh) in Self.sizes {
                for dw in Self.targets where dw <= 4 * sw + 40 {
                    for dh in [1, 4, 19, sh * 2 / 3 + 1] {
                        check(UInt16.self, channels: cn, sw: sw, sh: sh, dw: dw, dh: dh, &rng)
                    }
                }
            }
        }
    }

    /// The benchmark's map sizes (to 256x256), and scales near 1 as in
    /// CropAndPad's resize back from a window a few pixels larger or smaller,
    /// where rows are copied as runs of contiguous source bytes.
    func testMapSizesAndNearUnitScalesMatchReference() {
        var rng = Samples()
        let shapes = [(224, 224, 256, 256), (500, 375, 256, 256), (243, 211, 224, 224), (517, 360, 500, 375),
                      (50, 40, 47, 43), (20, 9, 22, 9), (130, 5, 128, 6), (17, 3, 16, 3), (16, 2, 17, 2), (40, 4, 40, 5), (33, 3, 1, 3)]
        for cn in 1...4 {
            for (sw, sh, dw, dh) in shapes {
                check(UInt8.self, channels: cn, sw: sw, sh: sh, dw: dw, dh: dh, &rng)
                if sw * sh < 50_000 { check(UInt16.self, channels: cn, sw: sw, sh: sh, dw: dw, dh: dh, &rng) }
            }
        }
    }

    /// Through the public entry point, as the augmenters call it.
    func testImageResizedMatchesReference() {
        var rng = Samples()
        for cn in [1, 3] {
            let src = (0..<(37 * 23 * cn)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let image = Image(width: 37, height: 23, channels: cn, bytes: src)
            for (dw, dh) in [(36, 23), (37, 22), (74, 46), (15, 40), (1, 1)] {
                let g = ResizeGeometry(sw: 37, sh: 23, dw: dw, dh: dh, cn: cn)
                XCTAssertEqual(image.resized(width: dw, height: dh, interpolation: .nearest).pixels,
                               .u8(Self.nearestReference(src, g)), "\(dw)x\(dh), \(cn) channels")
            }
        }
    }
}
