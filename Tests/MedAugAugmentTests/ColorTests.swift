import XCTest
import MedAugImage
@testable import MedAugAugment

final class ColorTests: XCTestCase {
    static let input = DAC.image(8, 5, 3, ColorReference.brightnessInput)

    // MARK: MultiplyAndAddToBrightness

    func testBrightnessMatchesImgaugPerColourSpace() throws {
        for space in ColorSpace.allCases {
            let aug = MultiplyAndAddToBrightness(mul: .constant(1.2), add: .constant(10),
                                                 toColorspace: .constant(space), randomOrder: false)
            XCTAssertEqual(try DAC.run(aug, Self.input).bytes!, ColorReference.brightnessMul12Add10[space.rawValue]!, space.rawValue)
        }
    }

    func testIdentityParametersStillConvertLikeImgaug() throws {
        // imgaug replaces Multiply(1)/Add(0) by Identity but still converts there and back, which is lossy.
        for space in ColorSpace.allCases {
            let aug = MultiplyAndAddToBrightness(mul: .constant(1), add: .constant(0), toColorspace: .constant(space))
            XCTAssertNil(aug.multiply)
            XCTAssertNil(aug.adder)
            XCTAssertEqual(try DAC.run(aug, Self.input).bytes!, ColorReference.brightnessIdentity[space.rawValue]!, space.rawValue)
        }
    }

    func testMulRaisesBrightnessAndKeepsHue() throws {
        let img = DAC.pattern(width: 32, height: 32, channels: 3, seed: 4)
        func hsv(_ i: Image) -> [UInt8] { ColorConversion.fromRGB(i, to: .hsv).bytes! }
        let before = hsv(img)
        for space in ColorSpace.allCases {
            let out = try DAC.run(MultiplyAndAddToBrightness(mul: .constant(1.2), add: .constant(0), toColorspace: .constant(space)), img)
            let after = hsv(out)
            let meanIn = img.bytes!.reduce(0) { $0 + Int($1) }, meanOut = out.bytes!.reduce(0) { $0 + Int($1) }
            XCTAssertGreaterThan(meanOut, meanIn, "\(space.rawValue) brightens")
            var hueDiff = 0, counted = 0
            for i in stride(from: 0, to: before.count, by: 3) where before[i + 1] > 60 && before[i + 2] > 60 && after[i + 2] < 250 {
                let d = abs(Int(before[i]) - Int(after[i]))
                hueDiff += min(d, 180 - d)
                counted += 1
            }
            XCTAssertLessThan(Double(hueDiff) / Double(max(counted, 1)), 3.5, "\(space.rawValue) keeps hue")
        }
    }

    func testGrayRGBAAndGrayAlpha() throws {
        // Gray: Multiply/Add act on the one channel directly (imgaug's uint8 rules, truncation).
        let gray = DAC.image(3, 1, 1, [10, 100, 200])
        let aug = MultiplyAndAddToBrightness(mul: .constant(2), add: .constant(0))
        XCTAssertEqual(try DAC.run(aug, gray).bytes!, [20, 200, 255])
        let grayAlpha = DAC.image(2, 1, 2, [10, 77, 101, 88])
        XCTAssertEqual(try DAC.run(MultiplyAndAddToBrightness(mul: .constant(1.5), add: .constant(-2.5), randomOrder: false), grayAlpha).bytes!,
                       [13, 77, 149, 88], "alpha kept; 10*1.5=15 then -2 (half-even) = 13, 151-2 = 149")
        // RGBA: colour as for RGB, alpha untouched.
        var rgba = [UInt8]()
        let rgb = ColorReference.brightnessInput
        for i in 0..<40 { rgba += rgb[i * 3..<i * 3 + 3]; rgba.append(UInt8(255 - i)) }
        let out = try DAC.run(MultiplyAndAddToBrightness(mul: .constant(1.2), add: .constant(10), toColorspace: .constant(.lab), randomOrder: false),
                              DAC.image(8, 5, 4, rgba)).bytes!
        let expected = ColorReference.brightnessMul12Add10["Lab"]!
        for i in 0..<40 {
            XCTAssertEqual(Array(out[i * 4..<i * 4 + 3]), Array(expected[i * 3..<i * 3 + 3]))
            XCTAssertEqual(out[i * 4 + 3], UInt8(255 - i))
        }
    }

    func testBGRInputConvertsTheSwappedImage() throws {
        var bgr = ColorReference.brightnessInput
        ColorConversion.swapRedBlue(&bgr, pixelCount: 40, channels: 3)
        let aug = MultiplyAndAddToBrightness(mul: .constant(1.2), add: .constant(10), toColorspace: .constant(.hsv),
                                             fromColorspace: "BGR", randomOrder: false)
        var out = try DAC.run(aug, DAC.image(8, 5, 3, bgr)).bytes!
        ColorConversion.swapRedBlue(&out, pixelCount: 40, channels: 3)
        XCTAssertEqual(out, ColorReference.brightnessMul12Add10["HSV"]!)
    }

