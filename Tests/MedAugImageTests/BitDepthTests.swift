import MedAugImage
import XCTest

/// 16-bit data keeps its precision until a caller narrows it on purpose.
final class BitDepthTests: TempFolderTestCase {
    func testSixteenBitSurvivesPNGRoundTrip() throws {
        for channels in 1...4 {
            var samples = testSamples(count: 7 * 5 * channels, maxValue: 65535, seed: UInt64(channels)).map { UInt16($0) }
            samples[0] = 0; samples[1] = 65535; samples[2] = 0x00FF; samples[3] = 0xFF00
            let image = Image(width: 7, height: 5, channels: channels, samples16: samples)
            let bytes = try ImageCodec.encodePNG(image)
            let header = try ImageCodec.header(bytes)
            XCTAssertEqual(header.sourceBitDepth, 16)
            XCTAssertEqual(header.bitDepth, 16)
            let back = try ImageCodec.decode(bytes)
            XCTAssertEqual(back.bitDepth, 16, "channels \(channels)")
            XCTAssertEqual(back, image, "channels \(channels)")
        }
    }

    func testSixteenBitSurvivesImageFileRoundTrip() throws {
        let image = Image(width: 3, height: 2, channels: 1, samples16: [0, 1, 256, 4095, 40000, 65535])
        let p = path("ct.png")
        try ImageFile.write(image, to: p)
        let back = try ImageFile.read(p)
        XCTAssertEqual(back.bitDepth, 16)
        XCTAssertEqual(back.samples16, [0, 1, 256, 4095, 40000, 65535])
    }

    func testEightBitStaysEightBit() throws {
        let image = Image(width: 2, height: 2, channels: 3, bytes: Array(0..<12))
        let back = try ImageCodec.decode(try ImageCodec.encodePNG(image))
        XCTAssertEqual(back.bitDepth, 8)
        XCTAssertEqual(back, image)
    }

    func testTo8BitRoundsToNearest() {
        // 257 * k is exactly k / 255 of full scale; 128 and 129 straddle the 0.5 step.
        let input: [UInt16] = [0, 65535, 128, 129, 32767, 32768] + (0...255).map { UInt16($0 * 257) }
        let expected: [UInt8] = [0, 255, 0, 1, 127, 128] + (0...255).map { UInt8($0) }
        let image = Image(width: input.count, height: 1, channels: 1, samples16: input)
        let narrowed = image.to8Bit()
        XCTAssertEqual(narrowed.bitDepth, 8)
        XCTAssertEqual(narrowed.bytes, expected)
    }

    func testTo16BitIsExactInverseOfTo8Bit() {
        let image = Image(width: 256, height: 1, channels: 1, bytes: (0...255).map { UInt8($0) })
        let wide = image.to16Bit()
        XCTAssertEqual(wide.samples16?.last, 65535)
        XCTAssertEqual(wide.samples16?[1], 257)
        XCTAssertEqual(wide.to8Bit(), image)
        XCTAssertEqual(image.to8Bit(), image, "8-bit input comes back unchanged")
    }

    func testJPEGRefusesSixteenBit() throws {
        let image = Image(width: 4, height: 4, channels: 1, samples16: [UInt16](repeating: 1000, count: 16))
        expectImageError(.unsupported, path: "<memory>") { try ImageCodec.encodeJPEG(image) }
        // Through ImageFile the message names the target, and nothing is written.
        let p = path("out.jpg")
        let e = expectImageError(.unsupported, path: p) { try ImageFile.write(image, to: p) }
        XCTAssertTrue(e?.reason.contains("to8Bit") ?? false, "the message says how to proceed")
        XCTAssertFalse(FileManager.default.fileExists(atPath: p))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), [])
    }
}
