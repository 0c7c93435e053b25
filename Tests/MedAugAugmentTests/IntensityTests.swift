import MedAugCore
import XCTest
import MedAugImage
@testable import MedAugAugment

/// Identity, Invert, Solarize and Grayscale; expected values from imgaug 0.4.0.
final class IntensityTests: XCTestCase {
    static let rgb = DAC.image(3, 1, 3, [0, 10, 250, 128, 127, 200, 255, 3, 64])

    func testIdentityLeavesTheImage() throws {
        for img in [Self.rgb, DAC.pattern16(width: 5, height: 3, channels: 4)] {
            XCTAssertEqual(try DAC.run(Identity(), img), img)
        }
        XCTAssertEqual(try DAC.only("- Identity: {}", as: Identity.self).name, "Identity")
    }

    func testInvertFullRange() throws {
        XCTAssertEqual(try DAC.run(Invert(), Self.rgb).bytes!, Self.rgb.bytes!.map { 255 - $0 })
        let img16 = DAC.pattern16(width: 4, height: 3, channels: 4)
        XCTAssertEqual(try DAC.run(Invert(), img16).samples16!, img16.samples16!.map { 65535 - $0 })
        XCTAssertEqual(try DAC.run(Invert(p: .constant(0)), Self.rgb), Self.rgb)
    }

    func testInvertCustomRangeMatchesImgaug() throws {
        // imgaug: Invert(1, min_value=30, max_value=200); uint8 clips after, uint16 before.
        XCTAssertEqual(try DAC.run(Invert(minValue: 30, maxValue: 200), Self.rgb).bytes!,
                       [170, 180, 30, 102, 103, 30, 30, 173, 166])
        let img16 = Image(width: 3, height: 1, channels: 3, samples16: [0, 10, 65000, 128, 40000, 200, 255, 3, 64])
        XCTAssertEqual(try DAC.run(Invert(minValue: 30, maxValue: 50000), img16).samples16!,
                       [50000, 50000, 30, 49902, 10030, 49830, 49775, 50000, 49966])
        XCTAssertThrowsError(try DAC.run(Invert(minValue: 200, maxValue: 100), Self.rgb))
    }

    func testInvertThresholdMatchesImgaug() throws {
        // imgaug: Invert(1, threshold=100, invert_above_threshold=False).
        XCTAssertEqual(try DAC.run(Invert(threshold: .constant(100), invertAboveThreshold: .constant(0)), Self.rgb).bytes!,
                       [255, 245, 250, 128, 127, 200, 255, 252, 191])
        // imgaug: Solarize(1, threshold=127.9): uint8 truncates the threshold to 127.
        XCTAssertEqual(try DAC.run(Solarize(threshold: .constant(127.9)), Self.rgb).bytes!,
                       [0, 10, 5, 127, 128, 55, 0, 3, 64])
        // uint16 compares with the threshold as it is.
        let img16 = Image(width: 3, height: 1, channels: 1, samples16: [127, 128, 60000])
        XCTAssertEqual(try DAC.run(Solarize(threshold: .constant(127.5)), img16).samples16!, [127, 65407, 5535])
        // A negative threshold inverts everything (imgaug's uint8 table wraps around instead).
        XCTAssertEqual(InvertKernel.table(threshold: -5), (0..<256).map { UInt8(255 - $0) })
        XCTAssertEqual(InvertKernel.table(threshold: 300), (0..<256).map { UInt8($0) })
    }

    func testInvertPerChannel() throws {
        let out = InvertKernel.apply(Self.rgb, channels: [true, false, true], minValue: 0, maxValue: 255,
                                     threshold: nil, invertAbove: true)
        XCTAssertEqual(out.bytes!, [255, 10, 5, 127, 127, 55, 0, 3, 191])
        var differs = false
        for seed in 0..<20 as Range<UInt64> {
            let o = try DAC.run(Invert(p: .constant(0.5), perChannel: .constant(1)), Self.rgb, seed: seed).bytes!
            let flips = (0..<3).map { o[$0] != Self.rgb.bytes![$0] }
            if Set(flips).count > 1 { differs = true }
        }
        XCTAssertTrue(differs, "per_channel draws a p per channel")
    }

