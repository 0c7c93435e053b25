import MedAugCore
import XCTest
import MedAugImage
@testable import MedAugAugment

/// Every registered augmenter against the target contract: geometric ones move
/// targets, the rest pass them through, and no augmenter draws differently
/// because targets came along.
final class TargetRuleTests: XCTestCase {
    /// The augmenters whose pixels move, so whose targets must move too.
    static let moving: Set<String> = [
        "Fliplr", "Flipud", "Affine", "CropAndPad", "Crop", "Pad", "PerspectiveTransform", "ElasticTransformation", "PiecewiseAffine",
        "Rot90", "ScaleX", "ScaleY", "TranslateX", "TranslateY", "Rotate", "ShearX", "ShearY", "Resize",
        "CropToFixedSize", "PadToFixedSize", "CenterCropToFixedSize", "CenterPadToFixedSize",
    ]
    /// imgaug's pillike.Affine (and so its RandAugment) takes images only;
    /// torchvision's policies' geometric operations cannot move targets yet.
    static let refusing: Set<String> = ["pillike.Affine", "RandAugment", "TrivialAugmentWide", "AutoAugment"]

    /// A label image (blocks of classes 0-4) and points and boxes spread over it.
    static func sample(width: Int = 37, height: Int = 29, channels: Int = 3) -> AnnotatedImage {
        var labels = [UInt8](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width { labels[y * width + x] = UInt8(((x / 7) + 2 * (y / 6)) % 5) }
        }
        let mask = Image(width: width, height: height, channels: 1, bytes: labels)
        var rgb = [UInt8](repeating: 0, count: width * height * channels)
        for i in 0..<rgb.count { rgb[i] = UInt8(truncatingIfNeeded: i &* 37 &+ (i / channels) * 11) }
        let image = Image(width: width, height: height, channels: channels, bytes: rgb)
        let heat = Heatmap(width: width, height: height, values: (0..<(width * height)).map { Float($0 % width) / Float(width) })
        let targets = ImageTargets(masks: [mask], heatmaps: [heat],
                                   keypoints: [Keypoint(x: 3.5, y: 4.25), Keypoint(x: 30, y: 20), Keypoint(x: 0, y: 0)],
                                   boxes: [BoundingBox(x1: 2, y1: 3, x2: 12, y2: 15, label: 1, id: 7),
                                           BoundingBox(x1: 20.5, y1: 10, x2: 36, y2: 28, label: 2, id: 8)])
        return AnnotatedImage(image, targets: targets)
    }

    func context(_ seed: UInt64) -> AugmentContext { AugmentContext(seed: seed, identity: "targets", recordTrace: true) }

    func testEveryAugmenterDeclaresWhatItDoesToTargets() {
        for spec in AugmenterRegistry.specs {
            let rule = spec.defaultInstance.targetRule
            let expected: TargetRule = Self.moving.contains(spec.name) ? .moved : Self.refusing.contains(spec.name) ? .refused : .unchanged
            XCTAssertEqual(rule, expected, spec.name)
            XCTAssertEqual(spec.listing.targets, expected, spec.name)
        }
        XCTAssertTrue(Self.moving.isSubset(of: Set(AugmenterRegistry.specs.map(\.name))))
    }

