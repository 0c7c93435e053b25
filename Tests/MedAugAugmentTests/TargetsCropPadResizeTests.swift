import XCTest
import MedAugImage
@testable import MedAugAugment

/// Targets through CropAndPad, the fixed-size crops and pads, Resize and
/// RandAugment's crop. Expected coordinates and maps are imgaug 0.4.0's
/// (`KeypointsOnImage`, `BoundingBoxesOnImage`, `SegmentationMapsOnImage`,
/// `HeatmapsOnImage` on a 20x10 image), printed by the parity venv.
final class TargetsCropPadResizeTests: XCTestCase {
    // MARK: Fixtures

    /// The imgaug script's scene: a 20x10 image, keypoints (4, 4) and
    /// (19.5, 9.5), a box (1, 1)-(6, 5), a mask with 1 on row 0 and 3 on rows
    /// 2..<5 x columns 3..<9, a heatmap of 1 right of column 10 and 0.5 on row 4.
    static func scene() -> AnnotatedImage {
        var seg = [UInt8](repeating: 0, count: 200)
        for x in 0..<20 { seg[x] = 1 }
        for y in 2..<5 { for x in 3..<9 { seg[y * 20 + x] = 3 } }
        var heat = [Float](repeating: 0, count: 200)
        for y in 0..<10 { for x in 10..<20 { heat[y * 20 + x] = 1 } }
        for x in 0..<20 { heat[4 * 20 + x] = 0.5 }
        let targets = ImageTargets(masks: [Image(width: 20, height: 10, channels: 1, bytes: seg)],
                                   heatmaps: [Heatmap(width: 20, height: 10, values: heat)],
                                   keypoints: [Keypoint(x: 4, y: 4), Keypoint(x: 19.5, y: 9.5)],
                                   boxes: [BoundingBox(x1: 1, y1: 1, x2: 6, y2: 5, label: 2, id: 9)])
        return AnnotatedImage(Geo.pattern(width: 20, height: 10, channels: 1), targets: targets)
    }

    static func px(_ t: Int, _ r: Int, _ b: Int, _ l: Int) -> CropAndPadAmount {
        .px(.sides(top: .constant(Double(t)), right: .constant(Double(r)), bottom: .constant(Double(b)), left: .constant(Double(l))))
    }

    func run(_ aug: some Augmenter, _ sample: AnnotatedImage = scene(), seed: UInt64 = 3) throws -> AnnotatedImage {
        var ctx = Geo.context(seed)
        return try aug.augment(sample, &ctx)
    }

    func assertPoints(_ t: ImageTargets, _ kps: [(Double, Double)], _ box: (Double, Double, Double, Double),
                      file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(t.keypoints.count, kps.count, file: file, line: line)
        for (p, e) in zip(t.keypoints, kps) {
            XCTAssertEqual(p.x, e.0, accuracy: 1e-5, "x", file: file, line: line)
            XCTAssertEqual(p.y, e.1, accuracy: 1e-5, "y", file: file, line: line)
        }
        guard let b = t.boxes.first else { return XCTFail("box lost", file: file, line: line) }
        for (v, e) in zip([b.x1, b.y1, b.x2, b.y2], [box.0, box.1, box.2, box.3]) {
            XCTAssertEqual(v, e, accuracy: 1e-5, "box \(b)", file: file, line: line)
        }
        XCTAssertEqual(b.label, 2, file: file, line: line)
        XCTAssertEqual(b.id, 9, file: file, line: line)
    }

    func maskRows(_ t: ImageTargets) -> [[UInt8]] { Geo.rows(t.masks[0]) }

    /// Heatmap values in 16-bit units (imgaug's floats times 65535).
    func heatRow(_ t: ImageTargets, _ y: Int) -> [Int] {
        let h = t.heatmaps[0]
        return (0..<h.width).map { Int((h.values[y * h.width + $0] * 65535).rounded()) }
    }

    func heatColumn(_ t: ImageTargets, _ x: Int) -> [Int] {
        let h = t.heatmaps[0]
        return (0..<h.height).map { Int((h.values[$0 * h.width + x] * 65535).rounded()) }
    }

