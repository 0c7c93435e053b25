import XCTest
import MedAugImage
@testable import MedAugAugment

/// AddToHueAndSaturation, MultiplyHueAndSaturation, Cutout,
/// ChangeColorTemperature and JpegCompression (imgaug 0.4.0). Exact pixel
/// agreement with imgaug on real images is checked by parity/augment_parity.py.
final class OtherAugmenterTests: XCTestCase {
    static let pattern = DAC.pattern(width: 40, height: 9, channels: 3, seed: 3)

    func hsvRoundTrip(_ image: Image) -> Image {
        ColorConversion.toRGB(ColorConversion.fromRGB(image, to: .hsv), from: .hsv)
    }

    // MARK: AddToHueAndSaturation

    func testAddTablesFollowImgaug() {
        // -20 in 0...255 units is int(-20 / 255 * 180) = -14 in OpenCV's hue; hue wraps modulo 180.
        let t = HueSaturationKernel.addTables(hue: -20, saturation: 10)
        XCTAssertEqual(t.hue[0], 166)
        XCTAssertEqual(t.hue[14], 0)
        XCTAssertEqual(t.hue[179], 165)
        XCTAssertEqual(t.saturation[0], 10)
        XCTAssertEqual(t.saturation[250], 255)
        let full = HueSaturationKernel.addTables(hue: 255, saturation: -255)
        XCTAssertEqual(full.hue[5], 5, "255 projects to 180: a full turn")
        XCTAssertEqual(full.saturation[255], 0)
    }

    func testAddToHueAndSaturationPixels() throws {
        // value 0 still converts there and back (lossy), as imgaug does.
        XCTAssertEqual(try DAC.run(AddToHueAndSaturation(value: .constant(0)), Self.pattern), hsvRoundTrip(Self.pattern))
        XCTAssertEqual(try DAC.run(AddToHueAndSaturation(valueHue: .constant(255)), Self.pattern), hsvRoundTrip(Self.pattern))
        // Removing all saturation turns red into white (V = 255).
        let red = DAC.image(2, 1, 3, [255, 0, 0, 200, 0, 0])
        XCTAssertEqual(try DAC.run(AddToHueAndSaturation(valueSaturation: .constant(-255)), red).bytes!, [255, 255, 255, 200, 200, 200])
        // BGR: the same operation on swapped channels.
        let bgr = DAC.image(1, 1, 3, [0, 0, 255])
        XCTAssertEqual(try DAC.run(AddToHueAndSaturation(valueSaturation: .constant(-255), fromColorspace: "BGR"), bgr).bytes!,
                       [255, 255, 255])
    }

    func testHueSaturationGrayAlphaAnd16Bit() throws {
        let gray = DAC.image(3, 1, 1, [10, 100, 200])
        let grayAlpha = DAC.image(2, 1, 2, [10, 77, 101, 88])
        let augs: [any Augmenter] = [AddToHueAndSaturation(value: .constant(50)), MultiplyHueAndSaturation(mul: .constant(1.5)),
                                     ChangeColorTemperature(kelvin: .constant(2000))]
        for aug in augs {
            XCTAssertEqual(try DAC.run(aug, gray), gray, "\(aug.name): gray unchanged")
            XCTAssertEqual(try DAC.run(aug, grayAlpha), grayAlpha, "\(aug.name): gray+alpha unchanged")
            let out16 = try DAC.run(aug, gray.to16Bit())
            XCTAssertEqual(out16.bitDepth, 8, "\(aug.name): 16-bit converted")
            XCTAssertEqual(out16.bytes!, gray.bytes!)
            // RGBA: colour as for RGB, alpha kept.
            var rgba = [UInt8]()
            let rgb = Self.pattern.bytes!
            for i in 0..<(40 * 9) { rgba += rgb[i * 3..<i * 3 + 3]; rgba.append(UInt8(i % 256)) }
            let outRGBA = try DAC.run(aug, DAC.image(40, 9, 4, rgba)).bytes!
            let outRGB = try DAC.run(aug, Self.pattern).bytes!
            for i in 0..<(40 * 9) {
                XCTAssertEqual(Array(outRGBA[i * 4..<i * 4 + 3]), Array(outRGB[i * 3..<i * 3 + 3]), "\(aug.name) pixel \(i)")
                XCTAssertEqual(outRGBA[i * 4 + 3], UInt8(i % 256))
            }
        }
    }

