import Foundation

/// What medical papers report beside accuracy, from one test set's
/// probabilities: ranking (ROC-AUC, average precision), rates at the
/// operating point (balanced accuracy, sensitivity, specificity),
/// calibration (Brier score, expected calibration error), each with an
/// interval whose method is stated.
public struct MedicalMetrics: Sendable {
    /// A confidence interval and how it was obtained; no bounds when none can be given (the method says why).
    public struct Interval: Equatable, Sendable {
        public var low: Double?
        public var high: Double?
        public var method: String
    }

    /// One class against the rest; nil where undefined (a class absent from the test set has no sensitivity).
    public struct PerClass: Equatable, Sendable {
        public var rocAUC: Double?
        public var averagePrecision: Double?
        public var sensitivity: Double?
        public var specificity: Double?
        /// Intervals of the above, by the same keys as metrics.json.
        public var intervals: [String: Interval] = [:]
    }

    /// The classification at the operating point (threshold or argmax).
    public var classification: ClassificationMetrics
    /// The positive class (two classes only).
    public var positive: Int?
    /// The threshold on the positive class's probability (binary).
    public var threshold: Double?
    /// Binary: the positive class's; multi-class: one-vs-rest macro average.
    public var rocAUC: Double?
    /// Binary: the positive class's; multi-class: macro average.
    public var averagePrecision: Double?
    /// Mean recall over the classes present in the test set.
    public var balancedAccuracy: Double
    /// Binary: the positive class's; multi-class: macro average of the defined per-class values.
    public var sensitivity: Double?
    /// Binary: the positive class's; multi-class: macro average of the defined per-class values.
    public var specificity: Double?
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

    /// The mean of the defined values; nil when none is.
    static func macro(_ values: [Double?]) -> Double? {
        let d = values.compactMap { $0 }
        return d.isEmpty ? nil : d.reduce(0, +) / Double(d.count)
    }

    /// Computes everything for `probabilities` (rows sum to 1) against `truth`.
    /// With two classes and a positive class, predictions are
    /// `probability[positive] >= threshold`; otherwise argmax.
    public static func compute(probabilities: [[Double]], truth: [Int], classes: [String], positive: Int?,
                               threshold: Double?, settings: EvaluationSettings) -> MedicalMetrics {
        let k = classes.count
        let positive = k == 2 ? positive : nil
        let t = positive != nil ? (threshold ?? EvaluationSettings.defaultThreshold) : nil
        let predicted = Self.predict(probabilities, positive: positive, threshold: t)
        let cm = ClassificationMetrics(truth: truth, predicted: predicted, classes: classes)
        let aucs = RankingMetrics.perClassROCAUC(probabilities: probabilities, truth: truth)
        let aps = RankingMetrics.perClassAveragePrecision(probabilities: probabilities, truth: truth)
        let sens = cm.sensitivities, spec = cm.specificities
        let per = (0..<k).map { PerClass(rocAUC: aucs[$0], averagePrecision: aps[$0], sensitivity: sens[$0], specificity: spec[$0]) }
        var m = MedicalMetrics(classification: cm, positive: positive, threshold: t, rocAUC: nil, averagePrecision: nil,
                               balancedAccuracy: cm.balancedAccuracy, sensitivity: nil, specificity: nil, perClass: per,
                               brier: Calibration.brier(probabilities: probabilities, truth: truth, positive: positive),
                               ece: 0, reliability: [], reliabilityMeaning: "", intervals: [:], count: truth.count)
        let confidences: [Double], outcomes: [Bool]
        if let p = positive {
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
            m.sensitivity = macro(sens)
            m.specificity = macro(spec)
            confidences = probabilities.map { $0.max() ?? 0 }
            outcomes = zip(predicted, truth).map { $0 == $1 }
            m.reliabilityMeaning = "confidence of the predicted class"
        }
        m.reliability = Calibration.reliability(confidences: confidences, outcomes: outcomes)
        m.ece = Calibration.expectedCalibrationError(confidences: confidences, outcomes: outcomes)
        IntervalMaker(probabilities: probabilities, truth: truth, classes: classes, positive: positive, threshold: t,
                      settings: settings).fill(&m)
        return m
    }

    /// Binary at a threshold on the positive class's probability, else argmax (first of equal maxima).
    public static func predict(_ probabilities: [[Double]], positive: Int?, threshold: Double?) -> [Int] {
        if let p = positive, let t = threshold {
            return probabilities.map { $0[p] >= t ? p : 1 - p }
        }
        return probabilities.map { row in row.indices.reduce(0) { row[$1] > row[$0] ? $1 : $0 } }
    }

    /// metrics.json's added keys: values, per class, intervals with their methods, calibration.
    public func json() -> [String: Any] {
        var obj: [String: Any] = [
            "balanced_accuracy": balancedAccuracy,
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
        obj["sensitivity"] = sensitivity ?? NSNull()
        obj["specificity"] = specificity ?? NSNull()
        if let p = positive {
            obj["sensitivity_specificity_of"] = classification.classes[p]
        } else {
            obj["sensitivity_specificity_of"] = "macro average over the classes where each is defined (per class under per_class)"
        }
        obj["confidence_intervals"] = Self.json(intervals)
        return obj
    }

    static func json(_ intervals: [String: Interval]) -> [String: Any] {
        var out: [String: Any] = [:]
        for (key, i) in intervals { out[key] = ["low": i.low ?? NSNull(), "high": i.high ?? NSNull(), "method": i.method] as [String: Any] }
        return out
    }

    /// Per-class keys merged into metrics.json's `per_class` entries.
    public func perClassJSON(_ c: Int) -> [String: Any] {
        let r = perClass[c]
        return ["roc_auc": r.rocAUC ?? NSNull(), "average_precision": r.averagePrecision ?? NSNull(),
                "sensitivity": r.sensitivity ?? NSNull(), "specificity": r.specificity ?? NSNull(),
                "confidence_intervals": Self.json(r.intervals)]
    }
}
