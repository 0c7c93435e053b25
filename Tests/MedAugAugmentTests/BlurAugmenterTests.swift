import XCTest
import MedAugImage
@testable import MedAugAugment

/// The Blur augmenters: sampling, no-op rules, shapes and bit depths.
final class BlurAugmenterTests: XCTestCase {
    func testEveryBlurSurvivesEdgeShapes() {
        BlurConv.assertEdgeShapes(GaussianBlur(sigma: .range(0.5, 4)), sixteen: true)
        BlurConv.assertEdgeShapes(AverageBlur(k: .range(1, 12)), sixteen: true)
        BlurConv.assertEdgeShapes(AverageBlur(height: .range(2, 9), width: .constant(4)), sixteen: true)
        BlurConv.assertEdgeShapes(MedianBlur(k: .range(3, 13)), sixteen: true)
        BlurConv.assertEdgeShapes(BilateralBlur(d: .range(2, 12)), sixteen: false)
        BlurConv.assertEdgeShapes(MotionBlur(k: .range(3, 15)), sixteen: true)
    }

    func testGaussianBlurUsesTheSampledSigma() throws {
        let img = BlurConv.smooth(width: 12, height: 9, channels: 3)
        var ctx = BlurConv.context()
        let out = try GaussianBlur(sigma: .constant(1.5)).augment(img, &ctx)
        XCTAssertEqual(out, GaussianBlurKernel.apply(img, sigma: 1.5))
        XCTAssertEqual(ctx.trace, [AppliedStep(augmenter: "GaussianBlur", values: [("sigma", "1.5")])])
        XCTAssertEqual(try BlurConv.run(GaussianBlur(sigma: .constant(0)), img), img)
    }

    func testGaussianBlurSamplesWithinTheRange() throws {
        for seed in 0..<20 {
            var ctx = BlurConv.context(UInt64(seed))
            _ = try GaussianBlur(sigma: .range(0.5, 1)).augment(Image(width: 2, height: 2, channels: 1), &ctx)
            let s = Double(ctx.trace![0].values[0].1)!
            XCTAssertTrue((0.5...1).contains(s), "\(s)")
        }
    }

    func testAverageBlurNoOpCases() throws {
        let img = BlurConv.pattern(width: 6, height: 5, channels: 3)
        XCTAssertEqual(try BlurConv.run(AverageBlur(k: .constant(1)), img), img)
        XCTAssertEqual(try BlurConv.run(AverageBlur(k: .constant(0)), img), img)
        XCTAssertEqual(try BlurConv.run(AverageBlur(height: .constant(0), width: .constant(5)), img), img)
        XCTAssertNotEqual(try BlurConv.run(AverageBlur(height: .constant(1), width: .constant(2)), img), img)
    }

    func testAverageBlurPerAxisAppliesHeightToHeight() throws {
        // imgaug passes (h, w) where OpenCV wants (w, h); MedAug blurs the height range vertically.
        let img = BlurConv.pattern(width: 8, height: 6, channels: 1)
        let out = try BlurConv.run(AverageBlur(height: .constant(3), width: .constant(1)), img)
        XCTAssertEqual(out, BoxFilter.apply(img, kernelWidth: 1, kernelHeight: 3))
        XCTAssertNotEqual(out, BoxFilter.apply(img, kernelWidth: 3, kernelHeight: 1))
        var ctx = BlurConv.context()
        _ = try AverageBlur(height: .constant(3), width: .constant(1)).augment(img, &ctx)
        XCTAssertEqual(ctx.trace!.first!.values.map(\.1), ["3", "1"])
    }

    func testAverageBlurSingleSampleServesBothAxes() throws {
        let img = BlurConv.pattern(width: 9, height: 9, channels: 3)
        for seed in UInt64(0)..<10 {
            var ctx = BlurConv.context(seed)
            let out = try AverageBlur(k: .range(2, 6)).augment(img, &ctx)
            let v = ctx.trace![0].values
            XCTAssertEqual(v[0].1, v[1].1)
            let k = Int(v[0].1)!
            XCTAssertTrue((2...6).contains(k))
            XCTAssertEqual(out, BoxFilter.apply(img, kernelWidth: k, kernelHeight: k))
        }
    }

