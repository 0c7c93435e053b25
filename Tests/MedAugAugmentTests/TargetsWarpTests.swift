import Foundation
import MedAugCore
import XCTest
import MedAugImage
@testable import MedAugAugment

/// Targets through PerspectiveTransform, ElasticTransformation and
/// PiecewiseAffine (and pillike.Affine's refusal): the image never depends on
/// the targets, order-0 warps move masks as they move label images, and
/// keypoints, boxes and masks match imgaug 0.4.0 on fixed cases.
final class TargetsWarpTests: XCTestCase {
    static let width = 40, height = 30

    /// Blocks of the labels 0...5, 7 pixels wide and 6 high.
    static func labels(width: Int = width, height: Int = height) -> Image {
        var v = [UInt8](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width { v[y * width + x] = UInt8(((x / 7) + 2 * (y / 6)) % 6) }
        }
        return Image(width: width, height: height, channels: 1, bytes: v)
    }

    /// The points of the parity cases: on the image, on half pixels, off it to
    /// the left, and on the right edge (x == width counts as off the image).
    static let points = [Keypoint(x: 3.5, y: 4.25), Keypoint(x: 20, y: 15), Keypoint(x: 39.9, y: 29.9),
                         Keypoint(x: -5, y: 10), Keypoint(x: 0, y: 0), Keypoint(x: 12.5, y: 7.5), Keypoint(x: 40, y: 3)]
    static let boxes = [BoundingBox(x1: 2, y1: 3, x2: 12, y2: 15, label: 1, id: 7),
                        BoundingBox(x1: 20.5, y1: 10, x2: 40, y2: 30, label: 2, id: 8)]

    /// The parity input: a black 1-channel image with the label blocks as its mask.
    static func parityInput() -> AnnotatedImage {
        AnnotatedImage(Image(width: width, height: height, channels: 1, bytes: [UInt8](repeating: 0, count: width * height)),
                       targets: ImageTargets(masks: [labels()], keypoints: points, boxes: boxes))
    }

    /// An RGB image with a mask, a heatmap, points and boxes.
    static func richInput() -> AnnotatedImage {
        let w = width, h = height
        let heat = Heatmap(width: w, height: h, values: (0..<(w * h)).map { Float($0 % w) / Float(w - 1) })
        return AnnotatedImage(Geo.pattern(width: w, height: h, channels: 3, seed: 5),
                              targets: ImageTargets(masks: [labels()], heatmaps: [heat], keypoints: points, boxes: boxes))
    }

    /// What imgaug 0.4.0 gave for one case.
    struct Expected {
        var keypoints: [(Double, Double)]
        var boxes: [(Double, Double, Double, Double)]
        /// Width, height and the labels row-major, one digit each.
        var mask: (Int, Int, String)?
    }

    func assertMatches(_ out: ImageTargets, _ e: Expected, _ what: String, tolerance: Double = 1e-3,
                       file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(out.keypoints.count, e.keypoints.count, what, file: file, line: line)
        for (k, (p, q)) in zip(out.keypoints, e.keypoints).enumerated() {
            XCTAssertEqual(p.x, q.0, accuracy: tolerance, "\(what) keypoint \(k) x", file: file, line: line)
            XCTAssertEqual(p.y, q.1, accuracy: tolerance, "\(what) keypoint \(k) y", file: file, line: line)
        }
        XCTAssertEqual(out.boxes.count, e.boxes.count, what, file: file, line: line)
        for (k, (b, q)) in zip(out.boxes, e.boxes).enumerated() {
            XCTAssertEqual(b.x1, q.0, accuracy: tolerance, "\(what) box \(k) x1", file: file, line: line)
            XCTAssertEqual(b.y1, q.1, accuracy: tolerance, "\(what) box \(k) y1", file: file, line: line)
            XCTAssertEqual(b.x2, q.2, accuracy: tolerance, "\(what) box \(k) x2", file: file, line: line)
            XCTAssertEqual(b.y2, q.3, accuracy: tolerance, "\(what) box \(k) y2", file: file, line: line)
            XCTAssertEqual(b.label, Self.boxes[k].label, file: file, line: line)
            XCTAssertEqual(b.id, Self.boxes[k].id, file: file, line: line)
        }
        if let (w, h, digits) = e.mask {
            guard let m = out.masks.first else { return XCTFail("\(what): no mask", file: file, line: line) }
            XCTAssertEqual(m.width, w, what, file: file, line: line)
            XCTAssertEqual(m.height, h, what, file: file, line: line)
            let got = String(m.bytes!.map { Character(String($0)) })
            XCTAssertEqual(got, digits, "\(what) mask", file: file, line: line)
        }
    }

