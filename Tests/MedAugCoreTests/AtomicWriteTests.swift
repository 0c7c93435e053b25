import Foundation
import XCTest
@testable import MedAugCore

/// Whole-file writes, and errors a user can read when they fail.
final class AtomicWriteTests: XCTestCase {
    var dir: String!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("medaug-atomic-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        chmod(dir + "/locked", 0o755)
        try? FileManager.default.removeItem(atPath: dir)
    }

    func testWritesWholeFilesIntoNewFoldersAndLeavesNoTemporaries() throws {
        let path = dir + "/a/b/x.txt"
        try AtomicWrite.write("first", to: path)
        try AtomicWrite.write("second", to: path)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "second")
        try AtomicWrite.write(Data(), to: dir + "/empty")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dir + "/empty")), Data())
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir + "/a/b"), ["x.txt"])
    }

    func testErrorsAreOneLineNamingTheFileAndTheReason() throws {
        // A folder that is a regular file: what a read-only folder gives as root, who may write anywhere.
        try "not a folder".write(toFile: dir + "/file", atomically: true, encoding: .utf8)
        for path in [dir + "/file/x.png", dir + "/file/sub/x.png"] {
            XCTAssertThrowsError(try AtomicWrite.write("x", to: path)) { e in
                XCTAssertTrue(e is any MedAugError)
                XCTAssertEqual("\(e)", "cannot write \(path): Not a directory")
            }
        }
        if getuid() != 0 {
            try FileManager.default.createDirectory(atPath: dir + "/locked", withIntermediateDirectories: true)
            chmod(dir + "/locked", 0o555)
            XCTAssertThrowsError(try AtomicWrite.write("x", to: dir + "/locked/x.png")) { e in
                XCTAssertEqual("\(e)", "cannot write \(self.dir!)/locked/x.png: Permission denied")
            }
        }
        // A full disk, through the same write loop on /dev/full.
        let fd = open("/dev/full", O_WRONLY)
        guard fd >= 0 else { throw XCTSkip("no /dev/full here") }
        defer { close(fd) }
        let code = AtomicWrite.writeAndSync(Data(count: 100_000), fd: fd)
        XCTAssertEqual(code, ENOSPC)
        XCTAssertEqual("\(WriteError("/runs/a/x.png", errno: code))", "cannot write /runs/a/x.png: No space left on device")
    }

    func testLinkGivesAFileASecondNameInOneStep() throws {
        try AtomicWrite.write("weights 1", to: dir + "/epoch_1")
        try AtomicWrite.write("weights 2", to: dir + "/epoch_2")
        try AtomicWrite.link(dir + "/epoch_1", to: dir + "/last")
        XCTAssertEqual(try String(contentsOfFile: dir + "/last", encoding: .utf8), "weights 1")
        try AtomicWrite.link(dir + "/epoch_2", to: dir + "/last")
        try FileManager.default.removeItem(atPath: dir + "/epoch_2")
        XCTAssertEqual(try String(contentsOfFile: dir + "/last", encoding: .utf8), "weights 2", "the name outlives the versioned file")
        XCTAssertThrowsError(try AtomicWrite.link(dir + "/absent", to: dir + "/last")) { e in
            XCTAssertTrue(e is WriteError && "\(e)".hasPrefix("cannot write \(self.dir!)/last: "), "\(e)")
        }
        XCTAssertEqual(try String(contentsOfFile: dir + "/last", encoding: .utf8), "weights 2", "a failed link leaves the old file")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).sorted(), ["epoch_1", "last"])
    }
}

/// Units of work committed by one state record naming their files.
final class RunFolderCommitTests: XCTestCase {
    struct Settings: Codable, Equatable { var seed: Int }
    struct State: Codable, Equatable { var done: Int; var file: String }

    var dir: String!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("medaug-commit-\(UUID().uuidString)").path
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    func testSettingsWithoutACommitBlockNothing() throws {
        let folder = RunFolder(dir, settings: "run.json", holds: "a test run")
        try folder.record(Settings(seed: 1))
        XCTAssertNil(try folder.begin(resume: false, as: Settings.self, committed: false), "a new start replaces a failed one")
        XCTAssertEqual(try folder.begin(resume: true, as: Settings.self, committed: false), Settings(seed: 1),
                       "--resume starts it again with its settings")
        XCTAssertThrowsError(try folder.begin(resume: false, as: Settings.self, committed: true)) { e in
            XCTAssertTrue("\(e)".contains("--resume"), "\(e)")
        }
    }

    func testCommitPublishAndSweepKeepExactlyWhatTheStateNames() throws {
        let folder = RunFolder(dir, settings: "run.json", holds: "a test run")
        XCTAssertEqual(RunFolder.versioned(3, "safetensors"), "checkpoints/epoch_0003.safetensors")
        for e in 1...3 { try AtomicWrite.write("weights \(e)", to: folder.path(RunFolder.versioned(e, "w"))) }
        // What a killed write leaves: a temporary file.
        try "half".write(toFile: folder.path(".last.tmp-1-2"), atomically: false, encoding: .utf8)
        try "half".write(toFile: folder.path("checkpoints/.epoch_0004.w.tmp-1-2"), atomically: false, encoding: .utf8)
        let state = State(done: 2, file: RunFolder.versioned(2, "w"))
        try folder.commit(state, to: "state.json")
        try folder.publish(state.file, as: "last")
        try folder.publish(state.file, as: "last")
        try folder.sweep(keeping: [state.file, RunFolder.versioned(1, "w")])
        XCTAssertEqual(try folder.read("state.json", as: State.self), state)
        XCTAssertEqual(try String(contentsOfFile: folder.path("last"), encoding: .utf8), "weights 2")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path("checkpoints")).sorted(),
                       ["epoch_0001.w", "epoch_0002.w"], "the newer, uncommitted version and the temporary are gone")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).sorted(), ["checkpoints", "last", "state.json"])
    }
}