    func testAddToHueAndSaturationDefaultsAndFile() throws {
        let d = AddToHueAndSaturation()
        XCTAssertNil(d.value)
        XCTAssertEqual(d.valueHue, .range(-40, 40))
        XCTAssertEqual(d.valueSaturation, .range(-40, 40))
        XCTAssertEqual(try DAC.only("- AddToHueAndSaturation", as: AddToHueAndSaturation.self).valueHue, .range(-40, 40))
        // Giving one of the three drops imgaug's defaults for the others.
        let hueOnly = try DAC.only("- AddToHueAndSaturation: {value_hue: 10}", as: AddToHueAndSaturation.self)
        XCTAssertEqual(hueOnly.valueHue, .constant(10))
        XCTAssertNil(hueOnly.valueSaturation)
        let v = try DAC.only("- AddToHueAndSaturation: {value: [-5, 5], per_channel: true}", as: AddToHueAndSaturation.self)
        XCTAssertEqual(v.value, .range(-5, 5))
        XCTAssertNil(v.valueHue)
        XCTAssertNil(v.valueSaturation)
        for yaml in ["- AddToHueAndSaturation", "- AddToHueAndSaturation: {value_saturation: [-3, 9]}",
                     "- AddToHueAndSaturation: {value: {choice: [1, 2]}, from_colorspace: BGR}"] {
            try DAC.assertRoundTrip(yaml)
        }
        DAC.assertPipelineError("- AddToHueAndSaturation: {value: 5, value_hue: 3}", key: "value_hue")
        DAC.assertPipelineError("- AddToHueAndSaturation: {value: 256}", key: "value")
        DAC.assertPipelineError("- AddToHueAndSaturation: {value_hue: 2.5}", key: "value_hue")
    }

    // MARK: MultiplyHueAndSaturation

    func testMultiplyTablesFollowImgaug() {
        // The hue goes to 0...255 and back, truncating both ways: lossy at factor 1.
        let one = HueSaturationKernel.multiplyTables(hue: 1, saturation: 1)
        XCTAssertEqual(one.hue[1], 0, "1 -> 1.42 -> 1 -> 0.71 -> 0")
        XCTAssertEqual(one.hue[90], 89, "90 -> 127.5 -> 127 -> 89.6 -> 89")
        XCTAssertEqual(one.saturation, (0..<256).map { UInt8($0) })
        // A negative factor wraps modulo 255 (numpy's mod): -127 -> 128 -> 90.35 -> 90.
        let neg = HueSaturationKernel.multiplyTables(hue: -1, saturation: 2)
        XCTAssertEqual(neg.hue[90], 90)
        XCTAssertEqual(neg.saturation[100], 200)
        XCTAssertEqual(neg.saturation[200], 255)
        // Rounding half to even: 5 * 1.5 = 7.5 -> 8, 3 * 1.5 = 4.5 -> 4.
        let half = HueSaturationKernel.multiplyTables(hue: 1, saturation: 1.5)
        XCTAssertEqual(half.saturation[5], 8)
        XCTAssertEqual(half.saturation[3], 4)
    }

    func testMultiplyHueAndSaturationPixelsAndFile() throws {
        let one = HueSaturationKernel.multiplyTables(hue: 1, saturation: 1)
        let expected = try HueSaturationKernel.apply(Self.pattern, hueTable: one.hue, saturationTable: one.saturation, bgr: false)
        XCTAssertEqual(try DAC.run(MultiplyHueAndSaturation(mul: .constant(1)), Self.pattern), expected)
        let red = DAC.image(1, 1, 3, [255, 0, 0])
        XCTAssertEqual(try DAC.run(MultiplyHueAndSaturation(mulSaturation: .constant(0)), red).bytes!, [255, 255, 255])

        let d = MultiplyHueAndSaturation()
        XCTAssertEqual(d.mulHue, .range(0.5, 1.5))
        XCTAssertEqual(d.mulSaturation, .range(0, 1.7))
        let s = try DAC.only("- MultiplyHueAndSaturation: {mul_saturation: 0.5}", as: MultiplyHueAndSaturation.self)
        XCTAssertNil(s.mulHue)
        XCTAssertEqual(s.mulSaturation, .constant(0.5))
        for yaml in ["- MultiplyHueAndSaturation", "- MultiplyHueAndSaturation: {mul: [0.5, 1.5], per_channel: 0.5}",
                     "- MultiplyHueAndSaturation: {mul_hue: -2}"] {
            try DAC.assertRoundTrip(yaml)
        }
        DAC.assertPipelineError("- MultiplyHueAndSaturation: {mul: 1, mul_saturation: 2}", key: "mul_saturation")
        DAC.assertPipelineError("- MultiplyHueAndSaturation: {mul_saturation: -0.5}", key: "mul_saturation")
        DAC.assertPipelineError("- MultiplyHueAndSaturation: {mul: 11}", key: "mul")
    }

