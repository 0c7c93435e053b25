import XCTest
import MedAugCore
import MedAugImage
@testable import MedAugAugment

/// The table application (with its mask and flip forms), the one-pass
/// histograms and the 8-bit gray conversion against sample-by-sample code,
/// on sizes that leave partial vector blocks and on 1 to 5 channels.
final class LookupKernelTests: XCTestCase {
    func samples(_ count: Int, seed: UInt64) -> [UInt8] {
        var g = AugmentRandom(seed: seed)
        return (0..<count).map { _ in UInt8(truncatingIfNeeded: g.next()) }
    }

    func reference(_ src: [UInt8], _ tables: [[UInt8]]) -> [UInt8] {
        src.indices.map { tables[$0 % tables.count][Int(src[$0])] }
    }

    /// Tables of every kind the kernels recognise, and some they do not.
    func tables() -> [[UInt8]] {
        var out: [[UInt8]] = [(0..<256).map { UInt8($0) }]
        for b in 0...8 { out.append(PosterizeKernel.table(nbBits: b)) }
        for n in [2, 4, 7, 16, 64] { out.append(ColorQuantization.table(nColors: n)) }
        for t in [0.0, 1, 64, 128, 200, 255, 256] {
            out.append(InvertKernel.table(threshold: t, invertAbove: true))
            out.append(InvertKernel.table(threshold: t, invertAbove: false))
        }
        out.append(InvertKernel.table())
        out.append(InvertKernel.table(minValue: 10, maxValue: 200))
        out.append(ContrastCurve.gamma(1.5).table8)
        out.append((0..<256).map { UInt8(($0 * 7 + 3) & 255) })
        return out
    }

    func testApplyEqualsTheTablesOnEverySize() {
        let all = tables()
        for c in 1...5 {
            for pixels in [1, 2, 31, 32, 33, 97, 300 + 7] {
                let src = samples(pixels * c, seed: UInt64(c * 1000 + pixels))
                for (k, t) in all.enumerated() {
                    XCTAssertEqual(ByteKernels.apply(src, channels: c, tables: [t]), reference(src, [t]),
                                   "table \(k), \(c) channels, \(pixels) pixels")
                    // one channel changed, the others kept (Invert's per_channel)
                    let mixed = (0..<c).map { $0 == c / 2 ? t : all[0] }
                    XCTAssertEqual(ByteKernels.apply(src, channels: c, tables: mixed), reference(src, mixed),
                                   "table \(k) on one channel, \(c) channels, \(pixels) pixels")
                    let other = (0..<c).map { all[(k + $0 * 5) % all.count] }
                    XCTAssertEqual(ByteKernels.apply(src, channels: c, tables: other), reference(src, other),
                                   "tables from \(k), \(c) channels, \(pixels) pixels")
                }
            }
        }
    }

    /// Large images take the pair table; sizes not a multiple of 8 leave a tail.
    func testPairLookupEqualsTheTable() {
        let tables = [ContrastCurve.gamma(1.5).table8, ContrastCurve.sigmoid(gain: 10, cutoff: 0.5).table8,
                      (0..<256).map { UInt8(($0 * 7 + 3) & 255) }]
        for extra in [0, 1, 7, 13] {
            let src = samples(ByteKernels.pairThreshold + extra, seed: UInt64(extra))
            for (k, t) in tables.enumerated() {
                XCTAssertEqual(ByteKernels.lookup(src, tables: [t]), reference(src, [t]), "table \(k), tail \(extra)")
                XCTAssertEqual(ByteKernels.apply(src, channels: 3, tables: [t, t, t]), reference(src, [t]),
                               "table \(k) per channel, tail \(extra)")
            }
        }
    }

    func testFlipAndMaskFormsAreFound() {
        XCTAssertNotNil(ByteKernels.flipForm(InvertKernel.table()))
        XCTAssertNotNil(ByteKernels.flipForm(InvertKernel.table(threshold: 128, invertAbove: true)))
        XCTAssertNotNil(ByteKernels.flipForm(InvertKernel.table(threshold: 77, invertAbove: false)))
        XCTAssertNil(ByteKernels.flipForm(InvertKernel.table(minValue: 10, maxValue: 200)))
        for b in 1...8 { XCTAssertNotNil(ByteKernels.maskForm(PosterizeKernel.table(nbBits: b)), "bits \(b)") }
        XCTAssertNil(ByteKernels.maskForm(ContrastCurve.gamma(1.5).table8))
    }

    func testHistogramsCountEveryChannel() {
        for c in 1...5 {
            for pixels in [1, 2, 3, 5, 33, 1001] {
                let src = samples(pixels * c, seed: UInt64(c * 7 + pixels))
                var expected = [[Int]](repeating: [Int](repeating: 0, count: 256), count: c)
                for (i, v) in src.enumerated() { expected[i % c][Int(v)] += 1 }
                XCTAssertEqual(ByteKernels.histograms(src, channels: c), expected, "\(c) channels, \(pixels) pixels")
            }
        }
    }

    func testGray8EqualsTheLumaOfEveryPixel() {
        for c in [3, 4] {
            for pixels in [1, 7, 16, 17, 1001] {
                let src = samples(pixels * c, seed: UInt64(c * 31 + pixels))
                for bgr in [false, true] {
                    var expected = src
                    for p in 0..<pixels {
                        let i = p * c
                        let (r, b) = bgr ? (Int(src[i + 2]), Int(src[i])) : (Int(src[i]), Int(src[i + 2]))
                        let y = UInt8(GrayscaleKernel.luma(r: r, g: Int(src[i + 1]), b: b))
                        expected[i] = y; expected[i + 1] = y; expected[i + 2] = y
                    }
                    XCTAssertEqual(GrayscaleKernel.gray8(src, channels: c, bgr: bgr), expected,
                                   "\(c) channels, \(pixels) pixels, bgr \(bgr)")
                }
            }
        }
    }
}
