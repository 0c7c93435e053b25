import Foundation
import MedAugFormats
import MedAugImage
import XCTest

/// Every kind of bad DICOM input gives an ImageError naming the file and the
/// reason; none crashes the process (GDCM's own assertions included).
final class DicomBadInputTests: XCTestCase {
    func check(_ bytes: [UInt8], name: String, kind: ImageError.Kind, reason: String,
               file: StaticString = #filePath, line: UInt = #line) throws {
        let dir = try DicomFixtures.folder()
        let path = dir + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try MedicalImageFile.read(path), file: file, line: line) { error in
            guard let e = error as? ImageError else { return XCTFail("\(error)", file: file, line: line) }
            XCTAssertEqual(e.kind, kind, e.description, file: file, line: line)
            XCTAssertEqual(e.path, path, file: file, line: line)
            XCTAssertTrue(e.reason.contains(reason), "'\(e.reason)' lacks '\(reason)'", file: file, line: line)
        }
    }

    func testNotDicom() throws {
        try check(Array("hello, this is not a scan".utf8), name: "notes.dcm", kind: .notAnImage, reason: "not a DICOM file")
    }

    func testNoPixelDataIsANonImage() throws {
        let dir = try DicomFixtures.folder()
        let path = dir + "/report.dcm"
        try Data(DicomFixtures.withoutPixels()).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try MedicalImageFile.read(path)) { error in
            XCTAssertTrue(DicomFile.isNoPixelData(error as! ImageError), "\(error)")
        }
    }

    func testTruncatedNativePixelData() throws {
        try check(DicomFixtures.grayHeader(rows: 64, columns: 64, present: 1000), name: "cut.dcm", kind: .corrupt,
                  reason: "pixel data is truncated: 1000 of 4096 bytes present")
    }

    func testAbsurdDimensionsAreRefusedFromTheHeader() throws {
        // 65535 x 65535 pixels declared: refused before any decoding (the file is tiny).
        var bytes = DicomFixtures.grayHeader(rows: 16, columns: 16)
        DicomFixtures.setUS(&bytes, element: 0x0010, 0xFFFF)
        DicomFixtures.setUS(&bytes, element: 0x0011, 0xFFFF)
        let dir = try DicomFixtures.folder()
        let path = dir + "/huge.dcm"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try MedicalImageFile.read(path)) { error in
            let e = error as! ImageError
            XCTAssertTrue([.tooLarge, .corrupt].contains(e.kind), e.description)
            XCTAssertEqual(e.path, path)
        }
    }

    func testCorruptCompressedData() throws {
        let dir = try DicomFixtures.folder()
        for syntax in [DicomWriter.Syntax.jpegLS, .jpegLossless, .jpeg2000Lossless, .rle] {
            let good = dir + "/good-\(syntax).dcm"
            try DicomFixtures.writeGray(good, syntax: syntax)
            var bytes = try ImageFile.readBytes(good)
            // Cut the file halfway through its compressed pixel data.
            let tag: [UInt8] = [0xE0, 0x7F, 0x10, 0x00]
            let at = try XCTUnwrap((0...(bytes.count - 4)).last { Array(bytes[$0..<($0 + 4)]) == tag })
            bytes.removeLast((bytes.count - at) / 2)
            let path = dir + "/cut-\(syntax).dcm"
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            XCTAssertThrowsError(try MedicalImageFile.read(path), "\(syntax)") { error in
                let e = error as! ImageError
                XCTAssertEqual(e.kind, .corrupt, "\(syntax): \(e.description)")
                XCTAssertEqual(e.path, path)
            }
        }
    }

    func testUnsupportedBitDepth() throws {
        let dir = try DicomFixtures.folder()
        let path = dir + "/rgb32.dcm"
        var bytes = DicomFixtures.grayHeader(rows: 4, columns: 4)
        // Bits Allocated 8 -> 1: a segmentation-style bit mask.
        DicomFixtures.setUS(&bytes, element: 0x0100, 1)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try MedicalImageFile.read(path)) { error in
            let e = error as! ImageError
            XCTAssertTrue([.unsupported, .corrupt].contains(e.kind), e.description)
            XCTAssertEqual(e.path, path)
        }
    }

    func testNonFiniteRescaleAndWindowValuesAreIgnoredNotTrapped() throws {
        let extra = DicomFixtures.element(0x0028, 0x1050, "DS", Array("NaN".utf8))
            + DicomFixtures.element(0x0028, 0x1051, "DS", Array("inf".utf8))
            + DicomFixtures.element(0x0028, 0x1052, "DS", Array("1e999".utf8))
            + DicomFixtures.element(0x0028, 0x1053, "DS", Array("NaN".utf8))
        let dir = try DicomFixtures.folder()
        let path = dir + "/nan.dcm"
        try Data(DicomFixtures.grayHeader(rows: 4, columns: 4, extra: extra)).write(to: URL(fileURLWithPath: path))
        let scan = try MedicalImageFile.decode(try ImageFile.readBytes(path), path: path, options: ReadOptions())
        XCTAssertTrue(scan.display?.window.hasPrefix("auto") ?? false, scan.display?.window ?? "")
        XCTAssertEqual(scan.image.bytes?.count, 16)
    }

    func testExtensionMismatchIsNamed() throws {
        let dir = try DicomFixtures.folder()
        let path = dir + "/scan.png"
        try DicomFixtures.writeGray(dir + "/real.dcm")
        try FileManager.default.copyItem(atPath: dir + "/real.dcm", toPath: path)
        XCTAssertThrowsError(try MedicalImageFile.read(path)) { error in
            XCTAssertEqual((error as! ImageError).kind, .wrongExtension)
        }
    }
}