    func context(_ seed: UInt64) -> AugmentContext { AugmentContext(seed: seed, identity: "targets-warp", recordTrace: true) }

    // MARK: (a) the image does not depend on the targets

    static let augmenters: [any Augmenter] = [
        PerspectiveTransform(),
        PerspectiveTransform(scale: .range(0.05, 0.15), mode: .choice([.constant, .replicate]), keepSize: false, fitOutput: true),
        PerspectiveTransform(scale: .range(0.05, 0.15), keepSize: true, fitOutput: true),
        ElasticTransformation(),
        ElasticTransformation(alpha: .range(5, 30), sigma: .range(2, 5), order: .constant(0)),
        PiecewiseAffine(),
        PiecewiseAffine(scale: .range(0.03, 0.08), order: .choice([0, 1, 3]), mode: .choice([.constant, .edge])),
    ]

    func testImageAndTraceAreTheSameWithAndWithoutTargets() throws {
        let input = Self.richInput()
        for aug in Self.augmenters {
            XCTAssertEqual(aug.targetRule, .moved, aug.name)
            var movedOnce = false
            for seed: UInt64 in 1...4 {
                var a = context(seed), b = context(seed)
                let alone = try aug.augment(input.image, &a)
                let together = try aug.augment(input, &b)
                XCTAssertEqual(together.image, alone, "\(aug.name) \(aug.arguments) seed \(seed)")
                XCTAssertEqual(a.trace, b.trace, "\(aug.name) seed \(seed)")
                XCTAssertEqual(a.rng.nextDouble(), b.rng.nextDouble(), "\(aug.name) seed \(seed): the streams part")
                let t = together.targets
                XCTAssertEqual(t.masks.map(\.width), [alone.width], aug.name)
                XCTAssertEqual(t.masks.map(\.height), [alone.height], aug.name)
                XCTAssertEqual(t.heatmaps.map(\.width), [alone.width], aug.name)
                XCTAssertEqual(t.heatmaps.map(\.height), [alone.height], aug.name)
                XCTAssertEqual(t.keypoints.count, input.targets.keypoints.count, aug.name)
                XCTAssertEqual(t.boxes.map(\.id), input.targets.boxes.map(\.id), aug.name)
                XCTAssertTrue(Set(t.masks[0].bytes!).isSubset(of: Set(0...5)), "\(aug.name): a mask keeps its labels")
                movedOnce = movedOnce || t.keypoints != input.targets.keypoints
            }
            XCTAssertTrue(movedOnce, "\(aug.name) never moved a keypoint")
        }
    }

    // MARK: (b) order 0 moves a mask exactly as it moves the same label image