    func testInvertAndSolarizeParse() throws {
        let s = try DAC.only("- Solarize: {threshold: 128}", as: Solarize.self)
        XCTAssertEqual(s.threshold, .constant(128))
        XCTAssertEqual(try DAC.only("- Solarize: {threshold: null}", as: Solarize.self).threshold, nil)
        XCTAssertEqual(try DAC.only("- Solarize: {}", as: Solarize.self).threshold, .range(64, 192))
        try DAC.assertRoundTrip("- Invert: {p: 0.5, per_channel: true, min_value: 10, max_value: 200, threshold: [10, 20]}")
        DAC.assertPipelineError("- Invert: {max_value: 70000}", key: "max_value")
        // An empty inverted range is refused when the file is read, not when the first image arrives.
        DAC.assertPipelineError("- Invert: {min_value: 200, max_value: 100}", key: "max_value")
        DAC.assertPipelineError("- Solarize: {min_value: 50, max_value: 50}", key: "max_value")
    }

    func testGrayscaleMatchesImgaug() throws {
        XCTAssertEqual(try DAC.run(Grayscale(), Self.rgb).bytes!, [34, 34, 34, 136, 136, 136, 85, 85, 85])
        XCTAssertEqual(try DAC.run(Grayscale(alpha: .constant(0.3)), Self.rgb).bytes!,
                       [10, 17, 185, 130, 130, 181, 204, 28, 70])
        XCTAssertEqual(try DAC.run(Grayscale(fromColorspace: "BGR"), Self.rgb).bytes!,
                       [81, 81, 81, 149, 149, 149, 50, 50, 50])
        XCTAssertEqual(try DAC.run(Grayscale(alpha: .constant(0)), Self.rgb), Self.rgb)
    }

    func testGrayscaleExtensions() throws {
        let gray = DAC.pattern(width: 4, height: 3, channels: 1)
        XCTAssertEqual(try DAC.run(Grayscale(), gray), gray)
        let rgba = DAC.image(1, 1, 4, [0, 10, 250, 77])
        XCTAssertEqual(try DAC.run(Grayscale(), rgba).bytes!, [34, 34, 34, 77])
        let img16 = Image(width: 1, height: 1, channels: 3, samples16: [0, 10 * 257, 250 * 257])
        let y = try DAC.run(Grayscale(), img16).samples16!
        XCTAssertEqual(y[0], y[2])
        XCTAssertEqual(Int(y[0]), GrayscaleKernel.luma(r: 0, g: 2570, b: 64250))
    }

    func testPosterizeMatchesImgaug() throws {
        // imgaug: Posterize(3) and Posterize(2, to_colorspace="HSV").
        XCTAssertEqual(try DAC.run(Posterize(nbBits: .constant(3)), Self.rgb).bytes!, [0, 0, 224, 128, 96, 192, 224, 0, 64])
        XCTAssertEqual(try DAC.run(Posterize(nbBits: .constant(2), toColorspace: .constant("HSV")), Self.rgb).bytes!,
                       [47, 192, 67, 144, 192, 150, 86, 47, 192])
        XCTAssertEqual(try DAC.run(Posterize(nbBits: .constant(8)), Self.rgb), Self.rgb)
        XCTAssertEqual(PosterizeKernel.table(nbBits: 1)[127], 0)
        XCTAssertEqual(PosterizeKernel.table(nbBits: 1)[128], 128)
        // Alpha is kept; 16-bit keeps the highest bits of 16.
        let rgba = DAC.image(1, 1, 4, [255, 3, 64, 77])
        XCTAssertEqual(try DAC.run(Posterize(nbBits: .constant(1)), rgba).bytes!, [128, 0, 0, 77])
        let img16 = Image(width: 1, height: 1, channels: 4, samples16: [65535, 0x7FFF, 0x8123, 77])
        XCTAssertEqual(try DAC.run(Posterize(nbBits: .constant(1)), img16).samples16!, [0x8000, 0, 0x8000, 77])
        XCTAssertEqual(try DAC.run(Posterize(nbBits: .constant(2), toColorspace: .constant("HSV")), img16).bitDepth, 16)
        XCTAssertEqual(try DAC.only("- Posterize: {nb_bits: [2, 5]}", as: Posterize.self).nbBits, .range(2, 5))
        DAC.assertPipelineError("- Posterize: {nb_bits: 9}", key: "nb_bits")
    }

