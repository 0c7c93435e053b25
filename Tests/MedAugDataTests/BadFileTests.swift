import Foundation
import MedAugData
import MedAugImage
import XCTest

final class BadFileTests: XCTestCase {
    /// One good image and one bad file named `name` in class "c" of a flat dataset.
    func datasetWith(_ name: String, _ make: (TempFolder, String) throws -> Void) throws -> (TempFolder, Dataset, String) {
        let t = try TempFolder(self)
        try t.image("c/a_good.png")
        try t.image("d/good.png")
        try make(t, "c/\(name)")
        return (t, try Dataset.load(root: t.path), t.at("c/\(name)"))
    }

    func assertStops(_ name: String, kind: ImageError.Kind, depth: ScanDepth = .decode,
                     file: StaticString = #filePath, line: UInt = #line,
                     _ make: (TempFolder, String) throws -> Void) throws {
        let (_, d, bad) = try datasetWith(name, make)
        XCTAssertThrowsError(try ImageScanner.scan(d.samples, depth: depth), file: file, line: line) { e in
            guard case .badFile(let ie)? = e as? DatasetError else {
                return XCTFail("expected badFile, got \(e)", file: file, line: line)
            }
            XCTAssertEqual(ie.path, bad, file: file, line: line)
            XCTAssertEqual(ie.kind, kind, "\(ie)", file: file, line: line)
            XCTAssertTrue("\(e)".contains(bad), file: file, line: line)
        }
        let r = try ImageScanner.scan(d.samples, depth: depth, skipBad: true)
        XCTAssertEqual(r.skipped.map(\.path), [bad], file: file, line: line)
        XCTAssertEqual(r.skipped.first?.kind, kind.rawValue, file: file, line: line)
        XCTAssertEqual(r.images.count, 2, file: file, line: line)
    }

    func testZeroByteFile() throws {
        try assertStops("zero.png", kind: .empty) { t, p in try t.bytes(p, []) }
    }

    func testCorruptFile() throws {
        try assertStops("corrupt.png", kind: .corrupt) { t, p in
            var b = try pngBytes()
            for i in 16..<min(b.count, 60) { b[i] ^= 0x5A }
            try t.bytes(p, b)
        }
    }

    func testNotAnImage() throws {
        try assertStops("text.jpg", kind: .notAnImage) { t, p in try t.text(p, "hello, not a jpeg") }
    }

    func testTruncatedPNGIsCaughtByDecode() throws {
        try assertStops("cut.png", kind: .corrupt) { t, p in
            let b = try pngBytes(width: 64, height: 64)
            try t.bytes(p, Array(b.prefix(b.count / 2)))
        }
    }

    func testTruncatedJPEGIsCaughtByDecode() throws {
        try assertStops("cut.jpg", kind: .corrupt) { t, p in
            let b = try jpegBytes(width: 64, height: 64)
            try t.bytes(p, Array(b.prefix(b.count * 2 / 3)))
        }
    }

    func testTruncatedFilePassesAHeaderOnlyScan() throws {
        // The documented price of --quick.
        let (_, d, _) = try datasetWith("cut.png") { t, p in
            let b = try pngBytes(width: 64, height: 64)
            try t.bytes(p, Array(b.prefix(b.count / 2)))
        }
        XCTAssertEqual(try ImageScanner.scan(d.samples, depth: .header).skipped, [])
    }

    func testWrongExtension() throws {
        try assertStops("really_png.jpg", kind: .wrongExtension) { t, p in try t.bytes(p, try pngBytes()) }
    }

    func testFolderNamedLikeAnImage() throws {
        try assertStops("x.png", kind: .unreadable) { t, p in try t.folder(p) }
    }

    func testDanglingSymlink() throws {
        try assertStops("gone.png", kind: .unreadable) { t, p in try t.symlink(p, to: t.at("nowhere.png")) }
    }

    func testSkipBadListsAllInOrderAndWritesCSV() throws {
        let t = try TempFolder(self)
        try t.image("a/ok.png")
        try t.bytes("a/empty.png", [])
        try t.text("b/bad, \"quoted\".png", "nope")
        try t.image("b/ok.png")
        let d = try Dataset.load(root: t.path)
        let r = try ImageScanner.scan(d.samples, skipBad: true)
        XCTAssertEqual(r.samples.map(\.path), [t.at("a/ok.png"), t.at("b/ok.png")])
        XCTAssertEqual(r.skipped.map(\.path), [t.at("a/empty.png"), t.at("b/bad, \"quoted\".png")])

        let out = try TempFolder(self)
        let csvPath = try SkippedFilesReport.write(r.skipped, into: out.at("report"), inputs: [t.path])
        XCTAssertEqual(csvPath, out.at("report/skipped_files.csv"))
        let csv = try String(contentsOfFile: csvPath, encoding: .utf8)
        let lines = csv.components(separatedBy: "\r\n")
        XCTAssertEqual(lines[0], "path,kind,reason")
        XCTAssertEqual(lines[1], "\(t.at("a/empty.png")),empty,file is empty (0 bytes)")
        XCTAssertTrue(lines[2].hasPrefix("\"\(t.at("b/bad, \"\"quoted\"\".png"))\",notAnImage,"), lines[2])

        let summary = DatasetSummary(dataset: d, scan: r, depth: .decode)
        XCTAssertEqual(summary.problems.filter { $0.kind == .badFile }.count, 2)
        XCTAssertEqual(summary.splits[0].counts, [1, 1])
        XCTAssertTrue(summary.text().contains("a/empty.png: file is empty"))
    }

    func testSkippedFilesReportRefusesToWriteIntoInput() throws {
        let t = try TempFolder(self)
        XCTAssertThrowsError(try SkippedFilesReport.write([], into: t.at("sub"), inputs: [t.path]))
        XCTAssertFalse(FileManager.default.fileExists(atPath: t.at("sub/skipped_files.csv")))
    }

    func testStopModeReportsTheFirstBadFileInOrder() throws {
        let t = try TempFolder(self)
        for i in 0..<200 { try t.image("c/\(String(format: "%03d", i)).png", width: 2, height: 2) }
        try t.bytes("c/150.png", [])
        try t.bytes("c/170.png", [])
        let d = try Dataset.load(root: t.path)
        XCTAssertThrowsError(try ImageScanner.scan(d.samples)) { e in
            XCTAssertEqual(e as? DatasetError, .badFile(ImageError(.empty, path: t.at("c/150.png"),
                                                                   reason: "file is empty (0 bytes)")))
        }
    }
}