    func testOrderZeroWarpsMoveMasksAsTheyMoveLabelImages() throws {
        let augmenters: [any Augmenter] = [
            ElasticTransformation(alpha: .range(10, 40), sigma: .range(3, 6), order: .constant(0), cval: .constant(0),
                                  mode: .constant(.constant)),
            PiecewiseAffine(scale: .range(0.03, 0.1), nbRows: .range(2, 5), nbCols: .range(2, 5), order: .constant(0),
                            cval: .constant(0), mode: .constant(.constant)),
        ]
        let labels8 = Self.labels(width: 37, height: 29)
        let labels16 = Image(width: 37, height: 29, channels: 1, samples16: labels8.bytes!.map { UInt16($0) * 10_000 })
        for aug in augmenters {
            for labels in [labels8, labels16] {
                var changed = false
                for seed: UInt64 in 1...8 {
                    var ctx = context(seed)
                    let out = try aug.augment(AnnotatedImage(labels, targets: ImageTargets(masks: [labels])), &ctx)
                    XCTAssertEqual(out.targets.masks, [out.image], "\(aug.name) \(labels.bitDepth)-bit seed \(seed)")
                    changed = changed || out.image != labels
                }
                XCTAssertTrue(changed, "\(aug.name) left every label image alone")
            }
        }
    }

    // MARK: (c) imgaug 0.4.0's numbers on fixed cases

