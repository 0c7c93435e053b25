import MedAugImage
import XCTest

/// Every PNG colour type and bit depth decodes to the exact expected samples.
final class PNGModeTests: TempFolderTestCase {
    /// Writes the PNG, checks the header agrees with the decoded image, returns both.
    private func decode(_ png: PNGWriter, _ samples: [Int],
                        file: StaticString = #filePath, line: UInt = #line) throws -> (Image, ImageHeader) {
        let p = try save(png.encode(samples), as: "t.png")
        let header = try ImageFile.header(p)
        let image = try ImageFile.read(p)
        XCTAssertEqual(image.width, png.width, file: file, line: line)
        XCTAssertEqual(image.height, png.height, file: file, line: line)
        XCTAssertEqual(header.width, png.width, file: file, line: line)
        XCTAssertEqual(header.height, png.height, file: file, line: line)
        XCTAssertEqual(header.channels, image.channels, file: file, line: line)
        XCTAssertEqual(header.bitDepth, image.bitDepth, file: file, line: line)
        XCTAssertEqual(header.sourceBitDepth, png.bitDepth, file: file, line: line)
        XCTAssertEqual(header.progressive, png.interlaced, file: file, line: line)
        XCTAssertEqual(header.format, .png, file: file, line: line)
        return (image, header)
    }

    // MARK: - Gray below 8 bits: scaled to the full 8-bit range

    func testGray1BitScalesOneTo255() throws {
        let png = PNGWriter(width: 11, height: 3, colorType: .gray, bitDepth: 1)
        let samples = testSamples(count: 33, maxValue: 1)
        let (image, header) = try decode(png, samples)
        XCTAssertEqual(header.sourceColor, "gray")
        XCTAssertEqual(image.channels, 1)
        XCTAssertEqual(image.bitDepth, 8)
        XCTAssertEqual(image.bytes, samples.map { UInt8($0 * 255) })
        XCTAssertEqual(Set(image.bytes!), [0, 255])
    }

    func testGray2BitScalesTwoTo170() throws {
        let png = PNGWriter(width: 7, height: 3, colorType: .gray, bitDepth: 2)
        var samples = testSamples(count: 21, maxValue: 3)
        samples[0] = 2
        let (image, _) = try decode(png, samples)
        XCTAssertEqual(image.bytes?[0], 170)
        XCTAssertEqual(image.bytes, samples.map { UInt8($0 * 85) })
    }

    func testGray4BitScalesFiveTo85() throws {
        let png = PNGWriter(width: 5, height: 4, colorType: .gray, bitDepth: 4)
        var samples = testSamples(count: 20, maxValue: 15)
        samples[3] = 5
        let (image, _) = try decode(png, samples)
        XCTAssertEqual(image.bytes?[3], 85)
        XCTAssertEqual(image.bytes, samples.map { UInt8($0 * 17) })
    }

    // MARK: - 8 and 16 bits: samples unchanged

    private func checkUnchanged(_ type: PNGWriter.ColorType, bits: Int, channels: Int, color: String,
                                file: StaticString = #filePath, line: UInt = #line) throws {
        let png = PNGWriter(width: 6, height: 5, colorType: type, bitDepth: bits)
        var samples = testSamples(count: 30 * channels, maxValue: (1 << bits) - 1, seed: UInt64(bits * 10 + channels))
        if bits == 16 {
            // Extremes and a value whose two bytes differ, so a byte swap cannot pass.
            samples[0] = 0; samples[1] = 65535; samples[2] = 0x1234
        }
        let (image, header) = try decode(png, samples, file: file, line: line)
        XCTAssertEqual(header.sourceColor, color, file: file, line: line)
        XCTAssertEqual(image.channels, channels, file: file, line: line)
        XCTAssertEqual(image.bitDepth, bits, file: file, line: line)
        if bits == 16 {
            XCTAssertNil(image.bytes, "16-bit must not be narrowed", file: file, line: line)
            XCTAssertEqual(image.samples16, samples.map { UInt16($0) }, file: file, line: line)
        } else {
            XCTAssertEqual(image.bytes, samples.map { UInt8($0) }, file: file, line: line)
        }
    }

