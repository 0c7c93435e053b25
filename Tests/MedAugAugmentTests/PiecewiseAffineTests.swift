import MedAugCore
import XCTest
import MedAugImage
@testable import MedAugAugment

/// PiecewiseAffine: the kernel with fixed jitter, scipy's map_coordinates
/// values for the spline orders, the sampler, and pipeline files.
final class PiecewiseAffineTests: XCTestCase {
    private let all: [BorderMode] = [.constant, .edge, .symmetric, .reflect, .wrap]

    /// A jitter that moves every point by (dy, dx) fractions of the side.
    private func uniform(rows: Int, cols: Int, dy: Float, dx: Float) -> [Float] {
        (0..<(rows * cols)).flatMap { _ in [dy, dx] }
    }

    // MARK: kernel

    func testNoPositiveJitterLeavesTheImageUnchanged() {
        let img = Geo.pattern(width: 11, height: 9, channels: 3)
        for order in 0...5 {
            for mode in all {
                let zero = PiecewiseAffineKernel.apply(img, rows: 3, cols: 4, jitter: [Float](repeating: 0, count: 24),
                                                       order: order, mode: mode, cval: 7)
                XCTAssertEqual(zero, img, "order \(order) \(mode)")
            }
        }
        // imgaug's np.any(jitter > 0): an all-negative jitter is skipped too.
        let negative = PiecewiseAffineKernel.apply(img, rows: 3, cols: 3, jitter: [Float](repeating: -0.1, count: 18),
                                                   order: 1, mode: .constant, cval: 0)
        XCTAssertEqual(negative, img)
        XCTAssertFalse(PiecewiseAffineKernel.moves(jitter: [0, -0.5, 0]))
        XCTAssertTrue(PiecewiseAffineKernel.moves(jitter: [0, -0.5, 1e-9]))
    }

    func testAnyWarpSqueezesTheLastRowAndColumnOfCells() {
        // As in imgaug: the grid reaches the side (linspace to H and W) but the
        // moved points are clipped to H - 1 and W - 1, so even a negligible
        // jitter squeezes the last cells by a pixel while the others stay put.
        let img = Geo.pattern(width: 13, height: 10, channels: 1)
        var j = [Float](repeating: 0, count: 2 * 9)
        j[0] = 1e-7
        for order in [0, 1, 3] {
            let out = PiecewiseAffineKernel.apply(img, rows: 3, cols: 3, jitter: j, order: order, mode: .edge, cval: 0)
            XCTAssertNotEqual(out, img, "order \(order)")
            let o = Geo.rows(out), i = Geo.rows(img)
            for y in 0..<5 { XCTAssertEqual(o[y].prefix(6), i[y].prefix(6), "order \(order) row \(y)") }
            // Output row 9 samples input row 5 + 4/5 · 4 = 8.2: nearest takes row 8.
            if order == 0 { XCTAssertEqual(o[9].prefix(6), i[8].prefix(6)) }
        }
    }

    func testGridIsLinspaceToTheSideAndDestinationsAreClipped() {
        XCTAssertEqual(PiecewiseAffineKernel.lines(count: 4, length: 10), [0, 10.0 / 3, 20.0 / 3, 10])
        let g = PiecewiseAffineKernel.grid(rows: 2, cols: 3, width: 8, height: 6)
        XCTAssertEqual(g.map(\.x), [0, 4, 8, 0, 4, 8])
        XCTAssertEqual(g.map(\.y), [0, 0, 0, 6, 6, 6])
        let d = PiecewiseAffineKernel.destination(grid: g, jitter: [0.5, 0.25, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0.125],
                                                  width: 8, height: 6)
        XCTAssertEqual(d[0], .init(x: 2, y: 3))
        XCTAssertEqual(d[1], .init(x: 4, y: 0))     // y clipped at 0
        XCTAssertEqual(d[2], .init(x: 7, y: 0))     // the last column clipped to width - 1
        XCTAssertEqual(d[5], .init(x: 7, y: 5))
        // absolute_scale: the jitter is in pixels.
        let a = PiecewiseAffineKernel.destination(grid: g, jitter: [1, 2] + [Float](repeating: 0, count: 10),
                                                  width: 8, height: 6, absoluteScale: true)
        XCTAssertEqual(a[0].x, 2, accuracy: 1e-6); XCTAssertEqual(a[0].y, 1, accuracy: 1e-6)
    }

    func testTrianglesCutEveryCellTopLeftToBottomRight() {
        let t = PiecewiseAffineKernel.triangles(rows: 2, cols: 3)
        XCTAssertEqual(t, [.init(0, 1, 4), .init(0, 4, 3), .init(1, 2, 5), .init(1, 5, 4)])
        XCTAssertEqual(PiecewiseAffineKernel.triangles(rows: 4, cols: 5).count, 2 * 3 * 4)
    }