    // Made with imgaug 0.4.0 (opencv-python 4.7.0, scikit-image 0.20.0, numpy
    // 1.23.5, the parity venv): the augmenter's `jitter` parameter replaced by
    // one returning these float32 values, then `aug(image=zeros((30, 40, 1)),
    // keypoints=KeypointsOnImage(points), bounding_boxes=BoundingBoxesOnImage(boxes),
    // segmentation_maps=SegmentationMapsOnImage(labels))`, printing the
    // coordinates and the map's labels row-major.
    static let perspectiveJitter: [Float] = [0.05, 0.08, -0.03, 0.1, 0.07, -0.02, 0.04, 0.06]
    static let perspectiveCases: [(keepSize: Bool, fitOutput: Bool, expected: Expected)] = [
        (true, false, Expected(keypoints: [(1.7044589519500732, 2.0576279163360596), (20.320018768310547, 13.893265724182129), (42.98591232299805, 30.478702545166016), (-7.77374792098999, 8.808405876159668), (-2.2652699947357178, -2.661090612411499), (11.768393516540527, 5.542638778686523), (41.270477294921875, -0.02147526480257511)],
                  boxes: [(0.010367022827267647, 0.4888777434825897, 11.449604988098145, 14.405035018920898), (20.6589298248291, 7.725910186767578, 43.10205841064453, 31.380035400390625)],
                  mask: (40, 30, "000000111111112222222233333334444444555500000011111111222222223333333444444455550000001111111122222222333333344444445555000000111111112222222233333334444444555500002233333333444444445555555000000001112222223333333344444444555555500000000111222222333333334444444455555550000000011122222233333333444444445555555000000001112222223333333344444444555555500000000111222222333333334444444455555550000000011122222233333333444444445555555000000001114444445555555500000000111111122222222333444444555555550000000011111112222222233344444455555555000000001111111222222223334444445555555500000000111111122222222333444444555555550000000011111112222222233344444455555555000000001111111222222223334444445555555500000000111111122222222333440000111111112222222233333334444444455500000011111111222222223333333444444445550000001111111122222222333333344444444555000000111111112222222223333334444444455500000011111111122222222333333334444445550000001111111112222222233333333444444555000000111111111222222223333333344444455500000033333333344444444555555550000000112222223333333334444444455555555000000011222222333333333444444445555555500000001122222223333333344444444555555550000000112222222333333334444444455555555000000011"))),
        (true, true, Expected(keypoints: [(3.4477314949035645, 4.803409576416016), (19.80533218383789, 14.384257316589355), (39.896339416503906, 27.970863342285156), (-5.006954193115234, 10.47950553894043), (0.0, 0.9677419066429138), (12.29443645477295, 7.5679931640625), (38.235294342041016, 2.6826374530792236)],
                  boxes: [(1.9682886600494385, 3.415165424346924, 11.958094596862793, 15.035868644714355), (20.122278213500977, 9.045588493347168, 40.0, 28.99253273010254)],
                  mask: (40, 30, "000000000000000000000333333344444455555000000001111111222222233333334444445555500000000111111122222223333333444444555550000000011111112222222333333344444455555000000001111111222222233333334444444555500000000111111122222223333333444444455550000000011133334444444555555500000001111022222223333333444444455555550000000111112222222333333344444445555555000000011111222222233333334444444555555500000001111122222223333333444444455555550000000111112222222333333344444445555555000000233333222244455555550000000111111122222223333344444445555555000000011111112222222333334444444555555500000001111111222222233333444444455555550000000111111122222223333344444445555555000000011111112222222333334444444555555500000001111111244444455555444400011111112222222333333344444445555500000001111111222222233333334444444555550000000111111122222223333333344444455555000000011111112222222233333334444444555500000001111111222222223333333444444455550000000111111122222222333333300000001111000000233333334444444455555550000000111122222223333333344444445555555000000011112222222333333334444444555555500000001111222222233333333444444455555550000000111122222223333333344444445555555000000011112222222333333334444444555555500000000000"))),
        (false, false, Expected(keypoints: [(1.534013032913208, 1.7832775115966797), (18.28801727294922, 12.040830612182617), (38.687320709228516, 26.41487693786621), (-6.996373176574707, 7.633951663970947), (-2.038743019104004, -2.3062784671783447), (10.591553688049316, 4.803620338439941), (37.143428802490234, -0.01861189678311348)],
                  boxes: [(0.009330321103334427, 0.42369404435157776, 10.304644584655762, 12.484363555908203), (18.593036651611328, 6.695788383483887, 38.79185485839844, 27.196029663085938)],
                  mask: (36, 26, "000001111111222222233333334444445555000001111111222222233333334444445555000001111111222222233333334444445555000223333333444444455555550000000111222223333333444444455555550000000111222223333333444444455555550000000111222223333333444444455555550000000111222223333333444444455555550000000111222223333333444444455555550000000111444445555555000000011111112222222333444445555555000000011111112222222333444445555555000000011111112222222333444445555555000000011111112222222333444445555555000000011111112222222333444445555555000000011111112222222333400001111111222222233333334444444555000001111111222222233333334444444555000001111111222222233333334444444555000001111111222222223333334444444555000001111111122222223333333444444555000001111111122222223333333444444555000003333333344444445555555000000011222223333333344444445555555000000011222223333333344444445555555000000011222222333333344444445555555000000011222222333333344444445555555000000011"))),
        (false, true, Expected(keypoints: [(3.5339248180389404, 4.963522911071777), (20.300464630126953, 14.86373233795166), (40.89374542236328, 28.903226852416992), (-5.13212776184082, 10.828822135925293), (0.0, 1.0), (12.601797103881836, 7.8202595710754395), (39.19117736816406, 2.7720587253570557)],
                  boxes: [(2.01749587059021, 3.5290043354034424, 12.257047653198242, 15.537064552307129), (20.625333786010742, 9.347107887268066, 41.0, 29.95895004272461)],
                  mask: (41, 31, "00000000000000000000033333334444445555500000000011111112222222333333344444455555000000000111111122222223333333444444555550000000001111111222222233333334444445555500000000011111112222222333333344444445555000000000111111122222223333333444444455550000000001113333444444455555550000000111100222222233333334444444555555500000001111102222222333333344444445555555000000011111022222223333333444444455555550000000111110222222233333334444444555555500000001111102222222333333344444445555555000000233333022224445555555000000011111112222222333330444444455555550000000111111122222223333304444444555555500000001111111222222233333044444445555555000000011111112222222333330444444455555550000000111111122222223333304444444555555500000001111111244444455555044440001111111222222233333334444444555550000000011111112222222333333344444445555500000000111111122222223333333344444455555000000001111111222222223333333444444455550000000011111112222222233333334444444555550000000111111122222222333333300000001111100000023333333444444445555555000000011111222222233333333444444455555550000000111112222222333333334444444555555500000001111122222223333333344444445555555000000011111222222233333333444444455555550000000111112222222333333334444444555555500000000000022222223330000000000000000000000000000000"))),
    ]

