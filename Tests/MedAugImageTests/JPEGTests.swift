import CImageCodecs
import MedAugImage
import XCTest

/// JPEG is lossy: decoded values are compared with tolerances, not exactly.
final class JPEGTests: TempFolderTestCase {
    private let size = 64

    private func grayGradient() -> Image {
        Image(width: size, height: size, channels: 1,
              bytes: (0..<size * size).map { UInt8(($0 % size + $0 / size) * 2) })
    }

    private func rgbGradient() -> Image {
        Image(width: size, height: size, channels: 3, bytes: (0..<size * size).flatMap { i -> [UInt8] in
            let x = i % size, y = i / size
            return [UInt8(x * 4), UInt8(y * 4), UInt8((x + y) * 2)]
        })
    }

    private func checkRoundTrip(_ image: Image, progressive: Bool, file: StaticString = #filePath, line: UInt = #line) throws {
        let bytes = try ImageCodec.encodeJPEG(image, quality: 95, progressive: progressive)
        let header = try ImageCodec.header(bytes)
        XCTAssertEqual(header.format, .jpeg, file: file, line: line)
        XCTAssertEqual(header.progressive, progressive, file: file, line: line)
        XCTAssertEqual(header.channels, image.channels, file: file, line: line)
        XCTAssertEqual(header.sourceColor, image.channels == 1 ? "gray" : "ycbcr", file: file, line: line)
        let back = try ImageCodec.decode(bytes)
        XCTAssertEqual(back.width, image.width, file: file, line: line)
        XCTAssertEqual(back.height, image.height, file: file, line: line)
        XCTAssertEqual(back.channels, image.channels, file: file, line: line)
        XCTAssertEqual(back.bitDepth, 8, file: file, line: line)
        let diff = meanAbsDiff(back.bytes!, image.bytes!)
        XCTAssertLessThan(diff, 2.0, "mean abs diff \(diff)", file: file, line: line)
    }

    func testGrayBaseline() throws { try checkRoundTrip(grayGradient(), progressive: false) }
    func testGrayProgressive() throws { try checkRoundTrip(grayGradient(), progressive: true) }
    func testRGBBaseline() throws { try checkRoundTrip(rgbGradient(), progressive: false) }
    func testRGBProgressive() throws { try checkRoundTrip(rgbGradient(), progressive: true) }

    func testAlphaIsDropped() throws {
        let rgba = Image(width: 8, height: 8, channels: 4,
                         bytes: (0..<64).flatMap { _ in [200, 100, 50, 0] as [UInt8] })
        let back = try ImageCodec.decode(try ImageCodec.encodeJPEG(rgba))
        XCTAssertEqual(back.channels, 3)
        XCTAssertLessThan(meanAbsDiff(back.bytes!, (0..<64).flatMap { _ in [200, 100, 50] as [UInt8] }), 2.0)
    }

    func testLowerQualityIsSmaller() throws {
        // Texture on top of the gradient, so quantisation has something to discard.
        let noise = testSamples(count: size * size * 3, maxValue: 40)
        let base = rgbGradient().bytes!
        let image = Image(width: size, height: size, channels: 3,
                          bytes: zip(base, noise).map { UInt8(min(255, Int($0) + $1)) })
        let q20 = try ImageCodec.encodeJPEG(image, quality: 20)
        let q95 = try ImageCodec.encodeJPEG(image, quality: 95)
        XCTAssertLessThan(q20.count, q95.count)
    }

    func testFileRoundTrip() throws {
        let p = path("scan.jpeg")
        try ImageFile.write(rgbGradient(), to: p, jpegQuality: 95)
        XCTAssertEqual(ImageFormat.sniff(try ImageFile.readBytes(p)), .jpeg)
        let back = try ImageFile.read(p)
        XCTAssertLessThan(meanAbsDiff(back.bytes!, rgbGradient().bytes!), 2.0)
    }

    // MARK: - CMYK

    /// An Adobe CMYK JPEG (the test-only C encoder), 16x16 blocks of `inks` in a row.
    private func cmykJPEG(_ inks: [[UInt8]]) throws -> [UInt8] {
        let w = 16 * inks.count, h = 16
        // Adobe files store 255 - ink.
        let stored = (0..<w * h).flatMap { i in inks[(i % w) / 16].map { 255 - $0 } }
        var out: UnsafeMutablePointer<UInt8>? = nil
        var len = 0
        var err = [CChar](repeating: 0, count: 256)
        let rc = mc_jpeg_encode_cmyk(stored, UInt32(w), UInt32(h), 98, &out, &len, &err, err.count)
        XCTAssertEqual(rc, 0, String(decoding: err.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        defer { mc_free(out) }
        return Array(UnsafeBufferPointer(start: out, count: len))
    }

    func testCMYKConvertsToRGB() throws {
        // cyan, magenta, yellow, 50% black, no ink
        let inks: [[UInt8]] = [[255, 0, 0, 0], [0, 255, 0, 0], [0, 0, 255, 0], [0, 0, 0, 128], [0, 0, 0, 0]]
        let expected: [[Int]] = [[0, 255, 255], [255, 0, 255], [255, 255, 0], [127, 127, 127], [255, 255, 255]]
        let p = try save(try cmykJPEG(inks), as: "print.jpg")
        let header = try ImageFile.header(p)
        XCTAssertEqual(header.sourceColor, "cmyk")
        XCTAssertEqual(header.channels, 3)
        let image = try ImageFile.read(p)
        XCTAssertEqual(image.channels, 3)
        XCTAssertEqual(image.width, 80)
        let px = image.bytes!
        for (block, rgb) in expected.enumerated() {
            let i = (8 * image.width + block * 16 + 8) * 3 // centre of the block
            let got = (0..<3).map { Int(px[i + $0]) }
            for c in 0..<3 {
                XCTAssertEqual(got[c], rgb[c], accuracy: 6, "block \(block): got \(got), want \(rgb)")
            }
        }
    }
}
