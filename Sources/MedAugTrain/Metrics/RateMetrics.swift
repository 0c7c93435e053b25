import Foundation

/// Rates at the operating point, read off the confusion matrix, as medical
/// papers report them next to accuracy (which a majority class inflates).
extension ClassificationMetrics {
    /// sklearn balanced_accuracy_score (mean recall over classes present in truth).
    /// A class that is only ever predicted, never true, has no recall and is
    /// left out, as sklearn leaves it out (with a warning); 0 when the truth is empty.
    public var balancedAccuracy: Double {
        let recalls = confusion.indices.compactMap { c -> Double? in
            let support = confusion[c].reduce(0, +)
            return support > 0 ? Double(confusion[c][c]) / Double(support) : nil
        }
        return recalls.isEmpty ? 0 : recalls.reduce(0, +) / Double(recalls.count)
    }

    /// Per class, one-vs-rest from the confusion matrix: sensitivity = TP/(TP+FN);
    /// nil for a class with no true sample (undefined, so it must not count
    /// as 0 in an average, as balanced accuracy leaves it out too).
    public var sensitivities: [Double?] {
        confusion.indices.map { c in
            let tp = confusion[c][c], positives = confusion[c].reduce(0, +)
            return positives > 0 ? Double(tp) / Double(positives) : nil
        }
    }

    /// Per class, one-vs-rest from the confusion matrix: specificity = TN/(TN+FP);
    /// nil for a class that every true sample belongs to (no negatives, so undefined).
    public var specificities: [Double?] {
        let total = confusion.reduce(0) { $0 + $1.reduce(0, +) }
        return confusion.indices.map { c in
            let positives = confusion[c].reduce(0, +)
            let predictedC = confusion.reduce(0) { $0 + $1[c] }
            let fp = predictedC - confusion[c][c]
            let negatives = total - positives
            return negatives > 0 ? Double(negatives - fp) / Double(negatives) : nil
        }
    }

    /// Per class: (true positives, positives, true negatives, negatives), the counts behind the two rates.
    public var rateCounts: [(tp: Int, positives: Int, tn: Int, negatives: Int)] {
        let total = confusion.reduce(0) { $0 + $1.reduce(0, +) }
        return confusion.indices.map { c in
            let positives = confusion[c].reduce(0, +)
            let fp = confusion.reduce(0) { $0 + $1[c] } - confusion[c][c]
            return (confusion[c][c], positives, total - positives - fp, total - positives)
        }
    }
}

/// The Wilson score interval of a binomial proportion: where a bootstrap
/// cannot vary (10 of 10 found: every resample finds 10 of 10), it still
/// says how far below 100% the truth may be.
public enum WilsonInterval {
    /// The `level` interval of `successes` out of `trials`; nil without trials.
    public static func interval(successes: Int, trials: Int, level: Double = 0.95) -> (low: Double, high: Double)? {
        guard trials > 0 else { return nil }
        let n = Double(trials), p = Double(successes) / n
        let z = NormalDistribution.quantile((1 + level) / 2), z2 = z * z
        let centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        let half = z / (1 + z2 / n) * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
        return (max(0, centre - half), min(1, centre + half))
    }
}
