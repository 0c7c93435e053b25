import XCTest
import MedAugImage
@testable import MedAugAugment

final class SegmentationSuperpixelsTests: XCTestCase {
    /// 60x60 RGB quadrants, each a checkerboard of two close colours (the
    /// 1-pixel texture keeps SLIC on the quadrants) whose channel means fall
    /// on .5, where half-to-even rounding shows.
    static func checkedQuadrants() -> Image {
        // Per quadrant and channel: (even square, odd square).
        let q: [[(UInt8, UInt8)]] = [
            [(11, 14), (100, 103), (50, 50)],   // means 12.5, 101.5, 50
            [(200, 200), (12, 15), (0, 1)],     // 200, 13.5, 0.5
            [(30, 30), (30, 30), (201, 204)],   // 30, 30, 202.5
            [(250, 253), (250, 250), (130, 130)], // 251.5, 250, 130
        ]
        var a = [UInt8](repeating: 0, count: 60 * 60 * 3)
        for y in 0..<60 {
            for x in 0..<60 {
                let quad = (y < 30 ? 0 : 2) + (x < 30 ? 0 : 1)
                for c in 0..<3 {
                    let pair = q[quad][c]
                    a[(y * 60 + x) * 3 + c] = (x + y) % 2 == 0 ? pair.0 : pair.1
                }
            }
        }
        return Image(width: 60, height: 60, channels: 3, bytes: a)
    }

    func run(_ aug: Superpixels, _ img: Image, seed: UInt64 = 1, trace: Bool = false) throws -> (Image, AugmentContext) {
        var ctx = AugmentContext(seed: seed, identity: "img", recordTrace: trace)
        let out = try aug.augment(img, &ctx)
        return (out, ctx)
    }

    func testEverySegmentPaintedWithItsOwnMeanRoundedHalfToEven() throws {
        let img = Self.checkedQuadrants()
        let seg = SLIC(nSegments: 4).segment(img)
        XCTAssertEqual(seg.count, 4)
        let (out, _) = try run(Superpixels(pReplace: .constant(1), nSegments: .constant(4), maxSize: nil), img)
        // Hand-computed: 12.5 -> 12, 101.5 -> 102, 0.5 -> 0, 13.5 -> 14, 202.5 -> 202, 251.5 -> 252.
        let expected: [[UInt8]] = [[12, 102, 50], [200, 14, 0], [30, 30, 202], [252, 250, 130]]
        let px = out.bytes!
        for y in 0..<60 {
            for x in 0..<60 {
                let quad = (y < 30 ? 0 : 2) + (x < 30 ? 0 : 1)
                XCTAssertEqual(Array(px[(y * 60 + x) * 3..<(y * 60 + x) * 3 + 3]), expected[quad], "(\(x), \(y))")
            }
        }
        // imgaug 0.4.0 with skimage >= 0.19 would give segment k the mean of
        // segment k + 1 and leave the last one alone; here the top-left
        // quadrant keeps its own colour.
        XCTAssertEqual(Array(px[0..<3]), [12, 102, 50])
    }

    func testFullReplacementIsPiecewiseConstantSegmentMeans() throws {
        let img = SegTestImages.smooth(width: 90, height: 70)
        let (out, _) = try run(Superpixels(pReplace: .constant(1), nSegments: .constant(40), maxSize: nil), img)
        let seg = SLIC(nSegments: 40).segment(img)
        let means = seg.means(of: img)
        let px = out.bytes!
        for p in 0..<(90 * 70) {
            let k = Int(seg.labels[p])
            for c in 0..<3 {
                XCTAssertEqual(Double(px[p * 3 + c]), means[k * 3 + c].rounded(.toNearestOrEven), "pixel \(p)")
            }
        }
    }

    func testReplaceListIsIndexedModuloItsLength() {
        let img = SegTestImages.smooth(width: 80, height: 60)
        let seg = SLIC(nSegments: 30).segment(img)
        XCTAssertGreaterThan(seg.count, 4)
        let out = seg.replacingSegments(of: img, replace: [true, false, false])
        let means = seg.means(of: img)
        let a = img.bytes!, b = out.bytes!
        for p in 0..<(80 * 60) {
            let k = Int(seg.labels[p])
            for c in 0..<3 {
                let want = k % 3 == 0 ? UInt8(means[k * 3 + c].rounded(.toNearestOrEven)) : a[p * 3 + c]
                XCTAssertEqual(b[p * 3 + c], want)
            }
        }
    }

    func testNothingReplacedReturnsTheImageUntouched() throws {
        let img = SegTestImages.smooth(width: 300, height: 200)
        let (out, _) = try run(Superpixels(pReplace: .constant(0), nSegments: .range(50, 120), maxSize: 128), img)
        XCTAssertEqual(out, img)
        XCTAssertEqual(Superpixels.apply(img, nSegments: 10, replace: [false], maxSize: 64, interpolation: .linear), img)
    }

