import XCTest
import Foundation
import MedAugCore
import MedAugData
import MedAugImage
import MedAugAugment
@testable import MedAugTrain

/// `medaug evaluate`'s medical figures, operating points and pictures, on a real trained run.
extension TrainingTests {
    func trainedRun(epochs: Int = 3) throws -> (data: URL, run: String) {
        let root = tmp.appendingPathComponent("data")
        try makeDataset(root, perClass: 12)
        let t = ClassifierTrainer(options: quickOptions(epochs: epochs))
        t.log = { _ in }
        let run = tmp.appendingPathComponent("run").path
        _ = try t.run(data: root.path, out: run, resume: false)
        return (root, run)
    }

    func json(_ path: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    /// (probability of the positive class, true class, predicted class) per row of predictions.csv.
    func predictionRows(_ dir: String) throws -> [(Double, String, String)] {
        let rows = CSV.parse(try String(contentsOfFile: (dir as NSString).appendingPathComponent("predictions.csv"), encoding: .utf8))
        XCTAssertEqual(rows.first, ["path", "true", "pred", "prob_bright", "prob_dark"])
        return rows.dropFirst().filter { $0.count == 5 }.map { (Double($0[4])!, $0[1], $0[2]) }
    }

    func testEvaluateWritesTheMedicalMetricsWithIntervalsAndPictures() throws {
        let (data, run) = try trainedRun()
        let r = try Evaluator.run(run: run, data: data.path, device: .cpu, log: { _ in })
        let m = try json((r.out as NSString).appendingPathComponent("metrics.json"))
        for key in ["roc_auc", "average_precision", "balanced_accuracy", "sensitivity", "specificity", "brier", "expected_calibration_error"] {
            XCTAssertNotNil(m[key] as? Double, "metrics.json lacks \(key)")
        }
        XCTAssertEqual(m["roc_auc"] as? Double, r.medical.rocAUC)
        XCTAssertEqual(m["sensitivity_specificity_of"] as? String, "dark")
        let per = try XCTUnwrap(m["per_class"] as? [String: [String: Any]])
        for cls in ["bright", "dark"] {
            for key in ["precision", "recall", "roc_auc", "average_precision", "sensitivity", "specificity"] {
                XCTAssertNotNil(per[cls]?[key] as? Double, "per_class.\(cls) lacks \(key)")
            }
        }
        // One class's sensitivity is the other's specificity.
        XCTAssertEqual(per["dark"]?["sensitivity"] as? Double, per["bright"]?["specificity"] as? Double)
        let ci = try XCTUnwrap(m["confidence_intervals"] as? [String: [String: Any]])
        XCTAssertTrue((ci["roc_auc"]?["method"] as? String ?? "").contains("DeLong"))
        for key in ["accuracy", "balanced_accuracy", "sensitivity", "specificity", "average_precision", "brier"] {
            let i = try XCTUnwrap(ci[key], "no interval for \(key)")
            let method = i["method"] as? String ?? ""
            // A rate of 12/12 cannot vary under resampling: its counts' Wilson interval stands in.
            let wilson = ["accuracy", "sensitivity", "specificity"].contains(key) && method.hasPrefix("Wilson score interval of ")
            XCTAssertTrue(method.contains("bootstrap, 1000 resamples, seed 0") || wilson, "\(key): \(i)")
            let lo = try XCTUnwrap(i["low"] as? Double), hi = try XCTUnwrap(i["high"] as? Double)
            XCTAssertTrue(0 <= lo && lo <= hi && hi <= 1, "\(key): [\(lo), \(hi)]")
        }
        let threshold = try XCTUnwrap(m["threshold"] as? [String: Any])
        XCTAssertEqual(threshold["value"] as? Double, 0.5)
        XCTAssertTrue((threshold["source"] as? String ?? "").hasPrefix("default"))

        // The figures follow from the predictions written beside them.
        let rows = try predictionRows(r.out)
        // predictions.csv rounds to 6 decimals: a probability that close to the threshold could fall either way.
        for (p, _, pred) in rows where abs(p - 0.5) > 1e-5 { XCTAssertEqual(pred, p >= 0.5 ? "dark" : "bright") }
        let auc = RankingMetrics.rocAUC(scores: rows.map(\.0), positive: rows.map { $0.1 == "dark" })
        XCTAssertEqual(try XCTUnwrap(auc), try XCTUnwrap(r.medical.rocAUC), accuracy: 0.02, "predictions.csv holds 6 decimals")
        let sens = Double(rows.filter { $0.1 == "dark" && $0.2 == "dark" }.count) / Double(rows.filter { $0.1 == "dark" }.count)
        XCTAssertEqual(m["sensitivity"] as? Double, sens)

        for f in ["roc_curve.svg", "pr_curve.svg", "reliability.svg"] {
            let svg = try String(contentsOfFile: (r.out as NSString).appendingPathComponent(f), encoding: .utf8)
            XCTAssertTrue(svg.hasPrefix("<svg") && svg.contains("<polyline"), f)
        }
        let cm = try String(contentsOfFile: (r.out as NSString).appendingPathComponent("confusion_matrix.svg"), encoding: .utf8)
        XCTAssertTrue(cm.contains("%</text>"), "the confusion matrix shows row percentages")
    }

    func testTheThresholdIsFixedOnValidationBeforeAnyTestImageIsSeen() throws {
        let (data, run) = try trainedRun()
        let validation = CSV.parse(try String(contentsOfFile: RunFiles(run).validation, encoding: .utf8))
        let config = try RunConfig.read(RunFiles(run).config)
        XCTAssertEqual(validation.first, ["path", "class"])
        XCTAssertEqual(validation.dropFirst().filter { $0.count == 2 }.count, config.validationCount)

        let a = try Evaluator.run(run: run, data: data.path, out: tmp.appendingPathComponent("eval-a").path, device: .cpu,
                                  settings: EvaluationSettings(thresholdRule: .youden), log: { _ in })
        // Another test set: the threshold must not move.
        let other = tmp.appendingPathComponent("other")
        try makeDataset(other, perClass: 5)
        let b = try Evaluator.run(run: run, data: other.path, out: tmp.appendingPathComponent("eval-b").path, device: .cpu,
                                  settings: EvaluationSettings(thresholdRule: .youden), log: { _ in })
        let t = try XCTUnwrap(a.medical.threshold)
        XCTAssertEqual(b.medical.threshold, t)

        // It is Youden's threshold on the run's validation images.
        let samples = validation.dropFirst().filter { $0.count == 2 }.map {
            Sample(path: $0[0], classIndex: config.classes.firstIndex(of: $0[1])!, className: $0[1], split: .validation)
        }
        let p = try Evaluator.predict(samples, config: config, checkpoint: RunFiles(run).best, device: .cpu)
        XCTAssertEqual(OperatingPoint.youden(scores: p.probabilities.map { $0[1] }, positive: p.truth.map { $0 == 1 }), t)
        let m = try json((a.out as NSString).appendingPathComponent("metrics.json"))
        let record = try XCTUnwrap(m["threshold"] as? [String: Any])
        XCTAssertEqual(record["value"] as? Double, t)
        XCTAssertEqual(record["source"] as? String, "chosen on \(samples.count) validation images by youden")
        for (prob, _, pred) in try predictionRows(a.out) where abs(prob - t) > 1e-5 {
            XCTAssertEqual(pred, prob >= t ? "dark" : "bright", "prob \(prob), t \(t)")
        }

        // A sensitivity target keeps at least that sensitivity on validation.
        let s = try Evaluator.run(run: run, data: data.path, out: tmp.appendingPathComponent("eval-s").path, device: .cpu,
                                  settings: EvaluationSettings(thresholdRule: .sensitivity(0.95)), log: { _ in })
        let ts = try XCTUnwrap(s.medical.threshold)
        let positives = zip(p.probabilities, p.truth).filter { $0.1 == 1 }
        XCTAssertGreaterThanOrEqual(Double(positives.filter { $0.0[1] >= ts }.count) / Double(positives.count), 0.95)
    }

    func testAThresholdFromValidationIsRefusedWhenValidationImagesAreAlsoTested() throws {
        // A flat folder: training draws its validation share from the same images `evaluate` scores.
        let flat = tmp.appendingPathComponent("flat")
        try makeDataset(tmp.appendingPathComponent("split"), perClass: 8)
        for cls in ["bright", "dark"] {
            try FileManager.default.copyItem(at: tmp.appendingPathComponent("split/train/\(cls)"), to: flat.appendingPathComponent(cls))
        }
        let t = ClassifierTrainer(options: quickOptions(epochs: 1))
        t.log = { _ in }
        let run = tmp.appendingPathComponent("flat-run").path
        _ = try t.run(data: flat.path, out: run, resume: false)
        XCTAssertThrowsError(try Evaluator.run(run: run, data: flat.path, device: .cpu, settings: EvaluationSettings(thresholdRule: .youden),
                                               log: { _ in })) { e in
            XCTAssertTrue("\(e)".contains("also in the test set"), "\(e)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: (run as NSString).appendingPathComponent("eval/metrics.json")), "nothing written")
    }

    /// A copy of `root`'s test images with every image replaced by `transform` of it.
    func transformedTestSet(_ root: URL, to out: URL, _ transform: (Image) -> Image) throws {
        for cls in ["bright", "dark"] {
            let dir = root.appendingPathComponent("test/\(cls)")
            for f in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
                let dest = out.appendingPathComponent("test/\(cls)")
                try FileManager.default.createDirectory(at: dest, withIntermediateDirectories: true)
                try ImageFile.write(transform(try ImageFile.read(dir.appendingPathComponent(f).path)), to: dest.appendingPathComponent(f).path)
            }
        }
        try FileManager.default.createDirectory(at: out.appendingPathComponent("train"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: root.appendingPathComponent("train/bright"), to: out.appendingPathComponent("train/bright"))
        try FileManager.default.copyItem(at: root.appendingPathComponent("train/dark"), to: out.appendingPathComponent("train/dark"))
    }

    func testFlipsTTAAveragesTheMirrorAndChangesNothingOnSymmetricImages() throws {
        let (data, run) = try trainedRun()
        // Left half mirrored onto the right: a horizontally symmetric image.
        let symmetric = tmp.appendingPathComponent("symmetric")
        try transformedTestSet(data, to: symmetric) { img in
            guard case .u8(let a) = img.pixels else { return img }
            var b = a
            let w = img.width, ch = img.channels
            for y in 0..<img.height {
                for x in (w / 2)..<w {
                    for c in 0..<ch { b[(y * w + x) * ch + c] = a[(y * w + (w - 1 - x)) * ch + c] }
                }
            }
            return Image(width: w, height: img.height, channels: ch, bytes: b)
        }
        let plain = try Evaluator.run(run: run, data: symmetric.path, out: tmp.appendingPathComponent("sym-plain").path, device: .cpu,
                                      settings: EvaluationSettings(bootstrap: 0), log: { _ in })
        let tta = try Evaluator.run(run: run, data: symmetric.path, out: tmp.appendingPathComponent("sym-tta").path, device: .cpu,
                                    settings: EvaluationSettings(bootstrap: 0, tta: try TestTimeAugmentation("flips")), log: { _ in })
        let a = try predictionRows(plain.out), b = try predictionRows(tta.out)
        XCTAssertEqual(a.count, b.count)
        for (x, y) in zip(a, b) { XCTAssertEqual(x.0, y.0, accuracy: 1e-6, "a symmetric image is its own mirror") }
        XCTAssertEqual(plain.medical.rocAUC, tta.medical.rocAUC)

        // On ordinary images: the mean of the image's and its mirror's probabilities, as predictions.csv records.
        let mirrored = tmp.appendingPathComponent("mirrored")
        try transformedTestSet(data, to: mirrored) { FlipKernel.horizontal($0) }
        let config = try RunConfig.read(RunFiles(run).config)
        let samples = try Evaluator.testSamples(data.path, classes: config.classes)
        let mirrorSamples = try Evaluator.testSamples(mirrored.path, classes: config.classes)
        XCTAssertEqual(samples.map { ($0.path as NSString).lastPathComponent }, mirrorSamples.map { ($0.path as NSString).lastPathComponent })
        let p0 = try Evaluator.predict(samples, config: config, checkpoint: RunFiles(run).best, device: .cpu)
        let p1 = try Evaluator.predict(mirrorSamples, config: config, checkpoint: RunFiles(run).best, device: .cpu)
        let averaged = try Evaluator.run(run: run, data: data.path, out: tmp.appendingPathComponent("tta").path, device: .cpu,
                                         settings: EvaluationSettings(bootstrap: 0, tta: try TestTimeAugmentation("flips")), log: { _ in })
        let rows = try predictionRows(averaged.out)
        XCTAssertEqual(rows.count, samples.count)
        for i in rows.indices {
            XCTAssertEqual(rows[i].0, (p0.probabilities[i][1] + p1.probabilities[i][1]) / 2, accuracy: 1e-6, samples[i].path)
        }
        let m = try json((averaged.out as NSString).appendingPathComponent("metrics.json"))
        let stated = try XCTUnwrap(m["test_time_augmentation"] as? [String: Any])
        XCTAssertEqual(stated["description"] as? String, "test-time augmentation: probabilities averaged over each image and the horizontal mirror")
    }

    func testPipelineTTAIsTheSameForItsSeedAndRecordsIt() throws {
        let (data, run) = try trainedRun()
        func once(_ name: String, seed: UInt64) throws -> [(Double, String, String)] {
            var s = EvaluationSettings(bootstrap: 0, tta: try TestTimeAugmentation("aug1", copies: 2))
            s.ttaSeed = seed
            let r = try Evaluator.run(run: run, data: data.path, out: tmp.appendingPathComponent(name).path, device: .cpu, settings: s, log: { _ in })
            let m = try json((r.out as NSString).appendingPathComponent("metrics.json"))
            XCTAssertEqual((m["test_time_augmentation"] as? [String: Any])?["seed"] as? Int, Int(seed))
            return try predictionRows(r.out)
        }
        let a = try once("a", seed: 1), b = try once("b", seed: 1), c = try once("c", seed: 2)
        XCTAssertEqual(a.map(\.0), b.map(\.0), "the same seed draws the same copies")
        XCTAssertNotEqual(a.map(\.0), c.map(\.0), "another seed, other copies")
    }

    func testTTASettingsThatCannotWorkAreRefused() throws {
        XCTAssertThrowsError(try TestTimeAugmentation("flips", copies: 4)) { e in XCTAssertTrue("\(e)".contains("3 distinct copies"), "\(e)") }
        XCTAssertThrowsError(try TestTimeAugmentation("aug1", copies: 0))
        XCTAssertThrowsError(try TestTimeAugmentation("no-such-pipeline.yaml").passes()) { e in
            XCTAssertTrue("\(e)".contains("'no-such-pipeline.yaml'"), "\(e)")
        }
        XCTAssertEqual(try TestTimeAugmentation("aug1").passes().count, 4)
        XCTAssertEqual(try TestTimeAugmentation("flips", copies: 3).passes().count, 3)
    }

    func testThresholdSettingsThatCannotApplyAreRefused() {
        XCTAssertThrowsError(try Evaluator.checkThresholdSettings(EvaluationSettings(threshold: 0.3), classes: ["a", "b", "c"])) { e in
            XCTAssertTrue("\(e)".contains("apply to two classes") && "\(e)".contains("a, b, c"), "\(e)")
        }
        XCTAssertThrowsError(try Evaluator.checkThresholdSettings(EvaluationSettings(threshold: 0.3, thresholdRule: .youden), classes: ["a", "b"]))
        XCTAssertThrowsError(try Evaluator.checkThresholdSettings(EvaluationSettings(threshold: 1.5), classes: ["a", "b"]))
        XCTAssertNoThrow(try Evaluator.checkThresholdSettings(EvaluationSettings(threshold: 0.3), classes: ["a", "b"]))
        XCTAssertEqual(ThresholdRule("sensitivity=0.9"), .sensitivity(0.9))
        XCTAssertEqual(ThresholdRule(" YOUDEN "), .youden)
        XCTAssertNil(ThresholdRule("sensitivity=1.5"))
        XCTAssertNil(ThresholdRule("specificity=0.9"))
    }
}

/// The interval rules on probabilities made here, where every count is known.
final class MedicalMetricsTests: XCTestCase {
    func testPerfectSeparationGetsWilsonRatesAndNoDeLongInterval() {
        let negatives: [[Double]] = (0..<10).map { i -> [Double] in
            let d = 0.01 * Double(i)
            return [0.9 - d, 0.1 + d]
        }
        let probs = negatives + Array(repeating: [0.2, 0.8], count: 10)
        let truth = Array(repeating: 0, count: 10) + Array(repeating: 1, count: 10)
        let m = MedicalMetrics.compute(probabilities: probs, truth: truth, classes: ["a", "b"], positive: 1, threshold: nil,
                                       settings: EvaluationSettings(bootstrap: 200))
        XCTAssertEqual(m.rocAUC, 1)
        let auc = m.intervals["roc_auc"]!
        XCTAssertNil(auc.low)
        XCTAssertTrue(auc.method.contains("DeLong's variance is 0"), auc.method)
        let s = m.intervals["sensitivity"]!
        XCTAssertTrue(s.method.hasPrefix("Wilson score interval of 10/10"), s.method)
        let w = WilsonInterval.interval(successes: 10, trials: 10)!
        XCTAssertEqual(s.low, w.low)
        XCTAssertEqual(w.low, 0.7224672001, accuracy: 1e-9, "Wilson's 95% lower bound for 10/10 (Python's statistics.NormalDist)")
        XCTAssertEqual(s.high, 1)
    }

    func testMacroRatesLeaveOutUndefinedClassesAndTheirIntervalsStayInRange() {
        // Class 2 is in no test image: its sensitivity is undefined, not 0.
        let probs: [[Double]] = [[0.7, 0.2, 0.1], [0.2, 0.7, 0.1], [0.5, 0.3, 0.2], [0.1, 0.3, 0.6], [0.6, 0.3, 0.1], [0.3, 0.6, 0.1]]
        let truth = [0, 1, 1, 1, 0, 0]
        let m = MedicalMetrics.compute(probabilities: probs, truth: truth, classes: ["x", "y", "z"], positive: nil, threshold: nil,
                                       settings: EvaluationSettings(bootstrap: 300))
        XCTAssertNil(m.perClass[2].sensitivity)
        let sens = [m.perClass[0].sensitivity!, m.perClass[1].sensitivity!]
        XCTAssertEqual(m.sensitivity!, (sens[0] + sens[1]) / 2, accuracy: 1e-12)
        XCTAssertEqual(m.sensitivity!, m.balancedAccuracy, accuracy: 1e-12, "macro sensitivity is balanced accuracy")
        for (key, i) in m.intervals {
            guard let lo = i.low, let hi = i.high else { continue }
            XCTAssertTrue(0 <= lo && lo <= hi && hi <= (key == "brier" ? 2 : 1), "\(key): [\(lo), \(hi)]")
        }
        XCTAssertNotNil(m.perClass[0].intervals["roc_auc"], "per-class AUC interval")
    }

    /// DeLong's variance from its definition (the placement values of Hanley and
    /// DeLong, O(m·n)), independent of the fast algorithm the fixtures were made with.
    func testDeLongVarianceEqualsItsDefinition() {
        var rng = Xoshiro256(seed: 3)
        for _ in 0..<20 {
            let m = 3 + rng.nextInt(below: 12), n = 3 + rng.nextInt(below: 12)
            // Scores on a coarse grid, so ties occur.
            let pos = (0..<m).map { _ in Double(rng.nextInt(below: 8)) / 8 + 0.1 }, neg = (0..<n).map { _ in Double(rng.nextInt(below: 8)) / 8 }
            func psi(_ x: Double, _ y: Double) -> Double { x > y ? 1 : (x == y ? 0.5 : 0) }
            let v10 = pos.map { x in neg.map { psi(x, $0) }.reduce(0, +) / Double(n) }
            let v01 = neg.map { y in pos.map { psi($0, y) }.reduce(0, +) / Double(m) }
            let auc = v10.reduce(0, +) / Double(m)
            func variance(_ v: [Double]) -> Double {
                let mean = v.reduce(0, +) / Double(v.count)
                return v.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(v.count - 1)
            }
            let expected = variance(v10) / Double(m) + variance(v01) / Double(n)
            let got = DeLong.aucVariance(scores: pos + neg, positive: Array(repeating: true, count: m) + Array(repeating: false, count: n))
            XCTAssertEqual(got!.auc, auc, accuracy: 1e-12)
            XCTAssertEqual(got!.variance, expected, accuracy: 1e-12)
        }
    }
}