    // MARK: Cutout

    func filled(_ image: Image, where value: UInt8) -> [Int] {
        image.bytes!.enumerated().filter { $0.element == value }.map(\.offset)
    }

    func testCutoutRectangleIsImgaugs() throws {
        let img = Image(width: 20, height: 10, channels: 1, fill: 0)
        // Centre, 20% of each side: rows 4..<6; squared takes the height's extent (2 px) for the width.
        let sq = try DAC.run(Cutout(position: .center, size: .constant(0.2)), img)
        XCTAssertEqual(filled(sq, where: 128), [89, 90, 109, 110])
        let rect = try DAC.run(Cutout(position: .center, size: .constant(0.2), squared: .constant(0)), img)
        XCTAssertEqual(filled(rect, where: 128), [88, 89, 90, 91, 108, 109, 110, 111])
        // Corners are truncated and clipped: centred at the top-left corner, only the quarter inside remains.
        let corner = try DAC.run(Cutout(position: .fixed(x: 0, y: 0), size: .constant(0.5), squared: .constant(0),
                                        cval: .constant(77.9)), img)
        XCTAssertEqual(filled(corner, where: 77).count, 5 * 2)
        XCTAssertEqual(try DAC.run(Cutout(nbIterations: .constant(0)), img), img)
    }

    func testCutoutFillValuesAndDepths() throws {
        let img16 = Image(width: 10, height: 10, channels: 3, samples16: [UInt16](repeating: 0, count: 300))
        let out16 = try DAC.run(Cutout(position: .center, size: .constant(0.2), cval: .constant(1000)), img16)
        XCTAssertEqual(out16.bitDepth, 16)
        XCTAssertEqual(out16.samples16!.filter { $0 == 1000 }.count, 4 * 3, "raw value in sample units")
        let img = Image(width: 10, height: 10, channels: 3, fill: 0)
        let clipped = try DAC.run(Cutout(position: .center, size: .constant(0.2), cval: .constant(300)), img)
        XCTAssertEqual(filled(clipped, where: 255).count, 12)
        // Per channel: each channel of the rectangle gets its own draw, the same over the rectangle.
        let per = try DAC.run(Cutout(position: .center, size: .constant(0.4), cval: Continuous(.choice([10, 20, 30, 40])),
                                     fillPerChannel: .constant(1)), img, seed: 11)
        let b = per.bytes!
        for ch in 0..<3 {
            var values = Set<UInt8>()
            for y in 3..<7 {
                for x in 3..<7 { values.insert(b[(y * 10 + x) * 3 + ch]) }
            }
            XCTAssertEqual(values.count, 1)
            let allowed: Set<UInt8> = [10, 20, 30, 40]
            XCTAssertTrue(allowed.isSuperset(of: values))
        }
        // Gaussian: noise centred on the middle of the range, clipped.
        let big = Image(width: 64, height: 64, channels: 1, fill: 0)
        let noise = try DAC.run(Cutout(position: .center, size: .constant(1), fillMode: .constant("gaussian")), big).bytes!
        let mean = Double(noise.reduce(0) { $0 + Int($1) }) / Double(noise.count)
        XCTAssertEqual(mean, 127.5, accuracy: 3)
        XCTAssertGreaterThan(Set(noise).count, 100)
    }

    func testCutoutFile() throws {
        let c = try DAC.only("- Cutout: {nb_iterations: [1, 3], position: [0.25, 0.75], size: [0.1, 0.3], squared: 0.5, "
                             + "fill_mode: [constant, gaussian], cval: ALL, fill_per_channel: true}", as: Cutout.self)
        XCTAssertEqual(c.nbIterations, .range(1, 3))
        XCTAssertEqual(c.position, .fixed(x: 0.25, y: 0.75))
        XCTAssertEqual(c.cval, .range(0, 255))
        for yaml in ["- Cutout", "- Cutout: {position: normal, size: 0.5, squared: false, fill_mode: gaussian}",
                     "- Cutout: {position: right-bottom, cval: [0, 255], fill_per_channel: 0.5}"] {
            try DAC.assertRoundTrip(yaml)
        }
        DAC.assertPipelineError("- Cutout: {size: 1.5}", key: "size")
        DAC.assertPipelineError("- Cutout: {nb_iterations: -1}", key: "nb_iterations")
        DAC.assertPipelineError("- Cutout: {fill_mode: edge}", key: "fill_mode")
    }

