import Foundation

/// What medical papers report beside accuracy, from one test set's
/// probabilities: ranking (ROC-AUC, average precision), rates at the
/// operating point (balanced accuracy, sensitivity, specificity),
/// calibration (Brier score, expected calibration error), each with an
/// interval whose method is stated.
public struct MedicalMetrics: Sendable {
    /// A confidence interval and how it was obtained.
    public struct Interval: Equatable, Sendable {
        public var low: Double
        public var high: Double
        public var method: String
    }

    /// One class against the rest.
    public struct PerClass: Equatable, Sendable {
        public var rocAUC: Double?
        public var averagePrecision: Double?
        public var sensitivity: Double
        public var specificity: Double
    }

    /// The classification at the operating point (threshold or argmax).
    public var classification: ClassificationMetrics
    /// The positive class (binary).
    public var positive: Int?
    /// The threshold on the positive class's probability (binary).
    public var threshold: Double?
    /// Binary: the positive class's; multi-class: one-vs-rest macro average.
    public var rocAUC: Double?
    /// Binary: the positive class's; multi-class: macro average.
    public var averagePrecision: Double?
    /// Mean recall over the classes present in the test set.
    public var balancedAccuracy: Double
    /// Binary: the positive class's; multi-class: macro average of the per-class values.
    public var sensitivity: Double
    /// Binary: the positive class's; multi-class: macro average of the per-class values.
    public var specificity: Double
    /// Per class, in the classifier's class order.
    public var perClass: [PerClass]
    /// scikit-learn's brier_score_loss.
    public var brier: Double
    /// Expected calibration error over 10 equal-width bins.
    public var ece: Double
    /// The reliability diagram's bins (binary: positive-class probability; multi-class: top-class confidence).
    public var reliability: [ReliabilityBin]
    /// What the reliability bins plot, for the chart's axis.
    public var reliabilityMeaning: String
    /// Intervals by metric key (the keys of metrics.json).
    public var intervals: [String: Interval]
    /// Test images.
    public var count: Int

    /// Binary: the positive class's probability of each image.
    public static func scores(_ probabilities: [[Double]], positive: Int) -> [Double] { probabilities.map { $0[positive] } }

    /// Computes everything for `probabilities` (rows sum to 1) against `truth`.
    /// Binary predictions are `probability[positive] >= threshold`; otherwise argmax.
    public static func compute(probabilities: [[Double]], truth: [Int], classes: [String], positive: Int?,
                               threshold: Double?, settings: EvaluationSettings) -> MedicalMetrics {
        let k = classes.count
        let binary = k == 2 && positive != nil
        let t = binary ? (threshold ?? EvaluationSettings.defaultThreshold) : nil
        let predicted = Self.predict(probabilities, positive: binary ? positive : nil, threshold: t)
        let cm = ClassificationMetrics(truth: truth, predicted: predicted, classes: classes)
        let aucs = RankingMetrics.perClassROCAUC(probabilities: probabilities, truth: truth)
        let aps = RankingMetrics.perClassAveragePrecision(probabilities: probabilities, truth: truth)
        let sens = cm.sensitivities, spec = cm.specificities
        let per = (0..<k).map { PerClass(rocAUC: aucs[$0], averagePrecision: aps[$0], sensitivity: sens[$0], specificity: spec[$0]) }
        var m = MedicalMetrics(classification: cm, positive: binary ? positive : nil, threshold: t, rocAUC: nil, averagePrecision: nil,
                               balancedAccuracy: cm.balancedAccuracy, sensitivity: 0, specificity: 0, perClass: per,
                               brier: Calibration.brier(probabilities: probabilities, truth: truth, positive: binary ? positive : nil),
                               ece: 0, reliability: [], reliabilityMeaning: "", intervals: [:], count: truth.count)
        let confidences: [Double], outcomes: [Bool]
        if binary, let p = positive {
            let s = scores(probabilities, positive: p), y = truth.map { $0 == p }
            m.rocAUC = RankingMetrics.rocAUC(scores: s, positive: y)
            m.averagePrecision = RankingMetrics.averagePrecision(scores: s, positive: y)
            m.sensitivity = sens[p]
            m.specificity = spec[p]
            (confidences, outcomes) = (s, y)
            m.reliabilityMeaning = "predicted probability of '\(classes[p])'"
        } else {
            m.rocAUC = RankingMetrics.macroROCAUC(probabilities: probabilities, truth: truth)
            m.averagePrecision = RankingMetrics.macroAveragePrecision(probabilities: probabilities, truth: truth)
            m.sensitivity = sens.reduce(0, +) / Double(max(k, 1))
            m.specificity = spec.reduce(0, +) / Double(max(k, 1))
            confidences = probabilities.map { $0.max() ?? 0 }
            outcomes = zip(predicted, truth).map { $0 == $1 }
            m.reliabilityMeaning = "confidence of the predicted class"
        }
        m.reliability = Calibration.reliability(confidences: confidences, outcomes: outcomes)
        m.ece = Calibration.expectedCalibrationError(confidences: confidences, outcomes: outcomes)
        m.intervals = intervals(probabilities: probabilities, truth: truth, classes: classes, positive: m.positive,
                                threshold: t, settings: settings)
        return m
    }