    /// The image is byte for byte the one the image-only call gives, and the
    /// trace the same, for every augmenter with its defaults.
    func testTargetsNeverChangeWhatIsDrawnOrTheImage() throws {
        let input = Self.sample()
        for spec in AugmenterRegistry.specs where !Self.refusing.contains(spec.name) {
            let aug = spec.defaultInstance
            for seed: UInt64 in [1, 2, 3] {
                var a = context(seed), b = context(seed)
                let alone = try aug.augment(input.image, &a)
                let together = try aug.augment(input, &b)
                XCTAssertEqual(together.image, alone, "\(spec.name) seed \(seed)")
                XCTAssertEqual(a.trace, b.trace, "\(spec.name) seed \(seed)")
                XCTAssertEqual(a.rng.next(), b.rng.next(), "\(spec.name) left the stream elsewhere")
                if aug.targetRule == .unchanged {
                    XCTAssertEqual(together.targets, input.targets, spec.name)
                } else {
                    for m in together.targets.masks {
                        XCTAssertEqual(m.width, together.image.width, spec.name)
                        XCTAssertEqual(m.height, together.image.height, spec.name)
                    }
                    for h in together.targets.heatmaps {
                        XCTAssertEqual(h.width, together.image.width, spec.name)
                        XCTAssertEqual(h.height, together.image.height, spec.name)
                    }
                    XCTAssertEqual(together.targets.keypoints.count, input.targets.keypoints.count, spec.name)
                    XCTAssertEqual(together.targets.boxes.map(\.id), input.targets.boxes.map(\.id), spec.name)
                }
            }
        }
    }

    func testPoliciesThatCannotMoveTargetsRefuseThemByName() throws {
        for name in Self.refusing {
            let aug = try XCTUnwrap(AugmenterRegistry.spec(named: name)).defaultInstance
            var ctx = context(1)
            XCTAssertThrowsError(try aug.augment(Self.sample(), &ctx)) { error in
                XCTAssertTrue("\(error)".hasPrefix(name), "\(error)")
            }
            var plain = context(1)
            XCTAssertNoThrow(try aug.augment(AnnotatedImage(Self.sample().image), &plain))
        }
        // Inside a pipeline the refusal names the policy, not the pipeline.
        let pipeline = Sequential([Fliplr(), TrivialAugmentWide()])
        XCTAssertEqual(pipeline.targetRule, .refused)
        var ctx = context(1)
        XCTAssertThrowsError(try pipeline.augment(Self.sample(), &ctx)) { XCTAssertTrue("\($0)".hasPrefix("TrivialAugmentWide"), "\($0)") }
    }

    func testFlipsMoveEveryTargetKindAsImgaugDoes() throws {
        let input = Self.sample()
        var ctx = context(1)
        let out = try Fliplr().augment(input, &ctx)
        XCTAssertEqual(out.targets.keypoints[0], Keypoint(x: 37 - 3.5, y: 4.25))
        XCTAssertEqual(out.targets.boxes[0], BoundingBox(x1: 25, y1: 3, x2: 35, y2: 15, label: 1, id: 7))
        XCTAssertEqual(out.targets.masks[0], FlipKernel.horizontal(input.targets.masks[0]))
        var ctx2 = context(1)
        let up = try Flipud().augment(input, &ctx2)
        XCTAssertEqual(up.targets.keypoints[1], Keypoint(x: 30, y: 29 - 20))
        XCTAssertEqual(up.targets.boxes[1], BoundingBox(x1: 20.5, y1: 1, x2: 36, y2: 19, label: 2, id: 8))
    }

    func testRot90TurnsPointsClockwiseAndKeepSizeScalesThemBack() throws {
        let input = Self.sample(width: 40, height: 20)
        var ctx = context(1)
        let turned = try Rot90(k: .constant(1), keepSize: false).augment(input, &ctx)
        XCTAssertEqual(turned.image.width, 20)
        // imgaug: (x, y) -> (h - y, x) for one clockwise turn.
        XCTAssertEqual(turned.targets.keypoints[0], Keypoint(x: 20 - 4.25, y: 3.5))
        XCTAssertEqual(turned.targets.masks[0], Rot90Kernel.rotate(input.targets.masks[0], k: 1))
        var ctx2 = context(1)
        let kept = try Rot90(k: .constant(1), keepSize: true).augment(input, &ctx2)
        XCTAssertEqual(kept.image.width, 40)
        XCTAssertEqual(kept.targets.keypoints[0].x, (20 - 4.25) / 20 * 40, accuracy: 1e-9)
        XCTAssertEqual(kept.targets.keypoints[0].y, 3.5 / 40 * 20, accuracy: 1e-9)
        XCTAssertEqual(kept.targets.masks[0].width, 40)
    }