    // MARK: ChangeColorTemperature

    func testColorTemperatureMultipliers() throws {
        let m = ColorTemperatureKernel.multipliers(kelvin: 1000)
        XCTAssertEqual(m.r, 1)
        XCTAssertEqual(m.g, Float(56) / 255)
        XCTAssertEqual(m.b, 0)
        // Halfway between the 1000 K (56) and 1100 K (71) rows.
        XCTAssertEqual(ColorTemperatureKernel.multipliers(kelvin: 1050).g, 63.5 / 255, accuracy: 1e-6)
        XCTAssertEqual(ColorTemperatureKernel.multipliers(kelvin: 40000).b, 1)
        let px = DAC.image(1, 1, 3, [200, 100, 50])
        XCTAssertEqual(try DAC.run(ChangeColorTemperature(kelvin: .constant(1000)), px).bytes!, [200, 22, 0])
        XCTAssertEqual(try DAC.run(ChangeColorTemperature(kelvin: .constant(1050)), px).bytes!, [200, 25, 0])
        XCTAssertEqual(try DAC.run(ChangeColorTemperature(kelvin: .constant(1000), fromColorspace: "BGR"), px).bytes!, [0, 22, 50])
        try DAC.assertRoundTrip("- ChangeColorTemperature: {kelvin: [2000, 9000]}")
        DAC.assertPipelineError("- ChangeColorTemperature: {kelvin: 500}", key: "kelvin")
    }

    // MARK: JpegCompression

    func testJpegQualityIsImgaugs() {
        XCTAssertEqual(JpegCompressionKernel.quality(compression: 0), 100)
        XCTAssertEqual(JpegCompressionKernel.quality(compression: 50), 51)
        XCTAssertEqual(JpegCompressionKernel.quality(compression: 99), 3)
        XCTAssertEqual(JpegCompressionKernel.quality(compression: 100), 2)
    }

    func testJpegRoundTrip() throws {
        let colour: [UInt8] = [100, 150, 200]
        let flat = Image(width: 16, height: 16, channels: 3, bytes: (0..<768).map { colour[$0 % 3] })
        let out = try DAC.run(JpegCompression(compression: .constant(0)), flat).bytes!
        XCTAssertLessThanOrEqual(zip(out, flat.bytes!).map { abs(Int($0) - Int($1)) }.max()!, 2)
        // Strong compression changes a busy image; alpha is kept, 16-bit comes back 8-bit.
        let busy = DAC.pattern(width: 32, height: 32, channels: 4, seed: 5)
        let squeezed = try DAC.run(JpegCompression(compression: .constant(95)), busy)
        XCTAssertNotEqual(squeezed, busy)
        XCTAssertEqual(squeezed.channels, 4)
        for i in 0..<(32 * 32) { XCTAssertEqual(squeezed.bytes![i * 4 + 3], busy.bytes![i * 4 + 3]) }
        let gray16 = DAC.pattern16(width: 9, height: 7, channels: 1)
        let g = try DAC.run(JpegCompression(compression: .constant(50)), gray16)
        XCTAssertEqual([g.width, g.height, g.channels, g.bitDepth], [9, 7, 1, 8])
        try DAC.assertRoundTrip("- JpegCompression: {compression: [70, 99]}")
        DAC.assertPipelineError("- JpegCompression: {compression: 101}", key: "compression")
    }

    // MARK: shapes

    func testEdgeShapes() {
        DAC.assertEdgeShapes(AddToHueAndSaturation(value: .range(-50, 50), perChannel: .constant(0.5)), sixteen: false)
        DAC.assertEdgeShapes(MultiplyHueAndSaturation(mul: .range(-2, 2), perChannel: .constant(1)), sixteen: false)
        DAC.assertEdgeShapes(ChangeColorTemperature(), sixteen: false)
        DAC.assertEdgeShapes(JpegCompression(), sixteen: false)
        DAC.assertEdgeShapes(Cutout(nbIterations: .range(0, 3), position: .normal, size: .range(0, 1), squared: .constant(0.5),
                                    fillMode: .choice(["constant", "gaussian"]), cval: .range(0, 255),
                                    fillPerChannel: .constant(0.5)), sixteen: true)
    }
}
