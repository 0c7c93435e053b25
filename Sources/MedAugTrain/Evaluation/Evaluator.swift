import Foundation
import MedAugAugment
import MedAugCore
import MedAugData
import MedAugImage
import MedAugTorch

/// `medaug evaluate`: a trained run on a labelled folder, with the study's
/// metrics, written as scikit-learn writes them.
public struct EvaluationResult: Sendable {
    public var metrics: ClassificationMetrics
    /// ROC-AUC, rates, calibration and their intervals.
    public var medical: MedicalMetrics
    /// The positive class (for recall), when there is one.
    public var positive: Int?
    public var out: String
}

/// `medaug evaluate`: scores a trained run on the test part of a dataset.
public enum Evaluator {
    /// The model's predictions on every test image, in loader order.
    struct Predictions {
        var truth: [Int] = [], probabilities: [[Double]] = [], paths: [String] = []
    }

    /// Evaluates `checkpoint` of the run in `run` on `data`'s test images (labelled as `datasetOptions` say)
    /// and writes the records into `out` (default RUN/eval).
    public static func run(run: String, data: String, checkpoint: CheckpointChoice = .best, positive: String? = nil,
                           out: String? = nil, device: DeviceSetting = .auto, datasetOptions: DatasetOptions = .current,
                           settings: EvaluationSettings = EvaluationSettings(),
                           log: (String) -> Void = { print($0) }) throws -> EvaluationResult {
        let files = RunFiles(run)
        let config = try RunConfig.read(files.config)
        let outDir = out ?? (run as NSString).appendingPathComponent("eval")
        try OutputGuard.check(output: outDir, inputs: [data])
        let ckpt = checkpoint.path(in: files)
        let samples = try testSamples(data, classes: config.classes, options: datasetOptions)
        let positiveIndex = try positiveClass(positive, classes: config.classes)
        try checkThresholdSettings(settings, classes: config.classes)
        let dev = try device.resolve()
        // The operating point is fixed before the test images are scored.
        var chosen: (value: Double, source: String)?
        if let t = settings.threshold { chosen = (t, "given (--threshold)") }
        if let rule = settings.thresholdRule, let pi = positiveIndex {
            chosen = try thresholdOnValidation(rule, run: files, config: config, checkpoint: ckpt, device: dev, positive: pi, test: samples,
                                               settings: settings)
        }
        let p = try predict(samples, config: config, checkpoint: ckpt, device: dev, tta: settings.tta, seed: settings.ttaSeed)
        let medical = MedicalMetrics.compute(probabilities: p.probabilities, truth: p.truth, classes: config.classes,
                                             positive: positiveIndex, threshold: chosen?.value, settings: settings)
        let metrics = medical.classification
        let predicted = MedicalMetrics.predict(p.probabilities, positive: medical.positive, threshold: medical.threshold)
        try FileManager.default.createDirectory(atPath: outDir, withIntermediateDirectories: true)
        func path(_ n: String) -> String { (outDir as NSString).appendingPathComponent(n) }
        var csv = "path,true,pred," + config.classes.map { CSV.field("prob_\($0)") }.joined(separator: ",") + "\n"
        for i in p.paths.indices {
            csv += [CSV.field(p.paths[i]), CSV.field(config.classes[p.truth[i]]), CSV.field(config.classes[predicted[i]])].joined(separator: ",")
            csv += "," + p.probabilities[i].map { String(format: "%.6f", $0) }.joined(separator: ",") + "\n"
        }
        try AtomicWrite.write(csv, to: path("predictions.csv"))
        try AtomicWrite.write(metrics.report(), to: path("classification_report.txt"))
        try AtomicWrite.write(metrics.confusionCSV(), to: path("confusion_matrix.csv"))
        try AtomicWrite.write(Charts.confusionMatrix(metrics), to: path("confusion_matrix.svg"))
        let curves = EvaluationCurves(probabilities: p.probabilities, truth: p.truth, classes: config.classes, positive: medical.positive)
        try AtomicWrite.write(Charts.rocCurves([("model", curves)], title: "ROC curve"), to: path("roc_curve.svg"))
        try AtomicWrite.write(Charts.precisionRecallCurves([("model", curves)], title: "precision-recall curve"), to: path("pr_curve.svg"))
        try AtomicWrite.write(Charts.reliabilityDiagram(medical), to: path("reliability.svg"))
        let thresholdRecord: [String: Any]? = medical.threshold.map { t in
            ["value": t, "source": chosen?.source ?? "default (0.5 on the positive class's probability)",
             "applies_to": config.classes[medical.positive!]]
        }
        try AtomicWrite.write(try metricsJSON(metrics, medical: medical, positive: positiveIndex, threshold: thresholdRecord,
                                             tta: settings.tta, ttaSeed: settings.ttaSeed, checkpoint: ckpt, data: data),
                              to: path("metrics.json"))
        log(metrics.report())
        if let pi = positiveIndex, config.classes.count > 2 {
            let r = metrics.perClass[pi]
            log(String(format: "positive class '%@': recall %.4f  precision %.4f  f1 %.4f", config.classes[pi], r.recall, r.precision, r.f1))
        }
        if let tta = settings.tta { log(tta.description) }
        for line in summaryLines(medical, thresholdSource: chosen?.source) { log(line) }
        return EvaluationResult(metrics: metrics, medical: medical, positive: positiveIndex, out: outDir)
    }

