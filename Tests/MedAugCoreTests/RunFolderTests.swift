import Foundation
import MedAugCore
import XCTest

/// The skeleton every resumable command shares: a folder with settings is
/// only continued when asked, with the same settings, and records are whole.
final class RunFolderTests: XCTestCase {
    struct Settings: Codable, Equatable { var seed: Int; var name: String }

    var dir: String!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("medaug-runfolder-\(UUID().uuidString)").path
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    func testAFreshFolderStartsAndASecondStartNeedsResume() throws {
        let folder = RunFolder(dir, settings: "run.json", holds: "a test run")
        XCTAssertFalse(folder.isStarted)
        XCTAssertNil(try folder.begin(resume: false, as: Settings.self))
        XCTAssertNil(try folder.begin(resume: true, as: Settings.self), "--resume with nothing to continue starts afresh")
        try folder.record(Settings(seed: 1, name: "a"))
        XCTAssertTrue(folder.isStarted)
        XCTAssertThrowsError(try folder.begin(resume: false, as: Settings.self)) { e in
            XCTAssertTrue(e is RunFolderError)
            XCTAssertTrue("\(e)".contains(self.dir) && "\(e)".contains("--resume") && "\(e)".contains("a test run"), "\(e)")
        }
        XCTAssertEqual(try folder.begin(resume: true, as: Settings.self), Settings(seed: 1, name: "a"))
    }

    func testContinuingWithOtherSettingsIsRefused() throws {
        let folder = RunFolder(dir, settings: "run.json", holds: "a test run")
        try folder.record(Settings(seed: 1, name: "a"))
        let saved = try folder.begin(resume: true, as: Settings.self)
        XCTAssertNoThrow(try folder.requireSame(saved, Settings(seed: 1, name: "a"), what: "settings"))
        XCTAssertThrowsError(try folder.requireSame(saved, Settings(seed: 2, name: "a"), what: "settings")) { e in
            XCTAssertTrue("\(e)".contains("other settings"), "\(e)")
        }
        XCTAssertNoThrow(try folder.requireSame(nil, Settings(seed: 2, name: "a"), what: "settings"), "nothing saved: nothing to differ from")
    }

    func testRecordsAreWholeAndMissingOrBrokenOnesNameTheFile() throws {
        let folder = RunFolder(dir, settings: "run.json", holds: "a test run")
        try folder.write(Settings(seed: 3, name: "x"), to: "state.json")
        XCTAssertEqual(try folder.read("state.json", as: Settings.self), Settings(seed: 3, name: "x"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".tmp") }
        XCTAssertEqual(leftovers, [], "an atomic write leaves no temporary file")
        XCTAssertNil(try folder.readIfPresent("absent.json", as: Settings.self))
        XCTAssertThrowsError(try folder.read("absent.json", as: Settings.self)) { e in
            XCTAssertTrue("\(e)".contains(folder.path("absent.json")), "\(e)")
        }
        try "{\"seed\": \"three\"}".write(toFile: folder.path("bad.json"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try folder.read("bad.json", as: Settings.self)) { e in
            XCTAssertTrue(e is RunFolderError && "\(e)".contains("bad.json") && "\(e)".contains("unreadable"), "\(e)")
        }
    }
}

/// One CSV reader and writer for every file in that format.
final class CSVTests: XCTestCase {
    func testFieldsRoundTripThroughQuotesCommasAndLineBreaks() {
        let rows = [["path", "note"], ["a,b.png", "say \"hi\""], ["c\nd.png", ""], ["plain", "x"]]
        let text = rows.map(CSV.row).joined(separator: "\r\n") + "\r\n"
        XCTAssertEqual(CSV.parse(text), rows)
        XCTAssertEqual(CSV.field("plain"), "plain")
        XCTAssertEqual(CSV.field("a,b"), "\"a,b\"")
        XCTAssertEqual(CSV.field("say \"hi\""), "\"say \"\"hi\"\"\"")
    }

    func testLineEndsOfEveryPlatform() {
        let rows = [["image", "label"], ["a.png", "x"], ["b.png", "y"]]
        XCTAssertEqual(CSV.parse("image,label\na.png,x\nb.png,y\n"), rows)
        XCTAssertEqual(CSV.parse("image,label\r\na.png,x\r\nb.png,y\r\n"), rows)
        // "CSV (Macintosh)" from Excel: lone CRs.
        XCTAssertEqual(CSV.parse("image,label\ra.png,x\rb.png,y\r"), rows)
        XCTAssertEqual(CSV.parse("image,label\ra.png,x\rb.png,y"), rows)
        // A CR inside quotes stays in the field.
        XCTAssertEqual(CSV.parse("n\r\"a\rb\"\r"), [["n"], ["a\rb"]])
    }
}

/// Config text errors are Core's ConfigError, naming the file.
final class ConfigCodingTests: XCTestCase {
    func testSyntaxErrorsNameTheSource() {
        for (text, format) in [("[1, 2", ConfigCoding.Format.json), ("a: [1, 2\n", .yaml)] {
            XCTAssertThrowsError(try ConfigCoding.parse(text, format: format, source: "file.cfg")) { e in
                XCTAssertTrue(e is ConfigError && "\(e)".hasPrefix("file.cfg: "), "\(e)")
            }
        }
        XCTAssertEqual(try ConfigCoding.parse("b: 1\na: [x, 2.5]\n", format: .yaml, source: "ok"),
                       .map([("b", .int(1)), ("a", .list([.string("x"), .double(2.5)]))]))
    }
}
