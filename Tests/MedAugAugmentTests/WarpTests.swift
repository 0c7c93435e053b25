import MedAugCore
import XCTest
import MedAugImage
@testable import MedAugAugment

/// PerspectiveTransform and ElasticTransformation: kernels against hand-computed
/// values, the samplers' distributions, and the identities.
final class WarpTests: XCTestCase {
    private func run(_ aug: any Augmenter, _ image: Image, seed: UInt64 = 7) throws -> Image {
        var ctx = AugmentContext(seed: seed, identity: "warp-test", recordTrace: true)
        return try aug.augment(image, &ctx)
    }

    // MARK: remap (ElasticKernel)

    func testRemapWholePixelShiftFillsWithCval() {
        // dx = -1: output x samples input x + 1; the last column is outside.
        let img = Geo.gray([[10, 20, 30, 40], [50, 60, 70, 80]])
        let dx = [Float](repeating: -1, count: 8), dy = [Float](repeating: 0, count: 8)
        for order in [0, 1, 3] {
            let out = ElasticKernel.remap(img, dx: dx, dy: dy, order: order, mode: .constant, cval: 5)
            XCTAssertEqual(Geo.rows(out)[0].prefix(3), [20, 30, 40], "order \(order)")
            XCTAssertEqual(Geo.rows(out)[1].prefix(3), [60, 70, 80], "order \(order)")
        }
        let lin = ElasticKernel.remap(img, dx: dx, dy: dy, order: 1, mode: .constant, cval: 5)
        XCTAssertEqual(Geo.rows(lin)[0][3], 5)
        let edge = ElasticKernel.remap(img, dx: dx, dy: dy, order: 1, mode: .edge, cval: 5)
        XCTAssertEqual(Geo.rows(edge)[0][3], 40)
        let wrap = ElasticKernel.remap(img, dx: dx, dy: dy, order: 0, mode: .wrap, cval: 5)
        XCTAssertEqual(Geo.rows(wrap)[0][3], 10)
        let reflect = ElasticKernel.remap(img, dx: dx, dy: dy, order: 0, mode: .reflect, cval: 5)
        XCTAssertEqual(Geo.rows(reflect)[0][3], 30)
    }

    func testRemapHalfPixelLinearAndNearestRounding() {
        let img = Geo.gray([[10, 21, 30, 40]])
        let dx = [Float](repeating: -0.5, count: 4), dy = [Float](repeating: 0, count: 4)
        // Linear: (a·16 + b·16)·32 / 2^10, rounded half up: (10+21)/2 = 15.5 -> 16.
        let lin = ElasticKernel.remap(img, dx: dx, dy: dy, order: 1, mode: .edge, cval: 0)
        XCTAssertEqual(Geo.rows(lin)[0], [16, 26, 35, 40])
        // Nearest: x + 0.5 rounds half to even: 0.5->0, 1.5->2, 2.5->2, 3.5->4 (edge: 3).
        let nn = ElasticKernel.remap(img, dx: dx, dy: dy, order: 0, mode: .edge, cval: 0)
        XCTAssertEqual(Geo.rows(nn)[0], [10, 30, 30, 40])
    }

    func testRemapConstantFillLeavesFourthChannelZero() {
        let img = Image(width: 1, height: 1, channels: 4, bytes: [1, 2, 3, 4])
        let out = ElasticKernel.remap(img, dx: [-5], dy: [0], order: 3, mode: .constant, cval: 77)
        XCTAssertEqual(out.bytes!, [77, 77, 77, 0])
    }

    func testRemap16BitAndOrdersTwoToFiveAreCubic() {
        let img = Image(width: 3, height: 1, channels: 1, samples16: [1000, 2000, 60000])
        let dx = [Float](repeating: 0, count: 3), dy = dx
        XCTAssertEqual(ElasticKernel.remap(img, dx: dx, dy: dy, order: 3, mode: .reflect, cval: 0), img)
        let half = ElasticKernel.remap(img, dx: [Float](repeating: -0.5, count: 3), dy: dy, order: 1, mode: .edge, cval: 0)
        XCTAssertEqual(half.pixels, .u16([1500, 31000, 60000]))
        for o in [2, 4, 5] { XCTAssertEqual(ElasticKernel.interpolation(order: o), .cubic) }
        XCTAssertEqual(ElasticKernel.interpolation(order: 0), .nearest)
        XCTAssertEqual(ElasticKernel.interpolation(order: 1), .linear)
    }

