import Foundation
import MedAugCore
import MedAugImage
import MedAugTrain
import XCTest
import MedAugTestSupport
@testable import MedAugExperiment

/// An experiment killed at any instant resumes to the results of an
/// uninterrupted one, and --resume keeps or grows the saved repeats.
final class ExperimentKillTests: XCTestCase {
    var tmp: URL!

    override func setUpWithError() throws {
        tmp = FileManager.default.temporaryDirectory.appendingPathComponent("medaug-expkill-\(UUID().uuidString)")
        try TinyDataset.write(to: tmp.appendingPathComponent("data"))
        Interrupt.set(false)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: tmp) }

    /// Epochs 1 and 2 (one with --smoke), one variant, one repeat.
    func configFile() throws -> String {
        let path = tmp.appendingPathComponent("kill.yaml").path
        try """
        name: kill test
        data: data
        recipe: study-cnn
        overrides: {batch_size: 4, device: cpu, val_split: 0.25, dropout: 0.5}
        positive: dark
        epochs: [1, 2]
        repeats: 1
        seed: 3
        variants:
          - name: Original
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testKilledAtSampledWritesResumesToTheSameResults() throws {
        let cfg = try configFile()
        func args(_ out: URL) -> [String] { ["experiment", cfg, "--out", out.path, "--smoke", "--repeats", "2"] }
        let straight = tmp.appendingPathComponent("straight")
        try Binary.run(args(straight))
        let expected = try Binary.snapshot(straight)
        XCTAssertEqual(expected["results.csv"].map { String(decoding: $0, as: UTF8.self).split(separator: "\n").count }, 3,
                       "a header and two repeats")
        // Writes 1, 2, then every third, then the last ones before the run gets through (results, summaries, report).
        var n = 1, points: [Int] = []
        while true {
            let out = tmp.appendingPathComponent("killed-\(n)")
            let r = try Binary.run(args(out), exitAfterWrites: n)
            if r.status == 0 { break }
            XCTAssertEqual(r.status, 137, r.err)
            // --resume keeps the saved two repeats without --repeats.
            try Binary.run(["experiment", cfg, "--out", out.path, "--smoke", "--resume"])
            XCTAssertEqual(try Binary.snapshot(out), expected, "killed after write \(n), then resumed")
            try FileManager.default.removeItem(at: out)
            points.append(n)
            n += n < 2 ? 1 : 3
        }
        // The run has n - 3 to n - 1 writes: kill after those of them that there are.
        for m in [n - 2, n - 1] where !points.contains(m) {
            let out = tmp.appendingPathComponent("killed-\(m)")
            guard try Binary.run(args(out), exitAfterWrites: m).status == 137 else { continue }
            points.append(m)
            try Binary.run(["experiment", cfg, "--out", out.path, "--smoke", "--resume"])
            XCTAssertEqual(try Binary.snapshot(out), expected, "killed after write \(m), then resumed")
        }
        XCTAssertGreaterThan(n, 20, "an experiment of two cells makes more writes than that")
    }

    func testRepeatsGrowOnResumeAndFewerThanBegunAreRefused() throws {
        var c = try ExperimentConfig.load(try configFile())
        c.epochs = [1]
        let out = tmp.appendingPathComponent("exp").path
        func run(repeats: Int, given: Bool, resume: Bool) throws -> [ResultRow] {
            var x = c
            x.repeats = repeats
            let r = ExperimentRunner(config: x, out: out)
            (r.resume, r.repeatsGiven, r.log) = (resume, given, { _ in })
            return try r.run()
        }
        XCTAssertEqual(try run(repeats: 1, given: true, resume: false).map(\.repeatIndex), [1])
        XCTAssertEqual(try run(repeats: 2, given: true, resume: true).map(\.repeatIndex), [1, 2], "--resume --repeats 2 adds a repeat")
        XCTAssertEqual(try run(repeats: 1, given: false, resume: true).map(\.repeatIndex), [1, 2], "--resume alone keeps the saved 2")
        let saved = try RunFolder(out, settings: "experiment.json", holds: "").read("experiment.json", as: ExperimentConfig.self)
        XCTAssertEqual(saved.repeats, 2)
        XCTAssertThrowsError(try run(repeats: 1, given: true, resume: true)) { e in
            XCTAssertTrue(e is RunFolderError && "\(e)".contains("already holds repeat 2"), "\(e)")
        }
        let summary = try String(contentsOfFile: out + "/summary.md", encoding: .utf8)
        XCTAssertTrue(summary.contains("over 2 repeat(s)"), summary)
    }
}

/// The built `medaug` binary, as a user runs it.
enum Binary {
    /// Runs `medaug args`; with `exitAfterWrites`, AtomicWrite's testing hook
    /// (MEDAUG_TEST_EXIT_AFTER_WRITES) stops it right after that many writes.
    @discardableResult
    static func run(_ args: [String], exitAfterWrites n: Int? = nil, file: StaticString = #filePath, line: UInt = #line) throws -> (status: Int32, err: String) {
        var env = ["OMP_NUM_THREADS": "1"]
        if let n { env["MEDAUG_TEST_EXIT_AFTER_WRITES"] = String(n) }
        let r = try MedaugBinary.run(args, environment: env)
        if n == nil { XCTAssertEqual(r.status, 0, "medaug \(args.joined(separator: " ")): \(r.err)", file: file, line: line) }
        return (r.status, r.err)
    }

    /// Every file under `dir` by relative path, the folder's own path written
    /// as OUT, without what differs by nature: wall-clock seconds (rows,
    /// results, history), the report's date, and optimizer states' bytes
    /// (libtorch keys them by tensor address; the weights trained on from them
    /// show that they were restored).
    static func snapshot(_ dir: URL) throws -> [String: Data] {
        try FolderSnapshot.take(dir) { rel, data in
            let name = (rel as NSString).lastPathComponent
            if name.contains("optimizer") { return Data("an optimizer state".utf8) }
            guard [".json", ".csv", ".html", ".md", ".txt"].contains(where: name.hasSuffix) else { return data }
            let moved = Data(String(decoding: data, as: UTF8.self).replacingOccurrences(of: dir.path, with: "OUT").utf8)
            return FolderSnapshot.lines(moved) { line in
                if line.contains("\"seconds\"") || line.contains("generated ") { return "(varies)" }
                if ["history.csv", "results.csv"].contains(name) {
                    return line.split(separator: ",", omittingEmptySubsequences: false).dropLast().joined(separator: ",")
                }
                return String(line)
            }
        }
    }
}