    func testGray8() throws { try checkUnchanged(.gray, bits: 8, channels: 1, color: "gray") }
    func testGray16() throws { try checkUnchanged(.gray, bits: 16, channels: 1, color: "gray") }
    func testGrayAlpha8() throws { try checkUnchanged(.grayAlpha, bits: 8, channels: 2, color: "gray+alpha") }
    func testGrayAlpha16() throws { try checkUnchanged(.grayAlpha, bits: 16, channels: 2, color: "gray+alpha") }
    func testRGB8() throws { try checkUnchanged(.rgb, bits: 8, channels: 3, color: "rgb") }
    func testRGB16() throws { try checkUnchanged(.rgb, bits: 16, channels: 3, color: "rgb") }
    func testRGBA8() throws { try checkUnchanged(.rgba, bits: 8, channels: 4, color: "rgba") }
    func testRGBA16() throws { try checkUnchanged(.rgba, bits: 16, channels: 4, color: "rgba") }

    // MARK: - Palette: expanded to RGB, or RGBA when tRNS is present

    private func palette(_ n: Int) -> [[UInt8]] {
        (0..<n).map { (i: Int) -> [UInt8] in [UInt8(i), UInt8(255 - i), UInt8(i * 37 % 256)] }
    }

    private func checkPalette(bits: Int, alphas: [UInt8]?, file: StaticString = #filePath, line: UInt = #line) throws {
        let entries = 1 << bits
        var png = PNGWriter(width: 9, height: 4, colorType: .palette, bitDepth: bits)
        png.palette = palette(entries)
        png.transparency = alphas
        let indices = testSamples(count: 36, maxValue: entries - 1, seed: UInt64(bits))
        let (image, header) = try decode(png, indices, file: file, line: line)
        XCTAssertEqual(header.sourceColor, "palette", file: file, line: line)
        XCTAssertEqual(image.bitDepth, 8, file: file, line: line)
        let expected: [UInt8]
        if let alphas {
            XCTAssertEqual(image.channels, 4, "palette + tRNS must give RGBA", file: file, line: line)
            // Entries past the end of tRNS are opaque.
            expected = indices.flatMap { png.palette[$0] + [$0 < alphas.count ? alphas[$0] : 255] }
        } else {
            XCTAssertEqual(image.channels, 3, file: file, line: line)
            expected = indices.flatMap { png.palette[$0] }
        }
        XCTAssertEqual(image.bytes, expected, file: file, line: line)
    }

    func testPalette8Bit() throws { try checkPalette(bits: 8, alphas: nil) }
    func testPalette8BitWithTransparency() throws {
        try checkPalette(bits: 8, alphas: (0..<100).map { UInt8($0 * 2) })
    }
    func testPalette2Bit() throws { try checkPalette(bits: 2, alphas: nil) }
    func testPalette2BitWithTransparency() throws { try checkPalette(bits: 2, alphas: [0, 128]) }

    // MARK: - Adam7

    func testInterlacedRGB() throws {
        // 13x11: not a multiple of 8, so several passes are partial.
        var png = PNGWriter(width: 13, height: 11, colorType: .rgb, bitDepth: 8)
        png.interlaced = true
        let samples = testSamples(count: 13 * 11 * 3, maxValue: 255, seed: 7)
        let (image, header) = try decode(png, samples)
        XCTAssertTrue(header.progressive)
        XCTAssertEqual(image.bytes, samples.map { UInt8($0) })
    }

    func testInterlaced1BitGray() throws {
        // Bit packing restarts for each pass's rows.
        var png = PNGWriter(width: 19, height: 5, colorType: .gray, bitDepth: 1)
        png.interlaced = true
        let samples = testSamples(count: 95, maxValue: 1, seed: 8)
        let (image, _) = try decode(png, samples)
        XCTAssertEqual(image.bytes, samples.map { UInt8($0 * 255) })
    }

    func testInterlaced16BitOnePixel() throws {
        // Only the first pass has a pixel; the six empty passes have no rows.
        var png = PNGWriter(width: 1, height: 1, colorType: .rgba, bitDepth: 16)
        png.interlaced = true
        let (image, _) = try decode(png, [0xFFFF, 0x0102, 0x8000, 0])
        XCTAssertEqual(image.samples16, [0xFFFF, 0x0102, 0x8000, 0])
    }
}