    // MARK: shift maps

    func testShiftMapsOfAConstantFieldAreAlphaTimesIt() {
        let w = 5, h = 4, pad = ElasticKernel.padding(sigma: 2)
        XCTAssertEqual(pad, 7)  // 3.3·2 = 6.6 -> 6 -> odd 7
        let n = (h + 2 * pad) * (w + 2 * pad)
        let raw = [Float](repeating: 0.5, count: n) + [Float](repeating: -0.25, count: n)
        let (dx, dy) = ElasticKernel.shiftMaps(raw: raw, width: w, height: h, alpha: 10, sigma: 2, pad: pad)
        XCTAssertEqual(dx.count, w * h)
        for v in dx { XCTAssertEqual(v, 5, accuracy: 1e-4) }
        for v in dy { XCTAssertEqual(v, -2.5, accuracy: 1e-4) }
    }

    func testShiftMapsSmoothAnImpulseSymmetrically() {
        // One impulse at the centre of a 21x21 padded field: the blurred field is
        // the outer product of OpenCV's Gaussian weights.
        let pad = 8, w = 5, h = 5, side = w + 2 * pad
        var raw = [Float](repeating: 0, count: 2 * side * side)
        raw[10 * side + 10] = 1
        let k = GaussianBlurKernel.kernelSize(sigma: 1.5)
        let wts = GaussianBlurKernel.weights(size: k, sigma: 1.5)
        let (dx, dy) = ElasticKernel.shiftMaps(raw: raw, width: w, height: h, alpha: 1, sigma: 1.5, pad: pad)
        // dx(2, 2) is the field's (10, 10): the centre weight squared.
        XCTAssertEqual(Double(dx[2 * w + 2]), wts[k / 2] * wts[k / 2], accuracy: 1e-6)
        XCTAssertEqual(Double(dx[2 * w + 3]), wts[k / 2] * wts[k / 2 + 1], accuracy: 1e-6)
        XCTAssertEqual(dx[2 * w + 1], dx[2 * w + 3])
        XCTAssertTrue(dy.allSatisfy { $0 == 0 })
    }

    // MARK: perspective geometry

    func testCornersAndOrderPoints() {
        let c = PerspectiveKernel.corners(jitter: [0.1, -0.2, 0.05, 0.1, 1.25, 0, 0, -0.5], width: 100, height: 50)
        XCTAssertEqual(c[0].x, 10, accuracy: 1e-4); XCTAssertEqual(c[0].y, 10, accuracy: 1e-4)
        XCTAssertEqual(c[1].x, 95, accuracy: 1e-4); XCTAssertEqual(c[1].y, 5, accuracy: 1e-4)
        XCTAssertEqual(c[2].x, 75, accuracy: 1e-4); XCTAssertEqual(c[2].y, 50, accuracy: 1e-4)
        XCTAssertEqual(c[3].x, 0, accuracy: 1e-4); XCTAssertEqual(c[3].y, 25, accuracy: 1e-4)
        let shuffled = [c[2], c[0], c[3], c[1]]
        let o = PerspectiveKernel.orderPoints(shuffled)
        XCTAssertEqual(o.map(\.x), c.map(\.x))
        XCTAssertEqual(o.map(\.y), c.map(\.y))
    }

