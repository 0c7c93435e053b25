import XCTest
import MedAugImage
@testable import MedAugAugment

/// CropAndPad (SPEC §5); expected values from imgaug 0.4.0.
final class GeometricCropAndPadTests: XCTestCase {
    func run(_ aug: CropAndPad, _ image: Image, seed: UInt64 = 1) throws -> Image {
        var ctx = Geo.context(seed)
        return try aug.augment(image, &ctx)
    }

    func px(_ t: Int, _ r: Int, _ b: Int, _ l: Int) -> CropAndPadAmount {
        .px(.sides(top: .constant(Double(t)), right: .constant(Double(r)), bottom: .constant(Double(b)), left: .constant(Double(l))))
    }

    func testEachPadModeOnATinyRow() throws {
        let row = Geo.gray([[10, 20, 30, 40]])
        let expected: [(PadMode, [UInt8], [UInt8])] = [
            (.constant, [7, 7, 10, 20, 30, 40, 7, 7], [7, 7, 7, 7, 7, 7, 10, 20, 30, 40, 7, 7, 7, 7, 7, 7]),
            (.edge, [10, 10, 10, 20, 30, 40, 40, 40], [10, 10, 10, 10, 10, 10, 10, 20, 30, 40, 40, 40, 40, 40, 40, 40]),
            (.linearRamp, [7, 8, 10, 20, 30, 40, 23, 7], [7, 7, 8, 8, 9, 9, 10, 20, 30, 40, 34, 29, 23, 18, 12, 7]),
            (.maximum, [40, 40, 10, 20, 30, 40, 40, 40], [40, 40, 40, 40, 40, 40, 10, 20, 30, 40, 40, 40, 40, 40, 40, 40]),
            (.mean, [25, 25, 10, 20, 30, 40, 25, 25], [25, 25, 25, 25, 25, 25, 10, 20, 30, 40, 25, 25, 25, 25, 25, 25]),
            (.median, [25, 25, 10, 20, 30, 40, 25, 25], [25, 25, 25, 25, 25, 25, 10, 20, 30, 40, 25, 25, 25, 25, 25, 25]),
            (.minimum, [10, 10, 10, 20, 30, 40, 10, 10], [10, 10, 10, 10, 10, 10, 10, 20, 30, 40, 10, 10, 10, 10, 10, 10]),
            // SPEC §1.8: reflect = cb|abcd|cb, symmetric = ba|abcd|dc, wrap = cd|abcd|ab; periodic beyond the image.
            (.reflect, [30, 20, 10, 20, 30, 40, 30, 20], [10, 20, 30, 40, 30, 20, 10, 20, 30, 40, 30, 20, 10, 20, 30, 40]),
            (.symmetric, [20, 10, 10, 20, 30, 40, 40, 30], [30, 40, 40, 30, 20, 10, 10, 20, 30, 40, 40, 30, 20, 10, 10, 20]),
            (.wrap, [30, 40, 10, 20, 30, 40, 10, 20], [30, 40, 10, 20, 30, 40, 10, 20, 30, 40, 10, 20, 30, 40, 10, 20]),
        ]
        XCTAssertEqual(expected.map(\.0), PadMode.allCases)
        for (mode, two, six) in expected {
            let a2 = CropAndPad(px(0, 2, 0, 2), padMode: .constant(mode), padCval: .constant(7), keepSize: false)
            let a6 = CropAndPad(px(0, 6, 0, 6), padMode: .constant(mode), padCval: .constant(7), keepSize: false)
            XCTAssertEqual(try run(a2, row).bytes!, two, "\(mode) by 2")
            XCTAssertEqual(try run(a6, row).bytes!, six, "\(mode) by 6")
        }
    }

    func testNumpyModesFillCornersFromPaddedRows() {
        let img = Geo.gray([[1, 2, 3], [4, 5, 9]])
        let expected: [(PadMode, [[UInt8]])] = [
            (.linearRamp, [[100, 100, 100, 100, 100, 100, 100, 100], [100, 75, 50, 51, 51, 67, 83, 100],
                           [100, 50, 1, 2, 3, 35, 67, 100], [100, 52, 4, 5, 9, 39, 69, 100], [100, 100, 100, 100, 100, 100, 100, 100]]),
            (.maximum, [[9, 9, 4, 5, 9, 9, 9, 9], [9, 9, 4, 5, 9, 9, 9, 9], [3, 3, 1, 2, 3, 3, 3, 3], [9, 9, 4, 5, 9, 9, 9, 9], [9, 9, 4, 5, 9, 9, 9, 9]]),
            (.mean, [[4, 4, 2, 4, 6, 4, 4, 4], [4, 4, 2, 4, 6, 4, 4, 4], [2, 2, 1, 2, 3, 2, 2, 2], [6, 6, 4, 5, 9, 6, 6, 6], [4, 4, 2, 4, 6, 4, 4, 4]]),
            (.median, [[4, 4, 2, 4, 6, 4, 4, 4], [4, 4, 2, 4, 6, 4, 4, 4], [2, 2, 1, 2, 3, 2, 2, 2], [5, 5, 4, 5, 9, 5, 5, 5], [4, 4, 2, 4, 6, 4, 4, 4]]),
            (.minimum, [[1, 1, 1, 2, 3, 1, 1, 1], [1, 1, 1, 2, 3, 1, 1, 1], [1, 1, 1, 2, 3, 1, 1, 1], [4, 4, 4, 5, 9, 4, 4, 4], [1, 1, 1, 2, 3, 1, 1, 1]]),
        ]
        for (mode, rows) in expected {
            let out = Padding.pad(img, top: 2, right: 3, bottom: 1, left: 2, mode: mode, cval: 100)
            XCTAssertEqual(Geo.rows(out), rows, "\(mode)")
        }
    }

