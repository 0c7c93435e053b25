import Foundation
import XCTest
import MedAugImage
@testable import MedAugAugment

/// Affine (SPEC §4). Expected images were produced by imgaug 0.4.0 with
/// opencv 4.7 and scikit-image 0.20 on the same inputs.
final class GeometricAffineTests: XCTestCase {
    // 6 wide x 5 high, from numpy default_rng(11).
    let golden = Geo.gray([[34, 32, 204, 127, 151, 153], [182, 7, 124, 37, 102, 237], [140, 18, 138, 33, 193, 242],
                           [250, 159, 222, 94, 37, 130], [113, 169, 254, 70, 219, 35]])

    func run(_ aug: Affine, _ image: Image, seed: UInt64 = 1) throws -> Image {
        var ctx = Geo.context(seed)
        return try aug.augment(image, &ctx)
    }

    func testIdentityReturnsTheSameBytes() throws {
        let img = Geo.pattern(width: 9, height: 7, channels: 3)
        XCTAssertEqual(try run(Affine(scale: .shared(.constant(1))), img), img)
        XCTAssertEqual(try run(Affine(rotate: .constant(0), shear: .xOnly(0)), img), img)
        // Within imgaug's 1e-4 mean |A − I| the image is returned unwarped.
        XCTAssertEqual(try run(Affine(rotate: .constant(0.001)), img), img)
        XCTAssertNotEqual(try run(Affine(rotate: .constant(1)), img), img)
    }

