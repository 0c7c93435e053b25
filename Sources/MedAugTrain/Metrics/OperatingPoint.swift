import Foundation

/// Choosing the threshold on a binary classifier's positive-class score,
/// the step a screening study states before it reports sensitivity and
/// specificity. Only thresholds the ROC curve has (observed scores) are
/// candidates, so a chosen threshold reproduces its curve point exactly.
public enum OperatingPoint {
    /// roc_curve(drop_intermediate: false) without its leading +∞: every distinct score, highest first.
    static func fullCurve(scores: [Double], positive: [Bool]) -> (fpr: ArraySlice<Double>, tpr: ArraySlice<Double>, thresholds: ArraySlice<Double>) {
        let roc = RankingMetrics.rocCurve(scores: scores, positive: positive, dropIntermediate: false)
        return (roc.fpr.dropFirst(), roc.tpr.dropFirst(), roc.thresholds.dropFirst())
    }

    /// the threshold on the positive-class score maximizing Youden's J = TPR - FPR over roc_curve(drop_intermediate: false)
    /// thresholds (finite ones; ties: the highest threshold).
    /// The highest of tied thresholds is what numpy.argmax picks on sklearn's
    /// decreasing thresholds, and the more conservative call (fewer positives).
    /// nil when either class is missing (J is undefined) or there are no scores.
    public static func youden(scores: [Double], positive: [Bool]) -> Double? {
        guard positive.contains(true), positive.contains(false) else { return nil }
        let (fpr, tpr, thresholds) = fullCurve(scores: scores, positive: positive)
        var best: Double? = nil, bestJ = -Double.infinity
        for i in thresholds.indices {
            let j = tpr[i] - fpr[i]
            if j > bestJ { bestJ = j; best = thresholds[i] }
        }
        return best
    }

    /// the highest threshold whose TPR >= target (nil if no positive).
    /// Read from the full curve: the dropped one can skip the point where the
    /// target is first reached. A target above 1 is never reached (nil).
    public static func threshold(forSensitivity target: Double, scores: [Double], positive: [Bool]) -> Double? {
        guard positive.contains(true) else { return nil }
        let (_, tpr, thresholds) = fullCurve(scores: scores, positive: positive)
        guard let i = tpr.indices.first(where: { tpr[$0] >= target }) else { return nil }
        return thresholds[i]
    }

    /// predictions at a threshold: positive when score >= threshold (sklearn's roc_curve convention),
    /// so that the threshold from `youden` or `threshold(forSensitivity:)` gives exactly its curve point.
    public static func predict(scores: [Double], threshold: Double) -> [Bool] {
        scores.map { $0 >= threshold }
    }
}
