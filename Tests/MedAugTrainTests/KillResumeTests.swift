import Foundation
import MedAugCore
import MedAugImage
import XCTest
import MedAugTestSupport
@testable import MedAugTrain

/// A run killed at any instant resumes to exactly the files of an
/// uninterrupted one. The built `medaug` binary is stopped by AtomicWrite's
/// testing hook (MEDAUG_TEST_EXIT_AFTER_WRITES=N: `_exit(137)` right after the
/// N-th completed write), for N = 1, 2, ... until a run gets through, and
/// continued with `--resume` and nothing else, so that it also shows that
/// --resume takes the saved settings.
final class KillResumeTests: XCTestCase {
    var tmp: URL!
    var data: URL!

    override func setUpWithError() throws {
        tmp = FileManager.default.temporaryDirectory.appendingPathComponent("medaug-kill-\(UUID().uuidString)")
        data = tmp.appendingPathComponent("data")
        try TinyDataset.write(to: data)
        Interrupt.set(false)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: tmp) }

    func trainArgs(_ out: URL) -> [String] {
        ["train", "--data", data.path, "--out", out.path, "--epochs", "2", "--batch-size", "4", "--val-split", "0.25",
         "--seed", "5", "--device", "cpu", "--dropout", "0.5"]
    }

    func testTrainKilledAfterEveryWriteResumesToTheSameFiles() throws {
        let straight = tmp.appendingPathComponent("straight")
        try Medaug.run(trainArgs(straight))
        let expected = try Medaug.snapshot(straight)
        XCTAssertNotNil(expected["checkpoints/epoch_0002.safetensors"])
        XCTAssertEqual(expected["last.safetensors"], expected["checkpoints/epoch_0002.safetensors"])
        let n = try Medaug.killEverywhere(
            start: { out, n in try Medaug.run(self.trainArgs(out), exitAfterWrites: n) },
            resume: { out in try Medaug.run(["train", "--data", self.data.path, "--out", out.path, "--resume"]) },
            expected: expected, in: tmp)
        XCTAssertGreaterThan(n, 10, "a 2-epoch run makes more writes than that")
    }

    func testFailedStartsBlockNothing() throws {
        let out = tmp.appendingPathComponent("run")
        // Killed in epoch 1: settings recorded, nothing committed.
        XCTAssertEqual(try Medaug.run(trainArgs(out), exitAfterWrites: 1).status, 137)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("config.json").path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("state.json").path))
        // A rerun without --resume starts over, with its own settings.
        try Medaug.run(trainArgs(out).map { $0 == "5" ? "6" : $0 }, exitAfterWrites: 1)
        try Medaug.run(trainArgs(out))
        let config = try RunConfig.read(out.appendingPathComponent("config.json").path)
        XCTAssertEqual(config.options.seed, 5, "the rerun's settings replace the failed start's")
        let straight = tmp.appendingPathComponent("straight")
        try Medaug.run(trainArgs(straight))
        XCTAssertEqual(try Medaug.snapshot(out), try Medaug.snapshot(straight))
        // Killed in epoch 1 again, then --resume: begins again with the saved settings.
        let resumed = tmp.appendingPathComponent("resumed")
        try Medaug.run(trainArgs(resumed), exitAfterWrites: 1)
        try Medaug.run(["train", "--data", data.path, "--out", resumed.path, "--resume"])
        XCTAssertEqual(try Medaug.snapshot(resumed), try Medaug.snapshot(straight))
        // Settings refused before anything is written leave nothing behind.
        for bad in [["--augment", "typo"], ["--dropout", "2"]] {
            let dir = tmp.appendingPathComponent("bad")
            let r = try Medaug.run(trainArgs(dir) + bad, expect: 64)
            XCTAssertTrue(r.err.contains(bad[0]), r.err)
            XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("config.json").path), bad[0])
            try Medaug.run(trainArgs(dir))
            try FileManager.default.removeItem(at: dir)
        }
    }

    func testResumeTrainsToTheSavedEpochsAndGrowsOnRequest() throws {
        func trainer(_ epochs: Int, given: Bool = true) -> ClassifierTrainer {
            var o = TrainOptions(recipe: .studyCNN)
            (o.epochs, o.batchSize, o.valSplit, o.seed, o.device, o.dropout) = (epochs, 4, 0.25, 5, .cpu, 0.5)
            let t = ClassifierTrainer(options: o)
            t.epochsGiven = given
            t.log = { _ in }
            return t
        }
        let out = tmp.appendingPathComponent("run").path, three = tmp.appendingPathComponent("three").path
        XCTAssertEqual(try trainer(2).run(data: data.path, out: out, resume: false).history.count, 2)
        // --resume without --epochs: the saved 2, not the default 30.
        XCTAssertEqual(try trainer(30, given: false).run(data: data.path, out: out, resume: true).history.count, 2)
        XCTAssertEqual(try trainer(3).run(data: data.path, out: out, resume: true).history.count, 3, "more epochs: continue")
        XCTAssertEqual(try RunConfig.read(RunFiles(out).config).options.epochs, 3, "the new count is saved")
        XCTAssertEqual(try trainer(30, given: false).run(data: data.path, out: out, resume: true).history.count, 3)
        XCTAssertThrowsError(try trainer(1).run(data: data.path, out: out, resume: true)) { e in
            XCTAssertTrue(e is TrainError && "\(e)".contains("already trained 3 epochs"), "\(e)")
        }
        _ = try trainer(3).run(data: data.path, out: three, resume: false)
        for f in ["last.safetensors", "best.safetensors", "curves.svg"] {
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: RunFiles(out).path(f))),
                           try Data(contentsOf: URL(fileURLWithPath: RunFiles(three).path(f))), "2 then 3 epochs = 3 epochs: \(f)")
        }
    }

    func ganArgs(_ out: URL) -> [String] {
        ["gan", "train", "--data", data.path, "--out", out.path, "--class", "bright", "--epochs", "2", "--image-size", "32",
         "--nz", "8", "--ngf", "8", "--ndf", "8", "--batch-size", "4", "--sample-every", "1", "--device", "cpu", "--seed", "11"]
    }

    func testGANTrainKilledAfterEveryWriteResumesToTheSameFiles() throws {
        let straight = tmp.appendingPathComponent("straight")
        try Medaug.run(ganArgs(straight))
        let expected = try Medaug.snapshot(straight)
        XCTAssertNotNil(expected["bright/samples/final.png"])
        let n = try Medaug.killEverywhere(
            start: { out, n in try Medaug.run(self.ganArgs(out), exitAfterWrites: n) },
            resume: { out in try Medaug.run(["gan", "train", "--data", self.data.path, "--out", out.path, "--resume"]) },
            expected: expected, in: tmp)
        XCTAssertGreaterThan(n, 15)
    }

    func testGANResumeTrainsToTheSavedEpochsAndGrowsOnRequest() throws {
        func trainer(_ epochs: Int, given: Bool = true) -> GANTrainer {
            var o = GANOptions()
            (o.epochs, o.batchSize, o.imageSize, o.nz, o.ngf, o.ndf, o.device, o.seed) = (epochs, 4, .px32, 8, 8, 8, .cpu, 11)
            // Grids every epoch: the grid pass updates the generator's BatchNorm statistics, and the
            // 2-epoch run makes one at its (then) last epoch, as a 3-epoch run does only with this.
            o.sampleEvery = 1
            o.classes = ["dark"]
            let t = GANTrainer(options: o)
            t.epochsGiven = given
            t.log = { _ in }
            return t
        }
        let out = tmp.appendingPathComponent("gan").path, three = tmp.appendingPathComponent("three").path
        func done(_ dir: String) throws -> Int { try RunFolder(dir, settings: "gan.json", holds: "").read("dark/state.json", as: GANState.self).epochsDone }
        _ = try trainer(2).run(data: data.path, out: out, resume: false)
        _ = try trainer(200, given: false).run(data: data.path, out: out, resume: true)
        XCTAssertEqual(try done(out), 2, "--resume without --epochs: the saved 2, not the default 200")
        _ = try trainer(3).run(data: data.path, out: out, resume: true)
        XCTAssertEqual(try done(out), 3)
        XCTAssertThrowsError(try trainer(1).run(data: data.path, out: out, resume: true)) { e in
            XCTAssertTrue("\(e)".contains("already trained 3 epochs"), "\(e)")
        }
        _ = try trainer(3).run(data: data.path, out: three, resume: false)
        for f in ["generator.safetensors", "discriminator.safetensors", "losses.csv"] {
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: "\(out)/dark/\(f)")),
                           try Data(contentsOf: URL(fileURLWithPath: "\(three)/dark/\(f)")), "2 then 3 epochs = 3 epochs: \(f)")
        }
    }

    func testGANSampleKeepsWhatAKillLeftAndARerunCompletesIt() throws {
        let gan = tmp.appendingPathComponent("gan")
        try Medaug.run(ganArgs(gan).map { $0 == "2" ? "1" : $0 })
        func sample(_ out: URL, seed: String = "4") -> [String] {
            ["gan", "sample", "--run", gan.path, "--count", "66", "--out", out.path, "--size", "40x40", "--seed", seed, "--device", "cpu"]
        }
        let straight = tmp.appendingPathComponent("straight")
        try Medaug.run(sample(straight))
        let expected = try Medaug.snapshot(straight)
        XCTAssertEqual(expected.keys.filter { $0.hasSuffix(".png") }.count, 66)
        // Write 1 records the arguments, 2...67 are the images (two batches), 68 the manifest.
        for n in [1, 40, 65, 66, 68, 69] {
            let out = tmp.appendingPathComponent("killed-\(n)")
            XCTAssertEqual(try Medaug.run(sample(out), exitAfterWrites: n).status, n <= 68 ? 137 : 0)
            let kept = (try? FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("bright").path)) ?? []
            XCTAssertEqual(kept.count, max(0, min(66, n - 1)), "images written before the kill are kept (\(n))")
            if n == 40 {
                let r = try Medaug.run(sample(out, seed: "5"), expect: 1)
                XCTAssertTrue(r.err.contains("other arguments"), r.err)
            }
            try Medaug.run(sample(out))
            XCTAssertEqual(try Medaug.snapshot(out), expected, "killed after write \(n), then run again")
        }
    }
}

