import XCTest
import MedAugImage
@testable import MedAugAugment

/// Crop and Pad: imgaug 0.4.0's CropAndPad subclasses (size.py), whose
/// constructors validate and (for Crop) negate the amounts and hand them to
/// CropAndPad. Expected pixels are imgaug's, printed by the parity venv.
final class GeometricCropPadTests: XCTestCase {
    func sides(_ t: Param, _ r: Param, _ b: Param, _ l: Param) -> CropAndPadSides {
        .sides(top: t, right: r, bottom: b, left: l)
    }

    func px(_ t: Int, _ r: Int, _ b: Int, _ l: Int) -> CropAndPadAmount {
        .px(sides(.constant(Double(t)), .constant(Double(r)), .constant(Double(b)), .constant(Double(l))))
    }

    /// The one augmenter a one-entry pipeline file builds.
    func parsed(_ yaml: String) throws -> any Augmenter {
        let p = try Geo.parse(yaml)
        XCTAssertEqual(p.children.count, 1)
        return p.children[0]
    }

    func crop(_ yaml: String) throws -> Crop {
        let a = try parsed("- Crop: " + yaml)
        return try XCTUnwrap(a as? Crop)
    }

    func pad(_ yaml: String) throws -> Pad {
        let a = try parsed("- Pad: " + yaml)
        return try XCTUnwrap(a as? Pad)
    }

    /// A 6x7 gray ramp, np.arange(42).reshape(6, 7) * 5 in imgaug's scripts.
    let ramp = Geo.gray((0..<6).map { r in (0..<7).map { UInt8((r * 7 + $0) * 5) } })

    // MARK: reading imgaug's forms

    func testReadsImgaugsForms() throws {
        XCTAssertEqual(try crop("{px: 2}").amount, .px(.all(.constant(2))))
        XCTAssertEqual(try crop("{px: [0, 5]}").amount, .px(.all(.range(0, 5))))
        XCTAssertEqual(try crop("{px: [1, [0, 2], {choice: [3, 4]}, 0]}").amount,
                       .px(sides(.constant(1), .range(0, 2), .choice([3, 4]), .constant(0))))
        XCTAssertEqual(try crop("{percent: 0.1}").amount, .percent(.all(.constant(0.1))))
        XCTAssertEqual(try crop("{percent: [0, 0.25], keep_size: false, sample_independently: false}"),
                       Crop(.percent(.all(.range(0, 0.25))), keepSize: false, sampleIndependently: false))
        // imgaug takes a plain per-side fraction of 1 or more (only ranges and choices are checked against 1).
        XCTAssertEqual(try crop("{percent: [1.5, 0, 0, 0]}").amount,
                       .percent(sides(.constant(1.5), .constant(0), .constant(0), .constant(0))))
        XCTAssertEqual(try pad("{px: 3, pad_mode: edge, pad_cval: [0, 9]}"),
                       Pad(.px(.all(.constant(3))), padMode: .constant(.edge), padCval: .range(0, 9)))
        XCTAssertEqual(try pad("{px: [[0, 10], [0, 5], [0, 10], [0, 5]]}").amount,
                       .px(sides(.range(0, 10), .range(0, 5), .range(0, 10), .range(0, 5))))
        XCTAssertEqual(try pad("{percent: [0.05, 0.1]}").amount, .percent(.all(.range(0.05, 0.1))))
        XCTAssertEqual(try pad("{percent: {choice: [0.05, 0.1]}, pad_mode: ALL}").padMode, .choice(CropAndPad.allPadModes))
        // Both default to imgaug's percent=(0.0, 0.1), which Crop negates.
        XCTAssertEqual(try crop("{}"), Crop())
        XCTAssertEqual(try pad("{}"), Pad())
        XCTAssertEqual(Crop().amount, .percent(.all(.range(0, 0.1))))
        XCTAssertEqual(Crop().cropAndPad.amount, .percent(.all(.range(-0, -0.1))))
        XCTAssertEqual(Pad().cropAndPad.amount, .percent(.all(.range(0, 0.1))))
        // Crop takes no pad arguments.
        Geo.assertPipelineError("- Crop: {pad_mode: edge}", key: "pad_mode")
        for yaml in ["- Crop: {px: [1, [0, 2], {choice: [3, 4]}, 0], keep_size: false}", "- Crop: {percent: [0, 0.25]}",
                     "- Pad: {px: [1, 2, 3, 4], pad_mode: [edge, wrap], pad_cval: 7}", "- Pad: {percent: 0.5}"] {
            try Geo.assertRoundTrip(yaml)
        }
    }

