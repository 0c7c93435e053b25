import XCTest
import Foundation
import MedAugCore
import MedAugData
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
            XCTAssertTrue((i["method"] as? String ?? "").contains("bootstrap, 1000 resamples, seed 0"), "\(key): \(i)")
            let lo = try XCTUnwrap(i["low"] as? Double), hi = try XCTUnwrap(i["high"] as? Double)
            XCTAssertTrue(0 <= lo && lo <= hi && hi <= 1, "\(key): [\(lo), \(hi)]")
        }
        let threshold = try XCTUnwrap(m["threshold"] as? [String: Any])
        XCTAssertEqual(threshold["value"] as? Double, 0.5)
        XCTAssertTrue((threshold["source"] as? String ?? "").hasPrefix("default"))

        // The figures follow from the predictions written beside them.
        let rows = try predictionRows(r.out)
        for (p, _, pred) in rows { XCTAssertEqual(pred, p >= 0.5 ? "dark" : "bright") }
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
        for (prob, _, pred) in try predictionRows(a.out) { XCTAssertEqual(pred, prob >= t ? "dark" : "bright", "prob \(prob), t \(t)") }

        // A sensitivity target keeps at least that sensitivity on validation.
        let s = try Evaluator.run(run: run, data: data.path, out: tmp.appendingPathComponent("eval-s").path, device: .cpu,
                                  settings: EvaluationSettings(thresholdRule: .sensitivity(0.95)), log: { _ in })
        let ts = try XCTUnwrap(s.medical.threshold)
        let positives = zip(p.probabilities, p.truth).filter { $0.1 == 1 }
        XCTAssertGreaterThanOrEqual(Double(positives.filter { $0.0[1] >= ts }.count) / Double(positives.count), 0.95)
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
