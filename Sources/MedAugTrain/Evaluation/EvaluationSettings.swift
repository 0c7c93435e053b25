import Foundation

/// How a binary operating point is chosen on the validation images: the
/// threshold is fixed there and only then applied to the test set, so the
/// test figures are not tuned on the test set.
public enum ThresholdRule: Equatable, Sendable, CustomStringConvertible {
    /// The threshold maximising Youden's J = sensitivity + specificity - 1.
    case youden
    /// The highest threshold that keeps sensitivity at or above the target.
    case sensitivity(Double)

    /// The forms `--threshold-from-validation` accepts.
    public static let forms = "youden or sensitivity=0.95 (a target between 0 and 1)"

    /// Parses `youden` or `sensitivity=X` with 0 < X <= 1; nil otherwise.
    public init?(_ text: String) {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if t == "youden" { self = .youden; return }
        let parts = t.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, parts[0] == "sensitivity", let v = Double(parts[1]), v > 0, v <= 1 else { return nil }
        self = .sensitivity(v)
    }

    /// The rule as the user writes it.
    public var description: String {
        switch self {
        case .youden: return "youden"
        case .sensitivity(let v): return "sensitivity=\(v)"
        }
    }
}

/// The choices of `medaug evaluate` beyond which run and which data.
public struct EvaluationSettings: Equatable, Sendable {
    /// A fixed threshold on the positive class's probability (binary only).
    public var threshold: Double?
    /// Choose the threshold on the run's validation images instead.
    public var thresholdRule: ThresholdRule?
    /// Bootstrap replicates for the intervals that have no closed form (0: none).
    public var bootstrap: Int = 1000
    /// Seed of the bootstrap's resampling.
    public var seed: UInt64 = 0
    /// Confidence level of every interval.
    public var level: Double = 0.95
    /// Average each image's probabilities with those of augmented copies.
    public var tta: TestTimeAugmentation?
    /// Seed of a TTA pipeline's draws, apart from the bootstrap's, so that
    /// checking the intervals with another bootstrap seed leaves the predictions alone.
    public var ttaSeed: UInt64 = 0

    /// The default binary threshold, as a classifier's argmax would decide.
    public static let defaultThreshold = 0.5

    /// Defaults: threshold 0.5, 1000 bootstrap replicates, seed 0, 95%.
    public init(threshold: Double? = nil, thresholdRule: ThresholdRule? = nil, bootstrap: Int = 1000, seed: UInt64 = 0,
                tta: TestTimeAugmentation? = nil) {
        self.tta = tta
        self.threshold = threshold
        self.thresholdRule = thresholdRule
        self.bootstrap = bootstrap
        self.seed = seed
    }
}