    func testAffineMovesPointsWithTheImageMatrixAndMasksByNearestNeighbour() throws {
        let input = Self.sample()
        let aug = Affine(translate: .px(.perAxis(x: .constant(5), y: .constant(-3))), order: .constant(.cubic))
        var ctx = context(1)
        let out = try aug.augment(input, &ctx)
        XCTAssertEqual(out.targets.keypoints[0].x, 8.5, accuracy: 1e-9)
        XCTAssertEqual(out.targets.keypoints[0].y, 1.25, accuracy: 1e-9)
        XCTAssertEqual(out.targets.boxes[1].x2, 41, accuracy: 1e-9)
        // Masks never blend classes, whatever the image's order.
        let mask = out.targets.masks[0]
        XCTAssertTrue(Set(mask.bytes!).isSubset(of: [0, 1, 2, 3, 4]))
        XCTAssertEqual(mask.bytes![3 * 37 + 5], input.targets.masks[0].bytes![6 * 37 + 0])
        // Rotations turn points about the image's centre, (w/2, h/2) (imgaug's
        // `to_matrix_cba`), which therefore stays put; the image turns about
        // the centre of its middle pixel.
        var ctx2 = context(1)
        let turned = try Affine(rotate: .constant(30)).augment(
            AnnotatedImage(input.image, targets: ImageTargets(keypoints: [Keypoint(x: 18.5, y: 14.5), Keypoint(x: 28.5, y: 14.5)])), &ctx2)
        XCTAssertEqual(turned.targets.keypoints[0].x, 18.5, accuracy: 1e-9)
        XCTAssertEqual(turned.targets.keypoints[0].y, 14.5, accuracy: 1e-9)
        XCTAssertEqual(turned.targets.keypoints[1].x, 18.5 + 10 * cos(Double.pi / 6), accuracy: 1e-4)
        XCTAssertEqual(turned.targets.keypoints[1].y, 14.5 + 10 * sin(Double.pi / 6), accuracy: 1e-4)
        // Boxes are handed out clipped, and those gone are removed.
        let (done, removed) = out.targets.finished(width: 37, height: 29)
        XCTAssertEqual(done.boxes[1].x2, 37)
        XCTAssertTrue(removed.isEmpty)
        let (strict, dropped) = out.targets.finished(width: 37, height: 29, minVisibility: 0.9)
        XCTAssertEqual(dropped.map(\.id), [8])  // 11.5 of its 15.5 columns remain on the image
        XCTAssertEqual(strict.boxes.map(\.id), [7])
    }

    /// The property imgaug's design guarantees: with order 0 everywhere, an
    /// image that equals its mask stays equal to it through any geometric pipeline.
    func testLabelImagesStayEqualToTheirMasksThroughGeometricPipelines() throws {
        let yaml = """
        - Fliplr: {p: 0.5}
        - Flipud: {p: 0.5}
        - Affine: {rotate: [-30, 30], scale: [0.8, 1.2], shear: [-10, 10], translate_px: [-4, 4], order: 0}
        - Rot90: {k: [0, 3], keep_size: false}
        - ScaleX: {scale: [0.7, 1.3], order: 0}
        - Rotate: {rotate: [-20, 20], order: 0}
        """
        let pipeline = try PipelineReader.parse(yaml, format: .yaml)
        for seed: UInt64 in 0..<40 {
            let s = Self.sample(width: 33, height: 26, channels: 1)
            let input = AnnotatedImage(s.targets.masks[0], targets: ImageTargets(masks: [s.targets.masks[0]]))
            var ctx = context(seed)
            let out = try pipeline.augment(input, &ctx)
            XCTAssertEqual(out.image, out.targets.masks[0], "seed \(seed): \(ctx.trace ?? [])")
        }
    }
}