    func testNumpyWrapIsNotPeriodicForLopsidedPads() {
        // np.pad([1, 2, 3], (8, 2), "wrap") == [1 2 3 1 2 1 2 3 1 2 3 1 2] in numpy 1.23.
        let row = Geo.gray([[1, 2, 3]])
        XCTAssertEqual(Padding.pad(row, top: 0, right: 2, bottom: 0, left: 8, mode: .wrap, cval: 0).bytes!, [1, 2, 3, 1, 2, 1, 2, 3, 1, 2, 3, 1, 2])
        XCTAssertEqual(Padding.pad(row, top: 0, right: 8, bottom: 0, left: 2, mode: .wrap, cval: 0).bytes!, [2, 3, 1, 2, 3, 1, 2, 3, 2, 3, 1, 2, 3])
    }

    func testCropAmounts() throws {
        let img = Geo.gray((0..<4).map { r in (0..<4).map { UInt8((r * 4 + $0) * 10) } })
        XCTAssertEqual(Geo.rows(try run(CropAndPad(px(-1, 0, -2, -1), keepSize: false), img)), [[50, 60, 70]])
        let mixed = try run(CropAndPad(px(1, -2, 0, 0), padCval: .constant(255), keepSize: false), img)
        XCTAssertEqual(Geo.rows(mixed), [[255, 255], [0, 10], [40, 50], [80, 90], [120, 130]])
    }

    func testZeroSizeGuard() throws {
        // SPEC §5 [verified]: px = −3 on 4x4 leaves 1x1: the top regains 2 of 3, the right 2 of 3.
        let img = Geo.gray((0..<4).map { r in (0..<4).map { UInt8((r * 4 + $0) * 10) } })
        let out = try run(CropAndPad(.px(.all(.constant(-3))), keepSize: false), img)
        XCTAssertEqual(Geo.rows(out), [[60]])
        let g = CropAndPad.preventZeroSize(height: 4, width: 4, top: 3, right: 3, bottom: 3, left: 3)
        XCTAssertEqual([g.top, g.right, g.bottom, g.left], [1, 1, 2, 2])
        // A side cannot give back more than it cropped; the rest comes from the other side.
        let h = CropAndPad.preventZeroSize(height: 3, width: 5, top: 0, right: 0, bottom: 5, left: 0)
        XCTAssertEqual([h.top, h.right, h.bottom, h.left], [0, 0, 2, 0])
        for (w, hh, c) in Geo.edgeShapes {
            let o = try run(CropAndPad(.px(.all(.constant(-20))), keepSize: false), Geo.pattern(width: w, height: hh, channels: c))
            XCTAssertEqual([o.width, o.height], [1, 1])
        }
    }

    func testKeepSizeResizesBackWithImgaugsRule() throws {
        let img = Geo.gray((0..<4).map { r in (0..<4).map { UInt8((r * 4 + $0) * 10) } })
        // Padded to 8x8, shrunk back with INTER_LINEAR (2x: block means).
        XCTAssertEqual(Geo.rows(try run(CropAndPad(.px(.all(.constant(2)))), img)),
                       [[0, 0, 0, 0], [0, 25, 45, 0], [0, 105, 125, 0], [0, 0, 0, 0]])
        // Cropped to 2x2, enlarged back with INTER_AREA.
        XCTAssertEqual(Geo.rows(try run(CropAndPad(.px(.all(.constant(-1)))), img)),
                       [[50, 50, 60, 60], [50, 50, 60, 60], [90, 90, 100, 100], [90, 90, 100, 100]])
    }

    func testPercentRoundsAgainstTheSide() {
        var rng = AugmentRandom(seed: 1)
        let aug = CropAndPad(.percent(.sides(top: .constant(0.25), right: .constant(-0.1), bottom: .constant(0.125), left: .constant(0.5))),
                             keepSize: false)
        let s = aug.sample(&rng, width: 10, height: 8)
        XCTAssertEqual([s.top, s.right, s.bottom, s.left], [2, -1, 1, 5])
        // Half-way values round to even: 0.25 · 10 = 2.5 -> 2, 0.35 · 10 = 3.5 -> 4.
        let half = CropAndPad(.percent(.sides(top: .constant(0), right: .constant(0.25), bottom: .constant(0), left: .constant(0.35))))
            .sample(&rng, width: 10, height: 8)
        XCTAssertEqual([half.right, half.left], [2, 4])
    }