    func assertClose(_ a: [Int], _ b: [Int], within tol: Int, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, what, file: file, line: line)
        for (i, (x, y)) in zip(a, b).enumerated() where abs(x - y) > tol {
            XCTFail("\(what)[\(i)]: \(x) vs imgaug's \(y)", file: file, line: line)
        }
    }

    // MARK: CropAndPad

    func testCropAndPadShiftsPointsAndPadsMapsWithZero() throws {
        // px=(-2, 3, 0, 5): crop 2 rows at the top, pad 3 right and 5 left. A
        // reflect pad mode and cval 7 apply to the image only; imgaug pads maps
        // with constant 0 (`_pad_mode_segmentation_maps`, `_pad_cval_...`).
        let aug = CropAndPad(Self.px(-2, 3, 0, 5), padMode: .constant(.reflect), padCval: .constant(7), keepSize: false)
        let out = try run(aug)
        XCTAssertEqual([out.image.width, out.image.height], [28, 8])
        assertPoints(out.targets, [(9, 2), (24.5, 7.5)], (6, -1, 11, 3))
        let m = out.targets.masks[0]
        XCTAssertEqual([m.width, m.height, m.channels], [28, 8, 1])
        let row = [UInt8](repeating: 0, count: 8) + [3, 3, 3, 3, 3, 3] + [UInt8](repeating: 0, count: 14)
        XCTAssertEqual(Array(maskRows(out.targets)[0...2]), [row, row, row])
        XCTAssertEqual(Set(maskRows(out.targets)[3...].joined()), [0])
        let h = out.targets.heatmaps[0]
        XCTAssertEqual([h.width, h.height], [28, 8])
        // Padded columns are 0 in the heatmap too, not reflected.
        XCTAssertEqual(heatRow(out.targets, 0), [Int](repeating: 0, count: 15) + [Int](repeating: 65535, count: 10) + [0, 0, 0])
    }

    func testCropAndPadKeepSizeResizesMapsAndProjectsPoints() throws {
        let out = try run(CropAndPad(Self.px(-2, 3, 0, 5), keepSize: true))
        XCTAssertEqual([out.image.width, out.image.height], [20, 10])
        assertPoints(out.targets, [(6.4285712242126465, 2.5), (17.5, 9.375)],
                     (4.285714149475098, -1.25, 7.857142448425293, 3.75))
        let block = [UInt8](repeating: 0, count: 6) + [3, 3, 3, 3] + [UInt8](repeating: 0, count: 10)
        let zero = [UInt8](repeating: 0, count: 20)
        XCTAssertEqual(maskRows(out.targets), [block, block, block, block] + [[UInt8]](repeating: zero, count: 6))
        // Heatmaps by cubic interpolation; MedAug warps them as 16-bit maps.
        assertClose(heatRow(out.targets, 4), [Int](repeating: 0, count: 10) + [10244] + [Int](repeating: 65535, count: 7) + [0, 0],
                    within: 2, "heatmap row 4")
        assertClose(heatColumn(out.targets, 12), [65535, 65535, 46079, 38297, 65535, 65535, 65535, 65535, 65535, 65535],
                    within: 2, "heatmap column 12")
    }

    func testCropAndPadZeroSizeGuardMovesPointsByTheKeptWindow() throws {
        // Cropping 25 of 20 columns: the guard gives back 6, (3 right and 3
        // left), so the window starts at column 12 and points move by -12.
        let aug = CropAndPad(Self.px(0, -10, 0, -15), keepSize: false)
        let out = try run(aug)
        XCTAssertEqual([out.image.width, out.image.height], [1, 10])
        let w = CropAndPad.window(width: 20, height: 10, top: 0, right: -10, bottom: 0, left: -15)
        XCTAssertEqual([w.x1, w.x2, w.width], [12, 13, 1])
        assertPoints(out.targets, [(-8, 4), (7.5, 9.5)], (-11, 1, -6, 5))
        XCTAssertEqual([out.targets.masks[0].width, out.targets.masks[0].height], [1, 10])
    }

    // MARK: Fixed sizes

    func testFixedSizeCropsAndPadsMoveTargetsAsImgaug() throws {
        let crop = try run(CropToFixedSize(width: 12, height: 6, position: .fixed(x: 0.3, y: 0.6)))
        XCTAssertEqual([crop.image.width, crop.image.height], [12, 6])
        assertPoints(crop.targets, [(-1, 3), (14.5, 8.5)], (-4, 0, 1, 4))
        // Crop left 5, top 1: the mask's 3-block (rows 2..<5, columns 3..<9) lands at rows 1..<4, columns 0..<4.
        let rows = maskRows(crop.targets)
        XCTAssertEqual([crop.targets.masks[0].width, crop.targets.masks[0].height], [12, 6])
        XCTAssertEqual(rows[1], [3, 3, 3, 3] + [UInt8](repeating: 0, count: 8))
        XCTAssertEqual(rows[0], [UInt8](repeating: 0, count: 12))

        let pad = try run(PadToFixedSize(width: 25, height: 13, padMode: .constant(.edge), padCval: .constant(9),
                                         position: .fixed(x: 0.3, y: 0.6)))
        XCTAssertEqual([pad.image.width, pad.image.height], [25, 13])
        assertPoints(pad.targets, [(7, 5), (22.5, 10.5)], (4, 2, 9, 6))
        let prow = maskRows(pad.targets)
        // Padding 3 left and 1 top; edge mode is the image's only, the mask gets 0.
        XCTAssertEqual(prow[0], [UInt8](repeating: 0, count: 25))
        XCTAssertEqual(prow[1], [0, 0, 0] + [UInt8](repeating: 1, count: 20) + [0, 0])
        XCTAssertEqual(heatRow(pad.targets, 1), [0, 0, 0] + [Int](repeating: 0, count: 10) + [Int](repeating: 65535, count: 10) + [0, 0])

        let ccrop = try run(CenterCropToFixedSize(width: 15, height: 7))
        assertPoints(ccrop.targets, [(2, 3), (17.5, 8.5)], (-1, 0, 4, 4))
        XCTAssertEqual([ccrop.targets.masks[0].width, ccrop.targets.heatmaps[0].height], [15, 7])

        let cpad = try run(CenterPadToFixedSize(width: 23, height: 15, padMode: .constant(.symmetric)))
        assertPoints(cpad.targets, [(5, 6), (20.5, 11.5)], (2, 3, 7, 7))
        XCTAssertEqual([cpad.targets.masks[0].width, cpad.targets.masks[0].height], [23, 15])
        XCTAssertEqual(Geo.rows(cpad.targets.masks[0])[0], [UInt8](repeating: 0, count: 23))
    }

    // MARK: Resize

    func testResizeMasksNearestHeatmapsWithTheImagesInterpolation() throws {
        let out = try run(Resize(size: .heightWidth(height: .pixels(.constant(15)), width: .pixels(.constant(30))),
                                 interpolation: .constant(.linear)))
        XCTAssertEqual([out.image.width, out.image.height], [30, 15])
        assertPoints(out.targets, [(6, 6), (29.25, 14.25)], (1.5, 1.5, 9, 7.5))
        let ones = [UInt8](repeating: 1, count: 30), zero = [UInt8](repeating: 0, count: 30)
        let block = [UInt8](repeating: 0, count: 5) + [UInt8](repeating: 3, count: 9) + [UInt8](repeating: 0, count: 16)
        XCTAssertEqual(maskRows(out.targets),
                       [ones, ones, zero] + [[UInt8]](repeating: block, count: 5) + [[UInt8]](repeating: zero, count: 7))
        // imgaug resizes heatmaps with the image's interpolation (linear here), not cubic.
        assertClose(heatRow(out.targets, 6),
                    [Int](repeating: 27306, count: 14) + [29127, 36408] + [Int](repeating: 38229, count: 14), within: 2, "row 6")
        assertClose(heatColumn(out.targets, 14),
                    [10922, 10922, 10922, 10922, 10922, 14563, 29127, 21845, 10922, 10922, 10922, 10922, 10922, 10922, 10922],
                    within: 2, "column 14")
    }

    func testNoChangeLeavesTargetsExactlyAlone() throws {
        // Heatmaps would come back quantized to 1/65535 from a 16-bit round trip.
        let s = Self.scene()
        let augs: [any Augmenter] = [
            Resize(size: .both(.keep)), CropAndPad(Self.px(0, 0, 0, 0)), CropToFixedSize(width: 20, height: 10),
            PadToFixedSize(width: 5, height: 10), CenterCropToFixedSize(width: 30), CenterPadToFixedSize(height: 3),
        ]
        for aug in augs { XCTAssertEqual(try run(aug, s).targets, s.targets, aug.name) }
        XCTAssertEqual(RandAugmentCrop.apply(s, (0, 0, 0, 0)).targets, s.targets)
    }

    // MARK: RandAugment's crop

    func testRandAugmentCropResizesBackLikeKeepSizeByResize() throws {
        // imgaug: KeepSizeByResize(Crop(px=(1, 2, 3, 4), keep_size=False), interpolation="linear").
        let out = RandAugmentCrop.apply(Self.scene(), (top: 1, right: 2, bottom: 3, left: 4))
        XCTAssertEqual([out.image.width, out.image.height], [20, 10])
        assertPoints(out.targets, [(0, 5), (22.14285659790039, 14.166666030883789)],
                     (-4.285714149475098, 0, 2.857142925262451, 6.6666669845581055))
        let zero = [UInt8](repeating: 0, count: 20)
        let block = [UInt8](repeating: 3, count: 8) + [UInt8](repeating: 0, count: 12)
        XCTAssertEqual(maskRows(out.targets), [zero, zero] + [[UInt8]](repeating: block, count: 5) + [zero, zero, zero])
        // Heatmaps follow the image's (linear) interpolation there.
        assertClose(heatRow(out.targets, 4), [Int](repeating: 6554, count: 8) + [30146] + [Int](repeating: 58982, count: 11),
                    within: 2, "row 4")
        assertClose(heatColumn(out.targets, 12), [65535, 65535, 65535, 65535, 58982, 39321, 45874, 65535, 65535, 65535],
                    within: 2, "column 12")
    }

    func testRandAugmentCropFollowsItsTrace() throws {
        let aug = RandAugmentCrop(m: .constant(30))
        var moved = 0
        for seed in UInt64(1)...20 {
            var ctx = Geo.context(seed)
            let s = AnnotatedImage(Geo.pattern(width: 64, height: 48, channels: 3),
                                   targets: ImageTargets(keypoints: [Keypoint(x: 20, y: 30)]))
            let out = try aug.augment(s, &ctx)
            let v = Dictionary(uniqueKeysWithValues: ctx.trace!.last!.values.map { ($0.0, Double($0.1)!) })
            let kw = 64 - v["left"]! - v["right"]!, kh = 48 - v["top"]! - v["bottom"]!
            XCTAssertEqual(out.targets.keypoints[0].x, (20 - v["left"]!) / kw * 64, accuracy: 1e-9)
            XCTAssertEqual(out.targets.keypoints[0].y, (30 - v["top"]!) / kh * 48, accuracy: 1e-9)
            if out.targets.keypoints[0] != s.targets.keypoints[0] { moved += 1 }
        }
        XCTAssertGreaterThan(moved, 10)
    }

    // MARK: Same draws with and without targets

    static func randomAugmenters() -> [any Augmenter] {
        [
            CropAndPad(.px(.all(.range(-8, 8))), padMode: .choice([.constant, .reflect, .edge]), padCval: .range(0, 255)),
            CropAndPad(.percent(.all(.range(-0.3, 0.3))), keepSize: false, sampleIndependently: false),
            CropToFixedSize(width: 30, height: 20, position: .uniform),
            CropToFixedSize(width: 50, height: 11, position: .normal),
            PadToFixedSize(width: 70, height: 60, padMode: .choice(PadMode.allCases), padCval: .range(0, 200), position: .uniform),
            CenterCropToFixedSize(width: 17, height: 33),
            CenterPadToFixedSize(width: 81, height: 49, padMode: .choice([.wrap, .mean]), padCval: .range(0, 9)),
            Resize(size: .heightWidth(height: .pixels(.range(10, 90)), width: .fraction(.range(0.4, 2.2))),
                   interpolation: .choice(Interpolation.allCases)),
            Resize(size: .shorterLonger(shorter: .pixels(.range(20, 40)), longer: .keepAspectRatio)),
            RandAugmentCrop(m: .range(10, 30)),
        ]
    }

    func testImageAndTraceAreTheSameWithAndWithoutTargets() throws {
        let image = Geo.pattern(width: 64, height: 48, channels: 3)
        var mask = [UInt8](repeating: 0, count: 64 * 48)
        for i in mask.indices where (i / 64) % 7 < 3 { mask[i] = 2 }
        let targets = ImageTargets(masks: [Image(width: 64, height: 48, channels: 1, bytes: mask)],
                                   heatmaps: [Heatmap(width: 64, height: 48, values: [Float](repeating: 0.25, count: 64 * 48))],
                                   keypoints: [Keypoint(x: 10, y: 11)], boxes: [BoundingBox(x1: 5, y1: 6, x2: 30, y2: 40)])
        for aug in Self.randomAugmenters() {
            XCTAssertEqual(aug.targetRule, .moved, aug.name)
            for seed in UInt64(1)...12 {
                var a = Geo.context(seed), b = Geo.context(seed)
                let plain = try aug.augment(image, &a)
                let both = try aug.augment(AnnotatedImage(image, targets: targets), &b)
                XCTAssertEqual(plain, both.image, "\(aug.name) seed \(seed)")
                XCTAssertEqual(a.trace!, b.trace!, "\(aug.name) seed \(seed)")
                XCTAssertEqual(a.rng.nextDouble(), b.rng.nextDouble(), "\(aug.name) seed \(seed): streams diverged")
                // Maps always keep the image's size.
                for m in both.targets.masks { XCTAssertEqual([m.width, m.height], [both.image.width, both.image.height]) }
                for h in both.targets.heatmaps { XCTAssertEqual([h.width, h.height], [both.image.width, both.image.height]) }
            }
        }
    }

    // MARK: Label images are their own masks

    /// A 1-channel 8-bit image of label blocks 0...5.
    static func labels(width: Int = 37, height: Int = 29) -> Image {
        var v = [UInt8](repeating: 0, count: width * height)
        for y in 0..<height { for x in 0..<width { v[y * width + x] = UInt8((x / 4 + y / 5) % 6) } }
        return Image(width: width, height: height, channels: 1, bytes: v)
    }

    /// Augmenters whose image path is order 0 with fill 0, as the maps' path is.
    static func nearestAugmenters() -> [any Augmenter] {
        [
            CropAndPad(.px(.all(.range(-9, 9))), keepSize: false),
            CropAndPad(.percent(.sides(top: .range(-0.4, 0.4), right: .constant(-0.2), bottom: .range(0, 0.5), left: .range(-0.5, 0))),
                       keepSize: false),
            CropAndPad(.px(.all(.range(-30, -20))), keepSize: false),
            CropToFixedSize(width: 20, height: 13, position: .uniform),
            PadToFixedSize(width: 50, height: 44, position: .normal),
            CenterCropToFixedSize(width: 11, height: 28),
            CenterPadToFixedSize(width: 40, height: 31),
            Resize(size: .heightWidth(height: .pixels(.range(5, 80)), width: .fraction(.range(0.2, 3))),
                   interpolation: .constant(.nearest)),
        ]
    }

    func testALabelImageAugmentedWithNearestEqualsItsOwnMask() throws {
        let image = Self.labels()
        for aug in Self.nearestAugmenters() {
            for seed in UInt64(1)...15 {
                let out = try run(aug, AnnotatedImage(image, targets: ImageTargets(masks: [image])), seed: seed)
                XCTAssertEqual(out.targets.masks[0], out.image, "\(aug.name) seed \(seed)")
            }
        }
    }

    // MARK: 16-bit and multi-channel masks

    func testMasksKeepSixteenBitValuesAndChannels() throws {
        // Two 16-bit channels that encode the label differently; 0 stays 0 in
        // both, as the maps' padding is 0. After a nearest path each mask
        // pixel still pairs with the image's label.
        func f0(_ l: UInt16) -> UInt16 { l * 1000 }
        func f1(_ l: UInt16) -> UInt16 { l == 0 ? 0 : 50000 + l * 13 }
        let image = Self.labels()
        let l = image.bytes!
        var s = [UInt16](repeating: 0, count: l.count * 2)
        for i in l.indices { s[2 * i] = f0(UInt16(l[i])); s[2 * i + 1] = f1(UInt16(l[i])) }
        let mask = Image(width: image.width, height: image.height, channels: 2, samples16: s)
        let exactAugs = Self.nearestAugmenters()
        // With keep_size (and RandAugment's crop) the masks go back by nearest
        // neighbour while the image does not: the values, channels and shape are checked there.
        let augs = exactAugs + [CropAndPad(.px(.all(.range(-9, 9))), keepSize: true), RandAugmentCrop(m: .constant(30))]
        for (k, aug) in augs.enumerated() {
            for seed in UInt64(1)...8 {
                let out = try run(aug, AnnotatedImage(image, targets: ImageTargets(masks: [mask, image])), seed: seed)
                let m = out.targets.masks[0]
                XCTAssertEqual([m.width, m.height, m.channels, m.bitDepth], [out.image.width, out.image.height, 2, 16])
                let v = m.samples16!
                // The labels: the image itself on the exact paths, else the second mask.
                let labels = k < exactAugs.count ? out.image.bytes! : out.targets.masks[1].bytes!
                XCTAssertEqual(labels.count, m.width * m.height)
                var bad = 0
                for i in labels.indices where v[2 * i] != f0(UInt16(labels[i])) || v[2 * i + 1] != f1(UInt16(labels[i])) {
                    bad += 1
                }
                XCTAssertEqual(bad, 0, "\(aug.name) seed \(seed)")
            }
        }
    }
}
