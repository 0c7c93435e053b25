import Foundation
import MedAugImage
import XCTest

/// Writes go through a temporary file and a rename, and read back identically.
final class ImageFileWriteTests: TempFolderTestCase {
    private func leftovers() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix(".") }
    }

    func testPNGRoundTripLeavesNoTemporaryFiles() throws {
        let image = Image(width: 9, height: 7, channels: 4,
                          bytes: testSamples(count: 9 * 7 * 4, maxValue: 255).map { UInt8($0) })
        let p = path("rgba.png")
        try ImageFile.write(image, to: p)
        XCTAssertEqual(try ImageFile.read(p), image)
        XCTAssertEqual(try leftovers(), [])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), ["rgba.png"])
    }

    func testOverwriteReplacesWholeFile() throws {
        let p = path("same.png")
        try ImageFile.write(Image(width: 50, height: 50, channels: 3, fill: 1), to: p)
        let small = Image(width: 2, height: 1, channels: 1, bytes: [3, 4])
        try ImageFile.write(small, to: p)
        XCTAssertEqual(try ImageFile.read(p), small)
        XCTAssertEqual(try leftovers(), [])
    }

    func testTinyShapesRoundTrip() throws {
        let shapes = [(1, 1), (1, 17), (17, 1)]
        for (w, h) in shapes {
            for channels in 1...4 {
                let image = Image(width: w, height: h, channels: channels,
                                  bytes: testSamples(count: w * h * channels, maxValue: 255, seed: UInt64(w * 100 + h)).map { UInt8($0) })
                let p = path("\(w)x\(h)x\(channels).png")
                try ImageFile.write(image, to: p)
                XCTAssertEqual(try ImageFile.read(p), image, "\(w)x\(h)x\(channels)")
            }
        }
        let onePixel = Image(width: 1, height: 1, channels: 3, bytes: [10, 200, 90])
        try ImageFile.write(onePixel, to: path("1x1.jpg"))
        let back = try ImageFile.read(path("1x1.jpg"))
        XCTAssertEqual(back.width, 1)
        XCTAssertLessThan(meanAbsDiff(back.bytes!, onePixel.bytes!), 4)
        XCTAssertEqual(try leftovers(), [])
    }

    func testWriteCreatesMissingFolders() throws {
        let p = path("a/b/c.png")
        try ImageFile.write(Image(width: 1, height: 1, channels: 1, fill: 7), to: p)
        XCTAssertEqual(try ImageFile.read(p).bytes, [7])
    }

    func testFormatArgumentOverridesExtension() throws {
        let p = path("noext")
        try ImageFile.write(Image(width: 2, height: 2, channels: 1, fill: 9), to: p, format: .png)
        XCTAssertEqual(ImageFormat.sniff(try ImageFile.readBytes(p)), .png)
    }

    func testUnknownExtensionIsRefused() {
        let p = path("scan.tiff")
        expectImageError(.unsupported, path: p) { try ImageFile.write(Image(width: 1, height: 1, channels: 1), to: p) }
        XCTAssertFalse(FileManager.default.fileExists(atPath: p))
    }
}