    /// A threshold only means something for two classes.
    static func checkThresholdSettings(_ s: EvaluationSettings, classes: [String]) throws {
        if s.threshold != nil, s.thresholdRule != nil {
            throw TrainError(.setting, "--threshold and --threshold-from-validation both choose the operating point; give one")
        }
        if let t = s.threshold, !(t >= 0 && t <= 1) {
            throw TrainError(.setting, "--threshold \(t): a probability between 0 and 1 is needed")
        }
        if classes.count != 2, s.threshold != nil || s.thresholdRule != nil {
            throw TrainError(.setting, "--threshold and --threshold-from-validation apply to two classes; this model has \(classes.count) (\(classes.joined(separator: ", "))) and predicts the most probable one")
        }
    }

    /// The rule applied to the run's own validation images (validation.csv, written by `medaug train`).
    static func thresholdOnValidation(_ rule: ThresholdRule, run: RunFiles, config: RunConfig, checkpoint: String,
                                      device: Device, positive: Int, test: [Sample],
                                      settings: EvaluationSettings) throws -> (value: Double, source: String) {
        guard let text = try? String(contentsOfFile: run.validation, encoding: .utf8) else {
            throw TrainError(.data, "\(run.validation): missing; --threshold-from-validation needs the run's validation images, which `medaug train` records from this version on (train the run again, or give --threshold)")
        }
        var samples: [Sample] = []
        for (i, row) in CSV.parse(text).dropFirst().enumerated() where !row.isEmpty {
            guard row.count >= 2, let c = config.classes.firstIndex(of: row[1]) else {
                throw TrainError(.data, "\(run.validation): row \(i + 2) does not name an image and one of the classes \(config.classes.joined(separator: ", "))")
            }
            samples.append(Sample(path: row[0], classIndex: c, className: row[1], split: .validation))
        }
        guard !samples.isEmpty else { throw TrainError(.data, "\(run.validation): the run has no validation images to choose a threshold on") }
        // A threshold tuned on images that are also scored would flatter the test figures.
        let tested = Set(test.map { URL(fileURLWithPath: $0.path).standardizedFileURL.path })
        let shared = samples.filter { tested.contains(URL(fileURLWithPath: $0.path).standardizedFileURL.path) }
        if let first = shared.first {
            throw TrainError(.data, "--threshold-from-validation: \(shared.count) of the run's \(samples.count) validation images are also in the test set (e.g. \(first.path)); the data has no separate test part, so a threshold chosen this way would be tuned on test images. Evaluate on a dataset with its own test/ part, or give --threshold")
        }
        // The same test-time augmentation as the test images get, so the threshold fits the averaged scores.
        let p = try predict(samples, config: config, checkpoint: checkpoint, device: device, tta: settings.tta, seed: settings.ttaSeed)
        let s = MedicalMetrics.scores(p.probabilities, positive: positive), y = p.truth.map { $0 == positive }
        let t: Double?
        switch rule {
        case .youden: t = OperatingPoint.youden(scores: s, positive: y)
        case .sensitivity(let target): t = OperatingPoint.threshold(forSensitivity: target, scores: s, positive: y)
        }
        guard let t, t.isFinite else {
            throw TrainError(.data, "\(run.validation): no threshold by \(rule) (the validation images need both classes)")
        }
        return (t, "chosen on \(samples.count) validation images by \(rule)")
    }