    func testUniformShiftMovesTheInnerCellsByWholePixels() {
        // 16x16, 3x3 grid (lines 0, 8, 16): jitter x = 2/16 moves every point
        // 2 px right, so the top-left cell samples the input 2 px further right.
        let img = Geo.pattern(width: 16, height: 16, channels: 1)
        let j = uniform(rows: 3, cols: 3, dy: 0, dx: 0.125)
        let other = (0..<2).flatMap { r in (0..<2).flatMap { c -> [PiecewiseAffineKernel.Triangle] in
            let tl = r * 3 + c
            return [.init(tl, tl + 1, tl + 3), .init(tl + 1, tl + 4, tl + 3)]  // the other diagonal
        } }
        let src = Geo.rows(img)
        for order in [0, 1, 3] {
            for tris in [nil, other] {
                let out = Geo.rows(PiecewiseAffineKernel.apply(img, rows: 3, cols: 3, jitter: j, triangles: tris,
                                                               order: order, mode: .edge, cval: 0))
                for y in 0..<8 {
                    for x in 0..<8 where order < 3 || (x >= 1 && y >= 1) {
                        XCTAssertEqual(out[y][x], src[y][x + 2], "order \(order) x \(x) y \(y)")
                    }
                }
            }
        }
        // The same shift on a flat image changes nothing in any order.
        let flat = Image(width: 16, height: 16, channels: 1, fill: 90)
        for order in 0...5 {
            XCTAssertEqual(PiecewiseAffineKernel.apply(flat, rows: 3, cols: 3, jitter: j, order: order, mode: .constant,
                                                       cval: 0), flat, "order \(order)")
        }
    }

    func testOrderZeroKeepsOnlyInputValues() {
        let img = Geo.pattern(width: 30, height: 20, channels: 3)
        var rng = AugmentRandom(seed: 5, identity: "pw")
        let j = (0..<(2 * 16)).map { _ in Float(rng.gaussian(mean: 0, sd: 0.08)) }
        let values = Set(img.bytes!)
        for mode in all {
            let out = PiecewiseAffineKernel.apply(img, rows: 4, cols: 4, jitter: j, order: 0, mode: mode, cval: 0)
            XCTAssertNotEqual(out, img)
            XCTAssertTrue(Set(out.bytes!).isSubset(of: values), "\(mode)")
        }
    }

    func testSixteenBitAndRGBAMoveEveryChannel() {
        let w = 16, h = 16
        let samples = (0..<(w * h * 4)).map { UInt16(truncatingIfNeeded: ($0 * 7919) % 65536) }
        let img = Image(width: w, height: h, channels: 4, samples16: samples)
        let j = uniform(rows: 3, cols: 3, dy: 0.0625, dx: 0)   // 1 px down
        for order in [0, 1] {
            let out = PiecewiseAffineKernel.apply(img, rows: 3, cols: 3, jitter: j, order: order, mode: .constant, cval: 0)
            XCTAssertEqual(out.bitDepth, 16); XCTAssertEqual(out.channels, 4)
            guard case .u16(let o) = out.pixels else { return XCTFail("not 16-bit") }
            for y in 0..<7 {
                for x in 0..<7 {
                    for k in 0..<4 { XCTAssertEqual(o[(y * w + x) * 4 + k], samples[((y + 1) * w + x) * 4 + k]) }
                }
            }
        }
        // Spline overshoot is clipped to the input's range, as skimage's warp does.
        var rng = AugmentRandom(seed: 2, identity: "pw16")
        let jr = (0..<32).map { _ in Float(rng.gaussian(mean: 0, sd: 0.1)) }
        let cubic = PiecewiseAffineKernel.apply(img, rows: 4, cols: 4, jitter: jr, order: 3, mode: .reflect, cval: 0)
        guard case .u16(let c) = cubic.pixels else { return XCTFail("not 16-bit") }
        XCTAssertGreaterThanOrEqual(c.min()!, samples.min()!); XCTAssertLessThanOrEqual(c.max()!, samples.max()!)
    }

    // MARK: scipy's map_coordinates