    func testSamplingOrderAndTrace() throws {
        var spaces: Set<String> = [], orders: Set<String> = []
        for seed in 0..<60 as Range<UInt64> {
            var ctx = DAC.context(seed)
            _ = try MultiplyAndAddToBrightness().augment(Self.input, &ctx)
            let t = ctx.trace!
            XCTAssertEqual(t.count, 3)
            XCTAssertEqual(t[0].augmenter, "MultiplyAndAddToBrightness")
            spaces.insert(t[0].values[0].1)
            orders.insert(t[1].augmenter)
        }
        XCTAssertEqual(spaces, Set(ColorSpace.names), "every colour space gets picked")
        XCTAssertEqual(orders, ["Multiply", "Add"], "random_order permutes the children")
        var ctx = DAC.context()
        _ = try MultiplyAndAddToBrightness(randomOrder: false).augment(Self.input, &ctx)
        XCTAssertEqual(ctx.trace!.map(\.augmenter), ["MultiplyAndAddToBrightness", "Multiply", "Add"])
        // Same seed and identity, same result.
        XCTAssertEqual(try DAC.run(MultiplyAndAddToBrightness(), Self.input, seed: 3),
                       try DAC.run(MultiplyAndAddToBrightness(), Self.input, seed: 3))
    }

    func testBrightnessEdgeShapesAndConverts16Bit() {
        DAC.assertEdgeShapes(MultiplyAndAddToBrightness(), sixteen: false)
    }

    // MARK: UniformColorQuantization

    func testQuantizationTable() {
        // SPEC §11 [verified]: n = 4 maps 100 -> 96.
        XCTAssertEqual(ColorQuantization.table(nColors: 4)[100], 96)
        let two = ColorQuantization.table(nColors: 2)
        XCTAssertEqual(Set(two[0..<128]), [64])
        XCTAssertEqual(Set(two[128...]), [192])
        XCTAssertEqual(ColorQuantization.table(nColors: 256), (0..<256).map { UInt8($0) })
        // imgaug maps everything to 0 for n = 255 (a bug); MedAug quantises it like its neighbours.
        let t255 = ColorQuantization.table(nColors: 255)
        XCTAssertEqual(t255[0], 1)
        XCTAssertEqual(t255[200], 200)
        XCTAssertEqual(t255[255], 255)
        XCTAssertTrue(zip(t255, t255.dropFirst()).allSatisfy { $0 <= $1 })
    }

    func testQuantizationMatchesImgaug() throws {
        for (n, expected) in ColorReference.quantized {
            XCTAssertEqual(try DAC.run(UniformColorQuantization(n), Self.input).bytes!, expected, "n_colors \(n)")
        }
        let hsv = UniformColorQuantization(nColors: .constant(4), toColorspace: .constant("HSV"))
        XCTAssertEqual(try DAC.run(hsv, Self.input).bytes!, ColorReference.quantizedHSV4)
    }

    func testQuantizationChannels() throws {
        let gray = DAC.image(4, 1, 1, [0, 100, 130, 255])
        XCTAssertEqual(try DAC.run(UniformColorQuantization(4), gray).bytes!, [32, 96, 160, 224])
        let rgba = DAC.image(1, 1, 4, [100, 130, 255, 100])
        XCTAssertEqual(try DAC.run(UniformColorQuantization(4), rgba).bytes!, [96, 160, 224, 100], "alpha untouched")
        let la = DAC.image(1, 1, 2, [100, 100])
        XCTAssertEqual(try DAC.run(UniformColorQuantization(4), la).bytes!, [96, 100])
        let img = DAC.pattern(width: 5, height: 5, channels: 3)
        XCTAssertEqual(try DAC.run(UniformColorQuantization(256), img), img)
        // A choice of counts is drawn per image.
        var seen: Set<String> = []
        for seed in 0..<40 as Range<UInt64> {
            var ctx = DAC.context(seed)
            _ = try UniformColorQuantization(nColors: .range(2, 4)).augment(img, &ctx)
            seen.insert(ctx.trace!.last!.values[0].1)
        }
        XCTAssertEqual(seen, ["2", "3", "4"])
    }

    func testQuantizationMaxSizeResizesLikeImgaug() throws {
        // The 8x5 image is shrunk to 4x2, quantised and resized back, with each interpolation.
        for (interp, expected) in ColorReference.quantizedMaxSize4 {
            let aug = UniformColorQuantization(nColors: .constant(4), maxSize: 4, interpolation: interp)
            XCTAssertEqual(try DAC.run(aug, Self.input).bytes!, expected, interp)
        }
        // Not larger than max_size: no resizing.
        XCTAssertEqual(try DAC.run(UniformColorQuantization(nColors: .constant(4), maxSize: 8), Self.input),
                       try DAC.run(UniformColorQuantization(4), Self.input))
        // A very thin image keeps at least one pixel on the short side.
        let thin = DAC.pattern(width: 300, height: 1, channels: 4)
        XCTAssertEqual(try DAC.run(UniformColorQuantization(nColors: .constant(4), maxSize: 16), thin).width, 300)
    }