    func testDownscalePathKeepsSize() throws {
        let img = SegTestImages.smooth(width: 300, height: 200)
        let aug = Superpixels(pReplace: .constant(1), nSegments: .constant(50), maxSize: 64)
        let (out, _) = try run(aug, img)
        XCTAssertEqual([out.width, out.height, out.channels], [300, 200, 3])
        XCTAssertNotEqual(out, img)
        // The same as shrinking by hand to (int(200*64/300), 64), painting, and enlarging.
        let small = img.resized(width: 64, height: 42, interpolation: .linear)
        let painted = SLIC(nSegments: 50).segment(small).replacingSegments(of: small, replace: [true])
        XCTAssertEqual(out, painted.resized(width: 300, height: 200, interpolation: .linear))
        // Within max_size nothing is resized.
        let fits = SegTestImages.smooth(width: 64, height: 40)
        let direct = SLIC(nSegments: 50).segment(fits).replacingSegments(of: fits, replace: [true])
        XCTAssertEqual(try run(aug, fits).0, direct)
    }

    func testOtherInterpolationsKeepSize() throws {
        let img = SegTestImages.smooth(width: 150, height: 100)
        for interpolation in Interpolation.allCases {
            let aug = Superpixels(pReplace: .constant(1), nSegments: .constant(20), maxSize: 50, interpolation: interpolation)
            let (out, _) = try run(aug, img)
            XCTAssertEqual([out.width, out.height], [150, 100])
        }
    }

    func testShapesAndChannels() throws {
        let aug = Superpixels(pReplace: .constant(1), nSegments: .range(2, 20), maxSize: 16)
        for (w, h) in [(1, 1), (1, 40), (40, 1), (500, 2), (2, 500), (17, 23)] {
            for c in [1, 2, 3, 4] {
                let img = SegTestImages.smooth(width: w, height: h, channels: c)
                let (out, _) = try run(aug, img)
                XCTAssertEqual([out.width, out.height, out.channels], [w, h, c])
            }
        }
        // A 1x1 image is its own mean.
        let dot = Image(width: 1, height: 1, channels: 3, bytes: [9, 8, 7])
        XCTAssertEqual(try run(aug, dot).0, dot)
        // Empty images pass through.
        let empty = Image(width: 0, height: 5, channels: 3, bytes: [])
        XCTAssertEqual(try run(aug, empty).0, empty)
    }

    func testGrayAndRGBAArePaintedPerChannel() throws {
        let aug = Superpixels(pReplace: .constant(1), nSegments: .constant(12), maxSize: nil)
        for c in [1, 4] {
            let img = SegTestImages.smooth(width: 48, height: 36, channels: c)
            let (out, _) = try run(aug, img)
            let seg = SLIC(nSegments: 12).segment(img)
            XCTAssertEqual(out, seg.replacingSegments(of: img, replace: [true]))
            // Alpha is a feature and is painted too, as in imgaug.
            if c == 4 { XCTAssertNotEqual(out.bytes!.enumerated().filter { $0.offset % 4 == 3 }.map(\.element),
                                          img.bytes!.enumerated().filter { $0.offset % 4 == 3 }.map(\.element)) }
        }
    }

    func testSixteenBit() throws {
        let img = SegTestImages.smooth(width: 80, height: 60).to16Bit()
        let aug = Superpixels(pReplace: .constant(1), nSegments: .constant(20), maxSize: 40)
        let (out, _) = try run(aug, img)
        XCTAssertEqual(out.bitDepth, 16)
        XCTAssertEqual([out.width, out.height], [80, 60])
        let unscaled = SegTestImages.smooth(width: 80, height: 60).to16Bit()
        let seg = SLIC(nSegments: 20).segment(unscaled)
        // Without resizing, the painted values are 16-bit means.
        let (flat, _) = try run(Superpixels(pReplace: .constant(1), nSegments: .constant(20), maxSize: nil), unscaled)
        let means = seg.means(of: unscaled)
        XCTAssertEqual(flat.samples16![0], UInt16(means[Int(seg.labels[0]) * 3].rounded(.toNearestOrEven)))
    }

    func testSamplingIsDeterministicAndTraced() throws {
        let img = SegTestImages.smooth(width: 60, height: 40)
        let aug = Superpixels()
        let (a, ctx) = try run(aug, img, seed: 42, trace: true)
        let (b, _) = try run(aug, img, seed: 42)
        XCTAssertEqual(a, b)
        let step = try XCTUnwrap(ctx.trace?.first)
        XCTAssertEqual(step.augmenter, "Superpixels")
        XCTAssertEqual(step.values.map(\.0), ["n_segments", "p_replace", "replaced"])
        let n = Int(step.values[0].1)!
        XCTAssertTrue((50...120).contains(n))
        let p = Double(step.values[1].1)!
        XCTAssertTrue(p >= 0.5 && p < 1)
        // Different seeds, different draws (at some seed).
        let draws = Set((0..<6).map { seed -> String in
            var c = AugmentContext(seed: UInt64(seed), identity: "img", recordTrace: true)
            _ = try? aug.augment(img, &c)
            return c.trace!.first!.values[0].1
        })
        XCTAssertGreaterThan(draws.count, 1)
    }

    func testNSegmentsBelowOneIsClippedToOne() throws {
        let img = SegTestImages.smooth(width: 30, height: 20)
        let aug = Superpixels(pReplace: .constant(1), nSegments: .constant(0), maxSize: nil)
        let (out, _) = try run(aug, img)
        // One segment: the whole image becomes its mean colour.
        let px = out.bytes!
        XCTAssertTrue((0..<(30 * 20)).allSatisfy { px[$0 * 3] == px[0] && px[$0 * 3 + 1] == px[1] && px[$0 * 3 + 2] == px[2] })
    }
}