    /// Binary at a threshold on the positive class's probability, else argmax (first of equal maxima).
    public static func predict(_ probabilities: [[Double]], positive: Int?, threshold: Double?) -> [Int] {
        if let p = positive, let t = threshold {
            return probabilities.map { $0[p] >= t ? p : 1 - p }
        }
        return probabilities.map { row in row.indices.reduce(0) { row[$1] > row[$0] ? $1 : $0 } }
    }

    /// DeLong (logit scale) for the binary AUC; a stratified percentile
    /// bootstrap for everything else, resampled the same way for every metric.
    static func intervals(probabilities: [[Double]], truth: [Int], classes: [String], positive: Int?,
                          threshold: Double?, settings: EvaluationSettings) -> [String: Interval] {
        var out: [String: Interval] = [:]
        let level = settings.level
        let pct = Int((level * 100).rounded())
        if let p = positive, let ci = DeLong.interval(scores: scores(probabilities, positive: p), positive: truth.map { $0 == p }, level: level) {
            out["roc_auc"] = Interval(low: ci.low, high: ci.high, method: "DeLong, \(pct)%, on the logit scale")
        }
        guard settings.bootstrap > 0 else { return out }
        let method = "stratified percentile bootstrap, \(settings.bootstrap) resamples, seed \(settings.seed), \(pct)%"
        func boot(_ key: String, _ f: @escaping ([[Double]], [Int]) -> Double?) {
            if let ci = Bootstrap.percentileInterval(truth: truth, replicates: settings.bootstrap, seed: settings.seed, level: level,
                                                     statistic: { idx in f(idx.map { probabilities[$0] }, idx.map { truth[$0] }) }) {
                out[key] = Interval(low: ci.low, high: ci.high, method: method)
            }
        }
        func rated(_ f: @escaping (ClassificationMetrics) -> Double) -> ([[Double]], [Int]) -> Double? {
            { probs, y in
                f(ClassificationMetrics(truth: y, predicted: predict(probs, positive: positive, threshold: threshold), classes: classes))
            }
        }
        boot("accuracy", rated(\.accuracy))
        boot("balanced_accuracy", rated(\.balancedAccuracy))
        if let p = positive {
            boot("sensitivity", rated { $0.sensitivities[p] })
            boot("specificity", rated { $0.specificities[p] })
            boot("average_precision") { probs, y in RankingMetrics.averagePrecision(scores: scores(probs, positive: p), positive: y.map { $0 == p }) }
        } else {
            let k = Double(max(classes.count, 1))
            boot("sensitivity", rated { $0.sensitivities.reduce(0, +) / k })
            boot("specificity", rated { $0.specificities.reduce(0, +) / k })
            boot("average_precision") { probs, y in RankingMetrics.macroAveragePrecision(probabilities: probs, truth: y) }
            boot("roc_auc") { probs, y in RankingMetrics.macroROCAUC(probabilities: probs, truth: y) }
        }
        boot("brier") { probs, y in Calibration.brier(probabilities: probs, truth: y, positive: positive) }
        return out
    }

    /// metrics.json's added keys: values, per class, intervals with their methods, calibration.
    public func json() -> [String: Any] {
        var obj: [String: Any] = [
            "balanced_accuracy": balancedAccuracy,
            "sensitivity": sensitivity,
            "specificity": specificity,
            "brier": brier,
            "expected_calibration_error": ece,
            "calibration": [
                "brier": brier,
                "expected_calibration_error": ece,
                "bins": 10,
                "plotted": reliabilityMeaning,
                "reliability": reliability.map { ["lower": $0.lower, "upper": $0.upper, "count": $0.count,
                                                  "mean_confidence": $0.meanConfidence, "observed": $0.observed] },
            ] as [String: Any],
            "test_images": count,
        ]
        obj["roc_auc"] = rocAUC ?? NSNull()
        obj["average_precision"] = averagePrecision ?? NSNull()
        if classification.classes.count == 2, positive != nil {
            obj["sensitivity_specificity_of"] = classification.classes[positive!]
        } else {
            obj["sensitivity_specificity_of"] = "macro average over classes (per class under per_class)"
        }
        var ci: [String: Any] = [:]
        for (key, i) in intervals { ci[key] = ["low": i.low, "high": i.high, "method": i.method] }
        obj["confidence_intervals"] = ci
        return obj
    }

    /// Per-class keys merged into metrics.json's `per_class` entries.
    public func perClassJSON(_ c: Int) -> [String: Any] {
        let r = perClass[c]
        return ["roc_auc": r.rocAUC ?? NSNull(), "average_precision": r.averagePrecision ?? NSNull(),
                "sensitivity": r.sensitivity, "specificity": r.specificity]
    }
}