    func testRefusesWhatImgaugRefuses() {
        // imgaug: Crop.__init__ / Pad.__init__ assert every number >= 0; Crop's
        // fractions, once negated, must be > -1 (CropAndPad), so < 1.
        for (yaml, key) in [("{px: -1}", "px"), ("{px: [-2, 3]}", "px"), ("{px: [0, -1, 0, 0]}", "px.right"),
                            ("{px: [0, {choice: [1, -1]}, 0, 0]}", "px.right"), ("{percent: -0.1}", "percent"),
                            ("{percent: [0, 0, [-0.2, 0], 0]}", "percent.bottom"), ("{px: .nan}", "px"),
                            ("{percent: .nan}", "percent"), ("{percent: [0, .nan, 0, 0]}", "percent.right"),
                            ("{px: 1.5}", "px"), ("{px: [1, 2, 3]}", "px"), ("{px: 1, percent: 0.1}", "percent")] {
            Geo.assertPipelineError("- Crop: " + yaml, key: key)
            Geo.assertPipelineError("- Pad: " + yaml, key: key)
        }
        for (yaml, key) in [("{percent: 1}", "percent"), ("{percent: [0, 1]}", "percent"),
                            ("{percent: {choice: [0.5, 1]}}", "percent"), ("{percent: [0, [0.5, 1.0], 0, 0]}", "percent.right"),
                            ("{percent: [101, 0, 0, 0]}", "percent.top")] {
            Geo.assertPipelineError("- Crop: " + yaml, key: key)
        }
        // Pad keeps CropAndPad's maximums for padding.
        Geo.assertPipelineError("- Pad: {px: 4097}", key: "px")
        Geo.assertPipelineError("- Pad: {percent: 1.5}", key: "percent")
        XCTAssertNoThrow(try pad("{percent: 1}"))
        XCTAssertNoThrow(try crop("{percent: 0.99}"))
    }

    // MARK: the same as CropAndPad

    /// A scene with a mask, a heatmap, keypoints and a box on a 20x10 image.
    func scene() -> AnnotatedImage {
        var seg = [UInt8](repeating: 0, count: 200)
        for y in 2..<5 { for x in 3..<9 { seg[y * 20 + x] = 3 } }
        var heat = [Float](repeating: 0, count: 200)
        for y in 0..<10 { for x in 10..<20 { heat[y * 20 + x] = 1 } }
        let targets = ImageTargets(masks: [Image(width: 20, height: 10, channels: 1, bytes: seg)],
                                   heatmaps: [Heatmap(width: 20, height: 10, values: heat)],
                                   keypoints: [Keypoint(x: 4, y: 4), Keypoint(x: 19.5, y: 9.5)],
                                   boxes: [BoundingBox(x1: 1, y1: 1, x2: 6, y2: 5, label: 2, id: 9)])
        return AnnotatedImage(Geo.pattern(width: 20, height: 10, channels: 3), targets: targets)
    }

    /// Same image, same targets and the same draws (the next value of the
    /// stream agrees) as `reference`, for several seeds.
    func assertSameAs(_ aug: some Augmenter, _ reference: CropAndPad, file: StaticString = #filePath, line: UInt = #line) throws {
        let input = scene()
        for seed: UInt64 in [1, 2, 3, 4, 5, 11, 42] {
            var a = Geo.context(seed), b = Geo.context(seed)
            XCTAssertEqual(try aug.augment(input.image, &a), try reference.augment(input.image, &b), "image, seed \(seed)", file: file, line: line)
            XCTAssertEqual(a.rng.nextDouble(), b.rng.nextDouble(), "draws, seed \(seed)", file: file, line: line)
            var c = Geo.context(seed), d = Geo.context(seed)
            XCTAssertEqual(try aug.augment(input, &c), try reference.augment(input, &d), "targets, seed \(seed)", file: file, line: line)
        }
    }

