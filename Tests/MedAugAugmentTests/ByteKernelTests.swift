import XCTest
import MedAugCore
import MedAugImage
@testable import MedAugAugment

/// The vector forms of Add, Multiply and UniformColorQuantization against
/// their per-sample tables on every input byte, and the vector RGB->HSV
/// against the pixel-by-pixel code.
final class ByteKernelTests: XCTestCase {
    /// An image whose every channel takes each of the 256 values inside the
    /// whole 96-byte blocks, with a tail left over for the tables.
    func rampImage(channels c: Int) -> [UInt8] {
        let pixels = 300 + 7
        return (0..<(pixels * c)).map { i in UInt8(truncatingIfNeeded: i / c + (i % c) * 37) }
    }

    /// The tables applied sample by sample (cv2.LUT).
    func reference(_ src: [UInt8], _ tables: [[UInt8]]) -> [UInt8] {
        src.indices.map { tables[$0 % tables.count][Int(src[$0])] }
    }

    func testAddEqualsItsTableForEveryValueAndByte() {
        for c in 1...4 {
            let src = rampImage(channels: c)
            for v in -255...255 {
                XCTAssertEqual(ByteKernels.add(src, channels: c, values: [v]),
                               reference(src, [AddPixels.table(v)]), "value \(v), \(c) channels")
            }
            var g = AugmentRandom(seed: UInt64(c))
            for _ in 0..<50 {
                let vs = (0..<c).map { _ in g.nextInt(below: 511) - 255 }
                XCTAssertEqual(ByteKernels.add(src, channels: c, values: vs),
                               reference(src, vs.map(AddPixels.table)), "values \(vs)")
            }
        }
        XCTAssertEqual(ByteKernels.add([], channels: 3, values: [5]), [])
    }

    func testMultiplyEqualsItsTableForEveryFactorAndByte() {
        var g = AugmentRandom(seed: 9)
        var factors: [Float] = [0, -0.0, 1, 0.5, 1.5, 1.3, 0.77, 0.8, 1.2, 2, 3.7, 100, 254.9, 255, 256, 300, 65535,
                                -1, -65535, 1e-7, .nan, .infinity, -.infinity, .leastNonzeroMagnitude]
        factors += (0..<300).map { _ in Float(0.5 + g.nextDouble() * 1.5) }
        factors += (0..<100).map { _ in Float(g.nextDouble() * 260) }
        for c in 1...4 {
            let src = rampImage(channels: c)
            let image = Image(width: src.count / c, height: 1, channels: c, bytes: src)
            for m in factors {
                XCTAssertEqual(MultiplyPixels.apply(image, multipliers: [m]).bytes!,
                               reference(src, [MultiplyPixels.table(m)]), "factor \(m), \(c) channels")
            }
            for k in 0..<40 {
                let ms = (0..<c).map { factors[(k * 7 + $0 * 13) % factors.count] }
                XCTAssertEqual(MultiplyPixels.apply(image, multipliers: ms).bytes!,
                               reference(src, ms.map(MultiplyPixels.table)), "factors \(ms)")
            }
        }
    }

    func testMultiplyTakesTheVectorFormForUsualFactors() {
        var g = AugmentRandom(seed: 10)
        for m in [Float(1.2), 0.8, 0.5, 2, 255, 300] + (0..<200).map({ _ in Float(0.7 + g.nextDouble() * 0.6) }) {
            let t = MultiplyPixels.table(m)
            XCTAssertNotNil(ByteKernels.fixedFactor(t), "factor \(m)")
            XCTAssertNotNil(ByteKernels.fixedFactor(t, near: m), "factor \(m)")
        }
        // 15-bit factors where the table allows one (it may not: the float
        // product's rounding can need more bits; then the 32-bit form runs)
        for m: Float in [1.2, 0.5, 2, 0.75, 1.25, 1.5] {
            XCTAssertNotNil(ByteKernels.shortFactors([m], [MultiplyPixels.table(m)]), "factor \(m)")
        }
        let pair: [Float] = [0.75, 1.25]
        XCTAssertEqual(ByteKernels.shortFactors(pair, pair.map(MultiplyPixels.table))?.shift, 14)
    }

    func testQuantisationEqualsItsTableForEveryColourCount() {
        let identity = (0..<256).map { UInt8($0) }
        for (c, mapped) in [(1, 1), (2, 1), (3, 3), (4, 3)] {
            let src = rampImage(channels: c)
            for n in 1...255 {
                let t = ColorQuantization.table(nColors: n)
                let tables = (0..<c).map { $0 < mapped ? t : identity }
                XCTAssertEqual(ByteKernels.mapChannels(src, channels: c, mapped: mapped, table: t),
                               reference(src, tables), "n \(n), \(c) channels")
            }
        }
        // the power-of-two counts are a mask and an or
        for n in [2, 4, 8, 16, 32, 64, 128] {
            XCTAssertNotNil(ByteKernels.maskForm(ColorQuantization.table(nColors: n)), "n \(n)")
        }
        XCTAssertNil(ByteKernels.maskForm(ColorQuantization.table(nColors: 7)))
    }

