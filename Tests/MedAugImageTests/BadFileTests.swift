import Foundation
import MedAugImage
import XCTest

/// Each kind of broken input gives its own error kind, naming the file.
final class BadFileTests: TempFolderTestCase {
    private func validPNG() -> [UInt8] {
        PNGWriter(width: 40, height: 30, colorType: .rgb, bitDepth: 8)
            .encode(testSamples(count: 40 * 30 * 3, maxValue: 255))
    }

    private func validJPEG(progressive: Bool = false) throws -> [UInt8] {
        let image = Image(width: 64, height: 48, channels: 3,
                          bytes: testSamples(count: 64 * 48 * 3, maxValue: 255).map { UInt8($0) })
        return try ImageCodec.encodeJPEG(image, quality: 90, progressive: progressive)
    }

    func testZeroBytes() throws {
        let p = try save([], as: "empty.png")
        expectImageError(.empty, path: p) { try ImageFile.read(p) }
        expectImageError(.empty, path: p) { try ImageFile.header(p) }
    }

    func testRandomBytes() throws {
        let p = try save(testSamples(count: 1000, maxValue: 255).map { UInt8($0) }, as: "noise.png")
        expectImageError(.notAnImage, path: p) { try ImageFile.read(p) }
    }

    func testJPEGNamedPNG() throws {
        let p = try save(try validJPEG(), as: "photo.png")
        let e = expectImageError(.wrongExtension, path: p) { try ImageFile.read(p) }
        XCTAssertTrue(e?.reason.contains("JPEG") ?? false, e?.reason ?? "")
        expectImageError(.wrongExtension, path: p) { try ImageFile.header(p) }
    }

    func testPNGNamedJPG() throws {
        let p = try save(validPNG(), as: "scan.jpg")
        expectImageError(.wrongExtension, path: p) { try ImageFile.read(p) }
    }

    func testTruncatedPNG() throws {
        let png = validPNG()
        let p = try save(Array(png.prefix(png.count / 2)), as: "half.png")
        let e = expectImageError(.corrupt, path: p) { try ImageFile.read(p) }
        XCTAssertTrue(e?.reason.contains("truncated") ?? false, e?.reason ?? "")
    }

    func testTruncatedJPEG() throws {
        for progressive in [false, true] {
            let jpeg = try validJPEG(progressive: progressive)
            let p = try save(Array(jpeg.prefix(jpeg.count / 2)), as: "half-\(progressive).jpg")
            let e = expectImageError(.corrupt, path: p) { try ImageFile.read(p) }
            XCTAssertTrue(e?.reason.contains("truncated") ?? false, e?.reason ?? "")
        }
    }

    func testJPEGMissingOnlyEndMarkerIsTruncated() throws {
        // libjpeg would fill in the rest silently; a training set must not get such files.
        let jpeg = try validJPEG()
        let p = try save(Array(jpeg.dropLast(2)), as: "noeoi.jpg")
        expectImageError(.corrupt, path: p) { try ImageFile.read(p) }
    }

    func testBadIDATChecksum() throws {
        var png = validPNG()
        let idat = try XCTUnwrap(PNGWriter.chunkOffset("IDAT", in: png))
        let length = Int(png[idat]) << 24 | Int(png[idat + 1]) << 16 | Int(png[idat + 2]) << 8 | Int(png[idat + 3])
        png[idat + 8 + length] ^= 0xFF // first CRC byte
        let p = try save(png, as: "crc.png")
        let e = expectImageError(.corrupt, path: p) { try ImageFile.read(p) }
        XCTAssertTrue(e?.reason.contains("CRC") ?? false, e?.reason ?? "")
    }

    func testMissingFile() {
        let p = path("nowhere.png")
        expectImageError(.unreadable, path: p) { try ImageFile.read(p) }
        expectImageError(.unreadable, path: p) { try ImageFile.header(p) }
    }

    func testFolderNamedLikeAnImage() throws {
        let p = path("x.png")
        try FileManager.default.createDirectory(atPath: p, withIntermediateDirectories: false)
        let e = expectImageError(.unreadable, path: p) { try ImageFile.read(p) }
        XCTAssertTrue(e?.reason.contains("folder") ?? false, e?.reason ?? "")
    }
}