    func testSampleIndependently() {
        var rng = AugmentRandom(seed: 5)
        let together = CropAndPad(.px(.all(.range(-50, 50))), sampleIndependently: false)
        let apart = CropAndPad(.px(.all(.range(-50, 50))))
        var differs = false
        for _ in 0..<20 {
            let s = together.sample(&rng, width: 100, height: 100)
            XCTAssertEqual(Set([s.top, s.right, s.bottom, s.left]).count, 1)
            let a = apart.sample(&rng, width: 100, height: 100)
            if Set([a.top, a.right, a.bottom, a.left]).count > 1 { differs = true }
            XCTAssert([a.top, a.right, a.bottom, a.left].allSatisfy { (-50...50).contains($0) })
        }
        XCTAssertTrue(differs)
    }

    func testPadCvalIsDiscreteAndModeChoiceIsFixed() {
        var rng = AugmentRandom(seed: 9)
        let aug = CropAndPad(.px(.all(.constant(1))), padMode: .choice(CropAndPad.allPadModes), padCval: .range(0, 3))
        var modes = Set<PadMode>(), cvals = Set<Int>()
        for _ in 0..<300 {
            let s = aug.sample(&rng, width: 5, height: 5)
            modes.insert(s.padMode)
            cvals.insert(s.padCval)
        }
        XCTAssertEqual(modes, Set(PadMode.allCases))
        XCTAssertEqual(cvals, [0, 1, 2, 3])
        XCTAssertEqual(CropAndPad.allPadModes.map(\.rawValue),
                       ["constant", "edge", "linear_ramp", "maximum", "mean", "median", "minimum", "reflect", "symmetric", "wrap"])
        XCTAssertEqual(CropAndPad(padCval: Discrete(.constant(7.9))).padCval.sample(&rng), 7)
    }

    func testDefaultIsTenPercentEitherWay() throws {
        XCTAssertEqual(CropAndPad().amount, .percent(.all(.range(-0.1, 0.1))))
        let img = Geo.pattern(width: 30, height: 20, channels: 3)
        for seed in 0..<5 {
            let out = try run(CropAndPad(), img, seed: UInt64(seed))
            XCTAssertEqual([out.width, out.height], [30, 20])
        }
    }

    func testShapesModesAndSixteenBit() throws {
        for (w, h, c) in Geo.edgeShapes {
            let img = Geo.pattern(width: w, height: h, channels: c)
            for mode in PadMode.allCases {
                for keep in [false, true] {
                    let aug = CropAndPad(px(3, -1, 12, 2), padMode: .constant(mode), padCval: .constant(9), keepSize: keep)
                    let out = try run(aug, img)
                    XCTAssertEqual(out.channels, c)
                    if keep {
                        XCTAssertEqual([out.width, out.height], [w, h])
                    } else {
                        XCTAssertEqual(out.height, h + 15)
                        XCTAssertEqual(out.width, max(w - 1, 1) + 2)
                    }
                }
            }
        }
        let s16 = Image(width: 2, height: 1, channels: 1, samples16: [1000, 60000])
        let out = try run(CropAndPad(px(0, 1, 0, 1), padMode: .constant(.constant), padCval: .constant(70000), keepSize: false), s16)
        XCTAssertEqual(out.samples16!, [65535, 1000, 60000, 65535])
        let back = try run(CropAndPad(px(1, 1, 1, 1), padMode: .constant(.edge)), s16)
        XCTAssertEqual(back.samples16!.count, 2)
    }

    func testTrace() throws {
        var ctx = Geo.context()
        _ = try CropAndPad(px(1, -1, 0, 2), padMode: .constant(.wrap), padCval: .constant(3)).augment(Geo.pattern(width: 5, height: 5, channels: 1), &ctx)
        XCTAssertEqual(ctx.trace?.last?.description, "CropAndPad(top=1 right=-1 bottom=0 left=2 pad_mode=wrap pad_cval=3)")
    }

    /// imgaug leaves a plain per-side fraction unbounded below; MedAug stops at
    /// -100 sides, where an unbounded value would overflow the pixel count.
    func testHugePerSideCropFractionsAreRefusedNotOverflowed() throws {
        XCTAssertThrowsError(try Geo.parse("- CropAndPad: {percent: [-1.0e20, 0, 0, 0]}")) { error in
            XCTAssertTrue("\(error)".contains("percent"), "\(error)")
        }
        let deep = try Geo.parse("- CropAndPad: {percent: [-1.5, 0, 0, 0], keep_size: false}")
        var ctx = Geo.context()
        let out = try deep.augment(Geo.pattern(width: 8, height: 6, channels: 1), &ctx)
        XCTAssertEqual(out.height, 1, "imgaug keeps one row when a crop would take them all")
    }
}