    func testSplineValuesMatchScipy() {
        // scipy.ndimage.map_coordinates(a, [ys, xs], order=3, mode=..., cval=50), scipy 1.11.4.
        let a: [Double] = [10, 200, 30, 90, 5, 60, 0, 255, 120, 40, 7, 99, 180, 20, 250, 33, 77, 11, 140, 66]
        let ys = [0.0, 0.25, 1.5, 2.7, 3.0, 0.5, 2.2], xs = [0.0, 0.3, 2.5, 3.9, 4.0, 0.1, 1.75]
        let expected: [(BorderMode, Int, [Double])] = [
            (.constant, 3, [10.0, 63.031288444, 167.299212145, 134.48159606, 66.0, 40.536682153, 155.666797158]),
            (.edge, 3, [10.0, 63.771857805, 171.138886304, 127.876980482, 66.0, 43.530322074, 155.139748283]),
            (.reflect, 3, [10.0, 48.440748047, 171.267020089, 104.761875907, 66.0, 36.224729911, 150.364002232]),
            (.wrap, 3, [10.0, 70.27915696, 165.708806818, 139.839256932, 66.0, 45.106801136, 160.885170455]),
            (.constant, 2, [10.0, 57.65274856, 164.632718344, 126.418667735, 66.0, 39.826676501, 155.161999985]),
            (.edge, 4, [10.0, 65.204986215, 175.287528265, 129.362240443, 66.0, 44.37196553, 158.10041929]),
            (.constant, 5, [10.0, 66.76446272, 170.451787853, 138.564862927, 66.0, 41.664314365, 161.972313343]),
        ]
        for (mode, order, want) in expected {
            let got = SplineRemap.sample(plane: a, width: 5, height: 4, xs: xs, ys: ys, order: order, mode: mode, cval: 50)
            for (g, e) in zip(got, want) { XCTAssertEqual(g, e, accuracy: 1e-6, "order \(order) \(mode)") }
        }
        // Linear: constant mode blends with cval half a pixel out; NaN lies outside.
        let lin = SplineRemap.sample(plane: a, width: 5, height: 4, xs: [-0.5, .nan], ys: [0, 0], order: 1,
                                     mode: .constant, cval: 50)
        XCTAssertEqual(lin, [30, 50])
    }

    func testLowOrderPathAgreesWithThePerPlanePath() {
        // Positions inside, on and outside the border, for every mode.
        let w = 6, h = 5, cn = 3
        let src = (0..<(w * h * cn)).map { Double(($0 * 37) % 251) }
        let xs = [0, 0.5, 5, 5.25, -0.75, 7.5, -3.2, 2.49, 2.5, .nan], ys = [0, 4, 4.5, 1.5, -0.4, 2, 6.1, -2, 3.5, 1]
        for order in [0, 1] {
            for mode in all {
                let fast = SplineRemap.sampleLowOrder(src, channels: cn, width: w, height: h, xs: xs, ys: ys, order: order,
                                                      mode: mode, cval: 77)
                for k in 0..<cn {
                    let plane = (0..<(w * h)).map { src[$0 * cn + k] }
                    let slow = SplineRemap.sample(plane: plane, width: w, height: h, xs: xs, ys: ys, order: order,
                                                  mode: mode, cval: 77)
                    for i in 0..<xs.count { XCTAssertEqual(fast[i * cn + k], slow[i], "order \(order) \(mode) #\(i)") }
                }
            }
        }
    }

    func testBSplineWeightsSumToOne() {
        var w = [Double](repeating: 0, count: 6)
        for order in 0...5 {
            for cc in [0.0, 0.3, 0.5, 2.75, 9.999] {
                _ = SplineRemap.taps(cc, order: order, weights: &w)
                XCTAssertEqual(w.prefix(order + 1).reduce(0, +), 1, accuracy: 1e-12, "order \(order) at \(cc)")
            }
        }
    }

    // MARK: augmenter

    func testSamplerClipsTheGridAndDrawsTwoValuesPerPoint() {
        let aug = PiecewiseAffine(scale: .constant(0.05), nbRows: .constant(1), nbCols: .range(3, 5))
        var rng = AugmentRandom(seed: 3, identity: "pw-sample")
        var values: [Double] = []
        for _ in 0..<400 {
            let s = aug.sample(&rng)
            XCTAssertEqual(s.rows, 2)
            XCTAssertTrue((3...5).contains(s.cols))
            XCTAssertEqual(s.jitter.count, 2 * s.rows * s.cols)
            XCTAssertEqual(s.order, 1); XCTAssertEqual(s.mode, .constant); XCTAssertEqual(s.cval, 0)
            values += s.jitter.map(Double.init)
        }
        let mean = values.reduce(0, +) / Double(values.count)
        let sd = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot()
        XCTAssertEqual(mean, 0, accuracy: 0.003); XCTAssertEqual(sd, 0.05, accuracy: 0.003)
    }