    /// The figures a reader wants first, each with its interval, then how the intervals were made.
    static func summaryLines(_ m: MedicalMetrics, thresholdSource: String?) -> [String] {
        var methods: [String] = []
        func f(_ key: String, _ name: String, _ v: Double?) -> String? {
            guard let v else { return nil }
            var s = String(format: "%@ %.4f", name, v)
            if let i = m.intervals[key] {
                if !methods.contains(i.method) { methods.append(i.method) }
                let mark = String(repeating: "*", count: methods.firstIndex(of: i.method)! + 1)
                if let lo = i.low, let hi = i.high { s += String(format: " [%.4f, %.4f]%@", lo, hi, mark) } else { s += " (no interval)" + mark }
            }
            return s
        }
        var out: [String] = []
        if let p = m.positive, let t = m.threshold {
            out.append(String(format: "operating point: '%@' when its probability >= %.4f (%@)", m.classification.classes[p], t,
                              thresholdSource ?? "default"))
        }
        let of = m.positive.map { " ('\(m.classification.classes[$0])')" } ?? " (macro)"
        out += [f("roc_auc", "ROC-AUC" + of, m.rocAUC), f("average_precision", "average precision" + of, m.averagePrecision),
                f("accuracy", "accuracy", m.classification.accuracy), f("balanced_accuracy", "balanced accuracy", m.balancedAccuracy),
                f("sensitivity", "sensitivity" + of, m.sensitivity), f("specificity", "specificity" + of, m.specificity),
                f("brier", "Brier score", m.brier)].compactMap { $0 }
        out.append(String(format: "expected calibration error %.4f (10 equal-width bins)", m.ece))
        for (i, method) in methods.enumerated() { out.append(String(repeating: "*", count: i + 1) + " " + method) }
        return out
    }

    /// The test images labelled in the model's class order; a class the model never saw cannot be scored.
    static func testSamples(_ data: String, classes: [String], options: DatasetOptions = .current) throws -> [Sample] {
        let test = try LabeledSamples.load(data, part: .test, options: options)
        let unknown = test.classes.filter { !classes.contains($0) }
        if !unknown.isEmpty {
            throw TrainError(.data, "\(data): class folder(s) \(unknown.map { "'\($0)'" }.joined(separator: ", ")) are unknown to the model, which was trained on \(classes.joined(separator: ", "))")
        }
        let samples = test.samples.compactMap { s -> Sample? in
            var s = s
            guard let i = classes.firstIndex(of: s.className) else { return nil }
            s.classIndex = i
            return s
        }
        guard !samples.isEmpty else { throw TrainError(.data, "\(data): no images to evaluate") }
        return samples
    }

    /// The class whose recall matters most: as asked, or the second name in code-point order of two.
    public static func positiveClass(_ positive: String?, classes: [String]) throws -> Int? {
        if let p = positive {
            guard let i = classes.firstIndex(of: p) else {
                throw TrainError(.setting, "--positive '\(p)' is not one of the model's classes: \(classes.joined(separator: ", "))")
            }
            return i
        }
        guard classes.count == 2 else { return nil }
        return classes.firstIndex(of: classes.sorted { Array($0.unicodeScalars.map(\.value)).lexicographicallyPrecedes($1.unicodeScalars.map(\.value)) }[1])
    }