    func testRotate90IsClockwise() throws {
        let img = Geo.gray([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
        for order in AffineOrder.allCases {
            let out = try run(Affine(rotate: .constant(90), order: .constant(order)), img)
            XCTAssertEqual(Geo.rows(out), [[7, 4, 1], [8, 5, 2], [9, 6, 3]], "order \(order)")
        }
        let ccw = try run(Affine(rotate: .constant(-90), order: .constant(.nearest)), img)
        XCTAssertEqual(Geo.rows(ccw), [[3, 6, 9], [2, 5, 8], [1, 4, 7]])
    }

    func testTranslatePxShiftsWithEachMode() throws {
        let row = Geo.gray([[10, 20, 30, 40, 50]])
        let expected: [(BorderMode, [UInt8], [UInt8])] = [
            (.constant, [7, 7, 10, 20, 30], [30, 40, 50, 7, 7]),
            (.edge, [10, 10, 10, 20, 30], [30, 40, 50, 50, 50]),
            (.reflect, [30, 20, 10, 20, 30], [30, 40, 50, 40, 30]),
            (.symmetric, [20, 10, 10, 20, 30], [30, 40, 50, 50, 40]),
            (.wrap, [40, 50, 10, 20, 30], [30, 40, 50, 10, 20]),
        ]
        for (mode, right, left) in expected {
            let r = Affine(translate: .px(.perAxis(x: .constant(2), y: .constant(0))), order: .constant(.nearest),
                           cval: .constant(7), mode: .constant(mode))
            let l = Affine(translate: .px(.perAxis(x: .constant(-2), y: .constant(0))), order: .constant(.linear),
                           cval: .constant(7), mode: .constant(mode))
            XCTAssertEqual(try run(r, row).bytes!, right, "\(mode) +2")
            XCTAssertEqual(try run(l, row).bytes!, left, "\(mode) -2")
        }
    }

    func testMatrixAgainstTheSpecFormula() {
        // Scale 2 about c = (4.5, 4.5): p' = 2(p − c) + c.
        let s = AffineMatrix.imgaug(width: 10, height: 10, scaleX: 2, scaleY: 2, translateX: 0, translateY: 0, rotate: 0, shearX: 0, shearY: 0)
        assertMatrix(s, [2, 0, -4.5, 0, 2, -4.5], accuracy: 1e-12)
        // x-shear 30°: x' = x − sin φ·y, y' = cos φ·y (about the centre).
        let c30 = cos(Double.pi / 6)
        let sx = AffineMatrix.imgaug(width: 10, height: 10, scaleX: 1, scaleY: 1, translateX: 0, translateY: 0, rotate: 0, shearX: 30, shearY: 0)
        assertMatrix(sx, [1, -0.5, 2.25, 0, c30, 4.5 - 4.5 * c30], accuracy: 1e-7)
        // y-shear 30°: y' = y + sin φ·x, x' = cos φ·x (π written as 3.141592, hence the looser bound).
        let sy = AffineMatrix.imgaug(width: 10, height: 10, scaleX: 1, scaleY: 1, translateX: 0, translateY: 0, rotate: 0, shearX: 0, shearY: 30)
        assertMatrix(sy, [c30, 0, 4.5 - 4.5 * c30, 0.5, 1, -2.25], accuracy: 1e-5)
        // Everything at once, against imgaug's own matrix (float32 samples).
        let all = AffineMatrix.imgaug(width: 6, height: 8, scaleX: 1.5, scaleY: 0.8, translateX: 2, translateY: -3, rotate: 25, shearX: 10, shearY: -15)
        assertMatrix(all, [1.4319010320410062, -0.45886117771087037, 2.526261541885531,
                           0.4427170685013175, 0.655321708999435, -2.9004186527513163], accuracy: 1e-12)
        // Hand composition L·Y of SPEC §4 for the same angles.
        let r = 25 * Double.pi / 180, px = 10 * Double.pi / 180, py = -15 * Double.pi / 180
        let l = [1.5 * cos(r), -0.8 * sin(r + px), 1.5 * sin(r), 0.8 * cos(r + px)]
        let y = [cos(py), 0, sin(py), 1]
        let a = [l[0] * y[0] + l[1] * y[2], l[0] * y[1] + l[1] * y[3], l[2] * y[0] + l[3] * y[2], l[2] * y[1] + l[3] * y[3]]
        assertMatrix(all, [a[0], a[1], 2.5 - a[0] * 2.5 - a[1] * 3.5 + 2, a[2], a[3], 3.5 - a[2] * 2.5 - a[3] * 3.5 - 3], accuracy: 1e-5)
    }

    func assertMatrix(_ m: AffineMatrix, _ v: [Double], accuracy: Double, file: StaticString = #filePath, line: UInt = #line) {
        let got = [m.a, m.b, m.c, m.d, m.e, m.f]
        for i in 0..<6 { XCTAssertEqual(got[i], v[i], accuracy: accuracy, "entry \(i) of \(m)", file: file, line: line) }
    }

    func testGoldenWarpsMatchImgaug() throws {
        let base = { (order: AffineOrder) in
            Affine(scale: .shared(.constant(1.2)), translate: .px(.perAxis(x: .constant(1), y: .constant(-1))),
                   rotate: .constant(30), order: .constant(order), mode: .constant(.reflect))
        }
        XCTAssertEqual(Geo.rows(try run(base(.nearest), golden)), [[250, 140, 18, 124, 124, 37], [250, 159, 159, 138, 33, 102],
                                                                 [113, 169, 222, 94, 94, 193], [159, 254, 254, 70, 37, 37],
                                                                 [18, 222, 94, 70, 219, 35]])
        XCTAssertEqual(Geo.rows(try run(base(.linear), golden)), [[179, 143, 17, 98, 86, 76], [185, 186, 140, 143, 47, 95],
                                                                [150, 176, 222, 146, 78, 178], [174, 203, 207, 83, 84, 101],
                                                                [92, 199, 137, 106, 191, 88]])
        XCTAssertEqual(Geo.rows(try run(base(.cubic), golden)), [[196, 153, 9, 88, 89, 69], [185, 185, 136, 150, 25, 74],
                                                               [132, 186, 247, 156, 60, 185], [177, 232, 216, 81, 66, 95],
                                                               [80, 204, 149, 98, 208, 65]])
        let shear = Affine(shear: .perAxis(x: .constant(20), y: .constant(-10)), cval: .constant(50))
        XCTAssertEqual(Geo.rows(try run(shear, golden)), [[49, 42, 66, 162, 134, 150], [79, 60, 93, 72, 87, 201],
                                                        [155, 19, 137, 39, 156, 189], [181, 165, 174, 84, 103, 66],
                                                        [158, 230, 111, 136, 65, 49]])
    }

    func testCvalPerChannelTruncatedAndRGBAUsesFirst() {
        let s = Affine.Sample(translateX: 1, cval: [10.9, 20, 30.5], order: .nearest)
        let rgba = Image(width: 2, height: 2, channels: 4, fill: 200)
        XCTAssertEqual(Array(Affine.apply(rgba, s, fitOutput: false).bytes!.prefix(8)), [10, 10, 10, 10, 200, 200, 200, 200])
        let rgb = Image(width: 2, height: 2, channels: 3, fill: 200)
        XCTAssertEqual(Array(Affine.apply(rgb, s, fitOutput: false).bytes!.prefix(6)), [10, 20, 30, 200, 200, 200])
        let gray = Image(width: 2, height: 2, channels: 1, fill: 200)
        XCTAssertEqual(Affine.apply(gray, s, fitOutput: false).bytes!, [10, 200, 10, 200])
        // Out-of-range cvals saturate like OpenCV's border value.
        let big = Affine.Sample(translateX: 1, cval: [300, -5, 0], order: .linear)
        XCTAssertEqual(Array(Affine.apply(rgb, big, fitOutput: false).bytes!.prefix(3)), [255, 0, 0])
    }

    func testFitOutputEnlargesToHoldTheImage() throws {
        let img = Geo.gray([[0, 1, 2, 3], [4, 5, 6, 7]])
        let out = try run(Affine(rotate: .constant(90), order: .constant(.nearest), fitOutput: true), img)
        XCTAssertEqual(Geo.rows(out), [[4, 0], [5, 1], [6, 2], [7, 3]])
        // A pure translation is cancelled by fit_output.
        let shifted = try run(Affine(translate: .px(.shared(.constant(3))), fitOutput: true), img)
        XCTAssertEqual(shifted, img)
    }

    func testSamplingForms() {
        var rng = AugmentRandom(seed: 3)
        let shared = Affine(shear: .shared(.range(-16, 16)))
        let perAxis = Affine(shear: .perAxis(x: .range(-16, 16), y: .range(-16, 16)))
        let xOnly = Affine(shear: .xOnly(12))
        var differ = false
        for _ in 0..<20 {
            let s = shared.sample(&rng)
            XCTAssertEqual(s.shearX, s.shearY)
            XCTAssert((-16..<16).contains(s.shearX))
            let p = perAxis.sample(&rng)
            if p.shearX != p.shearY { differ = true }
            let x = xOnly.sample(&rng)
            XCTAssertEqual(x.shearX, 12)
            XCTAssertEqual(x.shearY, 0)
        }
        XCTAssertTrue(differ)
        let scale = Affine(scale: .shared(.range(0.5, 1.5))).sample(&rng)
        XCTAssertEqual(scale.scaleX, scale.scaleY)
        let pct = Affine(translate: .percent(.shared(.range(-0.2, 0.2)))).sample(&rng)
        XCTAssertTrue(pct.translateIsPercent)
        XCTAssertEqual(pct.translateX, pct.translateY)
        let cval = Affine(rotate: .constant(5), cval: .range(0, 255)).sample(&rng).cval
        XCTAssertEqual(cval.count, 3)
        XCTAssertNotEqual(cval[0], cval[1])
    }

    func testDefaultsWhenNothingIsGiven() {
        let d = Affine()
        XCTAssertEqual(d.scale, .perAxis(x: .range(0.9, 1.1), y: .range(0.9, 1.1)))
        XCTAssertEqual(d.translate, .percent(.perAxis(x: .range(-0.1, 0.1), y: .range(-0.1, 0.1))))
        XCTAssertEqual(d.rotate, .range(-15, 15))
        XCTAssertEqual(d.shear, .perAxis(x: .range(-10, 10), y: .range(-10, 10)))
        XCTAssertEqual(d.order, .constant(.linear))
        XCTAssertEqual(d.mode, .constant(.constant))
        let r = Affine(rotate: .range(-5, 5))
        XCTAssertEqual(r.scale, .shared(.constant(1)))
        XCTAssertEqual(r.translate, .px(.shared(.constant(0))))
        XCTAssertEqual(r.shear, .xOnly(0))
    }

    func testTinyImagesAndTrace() throws {
        let one = Image(width: 1, height: 1, channels: 1, bytes: [99])
        XCTAssertEqual(try run(Affine(scale: .shared(.constant(1.7)), rotate: .constant(45)), one).bytes!, [99])
        XCTAssertEqual(try run(Affine(translate: .px(.shared(.constant(1))), cval: .constant(5)), one).bytes!, [5])
        var ctx = Geo.context()
        _ = try Affine(rotate: .constant(10), mode: .constant(.edge)).augment(one, &ctx)
        let step = try XCTUnwrap(ctx.trace?.last)
        XCTAssertEqual(step.augmenter, "Affine")
        XCTAssertTrue(step.description.contains("rotate=10"), step.description)
        XCTAssertTrue(step.description.contains("mode=edge"), step.description)
    }

    func testVectorBilinearMatchesThePerPixelPath() {
        // The 8-pixel vector path of the 8-bit bilinear warp against the
        // per-pixel path it stands in for: every channel count it covers,
        // every border mode, rotations, scales, shears and shifts that put
        // groups inside, outside and across the border, odd widths.
        compareWarps(seed: 3, trials: 400, maxChannels: 4, order: .linear,
                     fast: { WarpAffine.bilinear8($0, $1, $2, $3, $4) },
                     reference: { WarpAffine.bilinear8Pairs($0, $1, $2, $3, $4, 0) })
    }

    typealias Warp8 = (UnsafeBufferPointer<UInt8>, UnsafeMutableBufferPointer<UInt8>, AffineWarpGeometry,
                       AffineSampleGrid, [UInt8]) -> Void

    /// Random 8-bit warps (1...maxChannels channels, every border mode,
    /// rotations, scales, shears and shifts that put pixels inside, outside and
    /// across the border, odd sizes): `fast` must write exactly what `reference` writes.
    func compareWarps(seed: UInt64, trials: Int, maxChannels: Int, order: AffineOrder,
                      fast fastWarp: Warp8, reference: Warp8, line: UInt = #line) {
        var g = AugmentRandom(seed: seed)
        for trial in 0..<trials {
            let w = 1 + g.nextInt(below: 40), h = 1 + g.nextInt(below: 30), c = 1 + g.nextInt(below: maxChannels)
            let src = (0..<(w * h * c)).map { _ in UInt8(g.nextInt(below: 256)) }
            let angle = g.nextDouble() * 2 * Double.pi, scale = 0.4 + 1.8 * g.nextDouble()
            let shear = g.nextDouble() - 0.5
            let m = AffineMatrix(scale * cos(angle), -scale * sin(angle) + shear, g.nextDouble() * 20 - 10,
                                 scale * sin(angle), scale * cos(angle), g.nextDouble() * 20 - 10)
            let dw = 1 + g.nextInt(below: 45), dh = 1 + g.nextInt(below: 30)
            let mode = BorderMode.allCases[g.nextInt(below: BorderMode.allCases.count)]
            let fill = (0..<c).map { _ in UInt8(g.nextInt(below: 256)) }
            let grid = AffineSampleGrid(inverse: m.inverted, width: dw, order: order)
            let geometry = AffineWarpGeometry(sw: w, sh: h, cn: c, dw: dw, dh: dh, mode: mode)
            var fast = [UInt8](repeating: 0, count: dw * dh * c), plain = fast
            src.withUnsafeBufferPointer { s in
                fast.withUnsafeMutableBufferPointer { fastWarp(s, $0, geometry, grid, fill) }
                plain.withUnsafeMutableBufferPointer { reference(s, $0, geometry, grid, fill) }
            }
            XCTAssertEqual(fast, plain, "trial \(trial): \(w)x\(h)x\(c) -> \(dw)x\(dh), \(mode)", line: line)
        }
    }

    func testVectorBicubicMatchesThePerPixelPath() {
        // The SIMD 8-bit bicubic warp against the per-pixel path it stands in
        // for: 1 to 5 channels (5 falls back), every border mode, neighbourhoods
        // inside, outside and across the border (and row loads near the end of
        // the source), odd widths, 1xN images.
        compareWarps(seed: 7, trials: 500, maxChannels: 5, order: .cubic,
                     fast: { WarpAffine.bicubic8($0, $1, $2, $3, $4) },
                     reference: { WarpAffine.bicubic8PerPixel($0, $1, $2, $3, $4) })
    }

    func testBiasedBicubicTableHoldsTheFixedWeights() {
        let fixed = AffineBicubicTable.fixed, biased = AffineBicubicTable.fixedBiased
        XCTAssertEqual(biased.count, fixed.count)
        XCTAssertEqual(zip(biased, fixed).filter { Int32($0) - AffineBicubicTable.fixedBias != $1 }.count, 0)
        // Every position's weights sum to 2^15.
        XCTAssertEqual(Set(stride(from: 0, to: fixed.count, by: 16).map { fixed[$0..<($0 + 16)].reduce(0, +) }), [32768])
    }

    func testVectorNearestMatchesTheGenericPath() {
        // The 8-bit nearest warp (8 positions at a time, word copies) against the
        // generic per-pixel path: 1 to 5 channels (5 falls back), every border
        // mode, groups inside, outside and across the border, odd widths.
        compareWarps(seed: 5, trials: 400, maxChannels: 5, order: .nearest,
                     fast: { WarpAffine.nearest8($0, $1, $2, $3, $4) },
                     reference: { WarpAffine.nearest($0, $1, $2, $3, $4) })
    }

    func testAllShapesOrdersModesAndSixteenBit() throws {
        for (w, h, c) in Geo.edgeShapes {
            let img = Geo.pattern(width: w, height: h, channels: c)
            for order in AffineOrder.allCases {
                for mode in BorderMode.allCases {
                    for fit in [false, true] {
                        let aug = Affine(scale: .shared(.constant(1.3)), rotate: .constant(33), shear: .xOnly(7),
                                         order: .constant(order), cval: .constant(17), mode: .constant(mode), fitOutput: fit)
                        let out = try run(aug, img)
                        XCTAssertEqual(out.channels, c)
                        XCTAssertEqual(out.bytes!.count, out.width * out.height * c)
                        if !fit {
                            XCTAssertEqual(out.width, w)
                            XCTAssertEqual(out.height, h)
                        }
                    }
                }
            }
        }
        let s16 = Image(width: 3, height: 2, channels: 1, samples16: [1000, 2000, 3000, 4000, 5000, 65535])
        let out = try run(Affine(translate: .px(.perAxis(x: .constant(1), y: .constant(0))), order: .constant(.nearest), cval: .constant(9)), s16)
        XCTAssertEqual(out.samples16!, [9, 1000, 2000, 9, 4000, 5000])
        let lin = try run(Affine(rotate: .constant(20), order: .constant(.cubic), mode: .constant(.symmetric)), s16)
        XCTAssertEqual(lin.bitDepth, 16)
    }
}