    func testQuantizationEdgeShapesAndConverts16Bit() {
        DAC.assertEdgeShapes(UniformColorQuantization(), sixteen: false)
        DAC.assertEdgeShapes(UniformColorQuantization(nColors: .range(2, 8), toColorspace: .choice(["HSV", "Lab"]), maxSize: 3), sixteen: false)
    }

    // MARK: pipeline files

    func testParseColourAugmenters() throws {
        let b = try DAC.only("- MultiplyAndAddToBrightness: {mul: [0.7, 1.3], add: [-30, 30]}", as: MultiplyAndAddToBrightness.self)
        XCTAssertEqual(b.mul, .range(0.7, 1.3))
        XCTAssertEqual(b.add, .range(-30, 30))
        XCTAssertEqual(b.toColorspace, .choice(ColorSpace.allCases))
        XCTAssertEqual(b.fromColorspace, "RGB")
        XCTAssertTrue(b.randomOrder)
        let b2 = try DAC.only("- MultiplyAndAddToBrightness: {to_colorspace: HSV, random_order: false, from_colorspace: BGR}", as: MultiplyAndAddToBrightness.self)
        XCTAssertEqual(b2.toColorspace, .constant(.hsv))
        XCTAssertFalse(b2.randomOrder)
        XCTAssertEqual(b2.fromColorspace, "BGR")
        XCTAssertEqual(try DAC.only("- MultiplyAndAddToBrightness: {to_colorspace: [Lab, Luv]}", as: MultiplyAndAddToBrightness.self).toColorspace,
                       .choice([.lab, .luv]))
        XCTAssertEqual(try DAC.only("- MultiplyAndAddToBrightness: {to_colorspace: ALL}", as: MultiplyAndAddToBrightness.self).toColorspace,
                       .choice(ColorSpace.allCases))

        let q = try DAC.only("- UniformColorQuantization: {n_colors: [2, 16]}", as: UniformColorQuantization.self)
        XCTAssertEqual(q.nColors, .range(2, 16))
        XCTAssertNil(q.toColorspace)
        XCTAssertNil(q.maxSize)
        let q2 = try DAC.only("- UniformColorQuantization: {n_colors: 8, to_colorspace: null, max_size: null, interpolation: nearest}",
                              as: UniformColorQuantization.self)
        XCTAssertEqual(q2.nColors, .constant(8))
        XCTAssertNil(q2.toColorspace)
        XCTAssertEqual(q2.interpolation, "nearest")
        XCTAssertEqual(try DAC.only("- UniformColorQuantization: {to_colorspace: HSV}", as: UniformColorQuantization.self).toColorspace,
                       .constant("HSV"))
        XCTAssertEqual(try DAC.only("- UniformColorQuantization", as: UniformColorQuantization.self).nColors, .range(2, 16))
        XCTAssertEqual(try DAC.only("- UniformColorQuantization: {max_size: 128}", as: UniformColorQuantization.self).maxSize, 128)
    }

    func testBadColourValuesNameTheKey() {
        DAC.assertPipelineError("- MultiplyAndAddToBrightness: {to_colorspace: XYZ}", key: "to_colorspace")
        DAC.assertPipelineError("- MultiplyAndAddToBrightness: {from_colorspace: HSV}", key: "from_colorspace")
        DAC.assertPipelineError("- MultiplyAndAddToBrightness: {random_order: 1}", key: "random_order")
        DAC.assertPipelineError("- MultiplyAndAddToBrightness: {mul: [1, 2, 3]}", key: "mul")
        DAC.assertPipelineError("- UniformColorQuantization: {n_colors: 1}", key: "n_colors")
        DAC.assertPipelineError("- UniformColorQuantization: {n_colors: [2, 300]}", key: "n_colors")
        DAC.assertPipelineError("- UniformColorQuantization: {n_colors: 4.5}", key: "n_colors")
        DAC.assertPipelineError("- UniformColorQuantization: {max_size: 0}", key: "max_size")
        DAC.assertPipelineError("- UniformColorQuantization: {max_size: 12.5}", key: "max_size")
        DAC.assertPipelineError("- UniformColorQuantization: {to_colorspace: GRAY}", key: "to_colorspace")
        DAC.assertPipelineError("- UniformColorQuantization: {interpolation: bicubic}", key: "interpolation")
    }

    func testColourRoundTrip() throws {
        try DAC.assertRoundTrip("""
        - MultiplyAndAddToBrightness: {mul: [0.7, 1.3], add: [-30, 30]}
        - MultiplyAndAddToBrightness: {mul: 1.1, add: 0, to_colorspace: HSV, random_order: false}
        - MultiplyAndAddToBrightness: {to_colorspace: {choice: [Lab, YUV]}, from_colorspace: BGR}
        - UniformColorQuantization: {n_colors: [2, 16]}
        - UniformColorQuantization: {n_colors: 8, to_colorspace: [HSV, Lab], max_size: null}
        - UniformColorQuantization: {n_colors: [4, 8], max_size: 128, interpolation: area}
        """)
    }
}