    func testCropIsCropAndPadWithNegatedAmounts() throws {
        try assertSameAs(Crop(), CropAndPad(.percent(.all(.range(-0.1, 0)))))
        try assertSameAs(Crop(.px(.all(.range(0, 4)))), CropAndPad(.px(.all(.range(-4, 0)))))
        try assertSameAs(Crop(.px(.all(.range(1, 3))), keepSize: false, sampleIndependently: false),
                         CropAndPad(.px(.all(.range(-3, -1))), keepSize: false, sampleIndependently: false))
        try assertSameAs(Crop(.px(sides(.constant(1), .range(0, 2), .choice([3, 4]), .constant(0))), keepSize: false),
                         CropAndPad(.px(sides(.constant(-1), .range(-2, 0), .choice([-3, -4]), .constant(0))), keepSize: false))
        try assertSameAs(Crop(.percent(sides(.range(0, 0.3), .constant(0.25), .choice([0.1, 0.2]), .constant(1.5)))),
                         CropAndPad(.percent(sides(.range(-0.3, 0), .constant(-0.25), .choice([-0.1, -0.2]), .constant(-1.5)))))
    }

    func testPadIsCropAndPadWithTheSameAmounts() throws {
        try assertSameAs(Pad(), CropAndPad(.percent(.all(.range(0, 0.1)))))
        try assertSameAs(Pad(.px(.all(.range(0, 4))), padMode: .choice(CropAndPad.allPadModes), padCval: .range(0, 255)),
                         CropAndPad(.px(.all(.range(0, 4))), padMode: .choice(CropAndPad.allPadModes), padCval: .range(0, 255)))
        try assertSameAs(Pad(.px(sides(.constant(1), .range(0, 2), .choice([3, 4]), .constant(0))), padMode: .constant(.reflect),
                             keepSize: false, sampleIndependently: false),
                         CropAndPad(.px(sides(.constant(1), .range(0, 2), .choice([3, 4]), .constant(0))), padMode: .constant(.reflect),
                                    keepSize: false, sampleIndependently: false))
        try assertSameAs(Pad(.percent(.all(.choice([0.05, 0.5])))), CropAndPad(.percent(.all(.choice([0.05, 0.5])))))
    }

    func testKeepSize() throws {
        for seed: UInt64 in [1, 2, 3] {
            var a = Geo.context(seed), b = Geo.context(seed)
            let kept = try Crop(.px(.all(.range(1, 2)))).augment(ramp, &a)
            XCTAssertEqual([kept.width, kept.height], [7, 6])
            let padded = try Pad(.px(.all(.range(1, 2)))).augment(ramp, &b)
            XCTAssertEqual([padded.width, padded.height], [7, 6])
        }
        var c = Geo.context(), d = Geo.context()
        let cropped = try Crop(.px(.all(.constant(2))), keepSize: false).augment(ramp, &c)
        XCTAssertEqual([cropped.width, cropped.height], [3, 2])
        let padded = try Pad(.px(.all(.constant(2))), keepSize: false).augment(ramp, &d)
        XCTAssertEqual([padded.width, padded.height], [11, 10])
        // Never below 1x1: CropAndPad's guard applies.
        var e = Geo.context()
        let tiny = try Crop(.px(.all(.constant(50))), keepSize: false).augment(ramp, &e)
        XCTAssertEqual([tiny.width, tiny.height], [1, 1])
    }

    // MARK: imgaug's numbers