/// The built binary, run as a user runs it.
enum Medaug {
    /// Runs `medaug args`; with `exitAfterWrites`, AtomicWrite's testing hook stops it after that many writes.
    @discardableResult
    static func run(_ args: [String], exitAfterWrites n: Int? = nil, expect: Int32? = 0,
                    file: StaticString = #filePath, line: UInt = #line) throws -> (status: Int32, err: String) {
        var env = ["OMP_NUM_THREADS": "1"]  // the tests share small machines; threads do not change results here
        if let n { env["MEDAUG_TEST_EXIT_AFTER_WRITES"] = String(n) }
        let r = try MedaugBinary.run(args, environment: env)
        if n == nil, let expect {
            XCTAssertEqual(r.status, expect, "medaug \(args.joined(separator: " ")): \(r.err)", file: file, line: line)
        }
        return (r.status, r.err)
    }

    /// For N = 1, 2, ...: `start` killed after write N, `resume` to the end,
    /// then every file compared with `expected`; stops at the first N the run
    /// gets through, and returns it.
    static func killEverywhere(start: (URL, Int) throws -> (status: Int32, err: String), resume: (URL) throws -> Void,
                               expected: [String: Data], in tmp: URL, file: StaticString = #filePath, line: UInt = #line) throws -> Int {
        var n = 1
        while n < 500 {
            let out = tmp.appendingPathComponent("killed-\(n)")
            let r = try start(out, n)
            if r.status == 0 {
                XCTAssertEqual(try snapshot(out), expected, "a run with no kill", file: file, line: line)
                return n
            }
            XCTAssertEqual(r.status, 137, r.err, file: file, line: line)
            try resume(out)
            let got = try snapshot(out)
            let differ = Set(got.keys).union(expected.keys).filter { got[$0] != expected[$0] }.sorted()
            XCTAssertEqual(differ, [], "killed after write \(n), then resumed", file: file, line: line)
            try FileManager.default.removeItem(at: out)
            n += 1
        }
        XCTFail("the run never got through", file: file, line: line)
        return n
    }

    /// Every file under `dir` by relative path, with wall-clock seconds
    /// (history.csv's last column, "seconds" in state.json) blanked, and
    /// optimizer states only checked to be there: libtorch's archive keys
    /// them by tensor address, so their bytes differ from run to run even
    /// when their values do not. (The final weights show that they were
    /// restored exactly: every kill before the last epoch's commit makes the
    /// resumed run train on from a loaded optimizer state.)
    static func snapshot(_ dir: URL) throws -> [String: Data] {
        try FolderSnapshot.take(dir) { rel, data in
            let name = (rel as NSString).lastPathComponent
            if name.contains("optimizer") {
                XCTAssertFalse(data.isEmpty, rel)
                return Data("an optimizer state".utf8)
            }
            guard ["history.csv", "state.json", "rows.json", "results.csv"].contains(name) else { return data }
            return FolderSnapshot.lines(data) { line in
                if line.contains("\"seconds\"") { return "seconds" }
                return name.hasSuffix(".csv") ? line.split(separator: ",", omittingEmptySubsequences: false).dropLast().joined(separator: ",") : String(line)
            }
        }
    }
}
