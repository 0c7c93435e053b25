import XCTest
import Foundation
import MedAugCore
import MedAugData
import MedAugTrain
@testable import MedAugExperiment

/// Stratified group k-fold and an experiment with `folds:`.
extension ExperimentTests {
    func testFoldsKeepEveryPatientTogetherAndSpreadEachClass() throws {
        var samples: [Sample] = []
        var rng = Xoshiro256(seed: 4)
        for p in 0..<40 {
            let cls = p % 3 == 0 ? 1 : 0
            for i in 0..<(1 + rng.nextInt(below: 4)) {
                samples.append(Sample(path: "/d/\(cls)/p\(p)-\(i).png", classIndex: cls, className: "\(cls)", split: .train, group: "patient-\(p)"))
            }
        }
        samples.append(Sample(path: "/d/0/gan_0_1.png", classIndex: 0, className: "0", split: .train, group: "synthetic:0/gan_0_1"))
        let folds = try FoldSplit.assign(samples, folds: 5, seed: 11)
        XCTAssertEqual(folds, try FoldSplit.assign(samples, folds: 5, seed: 11), "the same seed deals the same folds")
        XCTAssertNotEqual(folds, try FoldSplit.assign(samples, folds: 5, seed: 12), "another repeat, other folds")
        XCTAssertEqual(folds.last, FoldSplit.alwaysTrain, "GAN images only ever train")
        var foldOf: [String: Int] = [:]
        for (s, f) in zip(samples, folds) where f != FoldSplit.alwaysTrain {
            if let seen = foldOf[s.group!] { XCTAssertEqual(seen, f, "\(s.group!) split across folds") }
            foldOf[s.group!] = f
        }
        for cls in 0...1 {
            let counts = (0..<5).map { f in zip(samples, folds).filter { $0.0.classIndex == cls && $0.1 == f }.count }
            XCTAssertLessThanOrEqual(counts.max()! - counts.min()!, 4, "class \(cls) spread evenly: \(counts)")
        }
        XCTAssertThrowsError(try FoldSplit.assign(Array(samples.prefix(3)), folds: 5, seed: 0)) { e in
            XCTAssertTrue("\(e)".contains("5 folds need at least 5 patients"), "\(e)")
        }
    }

    func testAnExperimentWithFoldsTrainsEachFoldAndScoresTheUntouchedTestSet() throws {
        var c = try config()
        c.folds = 2
        c.repeats = 1
        c.epochs = [1]
        let r = ExperimentRunner(config: c, out: tmp.appendingPathComponent("folds").path)
        r.log = { _ in }
        let rows = try r.run()
        XCTAssertEqual(rows.map(\.fold), [1, 2, 1, 2], "Original then Flip, each fold")
        XCTAssertEqual(Set(rows.map(\.testSize)).count, 1, "every fold scores the same test set")
        let test = try LabeledSamples.load(c.data, part: .test).samples.count
        XCTAssertEqual(rows.first?.testSize, test)
        for f in 1...2 {
            let run = tmp.appendingPathComponent("folds/runs/original/repeat-1/fold-\(f)/train").path
            let config = try RunConfig.read(RunFiles(run).config)
            let validation = CSV.parse(try String(contentsOfFile: RunFiles(run).validation, encoding: .utf8)).dropFirst().filter { $0.count == 2 }
            XCTAssertEqual(validation.count, config.validationCount)
            XCTAssertTrue(validation.allSatisfy { $0[0].contains("/repeat-1-fold-\(f)-of-2-") && $0[0].contains("/validation/") }, "fold \(f) validates on itself")
            XCTAssertEqual(config.trainCount + config.validationCount, try LabeledSamples.load(c.data, part: .train).samples.count)
        }
        let summary = try String(contentsOf: tmp.appendingPathComponent("folds/summary.md"), encoding: .utf8)
        XCTAssertTrue(summary.contains("each the mean of its 2 folds"), summary)
        let csv = CSV.parse(try String(contentsOf: tmp.appendingPathComponent("folds/results.csv"), encoding: .utf8))
        let foldColumn = try XCTUnwrap(csv.first?.firstIndex(of: "fold"))
        XCTAssertEqual(csv.dropFirst().filter { $0.count > foldColumn }.map { $0[foldColumn] }, ["1", "2", "1", "2"])
    }
}
