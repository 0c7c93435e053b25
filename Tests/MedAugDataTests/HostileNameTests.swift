import Foundation
import MedAugCore
import MedAugData
import XCTest

/// Names a downloaded dataset may hold that Swift strings cannot carry as
/// they are (bytes that are not UTF-8), and names that hold CSV delimiters.
final class HostileNameTests: XCTestCase {
    /// Creates a folder whose last component is raw bytes (FileManager cannot: its paths are strings).
    func rawFolder(_ parent: String, _ name: [UInt8]) -> [UInt8] {
        let path = Array(parent.utf8) + [0x2F] + name
        XCTAssertEqual((path + [0]).withUnsafeBufferPointer { p in
            p.baseAddress!.withMemoryRebound(to: CChar.self, capacity: p.count) { mkdir($0, 0o755) }
        }, 0, "mkdir")
        return path
    }

    /// Creates a file `name` (raw bytes) inside the folder at raw `parent`, holding `bytes`.
    func rawFile(_ parent: [UInt8], _ name: [UInt8], _ bytes: [UInt8]) {
        let path = parent + [0x2F] + name + [0]
        let fd = path.withUnsafeBufferPointer { p in
            p.baseAddress!.withMemoryRebound(to: CChar.self, capacity: p.count) { open($0, O_WRONLY | O_CREAT | O_TRUNC, 0o644) }
        }
        XCTAssertGreaterThanOrEqual(fd, 0, "open")
        XCTAssertEqual(bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }, bytes.count)
        close(fd)
    }

    func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    func testClassFolderNotUTF8IsRefusedByName() throws {
        let t = try TempFolder(self)
        try t.image("a/x.png")
        let b = rawFolder(t.path, bytes("b") + [0xFF])
        rawFile(b, bytes("y.png"), try pngBytes())
        XCTAssertThrowsError(try Dataset.load(root: t.path)) { e in
            guard case .unreadableFolder? = e as? DatasetError else { return XCTFail("\(e)") }
            XCTAssertTrue("\(e)".contains("'\(t.path)/b\\xFF'"), "names the folder, its bad byte escaped: \(e)")
            XCTAssertFalse("\(e)".contains("\u{FFFD}"), "\(e)")
        }
    }

    func testImageNameNotUTF8IsRefusedByName() throws {
        let t = try TempFolder(self)
        try t.image("a/x.png")
        try t.image("b/y.png")
        rawFile(Array(t.at("b").utf8), [0xFF] + bytes("z.png"), try pngBytes())
        XCTAssertThrowsError(try Dataset.load(root: t.path)) { e in
            XCTAssertTrue("\(e)".contains("'\(t.path)/b/\\xFFz.png'"), "\(e)")
        }
    }

    func testNamesNotUTF8ThatAreNotReadAreReportedEscaped() throws {
        let t = try TempFolder(self)
        try t.image("a/x.png")
        rawFile(Array(t.at("a").utf8), bytes("notes") + [0xFE] + bytes(".txt"), [1])
        rawFile(Array(t.at("a").utf8), bytes(".hid") + [0xFF], [1])
        // A cut two-byte sequence (0xC3 then an ASCII letter).
        rawFile(Array(t.path.utf8), bytes("read") + [0xC3] + bytes("me.txt"), [1])
        let ds = try Dataset.load(root: t.path)
        XCTAssertEqual(ds.samples.map(\.path), [t.at("a/x.png")])
        let ignored = Dictionary(uniqueKeysWithValues: ds.ignored.map { ($0.path, $0.reason) })
        XCTAssertEqual(ignored[t.at("a/notes\\xFE.txt")], .nonImage)
        XCTAssertEqual(ignored[t.at("a/.hid\\xFF")], .hidden)
        XCTAssertEqual(ignored[t.at("read\\xC3me.txt")], .nonImage)
    }

    func testEscapedNameKeepsValidUTF8() {
        XCTAssertEqual(Dataset.escapedName([0x62, 0xFF]), "b\\xFF")
        XCTAssertEqual(Dataset.escapedName(Array("é-ö.png".utf8)), "é-ö.png")
        XCTAssertEqual(Dataset.escapedName([0x61, 0xC3, 0x62]), "a\\xC3b")
        XCTAssertEqual(Dataset.escapedName([0x0A, 0x80]), "\n\\x80")
    }

    func testCSVRoundTripsDelimitersScalarByScalar() {
        let fields = ["p,q.png", "r\"s.png", "n\nl.png", "c\r\nr.png", "q\"\u{301}.png", "\u{301},x", "\r", "", " lead ",
                      "\u{F6}.png", "o\u{308}.png", "\"", "a\"\"b"]
        let text = CSV.text([fields, ["x", "y"]])
        let back = CSV.parse(text)
        XCTAssertEqual(back.count, 2)
        XCTAssertEqual(back.first?.map { $0.unicodeScalars.map(\.value) }, fields.map { $0.unicodeScalars.map(\.value) })
        XCTAssertEqual(back.last, ["x", "y"])
        // A field holding a delimiter is quoted, whatever grapheme it hides in.
        XCTAssertEqual(CSV.field("c\r\nr"), "\"c\r\nr\"")
        XCTAssertEqual(CSV.field("q\"\u{301}"), "\"q\"\"\u{301}\"")
        XCTAssertEqual(CSV.row(["a", "b,c"]), "a,\"b,c\"")
    }
}