    func testVectorRGBToHSVEqualsThePixelByPixelCode() {
        // Every (r, g) with 40 blue levels, RGB; random RGBA; counts leaving a tail.
        let blues = Array(0..<8) + Array(stride(from: 9, to: 248, by: 8)) + Array(248..<256)
        var rgb = [UInt8]()
        rgb.reserveCapacity(256 * 256 * blues.count * 3 + 15)
        for b in blues { for g in 0..<256 { for r in 0..<256 { rgb += [UInt8(r), UInt8(g), UInt8(b)] } } }
        rgb += [255, 0, 0, 0, 255, 0, 0, 0, 255, 7, 7, 7, 1, 2, 3]  // a tail of 5
        var rand = AugmentRandom(seed: 11)
        let rgba = (0..<(4 * 4101)).map { _ in UInt8(rand.nextInt(below: 256)) }
        for (input, stride) in [(rgb, 3), (rgba, 4)] {
            let count = input.count / stride
            var a = input, b = input
            a.withUnsafeMutableBufferPointer { OpenCVHSV.rgbToHSV($0.baseAddress!, count: count, stride: stride) }
            b.withUnsafeMutableBufferPointer { OpenCVHSV.rgbToHSVScalar($0.baseAddress!, count: count, stride: stride) }
            XCTAssertEqual(a, b, "stride \(stride)")
            // with V mapped through a table as it is written
            let table = (0..<256).map { UInt8(min($0 + 20, 255)) }
            a = input
            a.withUnsafeMutableBufferPointer {
                OpenCVHSV.rgbToHSV($0.baseAddress!, count: count, stride: stride, valueTable: table)
            }
            LookupTable8.apply(&b, channels: stride, channel: 2, table: table)
            XCTAssertEqual(a, b, "stride \(stride), V mapped")
        }
        // other strides take the pixel-by-pixel load and store
        let wide = (0..<(5 * 37)).map { _ in UInt8(rand.nextInt(below: 256)) }
        var a = wide, b = wide
        a.withUnsafeMutableBufferPointer { OpenCVHSV.rgbToHSV($0.baseAddress!, count: 37, stride: 5) }
        b.withUnsafeMutableBufferPointer { OpenCVHSV.rgbToHSVScalar($0.baseAddress!, count: 37, stride: 5) }
        XCTAssertEqual(a, b, "stride 5")
    }

    func testVectorRowEndOfHSVToRGBEqualsThePixelByPixelCode() {
        // Rows narrower than OpenCV's 32-pixel blocks take its scalar
        // arithmetic throughout: every hue and saturation with 12 values,
        // in rows of 31 (three groups of 8, then 7), RGB and RGBA.
        let values: [UInt8] = [0, 1, 2, 3, 64, 127, 128, 129, 200, 253, 254, 255]
        for stride in [3, 4] {
            var hsv = [UInt8]()
            for v in values { for s in 0..<256 { for h in 0..<256 {
                hsv += [UInt8(h), UInt8(s), v] + (stride == 4 ? [UInt8(h ^ s)] : [])
            } } }
            let count = hsv.count / stride
            let rows = count / 31
            var a = hsv, b = hsv
            a.withUnsafeMutableBufferPointer { OpenCVHSV.hsvToRGB($0.baseAddress!, width: 31, height: rows, stride: stride) }
            b.withUnsafeMutableBufferPointer {
                OpenCVHSV.hsvToRGBScalar($0.baseAddress!, width: 31, height: rows, stride: stride)
            }
            XCTAssertEqual(a, b, "stride \(stride)")
        }
    }

    func testBrightnessOnHSVEqualsConvertingThenTheChildren() throws {
        // The fused V table against the conversion, imgaug's children on the
        // extracted V channel, and the conversion back.
        var rand = AugmentRandom(seed: 12)
        let w = 37, h = 5
        let input = (0..<(w * h * 3)).map { _ in UInt8(rand.nextInt(below: 256)) }
        let image = Image(width: w, height: h, channels: 3, bytes: input)
        for seed in 0..<20 {
            let aug = MultiplyAndAddToBrightness(toColorspace: .constant(.hsv))
            var context = AugmentContext(seed: UInt64(seed), identity: "x")
            let fused = try aug.augment(image, &context).bytes!
            var replay = AugmentContext(seed: UInt64(seed), identity: "x")
            _ = aug.toColorspace.sample(&replay.rng)
            var order = [0, 1]
            replay.rng.shuffle(&order)
            var s = input
            ColorConversion.fromRGB(&s, width: w, height: h, channels: 3, to: .hsv)
            var v = Image(width: w, height: h, channels: 1, bytes: stride(from: 2, to: s.count, by: 3).map { s[$0] })
            for i in order {
                if i == 0 { v = try aug.multiply!.augment(v, &replay) }
                if i == 1 { v = try aug.adder!.augment(v, &replay) }
            }
            for (k, x) in v.bytes!.enumerated() { s[3 * k + 2] = x }
            ColorConversion.toRGB(&s, width: w, height: h, channels: 3, from: .hsv)
            XCTAssertEqual(fused, s, "seed \(seed)")
        }
    }
}