    func testMatchesImgaug() throws {
        // Printed by the parity venv (imgaug 0.4.0) on
        // a = (np.arange(6 * 7).reshape(6, 7) * 5).astype(np.uint8):
        //   iaa.Crop(px=(1, 3, 2, 0), keep_size=False)(image=a)
        //   iaa.Pad(px=(1, 0, 2, 1), pad_cval=9, keep_size=False)(image=a)
        //   iaa.Pad(px=(0, 2, 0, 1), pad_mode="edge", keep_size=False)(image=a)
        //   iaa.Crop(percent=(0.2, 0.3, 0.0, 0.15), keep_size=False)(image=a)
        //   iaa.Crop(px=(1, 1, 1, 1))(image=a)
        //   iaa.Crop(px=(1, 3, 2, 0), keep_size=False)(image=a, keypoints=[(3.5, 2.5)])
        func run(_ aug: some Augmenter) throws -> [[UInt8]] {
            var ctx = Geo.context()
            return Geo.rows(try aug.augment(ramp, &ctx))
        }
        XCTAssertEqual(try run(Crop(px(1, 3, 2, 0), keepSize: false)),
                       [[35, 40, 45, 50], [70, 75, 80, 85], [105, 110, 115, 120]])
        XCTAssertEqual(try run(Pad(px(1, 0, 2, 1), padCval: .constant(9), keepSize: false)),
                       [[9, 9, 9, 9, 9, 9, 9, 9], [9, 0, 5, 10, 15, 20, 25, 30], [9, 35, 40, 45, 50, 55, 60, 65],
                        [9, 70, 75, 80, 85, 90, 95, 100], [9, 105, 110, 115, 120, 125, 130, 135],
                        [9, 140, 145, 150, 155, 160, 165, 170], [9, 175, 180, 185, 190, 195, 200, 205],
                        [9, 9, 9, 9, 9, 9, 9, 9], [9, 9, 9, 9, 9, 9, 9, 9]])
        XCTAssertEqual(try run(Pad(px(0, 2, 0, 1), padMode: .constant(.edge), keepSize: false)),
                       [[0, 0, 5, 10, 15, 20, 25, 30, 30, 30], [35, 35, 40, 45, 50, 55, 60, 65, 65, 65],
                        [70, 70, 75, 80, 85, 90, 95, 100, 100, 100], [105, 105, 110, 115, 120, 125, 130, 135, 135, 135],
                        [140, 140, 145, 150, 155, 160, 165, 170, 170, 170], [175, 175, 180, 185, 190, 195, 200, 205, 205, 205]])
        XCTAssertEqual(try run(Crop(.percent(sides(.constant(0.2), .constant(0.3), .constant(0), .constant(0.15))), keepSize: false)),
                       [[40, 45, 50, 55], [75, 80, 85, 90], [110, 115, 120, 125], [145, 150, 155, 160], [180, 185, 190, 195]])
        XCTAssertEqual(try run(Crop(px(1, 1, 1, 1))),
                       [[40, 43, 46, 50, 54, 57, 60], [58, 61, 64, 68, 71, 74, 78], [75, 78, 81, 85, 89, 92, 95],
                        [110, 113, 116, 120, 124, 127, 130], [128, 131, 134, 138, 141, 144, 148], [145, 148, 151, 155, 159, 162, 165]])
        var ctx = Geo.context()
        let moved = try Crop(px(1, 3, 2, 0), keepSize: false)
            .augment(AnnotatedImage(ramp, targets: ImageTargets(keypoints: [Keypoint(x: 3.5, y: 2.5)])), &ctx)
        XCTAssertEqual(moved.targets.keypoints, [Keypoint(x: 3.5, y: 1.5)])
    }

    // MARK: traces and the registry

    func testTracesSayCropAndPad() throws {
        var ctx = Geo.context()
        _ = try Crop(px(1, 3, 2, 0)).augment(ramp, &ctx)
        _ = try Pad(px(1, 0, 2, 1), padMode: .constant(.wrap), padCval: .constant(3)).augment(ramp, &ctx)
        XCTAssertEqual(ctx.trace?.map(\.description),
                       ["Crop(top=1 right=3 bottom=2 left=0)", "Pad(top=1 right=0 bottom=2 left=1 pad_mode=wrap pad_cval=3)"])
        XCTAssertEqual(Crop().targetRule, .moved)
        XCTAssertEqual(Pad().targetRule, .moved)
        XCTAssertEqual(AugmenterRegistry.spec(named: "Crop")?.parameters, ["px", "percent", "keep_size", "sample_independently"])
        XCTAssertEqual(AugmenterRegistry.spec(named: "Pad")?.parameters,
                       ["px", "percent", "pad_mode", "pad_cval", "keep_size", "sample_independently"])
    }
}