    func testGetPerspectiveTransformOfAScaleAndItsInverse() {
        let m = PerspectiveKernel.perspectiveTransform(from: [(0, 0), (2, 0), (2, 2), (0, 2)],
                                                       to: [(1, 0), (5, 0), (5, 4), (1, 4)])
        let expected: [Double] = [2, 0, 1, 0, 2, 0, 0, 0, 1]
        for (a, b) in zip(m.m, expected) { XCTAssertEqual(a, b, accuracy: 1e-12) }
        let inv = m.inverted
        let p = inv.apply(5, 4)
        XCTAssertEqual(p.x, 2, accuracy: 1e-12); XCTAssertEqual(p.y, 2, accuracy: 1e-12)
        // A true projective map sends the corners where asked.
        let src: [(x: Float, y: Float)] = [(3, 2), (40, 5), (38, 30), (1, 28)]
        let dst: [(x: Float, y: Float)] = [(0, 0), (37, 0), (37, 26), (0, 26)]
        let q = PerspectiveKernel.perspectiveTransform(from: src, to: dst)
        for (s, d) in zip(src, dst) {
            let r = q.apply(Double(s.x), Double(s.y))
            XCTAssertEqual(r.x, Double(d.x), accuracy: 1e-9); XCTAssertEqual(r.y, Double(d.y), accuracy: 1e-9)
        }
    }

    func testTransformSizesAndMinimumSize() {
        let zero = PerspectiveKernel.corners(jitter: [Double](repeating: 0, count: 8), width: 30, height: 20)
        let t = PerspectiveKernel.transform(corners: zero, width: 30, height: 20, fitOutput: false)
        XCTAssertEqual(t.width, 30); XCTAssertEqual(t.height, 20)
        for (a, b) in zip(t.matrix.m, PerspectiveMatrix.identity.m) { XCTAssertEqual(a, b, accuracy: 1e-12) }
        // All corners at 0.5 of the side: a point, pushed apart to the minimum 2x2.
        let point = PerspectiveKernel.corners(jitter: [Double](repeating: 0.5, count: 8), width: 30, height: 20)
        let p = PerspectiveKernel.transform(corners: point, width: 30, height: 20, fitOutput: false)
        XCTAssertGreaterThanOrEqual(p.width, 2); XCTAssertGreaterThanOrEqual(p.height, 2)
        // fit_output of the identity keeps the size.
        let f = PerspectiveKernel.transform(corners: zero, width: 30, height: 20, fitOutput: true)
        XCTAssertEqual(f.width, 30); XCTAssertEqual(f.height, 20)
    }

    func testWarpTranslationAndFill() {
        let img = Geo.gray([[10, 20, 30], [40, 50, 60]])
        let shift = PerspectiveMatrix([1, 0, 1, 0, 1, 0, 0, 0, 1])  // forward: x + 1
        let out = PerspectiveKernel.warp(img, matrix: shift, width: 3, height: 2, mode: .constant, cval: [9])
        XCTAssertEqual(Geo.rows(out), [[9, 10, 20], [9, 40, 50]])
        let rep = PerspectiveKernel.warp(img, matrix: shift, width: 3, height: 2, mode: .edge, cval: [9])
        XCTAssertEqual(Geo.rows(rep), [[10, 10, 20], [40, 40, 50]])
        let half = PerspectiveMatrix([1, 0, 0.5, 0, 1, 0, 0, 0, 1])
        XCTAssertEqual(Geo.rows(PerspectiveKernel.warp(img, matrix: half, width: 3, height: 2, mode: .edge, cval: [0])),
                       [[10, 15, 25], [40, 45, 55]])
    }

    // MARK: augmenters

    func testIdentities() throws {
        for (w, h, c) in Geo.edgeShapes {
            let img = Geo.pattern(width: w, height: h, channels: c)
            let p = try run(PerspectiveTransform(scale: .constant(0)), img)
            if w >= 2 && h >= 2 {
                XCTAssertEqual(p, img, "\(w)x\(h)x\(c)")
            } else {
                XCTAssertEqual([p.width, p.height, p.channels], [w, h, c])
            }
            XCTAssertEqual(try run(ElasticTransformation(alpha: .constant(0)), img), img, "\(w)x\(h)x\(c)")
        }
        // A side below imgaug's minimum of 2 is widened to 2 (corners pushed 0.5 px
        // outside, filled with cval) and resized back: imgaug 0.4.0 gives these values.
        XCTAssertEqual(try run(PerspectiveTransform(scale: .constant(0)), Geo.gray([[10]])).bytes!, [3])
        XCTAssertEqual(try run(PerspectiveTransform(scale: .constant(0)), Geo.gray([[10, 236]])).bytes!, [5, 118])
        XCTAssertEqual(try run(PerspectiveTransform(scale: .constant(0)),
                               Image(width: 1, height: 1, channels: 3, bytes: [10, 236, 126])).bytes!, [3, 59, 32])
        let img16 = Image(width: 6, height: 5, channels: 3, samples16: (0..<90).map { UInt16($0 * 700) })
        XCTAssertEqual(try run(PerspectiveTransform(scale: .constant(0)), img16), img16)
        XCTAssertEqual(try run(ElasticTransformation(alpha: .constant(0)), img16), img16)
    }