    func testPerspectiveTargetsMatchImgaug() {
        for c in Self.perspectiveCases {
            let out = PerspectiveKernel.apply(Self.parityInput(), jitter: Self.perspectiveJitter.map { Double($0) },
                                              mode: .constant, cval: [0, 0, 0], keepSize: c.keepSize, fitOutput: c.fitOutput)
            assertMatches(out.targets, c.expected, "keep_size=\(c.keepSize) fit_output=\(c.fitOutput)")
        }
    }

    /// The fixed field of the elastic cases, as numpy computed it:
    /// float32(3 sin(x/6 + y/9)) and float32(2 cos(x/7 − y/5)).
    static func elasticField() -> (dx: [Float], dy: [Float]) {
        var dx = [Float](), dy = [Float]()
        for y in 0..<height {
            for x in 0..<width {
                dx.append(Float(3 * sin(Double(x) / 6 + Double(y) / 9)))
                dy.append(Float(2 * cos(Double(x) / 7 - Double(y) / 5)))
            }
        }
        return (dx, dy)
    }

    // Made with imgaug 0.4.0 in the parity venv: `ElasticTransformation()._augment_kpsoi_by_samples`
    // and `_augment_bbsoi_by_samples` with the field above (as float64) and
    // samples holding only the alpha and sigma below; the mask is
    // `ElasticTransformation._map_coordinates(labels, dx, dy, order=0, cval=0,
    // mode="constant")` (the segmentation-map path). The second and third
    // cases sit on imgaug's thresholds, where keypoints stay put.
    static let elasticCases: [(alpha: Double, sigma: Double, expected: Expected)] = [
        (5, 3, Expected(keypoints: [(6.268700767680997, 5.855645988739545), (17.123243268475473, 16.979575833043437), (38.041774603630905, 30.831771364258962), (-5.0, 10.0), (1.8226502732513818, 2.9967336345071214), (13.059036430741974, 9.649679796973684), (40.0, 3.0)],
                  boxes: [(3.8551356114162663, 3.8816301931764308, 14.169231402655575, 15.562456817654404), (17.4482692125016, 10.0, 40.0, 30.0)],
                  mask: (40, 30, "000000000011111122223333344444444550000000000000001111112222333334444444455555550000000000111112222233333444444445555555000000000011111222223333344444444455555500000000001111122222333550000000045555550000000000111112222355555000000000011115000000000111112222455555500000000000111100022000011111244445555550000000000011110002222223333344444555555000000000000111000222222333334444455555500000000000011100022222233333444445555550000002222222330002222223333444445555555500022222222233000444443333344444555555550222222222223300044444555550444455555511122222222222330004444455555000001111111112222222222233000444445555000000111111111122222222223300000044555500000011111111112222222222330000000111110000001111111111122222222455000000011111222200111111111111222224445500000001111122222233331111111122444444550000000111112222223333333333334444444455000000111112222222233333333333344444455500002233333444222223333333333334444445550222223333344444444533333333333444444555022222333334444444445555533333344444455502222233333444444444555555555534444445550222233333344444444445555555555000000111222223333334444444444455555555500000111122222333333440000000000555555550000011102222233333000000000000000000555000001110"))),
        (0.05, 3, Expected(keypoints: [(3.5, 4.25), (20.0, 15.0), (39.9, 29.9), (-5.0, 10.0), (0.0, 0.0), (12.5, 7.5), (40.0, 3.0)],
                  boxes: [(2.0, 3.0, 12.0, 15.0), (20.5, 10.0, 40.0, 30.0)],
                  mask: nil)),
        (5, 1, Expected(keypoints: [(3.5, 4.25), (20.0, 15.0), (39.9, 29.9), (-5.0, 10.0), (0.0, 0.0), (12.5, 7.5), (40.0, 3.0)],
                  boxes: [(2.0, 3.0, 12.0, 15.0), (20.5, 10.0, 40.0, 30.0)],
                  mask: nil)),
    ]

