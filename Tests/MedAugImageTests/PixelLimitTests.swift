import MedAugImage
import XCTest

/// Oversized images are refused from the header, before any pixel buffer exists.
final class PixelLimitTests: TempFolderTestCase {
    func testHugePNGHeaderIsTooLargeNotCorrupt() throws {
        // Only signature + IHDR: a decoder that read past the header would
        // report the missing data (corrupt), so .tooLarge proves it stopped there.
        let huge = PNGWriter(width: 20000, height: 20000, colorType: .rgb, bitDepth: 8).headerOnly()
        let p = try save(huge, as: "huge.png")
        let e = expectImageError(.tooLarge, path: p) { try ImageFile.read(p) }
        XCTAssertTrue(e?.reason.contains("400000000") ?? false, e?.reason ?? "")

        // The same truncated file at a harmless size is merely corrupt.
        let small = try save(PNGWriter(width: 20, height: 20, colorType: .rgb, bitDepth: 8).headerOnly(), as: "small.png")
        expectImageError(.corrupt, path: small) { try ImageFile.read(small) }
    }

    func testSmallPNGOverCallerLimit() throws {
        let image = Image(width: 4, height: 4, channels: 1, fill: 9)
        let p = path("four.png")
        try ImageFile.write(image, to: p)
        expectImageError(.tooLarge, path: p) { try ImageFile.read(p, maxPixels: 10) }
        XCTAssertEqual(try ImageFile.read(p, maxPixels: 16), image, "the limit itself is allowed")
    }

    func testSmallJPEGOverCallerLimit() throws {
        let p = path("four.jpg")
        try ImageFile.write(Image(width: 4, height: 4, channels: 3, fill: 128), to: p)
        expectImageError(.tooLarge, path: p) { try ImageFile.read(p, maxPixels: 10) }
        XCTAssertEqual(try ImageFile.read(p, maxPixels: 16).pixelCount, 16)
    }

    func testHugeJPEGHeaderIsTooLarge() throws {
        let jpeg = try ImageCodec.encodeJPEG(Image(width: 16, height: 16, channels: 1, fill: 50))
        let sof = try XCTUnwrap((2..<jpeg.count - 1).first { jpeg[$0] == 0xFF && jpeg[$0 + 1] == 0xC0 })
        var huge = jpeg
        huge.replaceSubrange(sof + 5..<sof + 9, with: [0xEA, 0x60, 0xEA, 0x60]) // 60000 x 60000
        let whole = try save(huge, as: "huge.jpg")
        expectImageError(.tooLarge, path: whole) { try ImageFile.read(whole) }
        // Cut right after the frame header, as with the PNG: still decided from the header.
        let cut = try save(Array(huge.prefix(sof + 19)), as: "huge-cut.jpg")
        expectImageError(.tooLarge, path: cut) { try ImageFile.read(cut) }
    }
}