    /// Softmax probabilities of the checkpoint's model for every sample, in
    /// sample order; with `tta`, averaged over the plain pass and each augmented one.
    static func predict(_ samples: [Sample], config: RunConfig, checkpoint: String, device: Device,
                        tta: TestTimeAugmentation? = nil, seed: UInt64 = 0) throws -> Predictions {
        let model = try ClassifierFactory.make(config.options, classes: config.classes.count)
        try model.load(safetensors: checkpoint)
        try model.move(to: device)
        model.eval()
        let passes: [MedAugAugment.Sequential?] = [nil] + (try tta?.passes() ?? [])
        let k = config.classes.count
        var sums = Array(repeating: Array(repeating: 0.0, count: k), count: samples.count)
        try withNoGrad { () throws in
            for (pass, augment) in passes.enumerated() {
                // Each pass draws its own copy of every image (the loader seeds by path and "epoch").
                let loader = BatchLoader(samples: samples, batchSize: 32, preprocessing: config.preprocessing, augment: augment,
                                         seed: seed, epoch: augment == nil ? -1 : pass)
                var index = 0
                while let batch = try loader.nextBatch() {
                    let p = try model(batch.images.to(device)).softmax(dim: 1).values(as: Float.self)
                    for (i, s) in batch.samples.enumerated() {
                        let row = p[(i * k)..<((i + 1) * k)].map(Double.init)
                        // A diverged checkpoint gives NaN: no figure can be computed from it, and it must say so.
                        guard row.allSatisfy(\.isFinite) else {
                            throw TrainError(.diverged, "\(checkpoint): the model's output for \(s.path) is not a number (the weights have diverged); evaluate an earlier checkpoint")
                        }
                        for c in 0..<k { sums[index][c] += row[c] }
                        index += 1
                    }
                }
            }
        }
        var out = Predictions()
        out.probabilities = sums.map { row in row.map { $0 / Double(passes.count) } }
        out.truth = samples.map(\.classIndex)
        out.paths = samples.map(\.path)
        return out
    }

    static func metricsJSON(_ m: ClassificationMetrics, medical: MedicalMetrics, positive: Int?, threshold: [String: Any]?,
                            tta: TestTimeAugmentation? = nil, ttaSeed: UInt64 = 0, checkpoint: String, data: String) throws -> Data {
        var obj: [String: Any] = [
            "accuracy": m.accuracy,
            "classes": m.classes,
            "checkpoint": checkpoint,
            "data": data,
            "confusion_matrix": ["labels": m.classes, "rows_true_columns_predicted": m.confusion],
            "macro_avg": ["precision": m.macro.precision, "recall": m.macro.recall, "f1": m.macro.f1, "support": m.macro.support],
            "weighted_avg": ["precision": m.weighted.precision, "recall": m.weighted.recall, "f1": m.weighted.f1, "support": m.weighted.support],
        ]
        obj.merge(medical.json()) { a, _ in a }
        var per: [String: Any] = [:]
        for (c, (name, r)) in zip(m.classes, m.perClass).enumerated() {
            var entry: [String: Any] = ["precision": r.precision, "recall": r.recall, "f1": r.f1, "support": r.support]
            entry.merge(medical.perClassJSON(c)) { a, _ in a }
            per[name] = entry
        }
        obj["per_class"] = per
        if let threshold { obj["threshold"] = threshold }
        if let tta { obj["test_time_augmentation"] = ["description": tta.description, "copies": tta.copies, "seed": ttaSeed] as [String: Any] }
        // The class whose recall the study reports: any number of classes.
        if let p = positive {
            let r = m.perClass[p], c = medical.perClass[p]
            obj["positive"] = ["class": m.classes[p], "recall": r.recall, "precision": r.precision, "f1": r.f1,
                               "sensitivity": c.sensitivity ?? NSNull(), "specificity": c.specificity ?? NSNull(),
                               "roc_auc": c.rocAUC ?? NSNull()] as [String: Any]
        }
        return try JSONSerialization.data(withJSONObject: obj, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }
}