    func testElasticTargetsMatchImgaug() {
        let (dx, dy) = Self.elasticField()
        for c in Self.elasticCases {
            let out = ElasticKernel.apply(Self.parityInput(), dx: dx, dy: dy, alpha: c.alpha, sigma: c.sigma, order: 1,
                                          mode: .constant, cval: 0)
            assertMatches(out.targets, c.expected, "alpha=\(c.alpha) sigma=\(c.sigma)")
        }
    }

    // Made with imgaug 0.4.0 in the parity venv: PiecewiseAffine(nb_rows=3,
    // nb_cols=4) with its jitter replaced as for the perspective cases, and
    // scipy's triangles read from `aug._get_transformer(...)._tesselation.simplices`
    // (given to MedAug's kernel here, since MedAug cuts cells its own way).
    static let piecewiseJitter: [Float] = [0.06, -0.03, 0.09, 0.045, -0.06, 0.03, 0.03, 0.06, 0.0, -0.09, 0.075, 0.03,
                                           -0.03, 0.06, 0.045, -0.045, 0.09, 0.0, -0.06, 0.06, 0.03, 0.03, 0.06, -0.03]
    static let scipyTriangles: [[Int]] = [[4, 1, 5], [1, 4, 0], [9, 4, 5], [4, 9, 8], [7, 2, 3], [2, 7, 6], [1, 2, 5], [2, 6, 5], [7, 10, 6], [10, 7, 11], [10, 9, 5], [6, 10, 5]]
    static let piecewiseExpected = Expected(keypoints: [(3.0, 2.0), (18.0, 14.0), (39.0, 29.0), (-5.0, 10.0), (0.0, 0.0), (11.0, 5.0), (40.0, 3.0)],
                  boxes: [(2.0, 1.0, 11.0, 15.0), (19.0, 9.0, 40.0, 30.0)],
                  mask: (40, 30, "000000111111222222233333333444444445555500000011111122222223333333344444444555550000001111112222222233333334444444455555000000111111242222223333333444444445555500022233333344444442333333344444444555552222223333333444444455553344444400011111222222333333344444445555550000000001111122222233333334444444555555000000000011112222223333333444444455555500000000001111222222333333344444445555550000000000111122222233555550000044555555000000000011112444445555555000000011555500000000223333444444555555500000001111110022222223333344444455555550000001111111222222222333334444445555555000000111111122222222233333444444555555500000011111112222222223333344444455555112222001111111222222222333334444445111111222222331111122222222235555000000111111122222223333312222444445555500000011111112222222333333444444444455550000001111111222222233333344444444445555000000111111222222223333334444444444555500000011111122222222333333444444444455550000001111112222222233333344444444445555000000111111444444445555534444000000111122222233333344444444555555000000000011112222223333334444444555555550000000011111222222333333444444455555555000000001111122222233333344444445555555500000000111112222223333334444444555555550000000011111"))

    func testPiecewiseAffineTargetsMatchImgaug() {
        let out = PiecewiseAffineKernel.apply(Self.parityInput(), rows: 3, cols: 4, jitter: Self.piecewiseJitter,
                                              triangles: Self.scipyTriangles.map { .init($0[0], $0[1], $0[2]) },
                                              order: 1, mode: .constant, cval: 0)
        assertMatches(out.targets, Self.piecewiseExpected, "piecewise", tolerance: 0)
    }

    // MARK: smaller rules

