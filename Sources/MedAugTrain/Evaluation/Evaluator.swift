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

public enum Evaluator {
    public static func run(run: String, data: String, checkpoint: String = "best", positive: String? = nil,
                           out: String? = nil, device: String = "auto", log: (String) -> Void = { print($0) }) throws -> EvaluationResult {
        let files = RunFiles(run)
        let config = try RunConfig.read(files.config)
        let outDir = out ?? (run as NSString).appendingPathComponent("eval")
        try OutputGuard.check(output: outDir, inputs: [data])
        let ckpt: String
        switch checkpoint {
        case "best": ckpt = files.best
        case "last": ckpt = files.last
        default: ckpt = checkpoint
        }
        let test = try LabeledSamples.load(data, part: .test)
        // Labels follow the model's class order; a class the model never saw cannot be scored.
        let unknown = test.classes.filter { !config.classes.contains($0) }
        if !unknown.isEmpty {
            throw TorchError("\(data): class folder(s) \(unknown.map { "'\($0)'" }.joined(separator: ", ")) are unknown to the model, which was trained on \(config.classes.joined(separator: ", "))")
        }
        let samples = test.samples.map { s -> Sample in
            var s = s
            s.classIndex = config.classes.firstIndex(of: s.className)!
            return s
        }
        guard !samples.isEmpty else { throw TorchError("\(data): no images to evaluate") }
        let positiveIndex: Int?
        if let p = positive {
            guard let i = config.classes.firstIndex(of: p) else {
                throw TorchError("--positive '\(p)' is not one of the model's classes: \(config.classes.joined(separator: ", "))")
            }
            positiveIndex = i
        } else if config.classes.count == 2 {
            positiveIndex = config.classes.firstIndex(of: config.classes.sorted { Array($0.unicodeScalars.map(\.value)).lexicographicallyPrecedes($1.unicodeScalars.map(\.value)) }[1])
        } else {
            positiveIndex = nil
        }

        let dev = try Device.parse(device)
        var opts = config.options
        opts.dropout = config.options.dropout
        let model = try ClassifierFactory.make(opts, classes: config.classes.count)
        try model.load(stateDict: try SafeTensors.read(ckpt).tensors)
        try model.move(to: dev)
        model.eval()
        let loader = BatchLoader(samples: samples, batchSize: 32, preprocessing: config.preprocessing, seed: 0, epoch: -1)
        var truth: [Int] = [], pred: [Int] = [], probs: [[Float]] = [], paths: [String] = []
        try withNoGrad { () throws in
            while let batch = try loader.nextBatch() {
                let p = try model(batch.images.to(dev)).softmax(dim: 1).values(as: Float.self)
                let k = config.classes.count
                for (i, s) in batch.samples.enumerated() {
                    let row = Array(p[(i * k)..<((i + 1) * k)])
                    probs.append(row)
                    pred.append(row.indices.max { row[$0] < row[$1] }!)
                    truth.append(s.classIndex)
                    paths.append(s.path)
                }
            }
        }
        let metrics = ClassificationMetrics(truth: truth, predicted: pred, classes: config.classes)
        try FileManager.default.createDirectory(atPath: outDir, withIntermediateDirectories: true)
        func path(_ n: String) -> String { (outDir as NSString).appendingPathComponent(n) }
        var csv = "path,true,pred," + config.classes.map { CSV.field("prob_\($0)") }.joined(separator: ",") + "\n"
        for i in paths.indices {
            csv += [CSV.field(paths[i]), CSV.field(config.classes[truth[i]]), CSV.field(config.classes[pred[i]])].joined(separator: ",")
            csv += "," + probs[i].map { String(format: "%.6f", $0) }.joined(separator: ",") + "\n"
        }
        try AtomicWrite.write(csv, to: path("predictions.csv"))
        try AtomicWrite.write(metrics.report(), to: path("classification_report.txt"))
        try AtomicWrite.write(metrics.confusionCSV(), to: path("confusion_matrix.csv"))
        try AtomicWrite.write(Charts.confusionMatrix(metrics), to: path("confusion_matrix.svg"))
        try AtomicWrite.write(try metricsJSON(metrics, positive: positiveIndex, checkpoint: ckpt, data: data), to: path("metrics.json"))
        log(metrics.report())
        if let p = positiveIndex {
            let r = metrics.perClass[p]
            log(String(format: "positive class '%@': recall %.4f  precision %.4f  f1 %.4f", config.classes[p], r.recall, r.precision, r.f1))
        }
        return EvaluationResult(metrics: metrics, positive: positiveIndex, out: outDir)
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