    func testMedianBlurEvenSizesBecomeOdd() throws {
        let img = BlurConv.pattern(width: 10, height: 8, channels: 3)
        var ctx = BlurConv.context()
        let out = try MedianBlur(k: .constant(4)).augment(img, &ctx)
        XCTAssertEqual(out, MedianFilter.apply(img, size: 5))
        XCTAssertEqual(ctx.trace![0].values[0].1, "5")
        XCTAssertEqual(try BlurConv.run(MedianBlur(k: .constant(1)), img), img)
    }

    func testMedianBlurOnTwoChannelsWithLargeKernel() throws {
        // OpenCV refuses k >= 7 on 2-channel images; MedAug filters each channel.
        let img = BlurConv.pattern(width: 9, height: 7, channels: 2)
        let out = try BlurConv.run(MedianBlur(k: .constant(7)), img)
        let b = img.bytes!
        for ch in 0..<2 {
            let plane = Image(width: 9, height: 7, channels: 1, bytes: stride(from: ch, to: b.count, by: 2).map { b[$0] })
            let expected = MedianFilter.apply(plane, size: 7).bytes!
            XCTAssertEqual(stride(from: ch, to: b.count, by: 2).map { out.bytes![$0] }, expected)
        }
    }

    func testBilateralBlurDrawsDThenSigmas() throws {
        let img = BlurConv.smooth(width: 10, height: 6, channels: 3)
        var ctx = BlurConv.context()
        let aug = BilateralBlur(d: .constant(5), sigmaColor: .constant(40), sigmaSpace: .constant(20))
        let out = try aug.augment(img, &ctx)
        XCTAssertEqual(out, try BilateralFilter.apply(img, diameter: 5, sigmaColor: 40, sigmaSpace: 20))
        XCTAssertEqual(ctx.trace![0].values.map(\.0), ["d", "sigma_color", "sigma_space"])
        XCTAssertEqual(try BlurConv.run(BilateralBlur(d: .constant(1)), img), img)
    }

    func testBilateralBlurConverts16BitTo8Bit() throws {
        let img = BlurConv.pattern(width: 4, height: 4, channels: 3)
        let out = try BlurConv.run(BilateralBlur(), img.to16Bit())
        XCTAssertEqual(out.bitDepth, 8)
        XCTAssertEqual(out, try BlurConv.run(BilateralBlur(), img.to16Bit().to8Bit()))
    }

    func testMotionBlurDrawsKAngleDirectionInOrder() throws {
        let img = BlurConv.smooth(width: 11, height: 9, channels: 3)
        var ctx = BlurConv.context()
        let aug = MotionBlur(k: .constant(5), angle: .constant(90), direction: .constant(1))
        let out = try aug.augment(img, &ctx)
        XCTAssertEqual(ctx.trace![0].values.map(\.0), ["k", "angle", "direction"])
        XCTAssertEqual(out, filter2D(img, MotionBlurKernel.make(size: 5, angle: 90, direction: 1)))
        // The same stream gives the same result (no global state).
        XCTAssertEqual(try BlurConv.run(MotionBlur(), img, seed: 5), try BlurConv.run(MotionBlur(), img, seed: 5))
    }

    func testMotionBlurUniformVerticalBlurOnAColumnEdge() throws {
        // A vertical line blur leaves a horizontally varying, vertically constant image unchanged.
        let img = BlurConv.gray((0..<6).map { _ in [0, 0, 255, 255, 0, 0, 90] })
        let out = try BlurConv.run(MotionBlur(k: .constant(5), angle: .constant(0), direction: .constant(0)), img)
        XCTAssertEqual(out, img)
        // Rotated by 90 degrees it averages along the row: x=2 sees (0 + 0 + 255 + 255 + 0) / 5 = 102.
        let turned = try BlurConv.run(MotionBlur(k: .constant(5), angle: .constant(90), direction: .constant(0)), img)
        XCTAssertEqual(BlurConv.rows(turned)[3][2], 102)
    }
}
