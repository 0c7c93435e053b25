import XCTest
import MedAugImage
@testable import MedAugAugment

/// Pipeline files naming the Blur augmenters: parsing, range checks, round trips.
final class BlurPipelineTests: XCTestCase {
    func testDefaults() throws {
        let p = try PipelineReader.parse("""
        - GaussianBlur
        - AverageBlur
        - MedianBlur
        - BilateralBlur
        - MotionBlur
        """, format: .yaml)
        XCTAssertEqual(p.children.map(\.name), ["GaussianBlur", "AverageBlur", "MedianBlur", "BilateralBlur", "MotionBlur"])
        XCTAssertEqual((p.children[0] as? GaussianBlur)?.sigma, .range(0, 3))
        XCTAssertEqual((p.children[1] as? AverageBlur)?.k, .both(.range(1, 7)))
        XCTAssertEqual((p.children[2] as? MedianBlur)?.k, .range(1, 7))
        let b = try XCTUnwrap(p.children[3] as? BilateralBlur)
        XCTAssertEqual(b.d, .range(1, 9))
        XCTAssertEqual([b.sigmaColor, b.sigmaSpace], [.range(10, 250), .range(10, 250)])
        let m = try XCTUnwrap(p.children[4] as? MotionBlur)
        XCTAssertEqual(m.k, .range(3, 7))
        XCTAssertEqual([m.angle, m.direction], [.range(0, 360), .range(-1, 1)])
        XCTAssertEqual(m.order, 1)
    }

    func testStudyPresetEntriesParse() throws {
        let p = try PipelineReader.parse("""
        - GaussianBlur: {sigma: [0, 3.0]}
        - AverageBlur: {k: [2, 7]}
        - MedianBlur: {k: [3, 11]}
        - BilateralBlur: {d: [3, 10], sigma_color: [10, 250], sigma_space: [10, 250]}
        - MotionBlur: {k: [3, 7]}
        """, format: .yaml)
        XCTAssertEqual((p.children[1] as? AverageBlur)?.k, .both(.range(2, 7)))
        XCTAssertEqual((p.children[2] as? MedianBlur)?.k, .range(3, 11))
        XCTAssertEqual((p.children[3] as? BilateralBlur)?.d, .range(3, 10))
        let img = BlurConv.smooth(width: 16, height: 12, channels: 3)
        for seed in UInt64(0)..<5 {
            var ctx = BlurConv.context(seed)
            _ = try p.augment(img, &ctx)
        }
    }

    func testAverageBlurKForms() throws {
        XCTAssertEqual(try BlurConv.only("- AverageBlur: {k: 5}", as: AverageBlur.self).k, .both(.constant(5)))
        XCTAssertEqual(try BlurConv.only("- AverageBlur: {k: {choice: [3, 5]}}", as: AverageBlur.self).k, .both(Discrete(.choice([3, 5]))))
        XCTAssertEqual(try BlurConv.only("- AverageBlur: {k: [[1, 3], [5, 7]]}", as: AverageBlur.self).k,
                       .perAxis(height: .range(1, 3), width: .range(5, 7)))
        XCTAssertEqual(try BlurConv.only("- AverageBlur: {k: [3, [5, 7]]}", as: AverageBlur.self).k,
                       .perAxis(height: .constant(3), width: .range(5, 7)))
    }

    func testMotionBlurOrderAndDirection() throws {
        let m = try BlurConv.only("- MotionBlur: {k: 5, angle: [-45, 45], direction: 0.5, order: 0}", as: MotionBlur.self)
        XCTAssertEqual(m.k, .constant(5))
        XCTAssertEqual(m.angle, .range(-45, 45))
        XCTAssertEqual(m.direction, .constant(0.5))
        XCTAssertEqual(m.order, 0)
    }

    func testBadValuesNameTheKey() {
        BlurConv.assertRejects("- GaussianBlur: {sigma: -1}", key: "sigma")
        BlurConv.assertRejects("- GaussianBlur: {sigma: [0, 1, 2]}", key: "sigma")
        BlurConv.assertRejects("- AverageBlur: {k: -2}", key: "k")
        BlurConv.assertRejects("- AverageBlur: {k: [[1, 3], -1]}", key: "k")
        BlurConv.assertRejects("- MedianBlur: {k: 4}", key: "k")
        BlurConv.assertRejects("- MedianBlur: {k: [3, 6]}", key: "k")
        BlurConv.assertRejects("- MedianBlur: {k: 0}", key: "k")
        BlurConv.assertRejects("- MedianBlur: {k: 3.5}", key: "k")
        BlurConv.assertRejects("- BilateralBlur: {d: 0}", key: "d")
        BlurConv.assertRejects("- BilateralBlur: {sigma_color: 0.5}", key: "sigma_color")
        BlurConv.assertRejects("- BilateralBlur: {sigma_space: [0, 10]}", key: "sigma_space")
        BlurConv.assertRejects("- MotionBlur: {k: 2}", key: "k")
        BlurConv.assertRejects("- MotionBlur: {direction: 1.5}", key: "direction")
        BlurConv.assertRejects("- MotionBlur: {order: 2}", key: "order")
        BlurConv.assertRejects("- MotionBlur: {sigma: 2}", key: "sigma")
    }

    func testRoundTrip() throws {
        try BlurConv.assertRoundTrip([
            GaussianBlur(), GaussianBlur(sigma: .constant(1.25)), GaussianBlur(sigma: Continuous(.choice([0.5, 2]))),
            AverageBlur(), AverageBlur(k: .constant(4)), AverageBlur(k: Discrete(.choice([3, 5, 7]))),
            AverageBlur(height: .range(1, 3), width: .range(5, 7)),
            AverageBlur(height: .constant(3), width: .range(5, 7)),
            AverageBlur(height: .constant(3), width: .constant(5)),
            MedianBlur(), MedianBlur(k: .constant(5)), MedianBlur(k: Discrete(.choice([3, 7]))),
            BilateralBlur(), BilateralBlur(d: .constant(5), sigmaColor: .constant(75.5), sigmaSpace: Continuous(.choice([10, 20]))),
            MotionBlur(), MotionBlur(k: .constant(9), angle: .constant(-12.5), direction: .range(-0.5, 0.5), order: 3),
        ])
    }

    func testPerAxisConstantsKeepTheirMeaningThroughAFile() throws {
        // Two plain numbers would read back as a range, so both-constant per-axis sizes are written [c, c].
        let aug = AverageBlur(height: .constant(3), width: .constant(5))
        let text = PipelineWriter.render(Sequential([aug]), format: .yaml)
        let back = try BlurConv.only(text, as: AverageBlur.self)
        let img = BlurConv.pattern(width: 9, height: 8, channels: 1)
        XCTAssertEqual(try BlurConv.run(back, img), try BlurConv.run(aug, img))
    }
}