    func testDefaultsChangeImagesAndKeepTheSize() throws {
        let img = Geo.pattern(width: 40, height: 30, channels: 3)
        let p = try run(PerspectiveTransform(scale: .constant(0.1)), img)
        XCTAssertEqual(p.width, 40); XCTAssertEqual(p.height, 30)
        XCTAssertNotEqual(p, img)
        let e = try run(ElasticTransformation(alpha: .constant(30), sigma: .constant(3)), img)
        XCTAssertEqual(e.width, 40); XCTAssertEqual(e.height, 30)
        XCTAssertNotEqual(e, img)
        let shrunk = try run(PerspectiveTransform(scale: .constant(0.15), keepSize: false), img)
        XCTAssertLessThanOrEqual(shrunk.width, 40); XCTAssertLessThanOrEqual(shrunk.height, 30)
    }

    func testPerspectiveJitterIsNormalWithTheDrawnScale() {
        let aug = PerspectiveTransform(scale: .constant(0.05))
        var rng = AugmentRandom(seed: 3, identity: "jitter")
        var values: [Double] = []
        for _ in 0..<2000 {
            let s = aug.sample(&rng)
            XCTAssertEqual(s.jitter.count, 8)
            XCTAssertEqual(s.cval, [0, 0, 0]); XCTAssertEqual(s.mode, .constant)
            values += s.jitter
        }
        let mean = values.reduce(0, +) / Double(values.count)
        let sd = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot()
        XCTAssertEqual(mean, 0, accuracy: 0.002)
        XCTAssertEqual(sd, 0.05, accuracy: 0.002)
    }

    func testElasticRecordsItsDrawsWithinRange() throws {
        let aug = ElasticTransformation(order: Discrete(.choice([0, 1, 3])), mode: .choice(ElasticMode.allCases))
        for seed in 0..<20 {
            var ctx = AugmentContext(seed: UInt64(seed), identity: "elastic", recordTrace: true)
            let out = try aug.augment(Geo.pattern(width: 12, height: 9, channels: 1), &ctx)
            XCTAssertEqual(out.width, 12); XCTAssertEqual(out.height, 9)
        }
        var rng = AugmentRandom(seed: 1, identity: "a")
        for _ in 0..<500 {
            let a = aug.alpha.sample(&rng), s = aug.sigma.sample(&rng)
            XCTAssertTrue((0..<40).contains(a)); XCTAssertTrue((4..<8).contains(s))
            XCTAssertTrue([0, 1, 3].contains(aug.order.sample(&rng)))
        }
    }

    func testPipelineFilesRead() throws {
        let seq = try Geo.parse("""
            - PerspectiveTransform: {scale: [0, 0.1], mode: replicate, keep_size: false, cval: [0, 255]}
            - ElasticTransformation: {alpha: 20, sigma: 3, order: ALL, mode: [constant, wrap]}
            """)
        XCTAssertEqual(seq.children.count, 2)
        XCTAssertThrowsError(try Geo.parse("- ElasticTransformation: {order: 6}"))
        XCTAssertThrowsError(try Geo.parse("- PerspectiveTransform: {mode: edge}"))
        XCTAssertThrowsError(try Geo.parse("- PerspectiveTransform: {scale: -1}"))
    }
}
