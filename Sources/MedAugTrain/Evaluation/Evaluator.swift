import Foundation
import MedAugCore
import MedAugData
import MedAugImage
import MedAugTorch

/// `medaug evaluate`: a trained run on a labelled folder, with the study's
/// metrics, written as scikit-learn writes them.
public struct EvaluationResult: Sendable {
    public var metrics: ClassificationMetrics
    /// The positive class (for recall), when there is one.
    public var positive: Int?
    public var out: String
}

/// `medaug evaluate`: scores a trained run on the test part of a dataset.
public enum Evaluator {
    /// The model's predictions on every test image, in loader order.
    struct Predictions {
        var truth: [Int] = [], predicted: [Int] = [], probabilities: [[Float]] = [], paths: [String] = []
    }

    /// Evaluates `checkpoint` of the run in `run` on `data`'s test images (labelled as `datasetOptions` say)
    /// and writes the records into `out` (default RUN/eval).
    public static func run(run: String, data: String, checkpoint: CheckpointChoice = .best, positive: String? = nil,
                           out: String? = nil, device: DeviceSetting = .auto, datasetOptions: DatasetOptions = .current,
                           log: (String) -> Void = { print($0) }) throws -> EvaluationResult {
        let files = RunFiles(run)
        let config = try RunConfig.read(files.config)
        let outDir = out ?? (run as NSString).appendingPathComponent("eval")
        try OutputGuard.check(output: outDir, inputs: [data])
        let ckpt = checkpoint.path(in: files)
        let samples = try testSamples(data, classes: config.classes, options: datasetOptions)
        let positiveIndex = try positiveClass(positive, classes: config.classes)
        let p = try predict(samples, config: config, checkpoint: ckpt, device: try device.resolve())
        let metrics = ClassificationMetrics(truth: p.truth, predicted: p.predicted, classes: config.classes)
        try FileManager.default.createDirectory(atPath: outDir, withIntermediateDirectories: true)
        func path(_ n: String) -> String { (outDir as NSString).appendingPathComponent(n) }
        var csv = "path,true,pred," + config.classes.map { CSV.field("prob_\($0)") }.joined(separator: ",") + "\n"
        for i in p.paths.indices {
            csv += [CSV.field(p.paths[i]), CSV.field(config.classes[p.truth[i]]), CSV.field(config.classes[p.predicted[i]])].joined(separator: ",")
            csv += "," + p.probabilities[i].map { String(format: "%.6f", $0) }.joined(separator: ",") + "\n"
        }
        try AtomicWrite.write(csv, to: path("predictions.csv"))
        try AtomicWrite.write(metrics.report(), to: path("classification_report.txt"))
        try AtomicWrite.write(metrics.confusionCSV(), to: path("confusion_matrix.csv"))
        try AtomicWrite.write(Charts.confusionMatrix(metrics), to: path("confusion_matrix.svg"))
        try AtomicWrite.write(try metricsJSON(metrics, positive: positiveIndex, checkpoint: ckpt, data: data), to: path("metrics.json"))
        log(metrics.report())
        if let pi = positiveIndex {
            let r = metrics.perClass[pi]
            log(String(format: "positive class '%@': recall %.4f  precision %.4f  f1 %.4f", config.classes[pi], r.recall, r.precision, r.f1))
        }
        return EvaluationResult(metrics: metrics, positive: positiveIndex, out: outDir)
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
    static func positiveClass(_ positive: String?, classes: [String]) throws -> Int? {
        if let p = positive {
            guard let i = classes.firstIndex(of: p) else {
                throw TrainError(.setting, "--positive '\(p)' is not one of the model's classes: \(classes.joined(separator: ", "))")
            }
            return i
        }
        guard classes.count == 2 else { return nil }
        return classes.firstIndex(of: classes.sorted { Array($0.unicodeScalars.map(\.value)).lexicographicallyPrecedes($1.unicodeScalars.map(\.value)) }[1])
    }

    /// Softmax probabilities and argmax of the checkpoint's model for every sample.
    static func predict(_ samples: [Sample], config: RunConfig, checkpoint: String, device: Device) throws -> Predictions {
        let model = try ClassifierFactory.make(config.options, classes: config.classes.count)
        try model.load(safetensors: checkpoint)
        try model.move(to: device)
        model.eval()
        let loader = BatchLoader(samples: samples, batchSize: 32, preprocessing: config.preprocessing, seed: 0, epoch: -1)
        var out = Predictions()
        let k = config.classes.count
        try withNoGrad { () throws in
            while let batch = try loader.nextBatch() {
                let p = try model(batch.images.to(device)).softmax(dim: 1).values(as: Float.self)
                for (i, s) in batch.samples.enumerated() {
                    let row = Array(p[(i * k)..<((i + 1) * k)])
                    out.probabilities.append(row)
                    out.predicted.append(row.indices.max { row[$0] < row[$1] }!)
                    out.truth.append(s.classIndex)
                    out.paths.append(s.path)
                }
            }
        }
        return out
    }

    static func metricsJSON(_ m: ClassificationMetrics, positive: Int?, checkpoint: String, data: String) throws -> Data {
        var obj: [String: Any] = [
            "accuracy": m.accuracy,
            "classes": m.classes,
            "checkpoint": checkpoint,
            "data": data,
            "confusion_matrix": ["labels": m.classes, "rows_true_columns_predicted": m.confusion],
            "macro_avg": ["precision": m.macro.precision, "recall": m.macro.recall, "f1": m.macro.f1, "support": m.macro.support],
            "weighted_avg": ["precision": m.weighted.precision, "recall": m.weighted.recall, "f1": m.weighted.f1, "support": m.weighted.support],
        ]
        var per: [String: Any] = [:]
        for (name, r) in zip(m.classes, m.perClass) {
            per[name] = ["precision": r.precision, "recall": r.recall, "f1": r.f1, "support": r.support]
        }
        obj["per_class"] = per
        if let p = positive {
            let r = m.perClass[p]
            obj["positive"] = ["class": m.classes[p], "recall": r.recall, "precision": r.precision, "f1": r.f1]
        }
        return try JSONSerialization.data(withJSONObject: obj, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }
}
