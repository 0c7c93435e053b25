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

    /// Per class, one-vs-rest from the confusion matrix: sensitivity = TP/(TP+FN).
    /// 0 for a class with no true samples (undefined; 0 matches the
    /// zero_division default of the per-class recall beside it, so the two agree).
    public var sensitivities: [Double] {
        confusion.indices.map { c in
            let tp = confusion[c][c], positives = confusion[c].reduce(0, +)
            return positives > 0 ? Double(tp) / Double(positives) : 0
        }
    }

    /// Per class, one-vs-rest from the confusion matrix: specificity = TN/(TN+FP).
    /// 0 for a class that every true sample belongs to (no negatives, so undefined), for the same reason.
    public var specificities: [Double] {
        let total = confusion.reduce(0) { $0 + $1.reduce(0, +) }
        return confusion.indices.map { c in
            let positives = confusion[c].reduce(0, +)
            let predictedC = confusion.reduce(0) { $0 + $1[c] }
            let fp = predictedC - confusion[c][c]
            let negatives = total - positives
            return negatives > 0 ? Double(negatives - fp) / Double(negatives) : 0
        }
    }
}