    static let gray: [UInt8] = [116, 29, 41, 47, 41, 116, 122, 89, 23, 29, 59, 71]

    func testEqualizeMatchesImgaug() throws {
        // imgaug: pillike.Equalize() on a 6x2 gray image tiled 20 x 20 (step 0 on the untiled one).
        let small = DAC.image(6, 2, 1, Self.gray)
        XCTAssertEqual(try DAC.run(Equalize(), small), small)
        var big = [UInt8]()
        for _ in 0..<20 { for y in 0..<2 { for _ in 0..<20 { big += Self.gray[(y * 6)..<(y * 6 + 6)] } } }
        let out = try DAC.run(Equalize(), DAC.image(120, 40, 1, big)).bytes!
        XCTAssertEqual(Array(out[0..<6]) + Array(out[120..<126]), [200, 22, 67, 111, 67, 200, 244, 178, 0, 22, 133, 156])
        // One value: unchanged; 16-bit stays 16-bit.
        XCTAssertEqual(try DAC.run(Equalize(), DAC.image(2, 2, 3, [UInt8](repeating: 9, count: 12))).bytes!,
                       [UInt8](repeating: 9, count: 12))
        XCTAssertEqual(try DAC.run(Equalize(), DAC.pattern16(width: 40, height: 30, channels: 4)).bitDepth, 16)
    }

    /// 16 bits: the 8-bit image widened (x257) equalises to the 8-bit result widened, within 3 levels
    /// (PIL's 8-bit step is a whole number of samples, 16 bits use the exact one),
    /// also on an image of far fewer than 65535 samples (where an integer step would be 0).
    func testEqualizeOn16BitFollowsThe8BitResult() throws {
        var bytes = [UInt8]()
        for i in 0..<(90 * 60) { bytes.append(UInt8(truncatingIfNeeded: (i * 37 + i / 7) % 97 + 40)) }
        let eight = DAC.image(90, 60, 1, bytes)
        let wide = try DAC.run(Equalize(), eight.to16Bit())
        let narrow = try DAC.run(Equalize(), eight)
        XCTAssertEqual(wide.bitDepth, 16)
        guard case .u16(let w) = wide.pixels, case .u8(let n) = narrow.pixels, case .u16(let before) = eight.to16Bit().pixels else {
            return XCTFail("bit depths")
        }
        XCTAssertNotEqual(w, before, "5400 samples are equalised, not left alone")
        let worst = zip(w, n).map { abs(Double($0.0) / 257 - Double($0.1)) }.max()!
        XCTAssertLessThanOrEqual(worst, 3)
        XCTAssertGreaterThan(w.max()!, 60000, "the top of the histogram reaches the top of the range")
    }

    func testAutocontrastMatchesImgaug() throws {
        let img = DAC.image(6, 2, 1, Self.gray)
        XCTAssertEqual(try DAC.run(Autocontrast(cutoff: .constant(0)), img).bytes!,
                       [239, 15, 46, 61, 46, 239, 255, 170, 0, 15, 92, 123])
        XCTAssertEqual(try DAC.run(Autocontrast(cutoff: .constant(10)), img).bytes!,
                       [255, 0, 35, 52, 35, 255, 255, 175, 0, 0, 87, 123])
        let rgb = DAC.image(4, 2, 3, [135, 111, 75, 57, 147, 154, 35, 49, 106, 96, 180, 117, 101, 103, 143, 129, 59, 155,
                                      158, 192, 163, 78, 84, 140])
        XCTAssertEqual(try DAC.run(Autocontrast(cutoff: .constant(20)), rgb).bytes!,
                       [254, 109, 0, 0, 185, 249, 0, 0, 0, 127, 255, 57, 143, 92, 192, 235, 0, 255, 255, 255, 255, 68, 52, 176])
        let img16 = Image(width: 3, height: 1, channels: 1, samples16: [1000, 2000, 3000])
        XCTAssertEqual(try DAC.run(Autocontrast(cutoff: .constant(0)), img16).samples16!, [0, 32767, 65535])
        DAC.assertPipelineError("- Autocontrast: {cutoff: 50}", key: "cutoff")
    }
}