    func testElasticKeypointsFollowTheFieldNearThem() {
        // A constant field moves every point on the image by exactly the shift;
        // the geometric median of equally moved neighbours is the shifted point.
        let n = Self.width * Self.height
        let dx = [Float](repeating: 2.5, count: n), dy = [Float](repeating: -1.25, count: n)
        let moved = ElasticKernel.movedKeypoints([Keypoint(x: 10, y: 10), Keypoint(x: 0, y: 0), Keypoint(x: 41, y: 2)],
                                                 dx: dx, dy: dy, width: Self.width, height: Self.height, alpha: 1, sigma: 2)
        XCTAssertEqual(moved[0].x, 12.5, accuracy: 1e-5)
        XCTAssertEqual(moved[0].y, 8.75, accuracy: 1e-5)
        // At a corner only the quadrant of neighbours on the image counts, and
        // their median sits one pixel in: imgaug gives (3.5, -0.25) here too.
        XCTAssertEqual(moved[1].x, 3.5, accuracy: 1e-5)
        XCTAssertEqual(moved[1].y, -0.25, accuracy: 1e-5)
        XCTAssertEqual(moved[2], Keypoint(x: 41, y: 2), "off the image: unchanged")
        XCTAssertEqual(ElasticKernel.manhattanNeighbourhood(Keypoint(x: 1, y: 2), steps: 3, stepSize: 1).count, 25)
    }

    func testPiecewiseKeypointsLandOnPixelsOrMinusOne() {
        // With no movement the distance maps come back as they were: a point
        // lands on its nearest pixel (the first of equals).
        let w = 12, h = 9
        var xs = [Double](), ys = [Double]()
        for y in 0..<h { for x in 0..<w { xs.append(Double(x)); ys.append(Double(y)) } }
        let moved = PiecewiseAffineKernel.movedKeypoints([Keypoint(x: 3.4, y: 5.6), Keypoint(x: 7.5, y: 2.5), Keypoint(x: -1, y: 3)],
                                                         width: w, height: h, xs: xs, ys: ys)
        XCTAssertEqual(moved, [Keypoint(x: 3, y: 6), Keypoint(x: 7, y: 2), Keypoint(x: -1, y: 3)])
        // Sampling only far outside leaves every map near 0: below imgaug's 0.01 threshold.
        let far = PiecewiseAffineKernel.movedKeypoints([Keypoint(x: 3, y: 1)], width: 300, height: 2,
                                                       xs: [Double](repeating: 299, count: 600), ys: [Double](repeating: 1, count: 600))
        XCTAssertEqual(far, [Keypoint(x: -1, y: -1)])
    }

    func testPerspectiveKeypointsUseTheImageMatrix() {
        // A pure scale by 2 (keep_size off): points double, as the image does.
        let m = PerspectiveMatrix([2, 0, 0, 0, 2, 0, 0, 0, 1])
        XCTAssertEqual(PerspectiveKernel.transform([Keypoint(x: 1.5, y: 3)], matrix: m), [Keypoint(x: 3, y: 6)])
        // A third coordinate of 0 sends the point to the origin, as OpenCV does.
        let flat = PerspectiveMatrix([1, 0, 0, 0, 1, 0, 1, 0, -1])
        XCTAssertEqual(PerspectiveKernel.transform([Keypoint(x: 1, y: 5)], matrix: flat), [Keypoint(x: 0, y: 0)])
    }

    func testPillikeAffineRefusesTargets() throws {
        let aug = PillikeAffine(rotate: .range(-20, 20))
        XCTAssertEqual(aug.targetRule, .refused)
        var ctx = context(3)
        XCTAssertThrowsError(try aug.augment(Self.richInput(), &ctx)) { error in
            XCTAssertEqual((error as? AugmentError)?.augmenter, "pillike.Affine")
        }
        var a = context(3), b = context(3)
        let image = Self.richInput().image
        XCTAssertEqual(try aug.augment(AnnotatedImage(image), &a).image, try aug.augment(image, &b))
    }
}
