import Foundation
import MedAugData
import XCTest

final class OutputGuardTests: XCTestCase {
    func refused(_ output: String, _ input: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try OutputGuard.check(output: output, inputs: [input]), file: file, line: line) { e in
            guard case .outputInsideInput? = e as? DatasetError else {
                return XCTFail("unexpected \(e)", file: file, line: line)
            }
            XCTAssertTrue("\(e)".contains(output), file: file, line: line)
        }
    }

    func testSameFolderAndInsideAreRefused() throws {
        let t = try TempFolder(self)
        let data = try t.folder("data")
        refused(data, data)
        refused(data + "/", data)
        refused(data + "/out", data)
        refused(data + "/train/x/new/deeper", data)
    }

    func testDotDotIsResolved() throws {
        let t = try TempFolder(self)
        let data = try t.folder("data")
        try t.folder("other")
        refused(t.at("other/../data/out"), data)
        refused(t.at("data/sub/../../data"), data)
        // Through a folder that does not exist yet.
        refused(t.at("new/../data/out"), data)
        XCTAssertNoThrow(try OutputGuard.check(output: t.at("data/../other/out"), inputs: [data]))
    }

    func testSymlinksAreResolved() throws {
        let t = try TempFolder(self)
        let data = try t.folder("data")
        try t.folder("outside")
        let link = try t.symlink("outside/link-to-data", to: data)
        refused(link + "/out", data)
        // And the input given through a link.
        let inputLink = try t.symlink("data-link", to: data)
        refused(data + "/out", inputLink)
    }

    func testRelativePathsAreResolved() throws {
        let t = try TempFolder(self)
        try t.folder("data")
        let saved = FileManager.default.currentDirectoryPath
        defer { _ = FileManager.default.changeCurrentDirectoryPath(saved) }
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(t.path))
        refused("data/out", "./data")
        XCTAssertNoThrow(try OutputGuard.check(output: "out", inputs: ["data"]))
    }

    func testPrefixOfANameIsNotInside() throws {
        let t = try TempFolder(self)
        let data = try t.folder("skin")
        XCTAssertNoThrow(try OutputGuard.check(output: t.at("skin2"), inputs: [data]))
        XCTAssertNoThrow(try OutputGuard.check(output: t.at("skin-out/a"), inputs: [data]))
        XCTAssertNoThrow(try OutputGuard.check(output: t.path, inputs: [data]))
    }

    func testResolvedPath() throws {
        let t = try TempFolder(self)
        let data = try t.folder("data")
        let real = OutputGuard.resolvedPath(data)
        XCTAssertEqual(OutputGuard.resolvedPath(t.at("data/./x/../")), real)
        XCTAssertEqual(OutputGuard.resolvedPath(t.at("data/new/./a/../b")), real + "/new/b")
    }

    func testCheckApartRefusesAnOutputHoldingTheInput() throws {
        let t = try TempFolder(self)
        let train = try t.folder("X/train")
        try t.folder("X/test")
        for output in [t.at("X"), t.at("X/test/.."), t.path] {
            XCTAssertThrowsError(try OutputGuard.checkApart(output: output, inputs: [train]), output) { e in
                XCTAssertTrue("\(e)".contains("'\(output)'") && "\(e)".contains("'\(train)'"), "names both: \(e)")
            }
        }
        // Through a link to the input's parent.
        let link = try t.symlink("x-link", to: t.at("X"))
        XCTAssertThrowsError(try OutputGuard.checkApart(output: link, inputs: [train]))
        // Inside is refused as by check; a sibling is fine.
        XCTAssertThrowsError(try OutputGuard.checkApart(output: train + "/out", inputs: [train]))
        XCTAssertNoThrow(try OutputGuard.checkApart(output: t.at("X/train-aug"), inputs: [train]))
        XCTAssertNoThrow(try OutputGuard.check(output: t.at("X"), inputs: [train]), "check alone allows it")
    }
}
