import XCTest
import MedAugImage
@testable import MedAugAugment

/// The vector quarter turn of 1-byte pixels (`QuarterTurn.oneByte`) against
/// the scalar tiles it replaced, copied here so that later changes to the
/// library's generic tiles cannot move the reference with them. Sizes cover
/// the scalar fallback under 16 pixels a side, exact multiples of the 16-pixel
/// block, the overlapping edge blocks of every other remainder, and output
/// spans longer than `QuarterTurn.byteSpan`.
final class Rot90ByteTransposeTests: XCTestCase {
    /// The scalar tile loop as it was for 1-byte pixels (32-pixel tiles).
    static func scalarTurn(_ src: [UInt8], w: Int, h: Int, clockwise: Bool) -> [UInt8] {
        let ow = h, oh = w, tile = 32
        var out = [UInt8](repeating: 0, count: src.count)
        var oy0 = 0
        while oy0 < oh {
            let oy1 = min(oy0 + tile, oh)
            var ox0 = 0
            while ox0 < ow {
                let ox1 = min(ox0 + tile, ow)
                for oy in oy0..<oy1 {
                    var si = clockwise ? (h - 1 - ox0) * w + oy : ox0 * w + (w - 1 - oy)
                    let step = clockwise ? -w : w
                    for ox in ox0..<ox1 {
                        out[oy * ow + ox] = src[si]
                        si += step
                    }
                }
                ox0 = ox1
            }
            oy0 = oy1
        }
        return out
    }

    static func noise(_ n: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        return (0..<n).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
    }

    /// The kernel alone, writing into a buffer pre-filled with a value the
    /// noise may not cover everywhere, so that an unwritten byte shows.
    static func vectorTurn(_ src: [UInt8], w: Int, h: Int, clockwise: Bool, fill: UInt8) -> [UInt8] {
        var out = [UInt8](repeating: fill, count: src.count)
        guard !src.isEmpty else { return out }
        src.withUnsafeBytes { s in
            out.withUnsafeMutableBytes { d in
                QuarterTurn.oneByte(s.baseAddress!, d.baseAddress!, w, h, clockwise)
            }
        }
        return out
    }

    static let sides = [1, 2, 7, 15, 16, 17, 31, 32, 33, 40, 47, 48, 49, 64, 65, 100]

    func testEverySizeBothDirectionsMatchesTheScalarTiles() {
        var seed: UInt64 = 1
        for w in Self.sides {
            for h in Self.sides {
                seed += 1
                let src = Self.noise(w * h, seed: seed)
                for clockwise in [true, false] {
                    let want = Self.scalarTurn(src, w: w, h: h, clockwise: clockwise)
                    for fill: UInt8 in [0, 255] {
                        XCTAssertEqual(Self.vectorTurn(src, w: w, h: h, clockwise: clockwise, fill: fill), want,
                                       "\(w)x\(h) clockwise=\(clockwise) fill=\(fill)")
                    }
                }
            }
        }
    }

    func testLargeAndSpanCrossingSizes() {
        // 224 and 500x375 are the benchmark sizes; the others cross the
        // 512-pixel output span with and without a remainder.
        let span = QuarterTurn.byteSpan
        let sizes = [(224, 224), (500, 375), (375, 500), (16, span + 1), (37, 2 * span + 9), (span + 3, 19),
                     (1025, 1030), (1, 700), (700, 1)]
        for (i, (w, h)) in sizes.enumerated() {
            let src = Self.noise(w * h, seed: 1000 + UInt64(i))
            for clockwise in [true, false] {
                XCTAssertEqual(Self.vectorTurn(src, w: w, h: h, clockwise: clockwise, fill: 0),
                               Self.scalarTurn(src, w: w, h: h, clockwise: clockwise), "\(w)x\(h) clockwise=\(clockwise)")
            }
        }
    }

    /// Through the public kernel: k = 1 and 3 take the vector path, k = 2 the
    /// mirrored rows, and all equal the scalar turns (k = 2 as two of them).
    func testRot90KernelOnGrayImages() {
        for (i, (w, h)) in [(1, 1), (1, 33), (33, 1), (16, 16), (17, 45), (224, 224), (500, 375)].enumerated() {
            let src = Self.noise(w * h, seed: 5000 + UInt64(i))
            let image = Image(width: w, height: h, channels: 1, bytes: src)
            let cw = Self.scalarTurn(src, w: w, h: h, clockwise: true)
            let ccw = Self.scalarTurn(src, w: w, h: h, clockwise: false)
            XCTAssertEqual(Rot90Kernel.rotate(image, k: 1).bytes!, cw, "\(w)x\(h) k=1")
            XCTAssertEqual(Rot90Kernel.rotate(image, k: 3).bytes!, ccw, "\(w)x\(h) k=3")
            XCTAssertEqual(Rot90Kernel.rotate(image, k: -1).bytes!, ccw, "\(w)x\(h) k=-1")
            XCTAssertEqual(Rot90Kernel.rotate(image, k: 2).bytes!, Self.scalarTurn(cw, w: h, h: w, clockwise: true),
                           "\(w)x\(h) k=2")
            let turned = Rot90Kernel.rotate(image, k: 1)
            XCTAssertEqual([turned.width, turned.height], [h, w])
        }
    }

    /// A label map turned with its image stays aligned with it: every mask
    /// byte lands where the image pixel it was painted under lands.
    func testMaskFollowsImage() throws {
        let w = 45, h = 37
        let labels = Self.noise(w * h, seed: 77)
        var rgb = [UInt8](repeating: 0, count: w * h * 3)
        for p in 0..<(w * h) {
            rgb[3 * p] = labels[p]; rgb[3 * p + 1] = labels[p] &+ 1; rgb[3 * p + 2] = labels[p] &+ 2
        }
        for k in 1...3 {
            let image = Rot90Kernel.rotate(Image(width: w, height: h, channels: 3, bytes: rgb), k: k).bytes!
            let mask = Rot90Kernel.rotate(Image(width: w, height: h, channels: 1, bytes: labels), k: k).bytes!
            XCTAssertEqual(mask, stride(from: 0, to: image.count, by: 3).map { image[$0] }, "k=\(k)")
        }
    }
}