    func testScaleZeroAndTinyImagesAreUnchanged() throws {
        for (w, h, c) in Geo.edgeShapes {
            let img = Geo.pattern(width: w, height: h, channels: c)
            var ctx = Geo.context()
            XCTAssertEqual(try PiecewiseAffine(scale: .constant(0)).augment(img, &ctx), img, "\(w)x\(h)x\(c)")
            var ctx2 = Geo.context()
            let out = try PiecewiseAffine(scale: .constant(0.1)).augment(img, &ctx2)
            XCTAssertEqual([out.width, out.height, out.channels], [w, h, c])
            if w <= 1 || h <= 1 { XCTAssertEqual(out, img) }
        }
        let img16 = Image(width: 6, height: 5, channels: 3, samples16: (0..<90).map { UInt16($0 * 700) })
        var ctx = Geo.context()
        XCTAssertEqual(try PiecewiseAffine(scale: .constant(0)).augment(img16, &ctx), img16)
    }

    func testDefaultsChangeImagesAndKeepTheSize() throws {
        let img = Geo.pattern(width: 40, height: 30, channels: 3)
        var changed = 0
        for seed in 0..<5 {
            var ctx = Geo.context(UInt64(seed))
            let out = try PiecewiseAffine(scale: .constant(0.05)).augment(img, &ctx)
            XCTAssertEqual(out.width, 40); XCTAssertEqual(out.height, 30)
            if out != img { changed += 1 }
        }
        XCTAssertEqual(changed, 5)
    }

    // MARK: pipeline files

    func testPipelineFilesRead() throws {
        let seq = try Geo.parse("""
            - PiecewiseAffine: {scale: [0.01, 0.05], nb_rows: 4, nb_cols: [2, 6], order: 3, mode: edge, cval: 10, absolute_scale: true}
            - PiecewiseAffine: {order: [0, 1], mode: ALL}
            - PiecewiseAffine: {order: ALL, mode: [constant, wrap], cval: ALL}
            - PiecewiseAffine: {}
            """)
        XCTAssertEqual(seq.children.count, 4)
        let a = try XCTUnwrap(seq.children[0] as? PiecewiseAffine)
        XCTAssertEqual(a.scale, .range(0.01, 0.05))
        XCTAssertEqual(a.nbRows, .constant(4)); XCTAssertEqual(a.nbCols, .range(2, 6))
        XCTAssertEqual(a.order, .constant(3)); XCTAssertEqual(a.mode, .constant(.edge))
        XCTAssertEqual(a.cval, .constant(10)); XCTAssertTrue(a.absoluteScale)
        let b = try XCTUnwrap(seq.children[1] as? PiecewiseAffine)
        XCTAssertEqual(b.order, .choice([0, 1])); XCTAssertEqual(b.mode.all, [.constant, .edge, .symmetric, .reflect, .wrap])
        XCTAssertEqual(try XCTUnwrap(seq.children[2] as? PiecewiseAffine).order, .choice([0, 1, 3, 4, 5]))
        XCTAssertEqual(try XCTUnwrap(seq.children[3] as? PiecewiseAffine), PiecewiseAffine())
        try Geo.assertRoundTrip("""
            - PiecewiseAffine: {scale: [0.01, 0.05], nb_rows: 4, order: {choice: [1, 3]}, mode: edge, absolute_scale: true}
            """)
    }

    func testBadValuesAreRefusedNamingTheKey() {
        Geo.assertPipelineError("- PiecewiseAffine: {scale: -0.1}", key: "scale")
        Geo.assertPipelineError("- PiecewiseAffine: {nb_rows: 1}", key: "nb_rows")
        Geo.assertPipelineError("- PiecewiseAffine: {nb_cols: 5000}", key: "nb_cols")
        Geo.assertPipelineError("- PiecewiseAffine: {nb_cols: 2.5}", key: "nb_cols")
        Geo.assertPipelineError("- PiecewiseAffine: {order: 6}", key: "order")
        Geo.assertPipelineError("- PiecewiseAffine: {order: 1.5}", key: "order")
        Geo.assertPipelineError("- PiecewiseAffine: {mode: nearest}", key: "mode")
        Geo.assertPipelineError("- PiecewiseAffine: {absolute_scale: 3}", key: "absolute_scale")
    }
}

extension PiecewiseAffine: Equatable {
    public static func == (a: PiecewiseAffine, b: PiecewiseAffine) -> Bool {
        a.scale == b.scale && a.nbRows == b.nbRows && a.nbCols == b.nbCols && a.order == b.order && a.cval == b.cval
            && a.mode == b.mode && a.absoluteScale == b.absoluteScale
    }
}
